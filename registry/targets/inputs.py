"""Reading plan and target payloads (JSON or form data) into checked values.

Every problem is collected and raised together as one ValidationError naming each field, so
the API answers 422 with all of them and a form shows each message at its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import db
from registry.carriers.levels import Level
from registry.carriers.models import CarrierType, Indicator
from registry.errors import ValidationError
from registry.regions.models import Region, RegionLevel
from registry.regions.service import find_region, is_within
from registry.targets.models import Metric, Plan, Target

MAX_NUMBER = Decimal("99999999999999")  # Numeric(18, 4)
PLACES = 4  # decimals a Numeric(18, 4) column keeps: more would be rounded (0.00001 to 0)
DEFAULT_UNITS = {
    Metric.count_recognized: "家",
    Metric.count_new: "家",
    Metric.coverage: "",
}


class Errors(dict):
    """Messages by field name; `check()` raises them all at once."""

    def check(self) -> None:
        if self:
            raise ValidationError(dict(self))


def text(data: Mapping[str, Any], name: str, errors: Errors, *, max_len: int, required=False):
    raw = data.get(name)
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors[name] = _("must be text")
        return ""
    value = raw.strip()
    if required and not value:
        errors[name] = _("is required")
    elif len(value) > max_len:
        errors[name] = _("must be at most %(n)d characters", n=max_len)
    return value


def date(data: Mapping[str, Any], name: str, errors: Errors, *, required=False) -> dt.date | None:
    raw = data.get(name)
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors[name] = _("is required")
        return None
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        errors[name] = _("must be a date like 2020-12-31")
        return None


def number(data: Mapping[str, Any], name: str, errors: Errors, *, required=True) -> Decimal | None:
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors[name] = _("is required")
        return None
    if isinstance(raw, bool):
        errors[name] = _("must be a number")
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        errors[name] = _("must be a number")
        return None
    if not value.is_finite():
        errors[name] = _("must be a number")
        return None
    if abs(value) > MAX_NUMBER:
        errors[name] = _("is too large")
        return None
    if value != value.quantize(Decimal(1).scaleb(-PLACES)):
        errors[name] = _("must have at most %(n)d decimal places", n=PLACES)
        return None
    return value


def region(data: Mapping[str, Any], name: str, errors: Errors, *, required=True) -> Region | None:
    raw = data.get(name)
    code = raw.strip() if isinstance(raw, str) else ""
    if not code:
        if required:
            errors[name] = _("is required")
        return None
    found = find_region(code) if code.isdigit() and len(code) == 6 else None
    if found is None:
        errors[name] = _(
            "no region has the code %(code)s (use a six-digit GB/T 2260 code)", code=code
        )
    return found


def level(data: Mapping[str, Any], name: str, errors: Errors) -> Level | None:
    raw = data.get(name)
    if raw is None or raw == "":
        return None
    try:
        return Level.parse(str(raw).strip())
    except ValueError as exc:
        errors[name] = str(exc)
        return None


def codes(raw: Any) -> list[str]:
    """A list of codes from a JSON list or a comma-separated string."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def choice(raw: Any, enum_cls, name: str, errors: Errors):
    if raw is None or raw == "":
        return None
    try:
        return enum_cls.parse(str(raw).strip())
    except ValueError as exc:
        errors[name] = str(exc)
        return None


# --- plans ------------------------------------------------------------------------------


@dataclass
class PlanValues:
    title: str
    document_no: str | None
    region: Region
    issued_on: dt.date
    period_start: dt.date | None
    period_end: dt.date | None
    text: str
    source: str


def plan_payload(plan: Plan) -> dict[str, Any]:
    """A plan as a payload (what PATCH starts from)."""
    return {
        "title": plan.title,
        "document_no": plan.document_no or "",
        "region": plan.region.code,
        "issued_on": plan.issued_on,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "text": plan.text,
        "source": plan.source,
    }


def parse_plan(data: Mapping[str, Any]) -> PlanValues:
    """Checked plan fields; raises ValidationError naming every bad field."""
    errors = Errors()
    values = {
        "title": text(data, "title", errors, max_len=300, required=True),
        "document_no": text(data, "document_no", errors, max_len=100) or None,
        "region": region(data, "region", errors),
        "issued_on": date(data, "issued_on", errors, required=True),
        "period_start": date(data, "period_start", errors),
        "period_end": date(data, "period_end", errors),
        "text": text(data, "text", errors, max_len=200_000),
        "source": text(data, "source", errors, max_len=500),
    }
    start, end = values["period_start"], values["period_end"]
    if start and end and end < start:
        errors["period_end"] = _("must not be before period_start")
    errors.check()
    return PlanValues(**values)


# --- targets ----------------------------------------------------------------------------


@dataclass
class TargetValues:
    phrase: str
    metric: Metric
    region: Region
    types: list[CarrierType]
    min_level: Level
    max_level: Level | None
    period_start: dt.date
    deadline: dt.date
    value: Decimal
    unit: str
    indicator: str | None
    subregion_level: RegionLevel | None
    note: str


def target_payload(target: Target) -> dict[str, Any]:
    """A target as a payload (what PATCH starts from)."""
    return {
        "phrase": target.phrase,
        "metric": target.metric.value,
        "region": target.region.code,
        "types": target.type_codes,
        "min_level": target.min_level.code,
        "max_level": target.max_level.code if target.max_level else None,
        "period_start": target.period_start,
        "deadline": target.deadline,
        "value": target.value,
        "unit": target.unit,
        "indicator": target.indicator,
        "subregion_level": target.subregion_level.value if target.subregion_level else None,
        "note": target.note,
    }


def parse_target(data: Mapping[str, Any], plan: Plan) -> TargetValues:
    """Checked target fields for `plan`; raises ValidationError naming every bad field.

    Missing region, period_start and deadline default to the plan's; fields a metric does
    not use (types for manual, indicator, subregion level) are dropped.
    """
    errors = Errors()
    metric = choice(data.get("metric"), Metric, "metric", errors)
    if metric is None and "metric" not in errors:
        errors["metric"] = _("is required")
    where = _target_region(data, plan, errors)
    types = _types(data, metric, errors)
    min_level = level(data, "min_level", errors) or Level.county
    max_level = level(data, "max_level", errors)
    if max_level is not None and max_level < min_level:
        errors["max_level"] = _("must not be below min_level")
    start, deadline = _period(data, plan, errors)
    value = _value(data, metric, errors)
    values = TargetValues(
        phrase=text(data, "phrase", errors, max_len=2000, required=True),
        metric=metric or Metric.manual,
        region=where or plan.region,
        types=[] if metric is Metric.manual else types,
        min_level=min_level,
        max_level=max_level,
        period_start=start or dt.date.min,
        deadline=deadline or dt.date.min,
        value=value or Decimal(0),
        unit=text(data, "unit", errors, max_len=16),
        indicator=_indicator(data, metric, types, errors),
        subregion_level=_subregion_level(data, metric, where, errors),
        note=text(data, "note", errors, max_len=4000),
    )
    errors.check()
    if not values.unit:
        values.unit = _default_unit(values)
    return values


def _target_region(data: Mapping[str, Any], plan: Plan, errors: Errors) -> Region | None:
    if not data.get("region"):
        return plan.region
    where = region(data, "region", errors)
    if where is not None and not is_within(where, plan.region):
        errors["region"] = _(
            "must lie within the plan's region (%(region)s)", region=plan.region.name
        )
    return where


def _types(data: Mapping[str, Any], metric: Metric | None, errors: Errors) -> list[CarrierType]:
    wanted = codes(data.get("types"))
    known = {t.code: t for t in db.session.scalars(select(CarrierType))}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        errors["types"] = _(
            "unknown carrier type: %(codes)s (known: %(known)s)",
            codes=", ".join(unknown),
            known=", ".join(sorted(known)),
        )
        return []
    if metric is not None and metric.counts_carriers and not wanted:
        errors["types"] = _("choose at least one carrier type")
    return [known[c] for c in dict.fromkeys(wanted)]


def _period(data: Mapping[str, Any], plan: Plan, errors: Errors):
    start = date(data, "period_start", errors)
    deadline = date(data, "deadline", errors)
    if start is None and "period_start" not in errors:
        start = plan.period_start or plan.issued_on
    if deadline is None and "deadline" not in errors:
        deadline = plan.period_end
        if deadline is None:
            errors["deadline"] = _("is required (the plan has no period end)")
    if start and deadline and deadline < start:
        errors["deadline"] = _("must not be before period_start (%(day)s)", day=start.isoformat())
    return start, deadline


def _value(data: Mapping[str, Any], metric: Metric | None, errors: Errors) -> Decimal | None:
    value = number(data, "value", errors)
    if value is None:
        return None
    if value <= 0:
        errors["value"] = _("must be greater than 0")
    elif metric is Metric.coverage and value > 1:
        errors["value"] = _("a coverage target is a share from 0 to 1 (1 = every subregion)")
    return value


def _indicator(
    data: Mapping[str, Any], metric: Metric | None, types: list[CarrierType], errors: Errors
) -> str | None:
    if metric is not Metric.sum_indicator:
        return None
    code = data.get("indicator")
    code = code.strip() if isinstance(code, str) else ""
    if not code:
        errors["indicator"] = _("is required for the sum_indicator metric")
        return None
    if not types:
        return code
    type_ids = [t.id for t in types]
    known = set(
        db.session.scalars(
            select(Indicator.code).where(Indicator.type_id.in_(type_ids), Indicator.in_report)
        )
    )
    if code not in known:
        errors["indicator"] = _(
            "no reported indicator of the chosen types has the code %(code)s (known: %(known)s)",
            code=code,
            known=", ".join(sorted(known)),
        )
    return code


def _subregion_level(
    data: Mapping[str, Any], metric: Metric | None, where: Region | None, errors: Errors
) -> RegionLevel | None:
    if metric is not Metric.coverage:
        return None
    found = choice(data.get("subregion_level"), RegionLevel, "subregion_level", errors)
    if found is None and "subregion_level" not in errors:
        errors["subregion_level"] = _("is required for the coverage metric")
    elif found is not None and where is not None and found.depth <= where.depth:
        errors["subregion_level"] = _(
            "must lie below the target's region (a %(level)s)", level=where.level.label
        )
    return found


def _default_unit(values: TargetValues) -> str:
    if values.metric is Metric.sum_indicator and values.types:
        unit = db.session.scalar(
            select(Indicator.unit).where(
                Indicator.code == values.indicator,
                Indicator.type_id.in_([t.id for t in values.types]),
            )
        )
        return unit or ""
    return DEFAULT_UNITS.get(values.metric, "")


# --- manual values ----------------------------------------------------------------------


def parse_manual_value(data: Mapping[str, Any], today: dt.date) -> tuple[dt.date, Decimal, str]:
    """(recorded_on, value, note) of a figure entered for a manual target."""
    errors = Errors()
    recorded_on = date(data, "recorded_on", errors, required=True)
    if recorded_on is not None and recorded_on > today:
        errors["recorded_on"] = _("must not be in the future")
    value = number(data, "value", errors)
    if value is not None and value < 0:
        errors["value"] = _("must not be negative")
    note = text(data, "note", errors, max_len=1000)
    errors.check()
    assert recorded_on is not None and value is not None
    return recorded_on, value, note
