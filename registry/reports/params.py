"""Query arguments the report and grading pages and the API share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask_babel import gettext as _

from registry.errors import ValidationError
from registry.reports.deadlines import reporting_year

FIRST_YEAR = 1980  # no carrier reported before the programmes began


def year_arg(args: Mapping[str, str], today: dt.date, name: str = "year") -> int:
    """The report year asked for (by default the year being reported now); a year that is
    not a number, or outside FIRST_YEAR up to this year, is an error naming the field."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return reporting_year(today)
    if not raw.isdecimal() or not FIRST_YEAR <= int(raw) <= today.year:
        raise ValidationError(
            {
                name: _(
                    "must be a year from %(first)d to %(year)d", first=FIRST_YEAR, year=today.year
                )
            }
        )
    return int(raw)
