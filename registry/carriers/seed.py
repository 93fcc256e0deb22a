"""Loading carrier types, their indicators and criteria from seeds/carrier_types.toml."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from registry import db
from registry.carriers.levels import Level
from registry.carriers.models import CarrierType, Criterion, Indicator, RecognitionKind


def read_types(path: Path) -> list[dict[str, Any]]:
    with open(path, "rb") as f:
        return tomllib.load(f)["types"]


def load_carrier_types(types: list[dict[str, Any]]) -> dict[str, int]:
    """Insert or update types, indicators and criteria by code (idempotent).

    Criteria of a seeded type are replaced by the seed's; returns counts of rows written.
    """
    counts = {"types": 0, "indicators": 0, "criteria": 0}
    for order, spec in enumerate(types, 1):
        carrier_type = db.session.scalar(
            select(CarrierType).where(CarrierType.code == spec["code"])
        )
        if carrier_type is None:
            carrier_type = CarrierType(code=spec["code"])
            db.session.add(carrier_type)
            counts["types"] += 1
        month, day = (int(x) for x in spec.get("report_due", "03-31").split("-"))
        _assign(
            carrier_type,
            name=spec["name"],
            name_en=spec["name_en"],
            kind=RecognitionKind(spec.get("kind", "recognition")),
            description=spec.get("description", "") + _basis(spec),
            sort_order=spec.get("sort_order", order),
            report_due_month=month,
            report_due_day=day,
        )
        db.session.flush()
        indicators = _load_indicators(carrier_type, spec.get("indicators", []), counts)
        _load_criteria(carrier_type, indicators, spec.get("criteria", {}), counts)
    db.session.flush()
    return counts


def _basis(spec: dict[str, Any]) -> str:
    return f"\n依据: {spec['basis']}" if spec.get("basis") else ""


def _assign(obj: Any, **values: Any) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _load_indicators(
    carrier_type: CarrierType, specs: list[dict[str, Any]], counts: dict[str, int]
) -> dict[str, Indicator]:
    existing = {
        i.code: i
        for i in db.session.scalars(select(Indicator).where(Indicator.type_id == carrier_type.id))
    }
    for order, spec in enumerate(specs, 1):
        indicator = existing.get(spec["code"])
        if indicator is None:
            indicator = Indicator(type_id=carrier_type.id, code=spec["code"])
            db.session.add(indicator)
            existing[spec["code"]] = indicator
            counts["indicators"] += 1
        _assign(
            indicator,
            name=spec["name"],
            name_en=spec["name_en"],
            unit=spec["unit"],
            value_kind=spec.get("kind", "integer"),
            is_required=spec.get("required", True),
            in_report=spec.get("in_report", True),
            in_application=spec.get("in_application", True),
            sort_order=order,
            help=spec.get("help", ""),
        )
    db.session.flush()
    return existing


def _load_criteria(
    carrier_type: CarrierType,
    indicators: dict[str, Indicator],
    by_level: dict[str, list[dict[str, Any]]],
    counts: dict[str, int],
) -> None:
    wanted = []
    for level_code, specs in by_level.items():
        level = Level.parse(level_code)
        for order, spec in enumerate(specs, 1):
            per = spec.get("per")
            wanted.append(
                (
                    level,
                    indicators[spec["indicator"]].id,
                    Decimal(str(spec["min"])),
                    indicators[per].id if per else None,
                    Decimal(str(spec["per_amount"])) if per else None,
                    spec.get("any_of"),
                    bool(spec.get("configurable", False)),
                    spec.get("source", ""),
                    order,
                )
            )
    current = list(
        db.session.scalars(select(Criterion).where(Criterion.type_id == carrier_type.id))
    )
    as_tuples = sorted(
        (
            c.level,
            c.indicator_id,
            Decimal(c.min_value).normalize(),
            c.per_indicator_id,
            Decimal(c.per_amount).normalize() if c.per_amount is not None else None,
            c.alt_group,
            c.is_configurable,
            c.source,
            c.sort_order,
        )
        for c in current
    )
    normalized = sorted(
        (w[0], w[1], w[2].normalize(), w[3], w[4].normalize() if w[4] is not None else None, *w[5:])
        for w in wanted
    )
    if as_tuples == normalized:
        return
    for criterion in current:
        db.session.delete(criterion)
    db.session.flush()
    for level, ind, minimum, per_ind, per_amount, group, configurable, source, order in wanted:
        db.session.add(
            Criterion(
                type_id=carrier_type.id,
                level=level,
                indicator_id=ind,
                min_value=minimum,
                per_indicator_id=per_ind,
                per_amount=per_amount,
                alt_group=group,
                is_configurable=configurable,
                source=source,
                sort_order=order,
            )
        )
        counts["criteria"] += 1
