"""Grading a year's carriers in bulk: the rubric's suggestions accepted or adjusted row by
row, checked as a whole, then recorded in one transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from registry.accounts.models import User
from registry.carriers.models import Carrier
from registry.errors import ValidationError
from registry.evaluations.models import Grade
from registry.evaluations.rubric import Suggestion
from registry.evaluations.service import GradeResult, record_evaluation, suggestion_for


@dataclass
class BulkRow:
    carrier: Carrier
    suggestion: Suggestion | None
    grade: str
    reason: str

    @property
    def overridden(self) -> bool:
        return self.suggestion is None or self.grade != self.suggestion.grade.value

    def payload(self) -> dict:
        keep = not self.overridden and self.suggestion is not None
        return {
            "grade": self.grade,
            "score": self.suggestion.score if keep and self.suggestion else None,
            "override_reason": self.reason,
        }


def rows_from_form(carriers: list[Carrier], year: int, form: Mapping[str, str]) -> list[BulkRow]:
    """Each carrier's row as posted (grade-<id>, reason-<id>); the suggested grade when none."""
    rows = []
    for carrier in carriers:
        suggestion = suggestion_for(carrier, year)
        default = suggestion.grade.value if suggestion else ""
        rows.append(
            BulkRow(
                carrier,
                suggestion,
                (form.get(f"grade-{carrier.id}") or default).strip(),
                (form.get(f"reason-{carrier.id}") or "").strip(),
            )
        )
    return rows


def check_rows(rows: list[BulkRow]) -> None:
    """Raises ValidationError naming each bad row's field (grade-<id>, reason-<id>)."""
    errors: dict[str, str] = {}
    for row in rows:
        if row.grade not in Grade.values():
            errors[f"grade-{row.carrier.id}"] = _(
                "must be one of %(values)s", values=", ".join(Grade.values())
            )
        elif row.suggestion and row.overridden and not row.reason:
            errors[f"reason-{row.carrier.id}"] = _(
                "give the reason for a grade other than the suggested %(grade)s",
                grade=row.suggestion.grade.label,
            )
    if not rows:
        errors["carrier"] = _("choose at least one carrier")
    if errors:
        raise ValidationError(errors)


def summary(rows: list[BulkRow]) -> tuple[Counter, int]:
    """How many of each grade, and how many differ from the suggestion."""
    return Counter(row.grade for row in rows), sum(1 for row in rows if row.overridden)


def record_bulk(
    rows: list[BulkRow], year: int, *, actor: User, today: dt.date | None = None
) -> list[GradeResult]:
    """Record every row's grade (and apply the fail rule to each); all or nothing.

    Raises ValidationError naming the row's field, Conflict as record_evaluation does."""
    check_rows(rows)
    results = []
    for row in rows:
        try:
            results.append(
                record_evaluation(row.carrier, year, row.payload(), actor=actor, today=today)
            )
        except ValidationError as exc:
            raise ValidationError(
                {f"{name}-{row.carrier.id}": message for name, message in exc.fields.items()}
            ) from None
    return results
