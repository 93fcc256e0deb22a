"""Forms of the workflow pages: one per action. The services check every value; the forms
carry them (and the CSRF token, and the version the actor saw)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from registry.applications.models import ApplicationAction, ApplicationStatus
from registry.carriers.levels import Level
from registry.carriers.models import Indicator

FIGURE_PREFIX = "figure_"


class FiguresForm(FlaskForm):
    """The figures of an application: one text field per indicator (added per type)."""

    version = HiddenField()

    def figure_fields(self) -> list[tuple[Indicator, Any]]:
        return [(i, getattr(self, FIGURE_PREFIX + i.code)) for i in self._indicators]

    def figures(self) -> dict[str, str | None]:
        return {i.code: (f.data or "").strip() or None for i, f in self.figure_fields()}


def figures_form(
    indicators: list[Indicator], *, levels: list[Level] | None = None, **kwargs
) -> FiguresForm:
    """A FiguresForm with a field per indicator (and a level choice when starting)."""

    class Form(FiguresForm):
        pass

    for indicator in indicators:
        label = f"{indicator.label}（{indicator.unit}）"
        setattr(Form, FIGURE_PREFIX + indicator.code, StringField(label))
    if levels is not None:
        Form.level = SelectField(_l("Level applied for"), choices=[], validate_choice=False)
    form = Form(**kwargs)
    form._indicators = indicators
    for indicator in indicators:
        getattr(form, FIGURE_PREFIX + indicator.code).flags.required = indicator.is_required
    if levels is not None:
        form.level.choices = [SelectChoice(lv.code, lv.label) for lv in levels]
        form.level.flags.required = True
    return form


class ActionForm(FlaskForm):
    """Base of the action forms: the version the actor saw. The page posts the request's
    CSRF token as `csrf_token` (checked for every POST by CSRFProtect), so that the
    workflow's own guards, not a prefixed token field, decide who may act."""

    class Meta:
        csrf = False

    action: ApplicationAction
    version = HiddenField()


class SubmitForm(ActionForm):
    action = ApplicationAction.submit


class WithdrawForm(ActionForm):
    action = ApplicationAction.withdraw


class RecommendForm(ActionForm):
    action = ApplicationAction.recommend
    comment = TextAreaField(_l("Comment (optional)"))


class ApproveForm(ActionForm):
    action = ApplicationAction.approve
    document_no = StringField(_l("Recognition document number (文号)"))
    recognized_on = StringField(_l("Date of the recognition document"))
    comment = TextAreaField(_l("Comment (optional)"))


class ReturnForm(ActionForm):
    action = ApplicationAction.return_
    comment = TextAreaField(_l("What the carrier must change"))


class RejectForm(ActionForm):
    action = ApplicationAction.reject
    comment = TextAreaField(_l("Reason for the rejection"))


ACTION_FORMS: dict[ApplicationAction, type[ActionForm]] = {
    form.action: form
    for form in (SubmitForm, WithdrawForm, RecommendForm, ApproveForm, ReturnForm, RejectForm)
}


def action_forms(actions: list[ApplicationAction], version: int) -> dict[str, ActionForm]:
    """The forms of the actions the viewer may take, keyed by action code."""
    forms = {}
    for action in actions:
        form = ACTION_FORMS[action](formdata=None, prefix=action.value)
        form.version.data = str(version)
        if isinstance(form, ApproveForm | ReturnForm | RejectForm):
            form.comment.flags.required = not isinstance(form, ApproveForm)
        if isinstance(form, ApproveForm):
            form.document_no.flags.required = True
        forms[action.value] = form
    return forms


class AttachmentForm(FlaskForm):
    """A file for the application."""

    file = FileField(_l("PDF or image (JPEG, PNG, WebP)"), validators=[FileRequired()])


class RevokeForm(FlaskForm):
    """A bureau revokes a recognition."""

    revoked_on = StringField(_l("Revoked as of"))
    document_no = StringField(_l("Revocation document number (文号)"))
    reason = TextAreaField(_l("Reason"))


class QueueFilterForm(FlaskForm):
    """Filters of the application lists (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Carrier name"))
    type = SelectField(_l("Type"), choices=[], validate_choice=False)
    level = SelectField(_l("Level"), choices=[], validate_choice=False)
    status = SelectField(_l("Status"), choices=[], validate_choice=False)

    def __init__(self, *args, types: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.type.choices = [SelectChoice("", _l("All types"))] + [
            SelectChoice(t.code, t.label) for t in types or []
        ]
        self.level.choices = [SelectChoice("", _l("All levels"))] + [
            SelectChoice(lv.code, lv.label) for lv in reversed(Level)
        ]
        self.status.choices = [SelectChoice("", _l("All statuses"))] + [
            SelectChoice(s.value, s.label) for s in ApplicationStatus
        ]
