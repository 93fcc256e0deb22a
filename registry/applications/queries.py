"""Read models of applications: lists for owners, review queues for bureaus, with counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, select

from registry import db, policy
from registry.accounts.models import User
from registry.applications.models import (
    Application,
    ApplicationStatus,
    ApplicationStep,
)
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, CarrierType
from registry.errors import NotFound
from registry.regions.models import Region
from registry.regions.queries import subtree_ids


def get_application(application_id: int) -> Application:
    """The application with this id; raises NotFound."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound(_("No application has the id %(id)s.", id=application_id))
    return application


@dataclass
class ApplicationRow:
    """An application as lists show it."""

    id: int
    carrier_id: int
    carrier_name: str
    type_code: str
    type_label: str
    region_name: str
    level: Level
    status: ApplicationStatus
    version: int
    step_region: Region | None
    waiting_since: dt.datetime
    submitted_at: dt.datetime | None
    created_at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "carrier_id": self.carrier_id,
            "carrier": {"id": self.carrier_id, "name": self.carrier_name},
            "type": self.type_code,
            "level": self.level.code,
            "status": self.status.value,
            "version": self.version,
            "current_step": _step_dict(self.step_region, self.level) if self.step_region else None,
            "state_changed_at": self.waiting_since.isoformat(),
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "created_at": self.created_at.isoformat(),
        }


def _step_dict(region: Region, _level: Level) -> dict[str, Any]:
    return step_dict(region)


def step_dict(region: Region) -> dict[str, Any]:
    """A step as the API shows it: the bureau's region and the level it grants."""
    return {
        "region": {"code": region.code, "name": region.bureau_name},
        "level": Level.for_region_level(region.level).code,
    }


@dataclass
class QueueFilters:
    """Filters of application lists (all optional)."""

    status: ApplicationStatus | None = None
    type_code: str | None = None
    level: Level | None = None
    region: Region | None = None  # the carrier's region within this subtree
    q: str = ""

    def key(self) -> tuple:
        return (self.status, self.type_code, self.level, self.region.id if self.region else None)


def _current_step_join() -> Any:
    return and_(
        ApplicationStep.application_id == Application.id,
        ApplicationStep.round == Application.round,
        ApplicationStep.position == Application.step_position,
    )


def _base() -> Select:
    return (
        select(Application, Carrier.name, CarrierType.code, Carrier.region_id, ApplicationStep)
        .join(Carrier, Carrier.id == Application.carrier_id)
        .join(CarrierType, CarrierType.id == Carrier.type_id)
        .outerjoin(ApplicationStep, _current_step_join())
    )


def _filtered(stmt: Select, f: QueueFilters) -> Select:
    if f.status is not None:
        stmt = stmt.where(Application.status == f.status)
    if f.type_code:
        stmt = stmt.where(CarrierType.code == f.type_code)
    if f.level is not None:
        stmt = stmt.where(Application.level == f.level)
    if f.region is not None:
        stmt = stmt.where(Carrier.region_id.in_(subtree_ids(f.region)))
    if f.q:
        escaped = f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Carrier.name.like(f"%{escaped}%", escape="\\"))
    return stmt


def _rows(stmt: Select, page: int, per_page: int) -> tuple[list[ApplicationRow], int]:
    from registry.carriers.queries import region_names

    total = db.count(stmt)
    names = region_names()
    rows = []
    for app, name, type_code, region_id, step in db.session.execute(
        stmt.offset((page - 1) * per_page).limit(per_page)
    ):
        rows.append(
            ApplicationRow(
                id=app.id,
                carrier_id=app.carrier_id,
                carrier_name=name,
                type_code=type_code,
                type_label=app.carrier.carrier_type.label,
                region_name=names.full_name(region_id),
                level=app.level,
                status=app.status,
                version=app.version,
                step_region=step.region if step is not None else None,
                waiting_since=app.state_changed_at,
                submitted_at=app.submitted_at,
                created_at=app.created_at,
            )
        )
    return rows, total


def own_applications(
    user: User, f: QueueFilters, page: int = 1, per_page: int = 20
) -> tuple[list[ApplicationRow], int]:
    """The applications of the user's own carriers, newest first."""
    stmt = _filtered(_base().where(Carrier.owner_id == user.id), f)
    return _rows(stmt.order_by(Application.id.desc()), page, per_page)


def awaiting(user: User, region: Region | None = None) -> Any:
    """Condition: in review with its current step at `region` (default: the user's region;
    for an admin without one, every step)."""
    region = region or user.region
    condition = Application.status == ApplicationStatus.in_review
    if region is None:
        return condition if policy.is_admin(user) else False
    return and_(condition, ApplicationStep.region_id == region.id)


def review_queue(
    user: User, f: QueueFilters, page: int = 1, per_page: int = 20, region: Region | None = None
) -> tuple[list[ApplicationRow], int]:
    """Applications waiting for the decision of `region`'s bureau (default: the user's),
    the longest-waiting first."""
    stmt = _filtered(_base().where(awaiting(user, region)), f)
    order = [Application.state_changed_at, Application.id]
    return _rows(stmt.order_by(*order), page, per_page)


def region_applications(
    region: Region | None, f: QueueFilters, page: int = 1, per_page: int = 20
) -> tuple[list[ApplicationRow], int]:
    """Every application of a carrier in `region`'s subtree (None: the whole country),
    drafts excepted (they are the carrier's own until submitted), newest change first."""
    stmt = _base().where(Application.round > 0)
    if region is not None:
        stmt = stmt.where(Carrier.region_id.in_(subtree_ids(region)))
    stmt = _filtered(stmt, f)
    order = [Application.state_changed_at.desc(), Application.id.desc()]
    return _rows(stmt.order_by(*order), page, per_page)


@dataclass
class QueueCounts:
    """How many applications await a bureau, by level and by type."""

    total: int = 0
    by_level: dict[Level, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)


def queue_counts(user: User, region: Region | None = None) -> QueueCounts:
    base = (
        select(Application.level, CarrierType.code, func.count())
        .join(Carrier, Carrier.id == Application.carrier_id)
        .join(CarrierType, CarrierType.id == Carrier.type_id)
        .outerjoin(ApplicationStep, _current_step_join())
        .where(awaiting(user, region))
        .group_by(Application.level, CarrierType.code)
    )
    counts = QueueCounts()
    for level, type_code, n in db.session.execute(base):
        level = Level(level)
        counts.total += n
        counts.by_level[level] = counts.by_level.get(level, 0) + n
        counts.by_type[type_code] = counts.by_type.get(type_code, 0) + n
    return counts


def open_application_of(carrier_id: int) -> Application | None:
    from registry.applications.drafts import open_application

    return open_application(carrier_id)


def applications_of(carrier_id: int) -> list[Application]:
    stmt = (
        select(Application)
        .where(Application.carrier_id == carrier_id)
        .order_by(Application.id.desc())
    )
    return list(db.session.scalars(stmt))
