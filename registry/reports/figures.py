"""A report's figures: parsing what a carrier typed or sent, and the type's checks between
figures (seed data). Errors name the field as `figures.<indicator code>`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import db
from registry.carriers.models import CarrierType, Indicator
from registry.reports.models import FigureCheck

MAX_VALUE = Decimal("9999999999999999")  # NUMERIC(18, 2)
TWO_PLACES = Decimal("0.01")


def field_name(code: str) -> str:
    return f"figures.{code}"


def report_indicators(carrier_type: CarrierType) -> list[Indicator]:
    """The indicators a report of this type holds, in the form's order."""
    return [i for i in carrier_type.indicators if i.in_report]


def parse_figures(
    carrier_type: CarrierType, raw: Mapping[str, Any]
) -> tuple[dict[str, Decimal], dict[str, str]]:
    """The given figures as {code: Decimal} (empty ones left out), and the errors by field."""
    indicators = {i.code: i for i in report_indicators(carrier_type)}
    values: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for code, value in raw.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors[field_name(code)] = _("is not a figure of this type's report")
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        number, problem = _number(value, indicator)
        if problem:
            errors[field_name(code)] = problem
        else:
            values[code] = number
    return values, errors


def _number(value: Any, indicator: Indicator) -> tuple[Decimal, str | None]:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return Decimal(0), _("must be a number")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return Decimal(0), _("must be a number")
    if not number.is_finite():
        return Decimal(0), _("must be a number")
    if number < 0:
        return number, _("must not be negative")
    if number > MAX_VALUE:
        return number, _("is too large")
    if indicator.value_kind == "integer" and number != number.to_integral_value():
        return number, _("must be a whole number")
    if number != number.quantize(TWO_PLACES):
        return number, _("must have at most two decimal places")
    return number, None


def checks_for(carrier_type: CarrierType) -> list[FigureCheck]:
    stmt = (
        select(FigureCheck)
        .where(FigureCheck.type_id == carrier_type.id)
        .order_by(FigureCheck.sort_order, FigureCheck.id)
    )
    return list(db.session.scalars(stmt))


def consistency_errors(carrier_type: CarrierType, values: Mapping[str, Decimal]) -> dict[str, str]:
    """Checks between figures that the given values break (checks whose figures are not all
    given are skipped until they are)."""
    errors: dict[str, str] = {}
    for check in checks_for(carrier_type):
        left = values.get(check.indicator.code)
        bound = values.get(check.bound.code)
        extra = values.get(check.bound2.code) if check.bound2 is not None else Decimal(0)
        if left is None or bound is None or extra is None:
            continue
        if left > bound + extra:
            errors.setdefault(
                field_name(check.indicator.code), _bound_message(check, bound + extra)
            )
    return errors


def _bound_message(check: FigureCheck, limit: Decimal) -> str:
    names = check.bound.label
    if check.bound2 is not None:
        names = f"{names} + {check.bound2.label}"
    return _(
        "must not exceed %(names)s (%(limit)s %(unit)s)",
        names=names,
        limit=format_value(limit),
        unit=check.bound.unit,
    )


def missing_required(carrier_type: CarrierType, values: Mapping[str, Decimal]) -> dict[str, str]:
    """Required figures not given (checked when the report is submitted)."""
    return {
        field_name(i.code): _("is required to submit the report")
        for i in report_indicators(carrier_type)
        if i.is_required and i.code not in values
    }


def format_value(value: Decimal | None) -> str:
    """A figure as people write it: no trailing zeros, no exponent."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def as_number(value: Decimal) -> int | float:
    """A figure for JSON: an integer when whole."""
    return int(value) if value == value.to_integral_value() else float(value)
