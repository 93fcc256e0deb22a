"""Loading the consistency checks between report figures (`checks` in carrier_types.toml)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from registry import db
from registry.carriers.models import CarrierType, Indicator
from registry.reports.models import FigureCheck


def load_figure_checks(types: list[dict[str, Any]]) -> int:
    """Replace each seeded type's checks by the file's when they differ (idempotent);
    returns the number of checks written. Raises KeyError for an unknown indicator code."""
    written = 0
    for spec in types:
        carrier_type = db.session.scalar(
            select(CarrierType).where(CarrierType.code == spec["code"])
        )
        if carrier_type is None:
            continue
        indicators = {
            i.code: i.id
            for i in db.session.scalars(
                select(Indicator).where(Indicator.type_id == carrier_type.id)
            )
        }
        wanted = [
            _wanted(check, indicators, order)
            for order, check in enumerate(spec.get("checks", []), 1)
        ]
        current = db.session.scalars(
            select(FigureCheck).where(FigureCheck.type_id == carrier_type.id)
        ).all()
        have = sorted(
            (c.indicator_id, c.bound_id, c.bound2_id, c.source, c.sort_order) for c in current
        )
        if have == sorted(wanted):
            continue
        for check in current:
            db.session.delete(check)
        db.session.flush()
        for indicator_id, bound_id, bound2_id, source, order in wanted:
            db.session.add(
                FigureCheck(
                    type_id=carrier_type.id,
                    indicator_id=indicator_id,
                    bound_id=bound_id,
                    bound2_id=bound2_id,
                    source=source,
                    sort_order=order,
                )
            )
            written += 1
    db.session.flush()
    return written


def _wanted(check: dict[str, Any], indicators: dict[str, int], order: int) -> tuple:
    plus = check.get("plus")
    return (
        indicators[check["indicator"]],
        indicators[check["at_most"]],
        indicators[plus] if plus else None,
        check.get("source", ""),
        order,
    )
