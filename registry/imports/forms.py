"""Forms of the import pages: upload, column mapping with defaults, and the import button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from openpyxl.utils.cell import get_column_letter
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from registry.carriers.levels import Level
from registry.imports.vocabulary import FIELDS


class UploadForm(FlaskForm):
    """A bureau list to check."""

    file = FileField(
        _l("List of recognised carriers (.xlsx or .csv)"),
        validators=[FileRequired(), FileAllowed(["xlsx", "csv"], _l("Use an .xlsx or .csv file."))],
    )


class ImportForm(FlaskForm):
    """The button that imports a checked file."""


class MappingForm(FlaskForm):
    """Which field each column holds, and values for rows that do not say."""

    sheet = SelectField(_l("Sheet"), choices=[], validate_choice=False)
    default_type = SelectField(_l("Type of rows that do not say"), choices=[])
    default_level = SelectField(_l("Level of rows that do not say"), choices=[])
    default_recognized_on = StringField(
        _l("Recognition date or year of rows that do not say"),
        validators=[Optional(), Length(max=20)],
    )
    default_document_no = StringField(
        _l("Document number of rows that do not say"), validators=[Optional(), Length(max=100)]
    )


def mapping_form(headers: list[str], report: dict, types: list, sheets: list[str], **kw):
    """A MappingForm with one select per column of the file, filled from the last check."""
    field_choices = [SelectChoice(code, str(label)) for code, label in FIELDS.items()]

    class Form(MappingForm):
        pass

    for i, header in enumerate(headers):
        label = f"{get_column_letter(i + 1)} · {header}" if header else get_column_letter(i + 1)
        setattr(Form, f"col_{i}", SelectField(label, choices=field_choices))
    mapping = report.get("mapping") or []
    defaults = report.get("defaults") or {}
    data = {f"col_{i}": mapping[i] if i < len(mapping) else "ignore" for i in range(len(headers))}
    data.update(
        sheet=report.get("sheet") or "",
        default_type=defaults.get("type") or "",
        default_level=defaults.get("level") or "",
        default_recognized_on=_day_text(defaults),
        default_document_no=defaults.get("document_no") or "",
    )
    form = Form(data=data, **kw)
    form.sheet.choices = [SelectChoice(s, s) for s in sheets]
    form.default_type.choices = [SelectChoice("", "—")] + [
        SelectChoice(t.code, t.label) for t in types
    ]
    form.default_level.choices = [SelectChoice("", "—")] + [
        SelectChoice(lv.code, lv.label) for lv in reversed(Level)
    ]
    form.columns = [getattr(form, f"col_{i}") for i in range(len(headers))]
    return form


def _day_text(defaults: dict) -> str:
    day = defaults.get("recognized_on")
    if not day:
        return ""
    return day[:4] if defaults.get("recognized_precision") == "year" else day


def options_from(form: MappingForm, n_columns: int) -> dict:
    return {
        "mapping": [getattr(form, f"col_{i}").data for i in range(n_columns)],
        "defaults": {
            "type": form.default_type.data or None,
            "level": form.default_level.data or None,
            "recognized_on": (form.default_recognized_on.data or "").strip() or None,
            "document_no": (form.default_document_no.data or "").strip(),
        },
        "sheet": form.sheet.data or "",
    }
