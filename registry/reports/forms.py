"""Forms of the report pages: a report's figures (one field per indicator of the type), a
bureau's decision. The service checks every value."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from registry.carriers.models import Indicator
from registry.reports.figures import format_value


class _FiguresForm(FlaskForm):
    save = SubmitField(_l("Save the draft"))
    submit = SubmitField(_l("Submit to the bureau"))


def report_form(indicators: list[Indicator], values: dict | None = None) -> FlaskForm:
    """A form with a text field per indicator (named by its code), filled with `values`
    unless the request posted its own."""

    class ReportForm(_FiguresForm):
        pass

    for indicator in indicators:
        label = f"{indicator.label} ({indicator.unit})"
        setattr(ReportForm, indicator.code, StringField(label))
    data = {code: format_value(value) for code, value in (values or {}).items()}
    form = ReportForm(data=data)
    form.indicators = indicators
    return form


def figures_of(form: FlaskForm) -> dict[str, str]:
    return {i.code: getattr(form, i.code).data for i in form.indicators}


def figure_aliases(form: FlaskForm) -> dict[str, str]:
    """Service field names (figures.<code>) to the form's fields."""
    return {f"figures.{i.code}": i.code for i in form.indicators}


class DecisionForm(FlaskForm):
    """A bureau accepts a submitted report or returns it with what to change."""

    action = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("accept", _l("Accept")),
            SelectChoice("return", _l("Return for changes")),
        ],
        default="accept",
    )
    comment = TextAreaField(_l("Comment (required to return the report)"))
