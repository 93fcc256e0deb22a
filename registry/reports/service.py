"""Annual reports' rules: who files which year, saving figures, and the state machine
draft → submitted → accepted | returned (returned ones are edited and submitted again)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from registry import audit, db
from registry.accounts.models import User
from registry.carriers.models import Carrier, Recognition
from registry.db import utcnow
from registry.errors import Conflict, NotFound, ValidationError
from registry.reports import figures as figs
from registry.reports.models import (
    AnnualReport,
    ReportAction,
    ReportEvent,
    ReportFigure,
    ReportStatus,
)

# The state machine: (status, action) -> new status. Nothing else moves a report.
TRANSITIONS: dict[tuple[ReportStatus, ReportAction], ReportStatus] = {
    (ReportStatus.draft, ReportAction.submit): ReportStatus.submitted,
    (ReportStatus.returned, ReportAction.submit): ReportStatus.submitted,
    (ReportStatus.submitted, ReportAction.accept): ReportStatus.accepted,
    (ReportStatus.submitted, ReportAction.return_): ReportStatus.returned,
}
EDITABLE = (ReportStatus.draft, ReportStatus.returned)
BUREAU_ACTIONS = (ReportAction.accept, ReportAction.return_)


def get_report(carrier: Carrier, year: int) -> AnnualReport | None:
    stmt = select(AnnualReport).where(
        AnnualReport.carrier_id == carrier.id, AnnualReport.year == year
    )
    return db.session.scalar(stmt)


def require_report(carrier: Carrier, year: int) -> AnnualReport:
    """The carrier's report for `year`; raises NotFound."""
    report = get_report(carrier, year)
    if report is None:
        raise NotFound(_("%(name)s has no report for %(year)d.", name=carrier.name, year=year))
    return report


def first_report_year(carrier: Carrier) -> int | None:
    """The first year the carrier reports: the year of its first recognition."""
    first = db.session.scalar(
        select(Recognition.recognized_on)
        .where(Recognition.carrier_id == carrier.id)
        .order_by(Recognition.recognized_on)
        .limit(1)
    )
    return first.year if first else None


def year_problem(carrier: Carrier, year: int, today: dt.date) -> str | None:
    """Why `carrier` cannot have a report (or a grade) for `year`, or None."""
    if year > today.year:
        return _("must not be a future year")
    first = first_report_year(carrier)
    if first is None:
        return _("the carrier has not been recognised yet")
    if year < first:
        return _("must not be before the carrier's first recognition (%(year)d)", year=first)
    return None


def figure_values(report: AnnualReport) -> dict[str, Decimal]:
    """{indicator code: value} of a report."""
    return {f.indicator.code: Decimal(f.value) for f in report.figures}


@dataclass
class SaveResult:
    report: AnnualReport
    created: bool


def save_report(
    carrier: Carrier,
    year: int,
    raw_figures: Any,
    *,
    actor: User,
    submit: bool = False,
    today: dt.date | None = None,
) -> SaveResult:
    """Save a draft's figures (all of them: figures left out are cleared), and submit it
    when `submit`. Raises ValidationError for a bad year or bad figures (each named
    `figures.<code>`), Conflict when the report is submitted or accepted already."""
    today = today or dt.date.today()
    if not isinstance(raw_figures, Mapping):
        raise ValidationError({"figures": _("must be an object of indicator codes and numbers")})
    problem = year_problem(carrier, year, today)
    if problem:
        raise ValidationError({"year": problem})
    report = get_report(carrier, year)
    if report is not None and report.status not in EDITABLE:
        raise Conflict(
            _(
                "The %(year)d report is %(status)s: it can no longer be changed.",
                year=year,
                status=report.status.label,
            )
        )
    values = _checked_values(carrier, raw_figures)
    created = report is None
    if report is None:
        report = AnnualReport(carrier_id=carrier.id, year=year, status=ReportStatus.draft)
        db.session.add(report)
        db.session.flush()
    _replace_figures(report, carrier, values)
    audit.record(
        "report.save",
        "annual_report",
        report.id,
        actor_id=actor.id,
        carrier_id=carrier.id,
        year=year,
        figures={k: figs.format_value(v) for k, v in values.items()},
    )
    if submit:
        apply_report_action(report, ReportAction.submit, actor=actor)
    return SaveResult(report, created)


def _checked_values(carrier: Carrier, raw: Mapping[str, Any]) -> dict[str, Decimal]:
    carrier_type = carrier.carrier_type
    values, errors = figs.parse_figures(carrier_type, raw)
    if not errors:
        errors = figs.consistency_errors(carrier_type, values)
    if errors:
        raise ValidationError(errors)
    return values


def _replace_figures(report: AnnualReport, carrier: Carrier, values: dict[str, Decimal]) -> None:
    indicators = {i.code: i for i in figs.report_indicators(carrier.carrier_type)}
    existing = {f.indicator.code: f for f in report.figures}
    for code, figure in existing.items():
        if code not in values:
            report.figures.remove(figure)
    for code, value in values.items():
        if code in existing:
            existing[code].value = value
        else:
            report.figures.append(ReportFigure(indicator=indicators[code], value=value))
    report.updated_at = utcnow()
    db.session.flush()


def parse_action(value: Any) -> ReportAction:
    """The action named `value`; raises ValidationError naming the allowed ones."""
    try:
        return ReportAction(value)
    except ValueError:
        raise ValidationError(
            {"action": _("must be one of %(values)s", values=", ".join(ReportAction.values()))}
        ) from None


def apply_report_action(
    report: AnnualReport, action: ReportAction, *, actor: User, comment: str = ""
) -> AnnualReport:
    """Move a report by one action of TRANSITIONS and keep the event.

    Raises Conflict when the action does not apply to the report's status (or another user
    changed it meanwhile), ValidationError for missing required figures on submit or a
    missing comment on return."""
    comment = (comment or "").strip()
    target = TRANSITIONS.get((report.status, action))
    if target is None:
        raise Conflict(
            _(
                "The action %(action)s is not possible for a report that is %(status)s.",
                action=action.value,
                status=report.status.label,
            )
        )
    _guard(report, action, comment)
    before = report.status
    _move(report, before, target, _changes(report, action, actor, comment))
    db.session.add(
        ReportEvent(
            report_id=report.id,
            action=action,
            from_status=before,
            to_status=target,
            actor_id=actor.id,
            comment=comment,
        )
    )
    audit.record(
        f"report.{action.value}",
        "annual_report",
        report.id,
        actor_id=actor.id,
        carrier_id=report.carrier_id,
        year=report.year,
        comment=comment,
    )
    db.session.flush()
    if action in BUREAU_ACTIONS:
        _notify_owner(report, action, comment)
    return report


def _guard(report: AnnualReport, action: ReportAction, comment: str) -> None:
    if action == ReportAction.submit:
        carrier_type = report.carrier.carrier_type
        values = figure_values(report)
        errors = figs.missing_required(carrier_type, values) or figs.consistency_errors(
            carrier_type, values
        )
        if errors:
            raise ValidationError(errors)
    if action == ReportAction.return_ and not comment:
        raise ValidationError({"comment": _("say what the carrier must change")})


def _changes(report: AnnualReport, action: ReportAction, actor: User, comment: str) -> dict:
    now = utcnow()
    if action == ReportAction.submit:
        # the first submission counts for lateness; a returned report keeps it
        return {
            "submitted_at": report.submitted_at or now,
            "submitted_by_id": report.submitted_by_id or actor.id,
            "decided_at": None,
            "decided_by_id": None,
        }
    return {"decided_at": now, "decided_by_id": actor.id, "comment": comment}


def _move(report: AnnualReport, before: ReportStatus, target: ReportStatus, values: dict) -> None:
    """Change the row only if it is still in `before`: of two bureaus acting at once, one
    succeeds and the other gets a Conflict."""
    db.session.flush()
    result = db.session.execute(
        update(AnnualReport)
        .where(AnnualReport.id == report.id, AnnualReport.status == before)
        .values(status=target, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("Someone else changed this report meanwhile: reload it."))
    db.session.refresh(report)


def _notify_owner(report: AnnualReport, action: ReportAction, comment: str) -> None:
    owner = db.session.get(User, report.carrier.owner_id) if report.carrier.owner_id else None
    if owner is None or not owner.is_active:
        return
    from registry.notifications.service import queue_templated
    from registry.web import external_url

    subject = (
        _("Your %(year)d annual report was accepted", year=report.year)
        if action == ReportAction.accept
        else _("Your %(year)d annual report was returned for changes", year=report.year)
    )
    queue_templated(
        owner.email,
        kind="report_decided",
        subject=subject,
        user_id=owner.id,
        user=owner,
        report=report,
        accepted=action == ReportAction.accept,
        comment=comment,
        link=external_url("reports.show_report", carrier_id=report.carrier_id, year=report.year),
    )
