"""Workspace panels of annual reports: reports to review and reports not filed (bureaus),
reports due (carrier organisations)."""

from __future__ import annotations

import datetime as dt

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.accounts.models import User
from registry.dashboard.panels import (
    OWNER_PANELS,
    PANEL_ROWS,
    REGION_PANELS,
    Panel,
    PanelItem,
)
from registry.regions.models import Region
from registry.reports.deadlines import reporting_year
from registry.reports.queries import owner_reports_due, reports_to_review, year_counts, year_rows


def _fmt(day: dt.date) -> str:
    from registry.web import _fmt_date

    return _fmt_date(day)


def reports_to_review_panel(_user: User, region: Region) -> Panel:
    rows, total = reports_to_review(region, PANEL_ROWS)
    items = [
        PanelItem(
            title=carrier.name,
            url=url_for("reports.show_report", carrier_id=carrier.id, year=report.year),
            meta=_(
                "%(year)d report, submitted %(day)s",
                year=report.year,
                day=_fmt(report.submitted_at.date()),
            ),
        )
        for report, carrier in rows
    ]
    return Panel(
        key="reports_to_review",
        title=_l("Reports to review"),
        description=_l("Annual reports submitted by carriers in your region, oldest first."),
        count=total,
        items=items,
        # the list of the oldest year still waiting: that is where the backlog starts
        more_url=url_for(
            "reports.review_reports",
            region=region.code,
            which="submitted",
            year=rows[0][0].year if rows else None,
        ),
        tone="info",
    )


def missing_reports_panel(_user: User, region: Region) -> Panel:
    today = dt.date.today()
    year = reporting_year(today)
    counts = year_counts(region, year, today)
    rows, _n = year_rows(
        region, year, "missing", page=1, per_page=PANEL_ROWS, today=today, count=False
    )
    overdue = any(today > r.due for r in rows)
    return Panel(
        key="missing_reports",
        title=_("%(year)d reports not filed", year=year),
        description=_l("Recognised carriers that have not submitted the year's report."),
        count=counts.missing,
        items=[
            PanelItem(
                title=r.name,
                url=url_for("reports.show_report", carrier_id=r.carrier_id, year=year),
                meta=f"{r.type_label} · {r.region_name}",
                badges=[(_("Overdue"), "danger")] if today > r.due else [],
            )
            for r in rows
        ],
        more_url=url_for("reports.review_reports", region=region.code, which="missing", year=year),
        tone="danger" if overdue else "warning",
    )


def reports_due_panel(user: User) -> Panel | None:
    today = dt.date.today()
    due = owner_reports_due(user.id, today)
    items = []
    for d in due:
        badges = [(_("Overdue"), "danger")] if d.overdue(today) and d.status is None else []
        if d.status is not None:
            badges.append((d.status.label, d.status.badge))
        items.append(
            PanelItem(
                title=d.carrier.name,
                url=url_for("reports.show_report", carrier_id=d.carrier.id, year=d.year),
                meta=_("%(year)d report, due %(day)s", year=d.year, day=_fmt(d.due)),
                badges=badges,
            )
        )
    return Panel(
        key="reports_due",
        title=_l("Annual reports due"),
        description=_(
            "Reports for %(year)d are due by the date shown; returned ones need changes.",
            year=reporting_year(today),
        ),
        count=len(items),
        items=items[:PANEL_ROWS],
        tone="danger" if any(d.overdue(today) for d in due) else "warning",
    )


REGION_PANELS.extend([reports_to_review_panel, missing_reports_panel])
OWNER_PANELS.append(reports_due_panel)
