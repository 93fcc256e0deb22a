"""Plans, targets and progress as JSON-ready dicts (the API's shapes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from registry.targets.models import Plan, Target
from registry.targets.progress import Progress, RegionActual


def number(value: Any) -> int | float | None:
    """A JSON number: integers stay integers, other values become floats."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return round(float(value), 6)


def _day(value) -> str | None:
    return value.isoformat() if value else None


def target_dict(target: Target, progress: Progress | None = None) -> dict[str, Any]:
    body = {
        "id": target.id,
        "plan_id": target.plan_id,
        "phrase": target.phrase,
        "metric": target.metric.value,
        "region": {"code": target.region.code, "name": target.region.name},
        "types": target.type_codes,
        "min_level": target.min_level.code,
        "max_level": target.max_level.code if target.max_level else None,
        "period_start": _day(target.period_start),
        "deadline": _day(target.deadline),
        "value": number(target.value),
        "unit": target.unit,
        "indicator": target.indicator,
        "subregion_level": target.subregion_level.value if target.subregion_level else None,
        "note": target.note,
    }
    if progress is not None:
        body["progress"] = progress_dict(progress)
    return body


def _breakdown_row(row: RegionActual) -> dict[str, Any]:
    body: dict[str, Any] = {
        "region": {"code": row.code, "name": row.name},
        "actual": number(row.actual),
    }
    if row.is_region_itself:
        body["unplaced"] = True
    if row.subregions is not None:
        body["covered"], body["subregions"] = row.covered, row.subregions
    return body


def progress_dict(p: Progress) -> dict[str, Any]:
    body: dict[str, Any] = {
        "as_of": p.as_of.isoformat(),
        "region": {"code": p.region_code, "name": p.region_name},
        "actual": number(p.actual),
        "value": number(p.value),
        "ratio": number(p.ratio),
        "expected_by_now": number(p.expected_by_now),
        "baseline": number(p.baseline),
        "status": p.status.value if p.status else None,
        "breakdown": [_breakdown_row(row) for row in p.breakdown],
    }
    if p.subregions is not None:
        body["covered"], body["subregions"] = p.covered, p.subregions
    return body


def plan_dict(
    plan: Plan, targets: list[dict[str, Any]] | None = None, with_text: bool = False
) -> dict[str, Any]:
    body = {
        "id": plan.id,
        "title": plan.title,
        "document_no": plan.document_no,
        "region": {"code": plan.region.code, "name": plan.region.name},
        "issued_on": _day(plan.issued_on),
        "period_start": _day(plan.period_start),
        "period_end": _day(plan.period_end),
        "source": plan.source,
        "targets": targets if targets is not None else [target_dict(t) for t in plan.targets],
    }
    if with_text:
        body["text"] = plan.text
    return body
