"""JSON API of accounts: self-registration, tokens, one's own account."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from registry import db, policy
from registry.accounts.auth import require_api_user
from registry.accounts.models import User
from registry.accounts.service import (
    authenticate,
    change_password,
    register_account,
    update_profile,
)
from registry.accounts.tokens import issue_token, revoke_token
from registry.api import api_blueprint, json_body
from registry.errors import RegistryError, ValidationError

bp = api_blueprint("accounts_api")


def account_dict(user: User) -> dict:
    region = user.region
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "phone": user.phone,
        "role": user.role.value,
        "region": {"code": region.code, "name": region.full_name or region.name}
        if region
        else None,
        "email_confirmed": user.is_email_confirmed,
        "is_active": user.is_active,
        "created_at": user.created_at.isoformat(),
    }


def _strings(data: dict, *names: str) -> dict[str, str]:
    """The named fields, which must be non-empty strings; raises ValidationError."""
    errors = {
        name: _("is required")
        for name in names
        if not isinstance(data.get(name), str) or not data.get(name)
    }
    if errors:
        raise ValidationError(errors)
    return {name: data[name] for name in names}


@bp.post("/accounts")
def create_account():
    """Register a carrier organisation {email, password, name, phone}; emails a link."""
    data = json_body()
    errors = {
        name: _("must be text")
        for name in ("email", "password", "name", "phone")
        if data.get(name) is not None and not isinstance(data.get(name), str)
    }
    if errors:
        raise ValidationError(errors)
    user = register_account(
        email=data.get("email") or "",
        password=data.get("password") or "",
        name=data.get("name") or "",
        phone=data.get("phone") or "",
        ip=request.remote_addr,
    )
    db.session.commit()
    return jsonify(account_dict(user)), 201


@bp.post("/tokens")
def create_token():
    """Sign in {email, password}: a bearer token and when it expires."""
    values = _strings(json_body(), "email", "password")
    try:
        user = authenticate(values["email"], values["password"], ip=request.remote_addr)
    except RegistryError:
        db.session.commit()  # the failed attempt stays in the audit log and the throttle
        raise
    secret, record = issue_token(user)
    db.session.commit()
    return jsonify({"token": secret, "expires_at": record.expires_at.isoformat()}), 201


@bp.delete("/tokens/current")
def delete_token():
    """Sign out: revoke the token of this request."""
    require_api_user()
    revoke_token(g.api_token)
    db.session.commit()
    return "", 204


@bp.get("/account")
def get_account():
    """The signed-in account."""
    return jsonify(account_dict(require_api_user()))


@bp.patch("/account")
def patch_account():
    """Change the name or phone of the signed-in account."""
    user = require_api_user()
    policy.require(policy.can_edit_account(user, user))
    update_profile(user, json_body(), actor_id=user.id)
    db.session.commit()
    return jsonify(account_dict(user))


@bp.put("/account/password")
def put_password():
    """Change one's password; every token (this one included) is revoked."""
    user = require_api_user()
    policy.require(policy.can_edit_account(user, user))
    values = _strings(json_body(), "current_password", "new_password")
    change_password(user, values["current_password"], values["new_password"])
    db.session.commit()
    return "", 204


@bp.get("/account/carriers")
def list_own_carriers():
    """The signed-in carrier organisation's carriers, private ones included."""
    from registry.api import list_response, page_args
    from registry.dashboard.queries import owned_carriers

    user = require_api_user()
    policy.require(policy.can_list_own_carriers(user))
    page, per_page = page_args(request.args)
    rows, total = owned_carriers(user, page, per_page)
    return list_response([row.as_dict() for row in rows], total, page, per_page)
