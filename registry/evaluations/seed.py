"""Loading the scoring rubrics, grade bands and revocation rules from seeds/evaluation.toml."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from registry import db
from registry.carriers.models import CarrierType, Indicator
from registry.evaluations.models import Grade, GradeBand, RevocationRule, RubricItem, RuleKind


def read_evaluation_seed(path: Path) -> dict[str, Any]:
    with open(path, "rb") as f:
        return tomllib.load(f)


def load_evaluation_seed(data: dict[str, Any]) -> dict[str, int]:
    """Replace each named type's rubric, bands and rules by the seed's when they differ
    (idempotent); returns counts of rows written. Raises KeyError for an unknown code."""
    types = {t.code: t for t in db.session.scalars(select(CarrierType))}
    counts = {"rubric items": 0, "grade bands": 0, "rules": 0}
    for spec in data.get("rubrics", []):
        carrier_type = types[spec["type"]]
        counts["rubric items"] += _load_items(carrier_type, spec.get("items", []))
        counts["grade bands"] += _load_bands(carrier_type, spec.get("bands", {}))
    rules: dict[str, list[dict[str, Any]]] = {}
    for spec in data.get("rules", []):
        rules.setdefault(spec["type"], []).append(spec)
    for code, specs in rules.items():
        counts["rules"] += _load_rules(types[code], specs)
    db.session.flush()
    return counts


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).normalize()


def _replace(model: type, type_id: int, have: list, wanted: list, make) -> int:
    if sorted(have, key=repr) == sorted(wanted, key=repr):
        return 0
    db.session.execute(delete(model).where(model.type_id == type_id))
    db.session.flush()
    for row in wanted:
        db.session.add(make(row))
    db.session.flush()
    return len(wanted)


def _load_items(carrier_type: CarrierType, specs: list[dict[str, Any]]) -> int:
    ids = {
        i.code: i.id
        for i in db.session.scalars(select(Indicator).where(Indicator.type_id == carrier_type.id))
    }
    wanted = [
        (
            s["code"],
            s["section"],
            s.get("section_en", ""),
            ids[s["indicator"]] if s.get("indicator") else None,
            ids[s["per"]] if s.get("per") else None,
            _dec(s.get("per_amount")),
            _dec(s.get("target")),
            _dec(s["weight"]),
            order,
        )
        for order, s in enumerate(specs, 1)
    ]
    current = db.session.scalars(
        select(RubricItem).where(RubricItem.type_id == carrier_type.id)
    ).all()
    have = [
        (
            i.code,
            i.section,
            i.section_en,
            i.indicator_id,
            i.per_indicator_id,
            _dec(i.per_amount),
            _dec(i.target),
            _dec(i.weight),
            i.sort_order,
        )
        for i in current
    ]

    def make(row: tuple) -> RubricItem:
        code, section, section_en, ind, per, per_amount, target, weight, order = row
        return RubricItem(
            type_id=carrier_type.id,
            code=code,
            section=section,
            section_en=section_en,
            indicator_id=ind,
            per_indicator_id=per,
            per_amount=per_amount,
            target=target,
            weight=weight,
            sort_order=order,
        )

    return _replace(RubricItem, carrier_type.id, have, wanted, make)


def _load_bands(carrier_type: CarrierType, bands: dict[str, Any]) -> int:
    wanted = [(Grade(g).value, _dec(v)) for g, v in bands.items()]
    current = db.session.scalars(
        select(GradeBand).where(GradeBand.type_id == carrier_type.id)
    ).all()
    have = [(b.grade.value, _dec(b.min_score)) for b in current]
    return _replace(
        GradeBand,
        carrier_type.id,
        have,
        wanted,
        lambda row: GradeBand(type_id=carrier_type.id, grade=Grade(row[0]), min_score=row[1]),
    )


def _load_rules(carrier_type: CarrierType, specs: list[dict[str, Any]]) -> int:
    wanted = [
        (
            RuleKind(s["kind"]).value,
            int(s.get("years", 2)),
            s.get("first_year"),
            bool(s.get("active", True)),
            s.get("source", ""),
        )
        for s in specs
    ]
    current = db.session.scalars(
        select(RevocationRule).where(RevocationRule.type_id == carrier_type.id)
    ).all()
    have = [(r.kind.value, r.years, r.first_year, r.is_active, r.source) for r in current]

    def make(row: tuple) -> RevocationRule:
        kind, years, first_year, active, source = row
        return RevocationRule(
            type_id=carrier_type.id,
            kind=RuleKind(kind),
            years=years,
            first_year=first_year,
            is_active=active,
            source=source,
        )

    return _replace(RevocationRule, carrier_type.id, have, wanted, make)
