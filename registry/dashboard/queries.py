"""Read models of the workspaces: one's own carriers, a region's carriers by status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, select

from registry import db
from registry.accounts.models import User
from registry.carriers.credit_codes import status_of
from registry.carriers.levels import Level
from registry.carriers.models import (
    Carrier,
    CarrierStatus,
    CarrierType,
    CreditCodeReview,
    CreditCodeStatus,
    Recognition,
    ReviewDecision,
)
from registry.carriers.queries import active_on, region_names, standing
from registry.regions.models import Region
from registry.regions.queries import child_code, subtree_ids


@dataclass
class CarrierRow:
    """A carrier as the workspaces list it (private ones included)."""

    id: int
    name: str
    type_label: str
    region_name: str
    status: CarrierStatus
    level: Level | None
    credit_code: CreditCodeStatus
    needs_region_review: bool
    updated_at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type_name": self.type_label,
            "region": self.region_name,
            "status": self.status.value,
            "level": self.level.code if self.level else None,
            "credit_code_status": self.credit_code.value,
            "needs_region_review": self.needs_region_review,
            "updated_at": self.updated_at.isoformat(),
        }


def _standing_of(ids: list[int], as_of: dt.date) -> dict[int, tuple[Level | None, bool]]:
    """Current level (None if none active) and whether ever recognised, for a few carriers."""
    stmt = (
        select(
            Recognition.carrier_id,
            func.max(case((active_on(as_of), Recognition.level))),
        )
        .where(Recognition.carrier_id.in_(ids), Recognition.recognized_on <= as_of)
        .group_by(Recognition.carrier_id)
    )
    return {
        cid: (Level(level) if level is not None else None, True)
        for cid, level in db.session.execute(stmt)
    }


def _rows(ids: list[int], as_of: dt.date) -> list[CarrierRow]:
    """Full rows for a page of carrier ids, in the given order (three small queries)."""
    if not ids:
        return []
    stmt = (
        select(Carrier, CreditCodeReview.decision)
        .outerjoin(
            CreditCodeReview,
            and_(CreditCodeReview.carrier_id == Carrier.id, CreditCodeReview.uscc == Carrier.uscc),
        )
        .where(Carrier.id.in_(ids))
    )
    found = {carrier.id: (carrier, decision) for carrier, decision in db.session.execute(stmt)}
    standings = _standing_of(ids, as_of)
    names = region_names()
    rows = []
    for cid in ids:
        carrier, decision = found[cid]
        level, ever = standings.get(cid, (None, False))
        status = (
            CarrierStatus.recognized
            if level
            else CarrierStatus.revoked
            if ever
            else CarrierStatus.unrecognized
        )
        rows.append(
            CarrierRow(
                id=carrier.id,
                name=carrier.name,
                type_label=carrier.carrier_type.label,
                region_name=names.full_name(carrier.region_id),
                status=status,
                level=level,
                credit_code=status_of(carrier.uscc, decision),
                needs_region_review=carrier.needs_region_review,
                updated_at=carrier.updated_at,
            )
        )
    return rows


def _page(ids_stmt: Select, page: int, per_page: int) -> tuple[list[CarrierRow], int]:
    total = db.count(ids_stmt)
    ids = list(db.session.scalars(ids_stmt.offset((page - 1) * per_page).limit(per_page)))
    return _rows(ids, dt.date.today()), total


def owned_carriers(user: User, page: int = 1, per_page: int = 50) -> tuple[list[CarrierRow], int]:
    """The carriers an account owns, newest first, with their standing and code status."""
    stmt = (
        select(Carrier.id)
        .where(Carrier.owner_id == user.id)
        .order_by(Carrier.created_at.desc(), Carrier.id.desc())
    )
    return _page(stmt, page, per_page)


# --- a region -----------------------------------------------------------------------------

REGION_FILTERS = ("unrecognized", "recognized", "revoked", "needs_region_review", "credit_code")


def _filter(which: str, as_of: dt.date):
    ever = exists().where(Recognition.carrier_id == Carrier.id, Recognition.recognized_on <= as_of)
    active = exists().where(Recognition.carrier_id == Carrier.id, active_on(as_of))
    pending_code = exists().where(
        CreditCodeReview.carrier_id == Carrier.id,
        CreditCodeReview.uscc == Carrier.uscc,
        CreditCodeReview.decision == ReviewDecision.pending,
    )
    return {
        "unrecognized": ~ever,
        "recognized": active,
        "revoked": and_(ever, ~active),
        "needs_region_review": Carrier.needs_region_review.is_(True),
        "credit_code": pending_code,
    }[which]


def region_carriers(
    region: Region, which: str, page: int = 1, per_page: int = 20
) -> tuple[list[CarrierRow], int]:
    """A region subtree's carriers (private ones included) matching one of REGION_FILTERS,
    most recently changed first."""
    stmt = (
        select(Carrier.id)
        .where(Carrier.region_id.in_(subtree_ids(region)), _filter(which, dt.date.today()))
        .order_by(Carrier.updated_at.desc(), Carrier.id.desc())
    )
    return _page(stmt, page, per_page)


@dataclass
class StatusCounts:
    """A region subtree's carriers by type and status (one aggregate query)."""

    by_type: dict[str, dict[str, int]]  # type label -> status -> count
    totals: dict[str, int]


def status_counts(region: Region, as_of: dt.date | None = None) -> StatusCounts:
    as_of = as_of or dt.date.today()
    st = standing(as_of)
    status = case(
        (st.c.level.is_not(None), "recognized"),
        (st.c.carrier_id.is_not(None), "revoked"),
        else_="unrecognized",
    )
    stmt = (
        select(Carrier.type_id, status, func.count())
        .select_from(Carrier)
        .outerjoin(st, st.c.carrier_id == Carrier.id)
        .where(Carrier.region_id.in_(subtree_ids(region)))
        .group_by(Carrier.type_id, status)
    )
    types = {
        t.id: t for t in db.session.scalars(select(CarrierType).order_by(CarrierType.sort_order))
    }
    by_type: dict[str, dict[str, int]] = {t.label: {} for t in types.values()}
    totals: dict[str, int] = {s.value: 0 for s in CarrierStatus}
    for type_id, state, n in db.session.execute(stmt):
        by_type[types[type_id].label][state] = n
        totals[state] += n
    return StatusCounts(by_type, totals)


def child_counts(region: Region) -> list[tuple[Region, int]]:
    """Each child region with the number of carriers (all statuses) in its subtree."""
    child = child_code(region, Region.path)
    stmt = (
        select(child, func.count())
        .select_from(Carrier)
        .join(Region, Region.id == Carrier.region_id)
        .where(Region.path.like(region.path + "/%"))
        .group_by(child)
    )
    counts = dict(db.session.execute(stmt).all())
    children = db.session.scalars(
        select(Region).where(Region.parent_id == region.id).order_by(Region.code)
    )
    return [(r, counts.get(r.code, 0)) for r in children]


def count_matching(region: Region, which: str) -> int:
    stmt = select(Carrier.id).where(
        Carrier.region_id.in_(subtree_ids(region)), _filter(which, dt.date.today())
    )
    return db.count(stmt)


__all__ = [
    "REGION_FILTERS",
    "CarrierRow",
    "StatusCounts",
    "child_counts",
    "count_matching",
    "owned_carriers",
    "region_carriers",
    "status_counts",
]
