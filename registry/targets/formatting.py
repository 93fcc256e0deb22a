"""Target figures as people read them: 44,304 家, 30.6% of counties, 1.25%."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from registry.targets.models import Metric


def plain_number(value: Any, digits: int = 2) -> str:
    """1234 → "1,234"; 1.2500 → "1.25"; None → "—"."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    text = f"{float(number):,.{digits}f}".rstrip("0").rstrip(".")
    return text


def figure(value: Any, metric: Metric, unit: str = "") -> str:
    """A target's value or actual with its unit (coverage shares as percentages)."""
    if value is None:
        return "—"
    if metric is Metric.coverage:
        return plain_number(Decimal(str(value)) * 100, 1) + "%"
    text = plain_number(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "‰") else f"{text} {unit}"


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.0f}%"
