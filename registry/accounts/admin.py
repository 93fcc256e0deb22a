"""Administrators' pages: accounts of reviewers and admins, deactivation, password resets."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry import db, policy
from registry.accounts.auth import current_user
from registry.accounts.forms import AdminPasswordForm, EmptyForm, StaffForm, UserFilterForm
from registry.accounts.models import Role, User
from registry.accounts.queries import account_events, list_users
from registry.accounts.service import create_user, get_user, set_active, set_password_by_admin
from registry.api import page_args
from registry.errors import ValidationError
from registry.forms import apply_errors

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _admin() -> User:
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_manage_users(user))
    return user


@bp.get("/users")
def list_accounts():
    _admin()
    form = UserFilterForm(request.args)
    page, per_page = page_args(request.args, default_per_page=50)
    role = Role(form.role.data) if form.role.data in Role.values() else None
    users, total = list_users(
        q=form.q.data or "",
        role=role,
        active_only=bool(form.active.data),
        page=page,
        per_page=per_page,
    )
    pages = max(1, -(-total // per_page))
    return render_template(
        "accounts/admin/users.html", form=form, users=users, total=total, page=page, pages=pages
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_account():
    admin = _admin()
    form = StaffForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = create_user(
                email=form.email.data,
                password=form.password.data,
                role=form.role.data,
                region=form.region.data or None,
                name=form.name.data or "",
                phone=form.phone.data or "",
                actor_id=admin.id,
                confirmed=True,  # an administrator vouches for the address
                must_change_password=True,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            status = 422
        else:
            db.session.commit()
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.show_account", user_id=user.id))
    elif form.errors:
        status = 422
    return render_template("accounts/admin/new_user.html", form=form), status


@bp.get("/users/<int:user_id>")
def show_account(user_id: int):
    admin = _admin()
    user = get_user(user_id)
    return render_template(
        "accounts/admin/user.html",
        user=user,
        events=account_events(user),
        password_form=AdminPasswordForm(),
        button=EmptyForm(),
        is_self=user.id == admin.id,
    )


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_account(user_id: int):
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
def reactivate_account(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    admin = _admin()
    user = get_user(user_id)
    if EmptyForm().validate_on_submit():
        try:
            set_active(user, active, actor=admin)
        except ValidationError as exc:
            flash(next(iter(exc.fields.values()), exc.message), "danger")
        else:
            db.session.commit()
            message = _("Account reactivated.") if active else _("Account deactivated.")
            flash(message, "success")
    return redirect(url_for("admin.show_account", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
def reset_account_password(user_id: int):
    admin = _admin()
    user = get_user(user_id)
    form = AdminPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_by_admin(user, form.password.data, actor=admin)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Password set. The user must choose a new one at the next sign-in."), "success")
            return redirect(url_for("admin.show_account", user_id=user.id))
    page = render_template(
        "accounts/admin/user.html",
        user=user,
        events=account_events(user),
        password_form=form,
        button=EmptyForm(),
        is_self=user.id == admin.id,
    )
    return page, 422
