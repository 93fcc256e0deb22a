"""The scoring rubric of a type (seed data): a suggested score and grade from a report's
figures. Pure functions over the rubric's rows and a report's values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from registry import db
from registry.carriers.models import CarrierType
from registry.evaluations.models import Grade, GradeBand, RubricItem

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Rubric:
    items: list[RubricItem]
    bands: list[tuple[Grade, Decimal]]  # best grade first

    @property
    def total_weight(self) -> Decimal:
        return sum((Decimal(i.weight) for i in self.items), Decimal(0))

    @property
    def measured_weight(self) -> Decimal:
        return sum((Decimal(i.weight) for i in self.items if i.indicator_id), Decimal(0))


@dataclass(frozen=True)
class ItemScore:
    item: RubricItem
    value: Decimal | None  # the figure, or the density for a per-item
    points: Decimal | None  # None for an item the reviewer judges


@dataclass(frozen=True)
class Suggestion:
    score: Decimal
    grade: Grade
    items: list[ItemScore]
    judged_weight: Decimal  # weight of the items the reviewer judges


def load_rubric(carrier_type: CarrierType) -> Rubric:
    items = list(
        db.session.scalars(
            select(RubricItem)
            .where(RubricItem.type_id == carrier_type.id)
            .order_by(RubricItem.sort_order, RubricItem.id)
        )
    )
    bands = sorted(
        (
            (b.grade, Decimal(b.min_score))
            for b in db.session.scalars(
                select(GradeBand).where(GradeBand.type_id == carrier_type.id)
            )
        ),
        key=lambda band: -band[1],
    )
    return Rubric(items, bands)


def item_value(item: RubricItem, values: Mapping[str, Decimal]) -> Decimal | None:
    """The figure an item scores: the indicator's value, or its density per `per_amount`
    units of another figure (None when a figure is missing or the divisor is zero)."""
    if item.indicator is None:
        return None
    value = values.get(item.indicator.code)
    if value is None or item.per_indicator is None:
        return value
    per = values.get(item.per_indicator.code)
    if not per:
        return None
    return value / (per / Decimal(item.per_amount))


def item_points(item: RubricItem, value: Decimal | None) -> Decimal:
    """Full weight at the target, in proportion below it, nothing without a figure."""
    if value is None:
        return Decimal(0)
    share = min(value / Decimal(item.target), Decimal(1))
    return Decimal(item.weight) * share


def grade_for(score: Decimal, bands: list[tuple[Grade, Decimal]]) -> Grade:
    for grade, minimum in bands:
        if score >= minimum:
            return grade
    return Grade.fail


def suggest(rubric: Rubric, values: Mapping[str, Decimal]) -> Suggestion | None:
    """The suggested score (0–100, one decimal) and grade; None without measured items.
    Items the reviewer judges are left out and the measured ones scaled up to 100."""
    measured = rubric.measured_weight
    if not measured:
        return None
    scores = []
    earned = Decimal(0)
    for item in rubric.items:
        if item.indicator_id is None:
            scores.append(ItemScore(item, None, None))
            continue
        value = item_value(item, values)
        points = item_points(item, value)
        earned += points
        scores.append(ItemScore(item, value, points))
    score = (earned / measured * HUNDRED).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    judged = rubric.total_weight - measured
    return Suggestion(score, grade_for(score, rubric.bands), scores, judged)
