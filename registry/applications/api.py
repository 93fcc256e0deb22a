"""JSON API of the recognition workflow: applications, their actions and files, and the
revocation of recognitions."""

from __future__ import annotations

from flask import jsonify, request, send_file
from flask_babel import gettext as _

from registry import db, policy
from registry.accounts.auth import require_api_user
from registry.api import api_blueprint, json_body, list_response, page_args
from registry.applications import attachments as files
from registry.applications.detail import application_detail, attachment_dict, detail_as_dict
from registry.applications.drafts import create_application, update_figures
from registry.applications.models import Application
from registry.applications.params import parse_filters
from registry.applications.queries import (
    get_application,
    own_applications,
    region_applications,
    review_queue,
)
from registry.applications.revocation import get_recognition, recognition_dict, revoke_by_decision
from registry.applications.service import apply_action
from registry.carriers.service import get_carrier
from registry.errors import NotFound, ValidationError
from registry.validation import key_from

bp = api_blueprint("applications_api")


def _load(application_id: int, user) -> Application:
    application = get_application(application_id)
    policy.require(policy.can_view_application(user, application), hide=True)
    return application


def _detail(application: Application, user, status: int = 200):
    return jsonify(detail_as_dict(application_detail(application, user))), status


@bp.post("/applications")
def create_application_draft():
    user = require_api_user()
    data = json_body()
    carrier_id = data.get("carrier_id")
    if not isinstance(carrier_id, int) or key_from(carrier_id) is None:
        raise ValidationError({"carrier_id": _("must be the id of one of your carriers")})
    try:
        carrier = get_carrier(carrier_id)
    except NotFound:
        raise ValidationError({"carrier_id": _("must be the id of one of your carriers")}) from None
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(
        policy.can_apply(user, carrier), message=_("Only the carrier's own account applies.")
    )
    application = create_application(
        carrier, level=data.get("level"), figures=data.get("figures"), actor=user
    )
    db.session.commit()
    return _detail(application, user, 201)


@bp.get("/applications")
def list_applications():
    user = require_api_user()
    page, per_page = page_args(request.args)
    queue = request.args.get("queue")
    if queue not in (None, "", "review"):
        raise ValidationError({"queue": _("must be review, or left out")})
    filters = parse_filters(request.args, user)
    if queue == "review":
        policy.require(
            policy.can_list_review_queue(user),
            message=_("Only bureaus have a review queue."),
        )
        rows, total = review_queue(user, filters, page, per_page)
    elif policy.can_list_own_applications(user):
        rows, total = own_applications(user, filters, page, per_page)
    else:
        policy.require(policy.can_list_review_queue(user))
        rows, total = region_applications(filters.region or user.region, filters, page, per_page)
    return list_response([r.as_dict() for r in rows], total, page, per_page)


@bp.get("/applications/<int:application_id>")
def get_application_detail(application_id: int):
    user = require_api_user()
    return _detail(_load(application_id, user), user)


@bp.patch("/applications/<int:application_id>")
def update_application(application_id: int):
    user = require_api_user()
    application = _load(application_id, user)
    policy.require(policy.can_act_as_applicant(user, application))
    data = json_body()
    unknown = {k: _("is not a field you can change") for k in data if k != "figures"}
    if unknown:
        raise ValidationError(unknown)
    update_figures(application, data.get("figures"), actor=user)
    db.session.commit()
    return _detail(application, user)


@bp.post("/applications/<int:application_id>/actions")
def act_on_application(application_id: int):
    user = require_api_user()
    application = _load(application_id, user)
    data = json_body()
    apply_action(
        application,
        data.get("action"),
        user,
        comment=data.get("comment") or "",
        document_no=data.get("document_no") or "",
        recognized_on=data.get("recognized_on"),
        version=data.get("version"),
    )
    db.session.commit()
    return _detail(application, user)


@bp.post("/applications/<int:application_id>/attachments")
def upload_attachment(application_id: int):
    user = require_api_user()
    application = _load(application_id, user)
    policy.require(policy.can_act_as_applicant(user, application))
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError({"file": _("is required (multipart/form-data, field file)")})
    content = upload.read(files.max_bytes() + 1)
    attachment = files.add_attachment(application, upload.filename or "", content, actor=user)
    db.session.commit()
    return jsonify(attachment_dict(attachment)), 201


@bp.get("/applications/<int:application_id>/attachments/<int:attachment_id>")
def download_attachment(application_id: int, attachment_id: int):
    user = require_api_user()
    application = _load(application_id, user)
    return send_attachment(files.get_attachment(application, attachment_id))


@bp.delete("/applications/<int:application_id>/attachments/<int:attachment_id>")
def remove_attachment(application_id: int, attachment_id: int):
    user = require_api_user()
    application = _load(application_id, user)
    policy.require(policy.can_act_as_applicant(user, application))
    attachment = files.get_attachment(application, attachment_id)
    files.remove_attachment(application, attachment, actor=user)
    db.session.commit()
    return _detail(application, user)


def send_attachment(attachment):
    """The file as a download (never shown inline), only ever with its checked type."""
    response = send_file(
        files.stored_path(attachment),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
        etag=attachment.sha256,
    )
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; sandbox; frame-ancestors 'none'"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/recognitions/<int:recognition_id>/revoke")
def revoke(recognition_id: int):
    user = require_api_user()
    recognition = get_recognition(recognition_id)
    policy.require(policy.can_view_carrier(user, recognition.carrier), hide=True)
    policy.require(policy.can_revoke_recognition(user, recognition))
    data = json_body()
    revoke_by_decision(
        recognition,
        revoked_on=data.get("revoked_on"),
        reason=data.get("reason"),
        document_no=data.get("document_no"),
        actor=user,
    )
    db.session.commit()
    return jsonify(recognition_dict(recognition))
