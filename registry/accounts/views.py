"""Pages to sign in and out, and to register an organisation and confirm its email."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from registry import db, policy
from registry.accounts import bp
from registry.accounts.auth import current_user, password_version
from registry.accounts.forms import EmptyForm, LoginForm, SignUpForm
from registry.accounts.recovery import (
    LinkError,
    confirm_email,
    notify_existing_account,
    send_confirmation,
)
from registry.accounts.service import (
    EmailTaken,
    authenticate,
    record_sign_out,
    register_account,
)
from registry.errors import RegistryError, TooManyRequests, ValidationError
from registry.forms import apply_errors


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def home_for(user) -> str:
    """Where a user lands after signing in."""
    if policy.can_list_own_carriers(user):
        return url_for("dashboard.my_carriers")
    if policy.home_region(user) is not None:
        return url_for("dashboard.my_region")
    return url_for("public.home")


def start_session(user) -> None:
    """A fresh session for `user` (never reuse the anonymous one: session fixation)."""
    session.clear()
    login_user(user)
    session["pwv"] = password_version(user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user() is not None and request.method == "GET":
        return redirect(safe_next(form.next.data, home_for(current_user())))
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, ip=request.remote_addr)
        except RegistryError as exc:
            db.session.commit()  # keep the failed attempt in the audit log and the throttle
            form.password.errors.append(exc.message)
            status = exc.status
        else:
            db.session.commit()
            start_session(user)
            flash(_("Signed in as %(email)s.", email=user.email), "success")
            if user.must_change_password:
                return redirect(url_for("accounts.change_password"))
            return redirect(safe_next(form.next.data, home_for(user)))
    elif form.errors:
        status = 422
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        user = current_user()
        if user is not None:
            record_sign_out(user, ip=request.remote_addr)
            db.session.commit()
        logout_user()
        session.clear()
        flash(_("Signed out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user() is not None:
        return redirect(home_for(current_user()))
    form = SignUpForm()
    status = 200
    if form.validate_on_submit():
        try:
            register_account(
                email=form.email.data,
                password=form.password.data,
                name=form.name.data,
                phone=form.phone.data,
                ip=request.remote_addr,
            )
        except EmailTaken:
            # the page must not tell who has an account: the owner gets an email instead
            notify_existing_account(form.email.data)
            db.session.commit()
            return redirect(url_for("accounts.signup_sent"))
        except ValidationError as exc:
            apply_errors(form, exc)
            status = 422
        except TooManyRequests as exc:
            form.form_errors.append(exc.message)
            status = 429
        else:
            db.session.commit()
            return redirect(url_for("accounts.signup_sent"))
    elif form.errors:
        status = 422
    return render_template("accounts/signup.html", form=form), status


@bp.get("/signup/sent")
def signup_sent():
    return render_template("accounts/signup_sent.html")


@bp.get("/account/confirm/<token>", endpoint="confirm_email")
def confirm_email_link(token: str):
    try:
        user = confirm_email(token)
    except LinkError as exc:
        return render_template("accounts/link_invalid.html", message=exc.message), 400
    db.session.commit()
    flash(_("Your email address is confirmed."), "success")
    signed_in = current_user()
    if signed_in is not None and signed_in.id == user.id:
        return redirect(home_for(user))
    return redirect(url_for("accounts.login"))


@bp.post("/account/confirmation")
def resend_confirmation():
    user = policy.require_signed_in(current_user())
    form = EmptyForm()
    if form.validate_on_submit() and not user.is_email_confirmed:
        send_confirmation(user)
        db.session.commit()
        flash(_("We have sent a new confirmation link to %(email)s.", email=user.email), "info")
    return redirect(url_for("accounts.show_account"))


from registry.accounts import self_service  # noqa: E402,F401
