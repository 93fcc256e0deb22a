"""Forms of the plan and target pages. They carry CSRF and render fields; the services check
the values (one set of rules for pages and API), and their messages go to the fields."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from registry import db
from registry.carriers.levels import Level
from registry.carriers.models import CarrierType, Indicator
from registry.errors import ValidationError
from registry.regions.models import RegionLevel
from registry.targets.models import Metric

DATE = {"type": "date"}
NUMBER = {"inputmode": "decimal", "autocomplete": "off"}


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; the service checks the values."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, validate_choice=False, **kwargs)


def free_select(label: Any) -> SelectField:
    """A select whose value the service checks (so its message names the field)."""
    return SelectField(label, validate_choice=False)


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value=value, label=str(label)) for value, label in pairs]


def type_choices() -> list[SelectChoice]:
    stmt = select(CarrierType).order_by(CarrierType.sort_order, CarrierType.id)
    return options((t.code, t.label) for t in db.session.scalars(stmt))


def indicator_choices() -> list[SelectChoice]:
    """Reported indicators, one entry per code (several types may share one)."""
    stmt = (
        select(Indicator, CarrierType)
        .join(CarrierType, CarrierType.id == Indicator.type_id)
        .where(Indicator.in_report)
        .order_by(CarrierType.sort_order, Indicator.sort_order)
    )
    seen: dict[str, str] = {}
    for indicator, carrier_type in db.session.execute(stmt):
        if indicator.code not in seen:
            seen[indicator.code] = f"{indicator.label} ({indicator.unit}) · {carrier_type.label}"
    return options([("", "—"), *seen.items()])


def level_choices(blank: str | None = None) -> list[SelectChoice]:
    choices = [(lv.code, lv.label) for lv in Level]
    return options([("", blank), *choices] if blank is not None else choices)


def subregion_choices() -> list[SelectChoice]:
    levels = (RegionLevel.province, RegionLevel.prefecture, RegionLevel.county)
    return options([("", "—"), *((lv.value, lv.label) for lv in levels)])


def apply_errors(form: Any, exc: ValidationError, prefix: str = "") -> None:
    """Put each of the service's messages at its field (the rest at the top of the form)."""
    for name, message in exc.fields.items():
        key = name[len(prefix) :] if prefix and name.startswith(prefix) else name
        field = getattr(form, key, None) if "." not in key and "[" not in key else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(f"{name}: {message}")


class AsOfForm(FlaskForm):
    """The as-of date picker (GET, no CSRF)."""

    class Meta:
        csrf = False

    as_of = StringField(_l("As of"), render_kw=DATE)


class PlanForm(FlaskForm):
    """Create or edit a plan."""

    title = StringField(_l("Title"))
    document_no = StringField(_l("Document number (文号)"))
    region = StringField(_l("Issuing region (code)"), render_kw={"list": "region-codes"})
    issued_on = StringField(_l("Issued on"), render_kw=DATE)
    period_start = StringField(_l("Period start"), render_kw=DATE)
    period_end = StringField(_l("Period end"), render_kw=DATE)
    source = StringField(_l("Source"))
    text = TextAreaField(_l("Full text"), render_kw={"rows": 10})

    def payload(self) -> dict[str, Any]:
        names = ("title", "document_no", "region", "issued_on", "period_start", "period_end")
        return {name: getattr(self, name).data or "" for name in (*names, "source", "text")}


class TargetFields:
    """The fields of a target, shared by the target form and the extraction rows."""

    phrase = TextAreaField(_l("Phrase (verbatim)"), render_kw={"rows": 2})
    metric = free_select(_l("Metric"))
    region = StringField(_l("Region (code)"), render_kw={"list": "region-codes"})
    types = CheckboxesField(_l("Carrier types"))
    min_level = free_select(_l("Lowest level"))
    max_level = free_select(_l("Highest level"))
    period_start = StringField(_l("Period start"), render_kw=DATE)
    deadline = StringField(_l("Deadline"), render_kw=DATE)
    value = StringField(_l("Target value"), render_kw=NUMBER)
    unit = StringField(_l("Unit"))
    indicator = free_select(_l("Indicator (sum_indicator)"))
    subregion_level = free_select(_l("Subregion level (coverage)"))
    note = TextAreaField(_l("Note"), render_kw={"rows": 2})

    NAMES = (
        *("phrase", "metric", "region", "types", "min_level", "max_level", "period_start"),
        *("deadline", "value", "unit", "indicator", "subregion_level", "note"),
    )

    def set_choices(self) -> None:
        self.metric.choices = options((m.value, m.label) for m in Metric)
        self.types.choices = type_choices()
        self.min_level.choices = level_choices()
        self.max_level.choices = level_choices(blank=str(_l("No upper bound")))
        self.indicator.choices = indicator_choices()
        self.subregion_level.choices = subregion_choices()

    def payload(self) -> dict[str, Any]:
        return {
            name: getattr(self, name).data or ("" if name != "types" else []) for name in self.NAMES
        }


class TargetForm(TargetFields, FlaskForm):
    """Create or edit a target."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices()


class ValueForm(FlaskForm):
    """Enter a manual target's figure on a date."""

    recorded_on = StringField(_l("Date"), render_kw=DATE)
    value = StringField(_l("Figure"), render_kw=NUMBER)
    note = StringField(_l("Source or note"))


class ExtractForm(FlaskForm):
    """Paste a policy text to get candidate targets."""

    text = TextAreaField(_l("Policy text"), render_kw={"rows": 14})
    region = StringField(_l("Region (code, optional)"), render_kw={"list": "region-codes"})


class CandidateForm(TargetFields, Form):
    """One extracted candidate: keep it or not, and its fields as the reviewer corrects them."""

    include = BooleanField(_l("Save this target"), default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices()


class ConfirmForm(PlanForm):
    """The plan read from the text and its candidate targets, saved in one step."""

    plan_id = HiddenField()
    candidates = FieldList(FormField(CandidateForm), min_entries=0)
