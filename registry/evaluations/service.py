"""Annual evaluations' rules: which bureau grades a carrier, the suggestion from the year's
report, recording a grade (overriding the suggestion needs a reason) and the fail rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import audit, db
from registry.accounts.models import User
from registry.carriers.models import Carrier, Recognition
from registry.db import utcnow
from registry.errors import Conflict, ValidationError
from registry.evaluations.models import Evaluation, Grade
from registry.evaluations.rubric import Suggestion, load_rubric, suggest
from registry.regions.models import Region
from registry.reports.models import AnnualReport, ReportStatus
from registry.reports.service import figure_values, year_problem

MAX_TEXT = 5000


def highest_active(carrier: Carrier, on: dt.date | None = None) -> Recognition | None:
    """The carrier's highest recognition active on `on` (today): the one a grade is for and
    the rules revoke."""
    on = on or dt.date.today()
    active = [r for r in carrier.recognitions if r.is_active_on(on)]
    return max(active, key=lambda r: (int(r.level), r.recognized_on, r.id), default=None)


def granting_region(carrier: Carrier, on: dt.date | None = None) -> Region | None:
    """The bureau that grades the carrier: the region that granted its highest active
    recognition (None when it holds none)."""
    recognition = highest_active(carrier, on)
    return recognition.granted_by if recognition else None


def graded_report(carrier: Carrier, year: int) -> AnnualReport | None:
    """The report a year's grade is based on: submitted or accepted."""
    return db.session.scalar(
        select(AnnualReport).where(
            AnnualReport.carrier_id == carrier.id,
            AnnualReport.year == year,
            AnnualReport.status.in_((ReportStatus.submitted, ReportStatus.accepted)),
        )
    )


def suggestion_for(carrier: Carrier, year: int) -> Suggestion | None:
    """The rubric's suggestion from the year's report (None without a filed report)."""
    report = graded_report(carrier, year)
    if report is None:
        return None
    return suggest(load_rubric(carrier.carrier_type), figure_values(report))


def get_evaluation(carrier: Carrier, year: int) -> Evaluation | None:
    return db.session.scalar(
        select(Evaluation).where(Evaluation.carrier_id == carrier.id, Evaluation.year == year)
    )


@dataclass
class GradeInput:
    """A grade as given (already checked)."""

    grade: Grade
    score: Decimal | None
    comment: str
    override_reason: str


def parse_grade_input(data: Mapping[str, Any]) -> GradeInput:
    """Check a grade's fields; raises ValidationError naming each bad one."""
    errors: dict[str, str] = {}
    grade = None
    try:
        grade = Grade(data.get("grade"))
    except ValueError:
        errors["grade"] = _("must be one of %(values)s", values=", ".join(Grade.values()))
    score = _score(data.get("score"), errors)
    texts = {}
    for name in ("comment", "override_reason"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = _("must be text")
        elif value and len(value) > MAX_TEXT:
            errors[name] = _("must be at most %(n)d characters", n=MAX_TEXT)
        texts[name] = (value or "").strip() if isinstance(value, str) else ""
    if errors:
        raise ValidationError(errors)
    assert grade is not None
    return GradeInput(grade, score, texts["comment"], texts["override_reason"])


def _score(value: Any, errors: dict[str, str]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        errors["score"] = _("must be a number from 0 to 100")
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        errors["score"] = _("must be a number from 0 to 100")
        return None
    if not score.is_finite() or score < 0 or score > 100:
        errors["score"] = _("must be a number from 0 to 100")
        return None
    if score != score.quantize(Decimal("0.01")):
        errors["score"] = _("must have at most two decimal places")
        return None
    return score


@dataclass
class GradeResult:
    evaluation: Evaluation
    created: bool
    revoked: Recognition | None  # revoked by the fail rule when this grade completed a run


def record_evaluation(
    carrier: Carrier,
    year: int,
    data: Mapping[str, Any],
    *,
    actor: User,
    today: dt.date | None = None,
) -> GradeResult:
    """Record (or change) the carrier's grade for `year`, then apply the fail rule.

    Raises ValidationError for a bad grade, score, year or a missing override reason,
    Conflict when the carrier holds no active recognition. The caller checks
    policy.can_grade (the bureau of the granting region or above)."""
    today = today or dt.date.today()
    given = parse_grade_input(data)
    problem = year_problem(carrier, year, today)
    if problem:
        raise ValidationError({"year": problem})
    region = granting_region(carrier, today)
    if region is None:
        raise Conflict(_("The carrier holds no active recognition to evaluate."))
    suggestion = suggestion_for(carrier, year)
    if suggestion and given.grade != suggestion.grade and not given.override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "give the reason for a grade other than the suggested %(grade)s",
                    grade=suggestion.grade.label,
                )
            }
        )
    evaluation, created, before = _upsert(carrier, year, given, suggestion, actor, region)
    audit.record(
        "evaluation.record" if created else "evaluation.change",
        "evaluation",
        evaluation.id,
        actor_id=actor.id,
        carrier_id=carrier.id,
        year=year,
        grade=given.grade,
        previous=before,
        score=str(given.score) if given.score is not None else None,
        suggested=suggestion.grade if suggestion else None,
        override_reason=given.override_reason,
    )
    from registry.evaluations.rules import apply_fail_rule

    revoked = apply_fail_rule(carrier, year, today=today, actor=actor)
    return GradeResult(evaluation, created, revoked)


def _upsert(
    carrier: Carrier,
    year: int,
    given: GradeInput,
    suggestion: Suggestion | None,
    actor: User,
    region: Region,
) -> tuple[Evaluation, bool, Grade | None]:
    evaluation = get_evaluation(carrier, year)
    created = evaluation is None
    before = None if evaluation is None else evaluation.grade
    if evaluation is None:
        evaluation = Evaluation(carrier_id=carrier.id, year=year)
        db.session.add(evaluation)
    evaluation.grade = given.grade
    evaluation.score = given.score
    evaluation.comment = given.comment
    evaluation.override_reason = (
        given.override_reason if suggestion and given.grade != suggestion.grade else ""
    )
    evaluation.suggested_grade = suggestion.grade if suggestion else None
    evaluation.suggested_score = suggestion.score if suggestion else None
    evaluation.graded_by_id = actor.id
    evaluation.region_id = region.id
    evaluation.graded_at = utcnow()
    db.session.flush()
    return evaluation, created, before
