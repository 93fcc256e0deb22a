"""Pages of one application: start it, change its figures and files, act on it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import db, policy
from registry.accounts.auth import current_user
from registry.accounts.forms import EmptyForm
from registry.applications import attachments as files
from registry.applications import bp
from registry.applications.api import send_attachment
from registry.applications.chain import review_chain
from registry.applications.detail import actor_name, application_detail
from registry.applications.drafts import (
    EDITABLE,
    application_indicators,
    create_application,
    levels_open_to,
    open_application,
    update_figures,
)
from registry.applications.forms import (
    ACTION_FORMS,
    FIGURE_PREFIX,
    AttachmentForm,
    action_forms,
    figures_form,
)
from registry.applications.models import Application, ApplicationAction
from registry.applications.queries import get_application
from registry.applications.service import apply_action
from registry.carriers.service import get_carrier
from registry.errors import Conflict, NotFound, ValidationError
from registry.forms import apply_errors

SUCCESS = {
    ApplicationAction.submit: _l("The application is submitted: it now waits for %(bureau)s."),
    ApplicationAction.withdraw: _l("The application is withdrawn."),
    ApplicationAction.recommend: _l("Recommended: the application goes on to %(bureau)s."),
    ApplicationAction.approve: _l("Approved: the carrier is recognised and listed publicly."),
    ApplicationAction.return_: _l("Returned to the carrier for changes."),
    ApplicationAction.reject: _l("The application is rejected."),
}


def _load(application_id: int) -> tuple[Application, object]:
    user = policy.require_signed_in(current_user())
    application = get_application(application_id)
    policy.require(policy.can_view_application(user, application), hide=True)
    return application, user


def _aliases(indicators) -> dict[str, str]:
    return {f"figures.{i.code}": FIGURE_PREFIX + i.code for i in indicators}


@bp.route("/carriers/<int:carrier_id>/apply", methods=["GET", "POST"])
def new_application(carrier_id: int):
    user = policy.require_signed_in(current_user())
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(
        policy.can_apply(user, carrier), message=_("Only the carrier's own account applies.")
    )
    existing = open_application(carrier.id)
    if existing is not None:
        flash(_("This carrier already has an open application: continue it here."), "info")
        return redirect(url_for("applications.show_application", application_id=existing.id))
    indicators = application_indicators(carrier.type_id)
    form = figures_form(indicators, levels=levels_open_to(carrier))
    status = 200
    if form.validate_on_submit():
        try:
            application = create_application(
                carrier, level=form.level.data, figures=form.figures(), actor=user
            )
        except ValidationError as exc:
            db.session.rollback()
            apply_errors(form, exc, _aliases(indicators))
            status = 422
        else:
            db.session.commit()
            flash(
                _("The draft is saved. Check it, attach the documents, then submit it."), "success"
            )
            return redirect(url_for("applications.show_application", application_id=application.id))
    elif form.errors:
        status = 422
    return render_template("applications/new.html", form=form, carrier=carrier), status


@bp.get("/applications/<int:application_id>")
def show_application(application_id: int):
    application, user = _load(application_id)
    return _page(application, user)


def _page(application: Application, user, status: int = 200, upload=None, **forms):
    """The application page; `upload` and `forms` (by action) carry submitted forms with
    their errors."""
    detail = application_detail(application, user)
    may_edit = policy.can_act_as_applicant(user, application) and application.status in EDITABLE
    context = {
        "detail": detail,
        "application": application,
        "forms": {**action_forms(detail.actions, application.version), **forms},
        "upload": upload or (AttachmentForm() if may_edit else None),
        "may_edit": may_edit,
        "remove_form": EmptyForm() if may_edit else None,
        "preview": _preview(application) if not detail.steps else [],
        "actor_name": actor_name,
    }
    return render_template("applications/show.html", **context), status


def _preview(application: Application) -> list:
    """The bureaus a draft will go through once submitted (as things stand now)."""
    try:
        return review_chain(application.carrier.region, application.level)
    except ValidationError:
        return []


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
def edit_application(application_id: int):
    application, user = _load(application_id)
    policy.require(policy.can_act_as_applicant(user, application))
    indicators = application_indicators(application.carrier.type_id)
    values = {i.code: application.figure_values().get(i.id) for i in indicators}
    data = (
        None
        if request.method == "POST"
        else {FIGURE_PREFIX + code: ("" if v is None else _plain(v)) for code, v in values.items()}
    )
    form = figures_form(indicators, data=data)
    status = 200
    if form.validate_on_submit():
        try:
            update_figures(application, form.figures(), actor=user)
        except ValidationError as exc:
            db.session.rollback()
            apply_errors(form, exc, _aliases(indicators))
            status = 422
        except Conflict as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return redirect(url_for("applications.show_application", application_id=application_id))
        else:
            db.session.commit()
            flash(_("The figures are saved."), "success")
            return redirect(url_for("applications.show_application", application_id=application_id))
    return render_template("applications/edit.html", form=form, application=application), status


def _plain(value) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


@bp.post("/applications/<int:application_id>/actions/<action>")
def act_on_application(application_id: int, action: str):
    application, user = _load(application_id)
    try:
        act = ApplicationAction(action)
    except ValueError:
        raise NotFound(_("No such action.")) from None
    form = ACTION_FORMS[act](prefix=act.value)  # CSRF: checked by CSRFProtect for every POST
    try:
        event = apply_action(
            application,
            act,
            user,
            comment=_field(form, "comment"),
            document_no=_field(form, "document_no"),
            recognized_on=_field(form, "recognized_on") or None,
            version=form.version.data or None,
        )
    except ValidationError as exc:
        db.session.rollback()
        apply_errors(form, exc)
        return _page(get_application(application_id), user, 422, **{act.value: form})
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return _page(get_application(application_id), user, 409)
    db.session.commit()
    bureau = event.to_step.region.bureau_name if event.to_step else ""
    flash(str(SUCCESS[act]) % {"bureau": bureau}, "success")
    return redirect(url_for("applications.show_application", application_id=application_id))


def _field(form, name: str) -> str:
    field = getattr(form, name, None)
    return (field.data or "") if field is not None else ""


@bp.post("/applications/<int:application_id>/attachments")
def upload_attachment(application_id: int):
    application, user = _load(application_id)
    policy.require(policy.can_act_as_applicant(user, application))
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _page(application, user, 422, upload=form)
    upload = form.file.data
    try:
        files.add_attachment(
            application, upload.filename or "", upload.read(files.max_bytes() + 1), actor=user
        )
    except ValidationError as exc:
        db.session.rollback()
        apply_errors(form, exc)
        return _page(get_application(application_id), user, 422, upload=form)
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return _page(get_application(application_id), user, 409)
    db.session.commit()
    flash(_("The file is attached."), "success")
    return redirect(
        url_for("applications.show_application", application_id=application_id) + "#files"
    )


@bp.get("/applications/<int:application_id>/attachments/<int:attachment_id>")
def download_attachment(application_id: int, attachment_id: int):
    application, _user = _load(application_id)
    return send_attachment(files.get_attachment(application, attachment_id))


@bp.post("/applications/<int:application_id>/attachments/<int:attachment_id>/remove")
def remove_attachment(application_id: int, attachment_id: int):
    application, user = _load(application_id)
    policy.require(policy.can_act_as_applicant(user, application))
    attachment = files.get_attachment(application, attachment_id)
    if EmptyForm().validate_on_submit():
        try:
            files.remove_attachment(application, attachment, actor=user)
        except Conflict as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash(_("The file is removed from the application (it stays on record)."), "success")
    return redirect(
        url_for("applications.show_application", application_id=application_id) + "#files"
    )
