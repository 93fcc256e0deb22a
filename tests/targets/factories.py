"""Plans, targets and annual reports made by hand for the targets tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from registry import db
from registry.carriers.models import Carrier, Indicator
from registry.reports.models import AnnualReport, ReportFigure, ReportStatus
from registry.targets import service
from registry.targets.models import Plan, Target

_seq = iter(range(1, 1_000_000))


def make_plan(region_code: str = "511400", **fields) -> Plan:
    data = {
        "title": f"测试规划{next(_seq)}",
        "region": region_code,
        "issued_on": "2017-01-01",
        "period_start": "2017-01-01",
        "period_end": "2020-12-31",
        **fields,
    }
    return service.create_plan(data)


def make_target(plan: Plan, **fields) -> Target:
    data = {
        "phrase": "测试目标",
        "metric": "count_recognized",
        "types": ["incubator"],
        "value": 10,
        **fields,
    }
    return service.create_target(plan, data)


def report(
    carrier: Carrier,
    year: int,
    figures: dict[str, float],
    status: str = "accepted",
    submitted_on: dt.date | None = None,
) -> AnnualReport:
    """An annual report with its figures (status and submission day as given)."""
    status_enum = ReportStatus(status)
    submitted = submitted_on or dt.date(year + 1, 2, 1)
    at = dt.datetime.combine(submitted, dt.time(10), tzinfo=dt.UTC)
    row = AnnualReport(
        carrier_id=carrier.id,
        year=year,
        status=status_enum,
        submitted_at=None if status_enum is ReportStatus.draft else at,
    )
    indicators = {
        i.code: i
        for i in db.session.scalars(select(Indicator).where(Indicator.type_id == carrier.type_id))
    }
    row.figures = [
        ReportFigure(indicator_id=indicators[code].id, value=Decimal(str(value)))
        for code, value in figures.items()
    ]
    db.session.add(row)
    db.session.flush()
    return row
