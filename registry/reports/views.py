"""Report pages: a carrier's reports (owner and bureaus), one report (fill in, submit,
accept or return), and a bureau's reports of a year."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import db, policy
from registry.accounts.auth import current_user
from registry.api import page_args
from registry.carriers.service import get_carrier, list_carrier_types
from registry.errors import NotFound, ValidationError
from registry.forms import apply_errors
from registry.regions.models import Region
from registry.regions.service import find_region
from registry.reports import panels  # noqa: F401  (the workspace panels)
from registry.reports.deadlines import due_date, is_late, reporting_year
from registry.reports.figures import report_indicators
from registry.reports.forms import DecisionForm, figure_aliases, figures_of, report_form
from registry.reports.models import ReportStatus
from registry.reports.params import year_arg
from registry.reports.queries import YEAR_FILTERS, report_history, year_counts, year_rows
from registry.reports.service import (
    EDITABLE,
    apply_report_action,
    figure_values,
    get_report,
    parse_action,
    require_report,
    save_report,
    year_problem,
)

bp = Blueprint("reports", __name__)

FILTER_LABELS = {
    "all": _l("All"),
    "missing": _l("Not filed"),
    "submitted": _l("Awaiting review"),
    "late": _l("Filed late"),
    "accepted": _l("Accepted"),
    "returned": _l("Returned"),
}


def _carrier_for(user, carrier_id: int):
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(policy.can_view_reports(user, carrier))
    return carrier


@bp.get("/carriers/<int:carrier_id>/reports")
def carrier_reports(carrier_id: int):
    user = policy.require_signed_in(current_user())
    carrier = _carrier_for(user, carrier_id)
    return render_template(
        "reports/carrier_reports.html",
        carrier=carrier,
        history=report_history(carrier, limit=None),
        may_file=policy.can_file_report(user, carrier),
        may_grade=policy.can_grade(user, carrier),
        today=dt.date.today(),
    )


@bp.route("/carriers/<int:carrier_id>/reports/<year:year>", methods=["GET", "POST"])
def show_report(carrier_id: int, year: int):
    user = policy.require_signed_in(current_user())
    carrier = _carrier_for(user, carrier_id)
    report = get_report(carrier, year)
    if report is None:
        problem = year_problem(carrier, year, dt.date.today())
        if problem:
            raise ValidationError({"year": problem})
    may_edit = policy.can_file_report(user, carrier) and (
        report is None or report.status in EDITABLE
    )
    form = report_form(
        report_indicators(carrier.carrier_type),
        None if request.method == "POST" else (figure_values(report) if report else {}),
    )
    status = 200
    if request.method == "POST":
        policy.require(policy.can_file_report(user, carrier))
        if form.validate_on_submit():
            saved = _save(carrier, year, form, user)
            if saved:
                return redirect(url_for("reports.show_report", carrier_id=carrier.id, year=year))
        status = 422
    return _render_report(carrier, year, get_report(carrier, year), user, form, may_edit), status


def _save(carrier, year: int, form, user) -> bool:
    """Save (and submit) the form's figures in one transaction: errors at their fields."""
    attempt = db.session.begin_nested()
    try:
        save_report(carrier, year, figures_of(form), actor=user, submit=bool(form.submit.data))
    except ValidationError as exc:
        attempt.rollback()
        apply_errors(form, exc, figure_aliases(form))
        return False
    attempt.commit()
    db.session.commit()
    if form.submit.data:
        flash(_("Your report is submitted to the bureau."), "success")
    else:
        flash(_("The draft is saved. Submit it when it is complete."), "success")
    return True


def _render_report(carrier, year, report, user, form, may_edit, decision=None):
    carrier_type = carrier.carrier_type
    may_decide = (
        report is not None
        and report.status == ReportStatus.submitted
        and policy.can_review_report(user, carrier)
    )
    previous = get_report(carrier, year - 1)
    return render_template(
        "reports/report.html",
        carrier=carrier,
        year=year,
        report=report,
        indicators=report_indicators(carrier_type),
        values=figure_values(report) if report else {},
        previous=figure_values(previous) if previous else {},
        due=due_date(carrier_type, year),
        late=bool(report and is_late(report, carrier_type)),
        form=form if may_edit else None,
        decision=decision or (DecisionForm() if may_decide else None),
        may_grade=report is not None and policy.can_grade(user, carrier),
        today=dt.date.today(),
    )


@bp.post("/carriers/<int:carrier_id>/reports/<year:year>/decision")
def decide_report(carrier_id: int, year: int):
    user = policy.require_signed_in(current_user())
    carrier = _carrier_for(user, carrier_id)
    policy.require(policy.can_review_report(user, carrier))
    report = require_report(carrier, year)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            apply_report_action(
                report, parse_action(form.action.data), actor=user, comment=form.comment.data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Your decision on the report is recorded."), "success")
            return redirect(url_for("reports.show_report", carrier_id=carrier.id, year=year))
    return _render_report(carrier, year, report, user, None, False, decision=form), 422


# --- a bureau's reports of a year -----------------------------------------------------------


def _region_arg(user) -> Region:
    home = policy.home_region(user)
    policy.require(home is not None)
    code = (request.args.get("region") or "").strip()
    region = find_region(code) if code else home
    if region is None:
        raise NotFound(_("No region has the code %(code)s.", code=code))
    policy.require(policy.can_review_reports_in(user, region))
    return region


@bp.get("/reports")
def review_reports():
    user = policy.require_signed_in(current_user())
    region = _region_arg(user)
    today = dt.date.today()
    year = year_arg(request.args, today)
    which = request.args.get("which") or "all"
    if which not in YEAR_FILTERS:
        raise ValidationError(
            {"which": _("must be one of %(values)s", values=", ".join(YEAR_FILTERS))}
        )
    type_code = request.args.get("type") or None
    types = list_carrier_types()
    if type_code and type_code not in {t.code for t in types}:
        raise ValidationError({"type": _("unknown carrier type")})
    page, per_page = page_args(request.args, default_per_page=50)
    rows, total = year_rows(
        region, year, which, type_code=type_code, page=page, per_page=per_page, today=today
    )
    return render_template(
        "reports/review.html",
        region=region,
        path=[r for r in region.ancestors() if policy.can_review_reports_in(user, r)],
        year=year,
        years=list(range(reporting_year(today) + 1, reporting_year(today) - 8, -1)),
        which=which,
        filters=FILTER_LABELS,
        type_code=type_code,
        types=types,
        counts=year_counts(region, year, today, type_code),
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // per_page)),
        today=today,
    )
