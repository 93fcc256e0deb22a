"""Read models of the workspaces: one's own carriers, a region's carriers by status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import aliased

from registry import db
from registry.accounts.models import User
from registry.cache import VersionedCache, current_version
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


# Ids and counts of a region's carriers by standing, reused until carriers or recognitions
# change (the standing version: not a profile edit or a report): at a province or the
# country they take a few hundred ms.
_ids_cache = VersionedCache(size=512)


def _page(
    ids_stmt: Select, page: int, per_page: int, cache_key: tuple | None = None
) -> tuple[list[CarrierRow], int]:
    def compute() -> tuple[int, list[int]]:
        offset = (page - 1) * per_page
        ids = list(db.session.scalars(ids_stmt.offset(offset).limit(per_page)))
        return db.count(ids_stmt), ids

    if cache_key is None:
        total, ids = compute()
    else:
        total, ids = _ids_cache.get_or_compute(
            (*cache_key, page, per_page), current_version("standing"), compute
        )
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
# filters that read only carriers and recognitions, whose writes bump the data version
_VERSIONED_FILTERS = {"unrecognized", "recognized", "revoked"}


def _filter(which: str, as_of: dt.date):
    # each condition is driven by an index: recognitions by carrier, the few pending
    # reviews, the few carriers flagged for their region
    ever = exists().where(Recognition.carrier_id == Carrier.id, Recognition.recognized_on <= as_of)
    active = exists().where(Recognition.carrier_id == Carrier.id, active_on(as_of))
    pending_code = (
        select(CreditCodeReview.carrier_id)
        .join(Carrier, Carrier.id == CreditCodeReview.carrier_id)
        .where(
            CreditCodeReview.decision == ReviewDecision.pending,
            CreditCodeReview.uscc == Carrier.uscc,
        )
    )
    flagged = aliased(Carrier)
    return {
        "unrecognized": ~ever,
        "recognized": active,
        "revoked": and_(ever, ~active),
        # through its own index (the few flagged carriers), not the subtree's region index
        "needs_region_review": Carrier.id.in_(
            select(flagged.id).where(flagged.needs_region_review.is_(True))
        ),
        "credit_code": Carrier.id.in_(pending_code),
    }[which]


def region_carriers(
    region: Region, which: str, page: int = 1, per_page: int = 20
) -> tuple[list[CarrierRow], int]:
    """A region subtree's carriers (private ones included) matching one of REGION_FILTERS,
    newest first."""
    today = dt.date.today()
    stmt = (
        select(Carrier.id)
        .where(Carrier.region_id.in_(subtree_ids(region)), _filter(which, today))
        .order_by(Carrier.id.desc())
    )
    key = ("region", region.code, which, today) if which in _VERSIONED_FILTERS else None
    return _page(stmt, page, per_page, key)


@dataclass
class StatusCounts:
    """A region subtree's carriers by type and status (one aggregate query)."""

    by_type: dict[str, dict[str, int]]  # type label -> status -> count
    totals: dict[str, int]


def status_counts(region: Region, as_of: dt.date | None = None) -> StatusCounts:
    as_of = as_of or dt.date.today()
    key = ("counts", region.code, as_of, str(get_locale()))
    return _ids_cache.get_or_compute(
        key, current_version("standing"), lambda: _status_counts(region, as_of)
    )


def _status_counts(region: Region, as_of: dt.date) -> StatusCounts:
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
    return region_carriers(region, which, 1, 1)[1]


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
