"""The eligibility check a reviewer sees: each recognition criterion of the carrier's type
and the requested level (seed data) against the application's figures, met or not.

Reviewers still decide: the check informs, it never blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from registry import db
from registry.carriers.levels import Level
from registry.carriers.models import Criterion, Indicator


@dataclass
class CriterionCheck:
    """One criterion: `indicator` ≥ `minimum` (per `per_amount` of `per` when a density)."""

    criterion: Criterion
    value: Decimal | None  # the applicant's figure, or the density computed from two
    met: bool
    missing: bool  # a figure the criterion needs was not given

    @property
    def indicator(self) -> Indicator:
        return self.criterion.indicator

    @property
    def per(self) -> Indicator | None:
        return self.criterion.per_indicator

    def as_dict(self) -> dict[str, Any]:
        c = self.criterion
        return {
            "indicator": c.indicator.code,
            "name": c.indicator.label,
            "unit": c.indicator.unit,
            "min": float(c.min_value),
            "per": c.per_indicator.code if c.per_indicator else None,
            "per_amount": float(c.per_amount) if c.per_amount is not None else None,
            "any_of": c.alt_group,
            "value": float(self.value) if self.value is not None else None,
            "met": self.met,
            "source": c.source,
        }


@dataclass
class Eligibility:
    """Every criterion checked; alternatives (same `alt_group`) count as met when one is."""

    checks: list[CriterionCheck] = field(default_factory=list)

    @property
    def met(self) -> bool:
        groups: dict[str, bool] = {}
        for check in self.checks:
            key = check.criterion.alt_group
            if key is None:
                if not check.met:
                    return False
            else:
                groups[key] = groups.get(key, False) or check.met
        return all(groups.values())

    @property
    def unmet_count(self) -> int:
        return sum(1 for c in self.checks if not c.met and not self._alternative_met(c))

    def _alternative_met(self, check: CriterionCheck) -> bool:
        group = check.criterion.alt_group
        return group is not None and any(
            c.met for c in self.checks if c.criterion.alt_group == group
        )

    def as_dict(self) -> dict[str, Any]:
        return {"met": self.met, "criteria": [c.as_dict() for c in self.checks]}


def criteria_for(type_id: int, level: Level) -> list[Criterion]:
    stmt = (
        select(Criterion)
        .where(Criterion.type_id == type_id, Criterion.level == level)
        .order_by(Criterion.sort_order, Criterion.id)
    )
    return list(db.session.scalars(stmt))


def check_eligibility(
    type_id: int, level: Level, figures: dict[int, Decimal | None]
) -> Eligibility:
    """Each criterion of the type and level against `figures` (indicator id → value)."""
    return Eligibility([_check(c, figures) for c in criteria_for(type_id, level)])


def _check(criterion: Criterion, figures: dict[int, Decimal | None]) -> CriterionCheck:
    value = figures.get(criterion.indicator_id)
    minimum = Decimal(criterion.min_value)
    if value is None:
        return CriterionCheck(criterion, None, met=False, missing=True)
    if criterion.per_indicator_id is None:
        return CriterionCheck(
            criterion, Decimal(value), met=Decimal(value) >= minimum, missing=False
        )
    base = figures.get(criterion.per_indicator_id)
    if base is None:
        return CriterionCheck(criterion, None, met=False, missing=True)
    if Decimal(base) <= 0:
        return CriterionCheck(criterion, None, met=False, missing=False)
    density = Decimal(value) * Decimal(criterion.per_amount) / Decimal(base)
    # compared unrounded (2.999 firms per 1,000 m² is not 3), shown to two decimals
    shown = density.quantize(Decimal("0.01"))
    return CriterionCheck(criterion, shown, met=density >= minimum, missing=False)
