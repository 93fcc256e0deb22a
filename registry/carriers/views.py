"""Carrier pages for owners (register, edit) and bureaus (decide on a credit code)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry import db, policy
from registry.accounts.auth import current_user
from registry.carriers.credit_codes import decide_credit_code
from registry.carriers.detail import duplicate_warnings
from registry.carriers.forms import CarrierForm, CreditCodeDecisionForm
from registry.carriers.models import Carrier
from registry.carriers.profiles import create_carrier, update_carrier
from registry.carriers.queries import is_public
from registry.carriers.service import get_carrier
from registry.errors import ValidationError
from registry.forms import apply_errors

bp = Blueprint("carriers", __name__)


def _save(form: CarrierForm, save, template: str, **context):
    """Run `save()` for a submitted form: errors at their fields; possible duplicates shown
    (nothing kept) until the owner confirms; else commit and go to the carrier's page."""
    user = current_user()
    warnings: list = []
    status = 200
    if form.validate_on_submit():
        attempt = db.session.begin_nested()  # undone unless the owner's save stands
        try:
            result = save(form.payload())
        except ValidationError as exc:
            attempt.rollback()
            apply_errors(form, exc)
            status = 422
        else:
            if result.duplicates and not form.confirm_duplicates.data:
                warnings = duplicate_warnings(user, result.duplicates)
                attempt.rollback()
                status = 409
            else:
                attempt.commit()
                db.session.commit()
                flash(_("The carrier's details are saved."), "success")
                return redirect(url_for("public.show_carrier", carrier_id=result.carrier.id))
    elif form.errors:
        status = 422
    return render_template(template, form=form, warnings=warnings, **context), status


@bp.route("/my/carriers/new", methods=["GET", "POST"])
def new_carrier():
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_create_carrier(user), message=policy.why_not_create_carrier(user))
    form = CarrierForm(data={"operator_name": user.name} if not _submitted() else None)
    return _save(form, lambda data: create_carrier(user, data), "carriers/edit.html", carrier=None)


@bp.route("/carriers/<int:carrier_id>/edit", methods=["GET", "POST"])
def edit_carrier(carrier_id: int):
    user = policy.require_signed_in(current_user())
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(policy.can_edit_carrier(user, carrier))
    locked = is_public(carrier.id)
    form = CarrierForm(obj=None if _submitted() else _FormView(carrier), locked=locked)
    return _save(
        form,
        lambda data: update_carrier(carrier, data, actor=user),
        "carriers/edit.html",
        carrier=carrier,
    )


@bp.post("/carriers/<int:carrier_id>/credit-code")
def review_credit_code(carrier_id: int):
    user = policy.require_signed_in(current_user())
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(policy.can_review_credit_code(user, carrier))
    form = CreditCodeDecisionForm()
    if form.validate_on_submit():
        try:
            decide_credit_code(carrier, form.decision.data, form.reason.data, actor=user)
        except ValidationError as exc:
            flash("; ".join(exc.fields.values()) or exc.message, "danger")
        else:
            db.session.commit()
            flash(_("Your decision on the credit code is recorded."), "success")
    else:
        flash(_("Choose accept or reject, and give a reason."), "danger")
    return redirect(url_for("public.show_carrier", carrier_id=carrier.id))


def _submitted() -> bool:
    return request.method == "POST"


class _FormView:
    """A carrier's values under the form's field names."""

    def __init__(self, carrier: Carrier) -> None:
        self.name = carrier.name
        self.type = carrier.carrier_type.code
        self.region = carrier.region.code
        self.operator_name = carrier.operator_name
        self.uscc = carrier.uscc or ""
        self.uscc_confirmed = False
        self.address = carrier.address
        self.contact_name = carrier.contact_name
        self.contact_phone = carrier.contact_phone
        self.founded_on = carrier.founded_on.isoformat() if carrier.founded_on else ""
        self.website = carrier.website
        self.description = carrier.description
        self.confirm_duplicates = False
