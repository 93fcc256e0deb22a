"""Factories for the workflow tests: figures that meet every criterion, applications in a
given state, reviewers of a region, and a small PDF and PNG."""

from __future__ import annotations

from registry import db
from registry.accounts.models import User
from registry.applications.drafts import application_indicators, create_application
from registry.applications.models import Application
from registry.applications.service import apply_action
from registry.carriers.models import Carrier
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)

# the demo accounts' regions: 东坡区 in 眉山市 in 四川省
CHAIN_CODES = {
    "county": ["511402"],
    "municipal": ["511402", "511400"],
    "provincial": ["511402", "511400", "510000"],
    "national": ["511402", "511400", "510000", "000000"],
}


def full_figures(carrier: Carrier, value: int = 100000) -> dict[str, int]:
    """A figure for every indicator of the carrier's application, large enough to meet
    every criterion of every level (densities included)."""
    return {i.code: value for i in application_indicators(carrier.type_id)}


def owned_carrier(owner: User | None = None, region_code: str = "511402", **kw) -> Carrier:
    owner = owner or factories.user(name="东坡科创运营有限公司")
    return factories.create_carrier(owner=owner, region_code=region_code, **kw)


def draft(
    carrier: Carrier | None = None, level: str = "county", figures: dict | None = None
) -> Application:
    carrier = carrier or owned_carrier()
    owner = db.session.get(User, carrier.owner_id)
    application = create_application(
        carrier,
        level=level,
        figures=full_figures(carrier) if figures is None else figures,
        actor=owner,
    )
    db.session.flush()
    return application


def submitted(carrier: Carrier | None = None, level: str = "county") -> Application:
    application = draft(carrier, level)
    apply_action(application, "submit", owner_of(application))
    return application


def owner_of(application: Application) -> User:
    return db.session.get(User, application.carrier.owner_id)


def reviewer(region_code: str, **kw) -> User:
    return factories.user("reviewer", region_code, **kw)
