"""Evaluation pages: a carrier's grade for a year (with the rubric's suggestion), and a
bureau's bulk grading of a year with the distribution of grades."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry import db, policy
from registry.accounts.auth import current_user
from registry.carriers.service import get_carrier, list_carrier_types
from registry.errors import NotFound, ValidationError
from registry.evaluations.bulk import check_rows, record_bulk, rows_from_form, summary
from registry.evaluations.forms import BulkGradeForm, GradeForm, grade_choices
from registry.evaluations.models import Grade
from registry.evaluations.queries import BULK_ROWS, bulk_candidates, grade_distribution
from registry.evaluations.rubric import load_rubric
from registry.evaluations.service import (
    get_evaluation,
    graded_report,
    granting_region,
    record_evaluation,
    suggestion_for,
)
from registry.forms import apply_errors
from registry.regions.models import Region
from registry.regions.service import find_region
from registry.reports.deadlines import reporting_year
from registry.reports.params import year_arg
from registry.reports.service import year_problem
from registry.validation import key_from

bp = Blueprint("evaluations", __name__)


def _form_for(evaluation, suggestion) -> GradeForm:
    if request.method == "POST":
        return GradeForm()
    if evaluation is not None:
        return GradeForm(
            data={
                "grade": evaluation.grade.value,
                "score": "" if evaluation.score is None else f"{evaluation.score:f}",
                "comment": evaluation.comment,
                "override_reason": evaluation.override_reason,
            }
        )
    if suggestion is not None:
        return GradeForm(data={"grade": suggestion.grade.value, "score": f"{suggestion.score:f}"})
    return GradeForm()


@bp.route("/carriers/<int:carrier_id>/evaluations/<year:year>", methods=["GET", "POST"])
def grade_carrier(carrier_id: int, year: int):
    user = policy.require_signed_in(current_user())
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(policy.can_grade(user, carrier))
    problem = year_problem(carrier, year, dt.date.today())
    if problem:
        raise ValidationError({"year": problem})
    evaluation = get_evaluation(carrier, year)
    suggestion = suggestion_for(carrier, year)
    form = _form_for(evaluation, suggestion)
    status = 200
    if form.validate_on_submit():
        attempt = db.session.begin_nested()
        try:
            result = record_evaluation(carrier, year, form.data, actor=user)
        except ValidationError as exc:
            attempt.rollback()
            apply_errors(form, exc)
        else:
            attempt.commit()
            db.session.commit()
            flash(_("The grade for %(year)d is recorded.", year=year), "success")
            if result.revoked is not None:
                flash(_revoked_message(result.revoked), "warning")
            return redirect(url_for("public.show_carrier", carrier_id=carrier.id))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template(
        "evaluations/grade.html",
        carrier=carrier,
        year=year,
        form=form,
        evaluation=evaluation,
        suggestion=suggestion,
        rubric=load_rubric(carrier.carrier_type),
        report=graded_report(carrier, year),
        bureau=granting_region(carrier),
    ), status


def _revoked_message(recognition) -> str:
    return _(
        "The rule on consecutive failing grades revoked its %(level)s title.",
        level=recognition.level.label,
    )


# --- bulk grading ---------------------------------------------------------------------------


def _region_arg(user) -> Region:
    home = policy.home_region(user)
    policy.require(home is not None)
    code = (request.values.get("region") or "").strip()
    region = find_region(code) if code else home
    if region is None:
        raise NotFound(_("No region has the code %(code)s.", code=code))
    policy.require(policy.can_review_reports_in(user, region))
    return region


def _type_arg() -> str | None:
    code = request.values.get("type") or None
    if code and code not in {t.code for t in list_carrier_types()}:
        raise ValidationError({"type": _("unknown carrier type")})
    return code


@bp.route("/evaluations", methods=["GET", "POST"])
def bulk_grade():
    user = policy.require_signed_in(current_user())
    region = _region_arg(user)
    today = dt.date.today()
    year, type_code = year_arg(request.values, today), _type_arg()
    form = BulkGradeForm()
    if request.method == "POST" and form.validate_on_submit():
        return _bulk_post(user, region, year, type_code, form)
    candidates, total = bulk_candidates(region, year, type_code=type_code, today=today)
    return _bulk_page(region, year, type_code, form, candidates, total, user), (
        422 if request.method == "POST" else 200
    )


def _posted_carriers(user) -> list:
    carriers = []
    for raw in request.form.getlist("carrier"):
        carrier_id = key_from(raw)
        if carrier_id is None:
            raise ValidationError({"carrier": _("unknown carrier")})
        carrier = get_carrier(carrier_id)
        policy.require(policy.can_view_carrier(user, carrier), hide=True)
        policy.require(policy.can_grade(user, carrier))
        carriers.append(carrier)
    return carriers


def _bulk_post(user, region, year, type_code, form):
    rows = rows_from_form(_posted_carriers(user), year, request.form)
    if form.step.data != "confirm":  # the review step: show what would be recorded
        try:
            check_rows(rows)
        except ValidationError as exc:
            return _bulk_page(
                region, year, type_code, form, None, None, user, rows, exc.fields
            ), 422
        counts, overrides = summary(rows)
        return render_template(
            "evaluations/bulk_confirm.html",
            region=region,
            year=year,
            type_code=type_code,
            rows=rows,
            counts=counts,
            overrides=overrides,
            grades=list(Grade),
            form=BulkGradeForm(step="confirm"),
        )
    attempt = db.session.begin_nested()
    try:
        results = record_bulk(rows, year, actor=user)
    except ValidationError as exc:
        attempt.rollback()
        return _bulk_page(region, year, type_code, form, None, None, user, rows, exc.fields), 422
    attempt.commit()
    db.session.commit()
    flash(_("%(n)d grades for %(year)d are recorded.", n=len(results), year=year), "success")
    revoked = sum(1 for r in results if r.revoked is not None)
    if revoked:
        flash(_("The fail rule revoked %(n)d titles.", n=revoked), "warning")
    return redirect(
        url_for("evaluations.bulk_grade", region=region.code, year=year, type=type_code)
    )


def _bulk_page(region, year, type_code, form, candidates, total, user, rows=None, errors=None):
    if candidates is None:
        candidates, total = bulk_candidates(region, year, type_code=type_code)
    posted = {row.carrier.id: row for row in rows or []}
    distribution = grade_distribution(region, year, type_code)
    return render_template(
        "evaluations/bulk.html",
        region=region,
        path=[r for r in region.ancestors() if policy.can_review_reports_in(user, r)],
        year=year,
        years=list(
            range(reporting_year(dt.date.today()) + 1, reporting_year(dt.date.today()) - 8, -1)
        ),
        type_code=type_code,
        types=list_carrier_types(),
        candidates=candidates,
        total=total,
        limit=BULK_ROWS,
        posted=posted,
        errors=errors or {},
        form=form,
        grade_choices=grade_choices(),
        distribution=distribution,
    )
