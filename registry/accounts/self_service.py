"""Pages of one's own account: profile, password change, and password reset by email."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from registry import db, policy
from registry.accounts import bp
from registry.accounts.auth import current_user, password_version
from registry.accounts.forms import (
    ChangePasswordForm,
    EmptyForm,
    ForgotPasswordForm,
    NewPasswordForm,
    ProfileForm,
)
from registry.accounts.recovery import (
    LinkError,
    check_reset_link,
    request_password_reset,
    reset_password,
)
from registry.accounts.service import change_password, update_profile
from registry.errors import TooManyRequests, ValidationError
from registry.forms import apply_errors, form_data


@bp.route("/account", methods=["GET", "POST"])
def show_account():
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_edit_account(user, user))
    form = ProfileForm(obj=user)
    status = 200
    if form.validate_on_submit():
        try:
            update_profile(user, form_data(form, "name", "phone"), actor_id=user.id)
        except ValidationError as exc:
            apply_errors(form, exc)
            status = 422
        else:
            db.session.commit()
            flash(_("Your details are saved."), "success")
            return redirect(url_for("accounts.show_account"))
    return (
        render_template("accounts/account.html", form=form, user=user, resend=EmptyForm()),
        status,
    )


@bp.route("/account/password", methods=["GET", "POST"], endpoint="change_password")
def change_password_page():
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_edit_account(user, user))
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            change_password(user, form.current_password.data, form.new_password.data)
        except ValidationError as exc:
            apply_errors(form, exc)
            status = 422
        else:
            db.session.commit()
            session["pwv"] = password_version(user)  # this session stays, all others end
            flash(
                _("Your password is changed. Other sessions and API tokens were ended."), "success"
            )
            return redirect(url_for("accounts.show_account"))
    elif form.errors:
        status = 422
    return render_template("accounts/change_password.html", form=form, user=user), status


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            request_password_reset(form.email.data, ip=request.remote_addr)
        except TooManyRequests as exc:
            form.email.errors.append(exc.message)
            status = 429
        else:
            db.session.commit()
            return render_template("accounts/reset_sent.html")
    elif form.errors:
        status = 422
    return render_template("accounts/forgot_password.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"], endpoint="reset_password")
def reset_password_page(token: str):
    try:
        user = check_reset_link(token)
    except LinkError as exc:
        return render_template("accounts/link_invalid.html", message=exc.message), 400
    form = NewPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            reset_password(token, form.password.data, ip=request.remote_addr)
        except ValidationError as exc:
            apply_errors(form, exc)
            status = 422
        else:
            db.session.commit()
            session.clear()
            flash(_("Your password is changed. Please sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    elif form.errors:
        status = 422
    return render_template("accounts/reset_password.html", form=form, user=user), status
