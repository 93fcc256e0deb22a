"""Factories for annual reports and grades (hand-made data for the reports and evaluations
tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from registry import db
from registry.carriers.models import Carrier, Indicator
from registry.reports.models import AnnualReport, ReportFigure, ReportStatus

# A complete, consistent incubator report.
INCUBATOR = {
    "incubation_area": 10000,
    "incubated_area_used": 8000,
    "incubated_firms": 60,
    "graduated_firms_year": 8,
    "graduated_firms_total": 30,
    "incubated_employees": 900,
    "graduate_hires": 50,
    "financed_firms": 9,
    "financing_amount": 30000,
    "fund_total": 6000,
    "staff": 20,
    "professional_staff": 15,
    "mentors": 12,
    "valid_ip": 90,
    "invention_patents": 20,
    "total_income": 9000.5,
}


def utc(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), dt.UTC)


def report(
    carrier: Carrier,
    year: int,
    figures: dict | None = None,
    *,
    status: str = "accepted",
    submitted_at: dt.datetime | None = None,
) -> AnnualReport:
    """A report written directly (no service): status, figures by indicator code."""
    state = ReportStatus(status)
    filed = state != ReportStatus.draft
    row = AnnualReport(
        carrier_id=carrier.id,
        year=year,
        status=state,
        submitted_at=(submitted_at or utc(f"{year + 1}-02-01")) if filed else None,
        decided_at=utc(f"{year + 1}-03-01")
        if state in (ReportStatus.accepted, ReportStatus.returned)
        else None,
    )
    indicators = {
        i.code: i
        for i in db.session.scalars(select(Indicator).where(Indicator.type_id == carrier.type_id))
    }
    for code, value in (INCUBATOR if figures is None else figures).items():
        row.figures.append(ReportFigure(indicator=indicators[code], value=Decimal(str(value))))
    db.session.add(row)
    db.session.flush()
    return row
