"""Demo data of annual reports: a demo organisation has a report to file."""

from __future__ import annotations

import random

from sqlalchemy import delete, select

from registry import db
from registry.accounts.models import User
from registry.carriers.levels import Level
from registry.carriers.models import Carrier
from registry.reports.models import AnnualReport, ReportFigure


def demo_report_due(_rng: random.Random, result) -> None:
    """carrier1's first recognised carrier (below national level) has not filed its latest
    report: its owner sees it due, the bureaus over it see it missing."""
    from registry.demo import DEMO_TODAY, REPORT_YEARS

    owner = db.session.scalar(select(User).where(User.email == "carrier1@registry.example"))
    if owner is None:
        return
    for carrier in db.session.scalars(
        select(Carrier).where(Carrier.owner_id == owner.id).order_by(Carrier.id)
    ):
        active = [r for r in carrier.recognitions if r.is_active_on(DEMO_TODAY)]
        if active and max(r.level for r in active) < Level.national:
            year = REPORT_YEARS[-1]
            report_ids = select(AnnualReport.id).where(
                AnnualReport.carrier_id == carrier.id, AnnualReport.year == year
            )
            figures = db.session.execute(
                delete(ReportFigure).where(ReportFigure.report_id.in_(report_ids))
            )
            reports = db.session.execute(
                delete(AnnualReport).where(
                    AnnualReport.carrier_id == carrier.id, AnnualReport.year == year
                )
            )
            result.figures -= figures.rowcount
            result.reports -= reports.rowcount
            result.extras.append(f"demo: {carrier.name} has not filed its {year} report")
            return
