"""Reading the filters of application lists from query arguments (pages and API)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import db, policy
from registry.applications.models import ApplicationStatus
from registry.applications.queries import QueueFilters
from registry.carriers.levels import Level
from registry.carriers.models import CarrierType
from registry.errors import ValidationError
from registry.regions.service import find_region


def parse_filters(args: Any, user: Any) -> QueueFilters:
    """status, type, level, region (a subtree the user oversees) and q; raises
    ValidationError naming each bad one, Forbidden for a region out of the user's reach."""
    f = QueueFilters()
    errors: dict[str, str] = {}
    raw = (args.get("status") or "").strip()
    if raw:
        try:
            f.status = ApplicationStatus(raw)
        except ValueError:
            errors["status"] = _(
                "must be one of %(values)s", values=", ".join(ApplicationStatus.values())
            )
    raw = (args.get("type") or "").strip()
    if raw:
        if db.session.scalar(select(CarrierType.id).where(CarrierType.code == raw)) is None:
            errors["type"] = _("unknown carrier type")
        else:
            f.type_code = raw
    raw = (args.get("level") or "").strip()
    if raw:
        try:
            f.level = Level.parse(raw)
        except ValueError:
            errors["level"] = _("must be one of %(values)s", values=", ".join(Level.codes()))
    _region(args, user, f, errors)
    f.q = " ".join((args.get("q") or "").split())[:100]
    if errors:
        raise ValidationError(errors)
    return f


def _region(args: Any, user: Any, f: QueueFilters, errors: dict[str, str]) -> None:
    raw = (args.get("region") or "").strip()
    if not raw:
        return
    region = find_region(raw)
    if region is None:
        errors["region"] = _("no region has this code (use a six-digit GB/T 2260 code)")
        return
    if not policy.is_carrier_account(user):
        policy.require(policy.can_oversee_region(user, region))
    f.region = region
