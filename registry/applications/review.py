"""Pages of application lists (a carrier's own, a bureau's queue and region) and of the
revocation of a recognition."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry import db, policy
from registry.accounts.auth import current_user
from registry.api import page_args
from registry.applications import bp
from registry.applications.forms import QueueFilterForm, RevokeForm
from registry.applications.params import parse_filters
from registry.applications.queries import (
    own_applications,
    queue_counts,
    region_applications,
    review_queue,
)
from registry.applications.revocation import get_recognition, revoke_by_decision
from registry.carriers.service import list_carrier_types
from registry.errors import ValidationError
from registry.forms import apply_errors

PER_PAGE = 30
SCOPES = ("waiting", "region")


def _pages(total: int) -> int:
    return max(1, -(-total // PER_PAGE))


@bp.get("/my/applications")
def own_list():
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_list_own_applications(user))
    page, _per_page = page_args(request.args)
    filters = parse_filters(request.args, user)
    rows, total = own_applications(user, filters, page, PER_PAGE)
    form = QueueFilterForm(request.args, types=list_carrier_types())
    return render_template(
        "applications/own.html", rows=rows, total=total, page=page, pages=_pages(total), form=form
    )


@bp.get("/review")
def queue():
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_list_review_queue(user))
    scope = request.args.get("scope") or "waiting"
    if scope not in SCOPES:
        raise ValidationError({"scope": _("must be waiting or region")})
    page, _per_page = page_args(request.args)
    filters = parse_filters(request.args, user)
    if scope == "waiting":
        rows, total = review_queue(user, filters, page, PER_PAGE)
    else:
        rows, total = region_applications(filters.region or user.region, filters, page, PER_PAGE)
    return render_template(
        "applications/queue.html",
        scope=scope,
        rows=rows,
        total=total,
        page=page,
        pages=_pages(total),
        counts=queue_counts(user),
        form=QueueFilterForm(request.args, types=list_carrier_types()),
        types={t.code: t.label for t in list_carrier_types()},
        bureau=user.region.bureau_name if user.region else _("Every bureau"),
    )


@bp.route("/recognitions/<int:recognition_id>/revoke", methods=["GET", "POST"])
def revoke_recognition(recognition_id: int):
    user = policy.require_signed_in(current_user())
    recognition = get_recognition(recognition_id)
    carrier = recognition.carrier
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(policy.can_revoke_recognition(user, recognition))
    form = RevokeForm()
    status = 200
    if form.validate_on_submit():
        try:
            revoke_by_decision(
                recognition,
                revoked_on=form.revoked_on.data,
                reason=form.reason.data,
                document_no=form.document_no.data,
                actor=user,
            )
        except ValidationError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            status = 422
        else:
            db.session.commit()
            flash(_("The recognition is revoked; it stays in the carrier's history."), "success")
            return redirect(url_for("public.show_carrier", carrier_id=carrier.id))
    elif form.errors:
        status = 422
    for name in ("revoked_on", "reason", "document_no"):
        getattr(form, name).flags.required = True
    return render_template(
        "applications/revoke.html", form=form, recognition=recognition, carrier=carrier
    ), status
