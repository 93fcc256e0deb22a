"""The workflow's panels in the workspaces: applications waiting for a region's decision
("my region") and a carrier organisation's open applications ("my carriers"); and what the
workflow adds to a carrier's page (apply, its applications, recognitions to revoke)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select

from registry import db, policy
from registry.accounts.models import User
from registry.applications.drafts import levels_open_to
from registry.applications.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
)
from registry.applications.queries import QueueFilters, applications_of, review_queue
from registry.carriers.models import Carrier, Recognition
from registry.dashboard.panels import (
    OWNER_PANELS,
    PANEL_ROWS,
    REGION_PANELS,
    Panel,
    PanelItem,
)
from registry.db import count
from registry.regions.models import Region


def waiting_panel(user: User, region: Region) -> Panel | None:
    rows, total = review_queue(user, QueueFilters(), 1, PANEL_ROWS, region=region)
    own = user.region is not None and user.region.id == region.id
    more = (
        url_for("applications.queue")
        if own or policy.is_admin(user)
        else url_for("applications.queue", scope="region", region=region.code)
    )
    return Panel(
        key="applications_waiting",
        title=_l("Applications waiting for a decision"),
        description=_l("Applications whose current step is this region's bureau, oldest first."),
        count=total,
        items=[
            PanelItem(
                title=row.carrier_name,
                url=url_for("applications.show_application", application_id=row.id),
                meta=f"{row.level.label} · {row.region_name}",
                badges=[(row.type_label, "light")],
            )
            for row in rows
        ],
        more_url=more,
        tone="primary",
    )


def own_panel(user: User) -> Panel | None:
    if not policy.can_list_own_applications(user):
        return None
    returned_first = case((Application.status == ApplicationStatus.returned, 0), else_=1)
    stmt = (
        select(Application)
        .join(Carrier, Carrier.id == Application.carrier_id)
        .where(Carrier.owner_id == user.id, Application.status.in_(OPEN_STATUSES))
    )
    applications = list(
        db.session.scalars(stmt.order_by(returned_first, Application.id.desc()).limit(PANEL_ROWS))
    )
    returned = any(a.status == ApplicationStatus.returned for a in applications)
    return Panel(
        key="own_applications",
        title=_l("Open applications"),
        description=_l("Drafts, applications in review, and those returned to you to fix."),
        count=count(stmt),
        items=[
            PanelItem(
                title=a.carrier.name,
                url=url_for("applications.show_application", application_id=a.id),
                meta=a.level.label,
                badges=[(a.status.label, a.status.badge)],
            )
            for a in applications
        ],
        more_url=url_for("applications.own_list"),
        tone="warning" if returned else "info",
    )


REGION_PANELS.insert(0, waiting_panel)
OWNER_PANELS.append(own_panel)


@dataclass
class CarrierWorkflow:
    """The workflow on a carrier's page, for one viewer."""

    applications: list[Application] = field(default_factory=list)
    open_application: Application | None = None
    may_apply: bool = False
    revocable: list[Recognition] = field(default_factory=list)


def carrier_workflow(user: Any, carrier: Carrier) -> CarrierWorkflow:
    visible = [a for a in applications_of(carrier.id) if policy.can_view_application(user, a)]
    current = next((a for a in visible if a.status.is_open), None)
    may_apply = (
        current is None and policy.can_apply(user, carrier) and bool(levels_open_to(carrier))
    )
    revocable = [
        r
        for r in carrier.recognitions
        if r.revoked_on is None and policy.can_revoke_recognition(user, r)
    ]
    return CarrierWorkflow(visible, current, may_apply, revocable)
