"""Sign-in and sign-out pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from registry import db
from registry.accounts import bp
from registry.accounts.auth import current_user, password_version
from registry.accounts.forms import EmptyForm, LoginForm
from registry.accounts.service import authenticate
from registry.errors import RegistryError


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user() is not None and request.method == "GET":
        return redirect(safe_next(form.next.data, url_for("public.home")))
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, ip=request.remote_addr)
        except RegistryError as exc:
            db.session.commit()  # keep the failed attempt in the audit log
            form.password.errors.append(exc.message)
        else:
            db.session.commit()
            session.clear()
            login_user(user)
            session["pwv"] = password_version(user)
            flash(_("Signed in as %(email)s.", email=user.email), "success")
            return redirect(safe_next(form.next.data, url_for("public.home")))
    status = 401 if request.method == "POST" and form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
        flash(_("Signed out."), "info")
    return redirect(url_for("public.home"))
