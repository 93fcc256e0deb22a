"""Forms of the evaluation pages: one carrier's grade, and the bulk page's confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from registry.evaluations.models import Grade


def grade_choices() -> list[SelectChoice]:
    return [SelectChoice(g.value, g.label) for g in Grade]


class GradeForm(FlaskForm):
    """A bureau's grade of a carrier for a year (the service checks every field)."""

    grade = SelectField(_l("Grade"), choices=[], validate_choice=False)
    score = StringField(_l("Score (0–100)"))
    comment = TextAreaField(_l("Comment"))
    override_reason = TextAreaField(_l("Reason for a grade other than the suggestion"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.grade.choices = grade_choices()


class BulkGradeForm(FlaskForm):
    """The bulk page's step: `review` shows what will be recorded, `confirm` records it.
    Each row's grade and reason come as grade-<carrier id> and reason-<carrier id>."""

    step = HiddenField(default="review")
