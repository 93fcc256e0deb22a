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
    require_api_user()
    revoke_token(g.api_token)
    db.session.commit()
    return "", 204


@bp.get("/account")
def get_account():
    return jsonify(account_dict(require_api_user()))


@bp.patch("/account")
def patch_account():
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
    from registry.api import list_response, page_args
    from registry.dashboard.queries import owned_carriers

    user = require_api_user()
    policy.require(policy.can_list_own_carriers(user))
    page, per_page = page_args(request.args)
    rows, total = owned_carriers(user, page, per_page)
    return list_response([row.as_dict() for row in rows], total, page, per_page)


_ACCOUNT = {
    "type": "object",
    "required": ["id", "email", "name", "phone", "role", "region", "email_confirmed"],
    "properties": {
        "id": {"type": "integer"},
        "email": {"type": "string"},
        "name": {"type": "string"},
        "phone": {"type": "string"},
        "role": {"type": "string", "enum": ["carrier", "reviewer", "admin"]},
        "region": {
            "type": "object",
            "nullable": True,
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
        },
        "email_confirmed": {"type": "boolean"},
        "is_active": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
    },
}

OPENAPI_SCHEMAS = {
    "Token": {
        "type": "object",
        "required": ["token", "expires_at"],
        "properties": {
            "token": {"type": "string"},
            "expires_at": {"type": "string", "format": "date-time"},
        },
    },
    "Credentials": {
        "type": "object",
        "required": ["email", "password"],
        "properties": {"email": {"type": "string"}, "password": {"type": "string"}},
    },
    "Registration": {
        "type": "object",
        "required": ["email", "password", "name", "phone"],
        "properties": {
            "email": {"type": "string"},
            "password": {
                "type": "string",
                "description": "At least 10 characters, not all digits, not the email",
            },
            "name": {"type": "string", "description": "The operating organisation"},
            "phone": {"type": "string"},
        },
    },
    "Account": _ACCOUNT,
    "AccountChange": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"name": {"type": "string"}, "phone": {"type": "string"}},
    },
    "PasswordChange": {
        "type": "object",
        "required": ["current_password", "new_password"],
        "properties": {
            "current_password": {"type": "string"},
            "new_password": {"type": "string"},
        },
    },
    "OwnCarrier": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "type_name": {"type": "string"},
            "region": {"type": "string"},
            "status": {"type": "string", "enum": ["recognized", "revoked", "unrecognized"]},
            "level": {"type": "string", "nullable": True},
            "credit_code_status": {"type": "string"},
            "needs_region_review": {"type": "boolean"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
}


def _openapi_paths() -> dict:
    from registry.api.openapi import BEARER, PAGING, error_response, json_content, list_of, ok, ref

    signed_in = {"401": error_response("No valid token")}
    return {
        "/accounts": {
            "post": {
                "summary": "Self-registration of a carrier organisation; a confirmation link "
                "is emailed",
                "tags": ["accounts"],
                "requestBody": {"required": True, "content": json_content(ref("Registration"))},
                "responses": {
                    "201": ok("The new account", ref("Account")),
                    "400": error_response("The body is not a JSON object"),
                    "409": error_response("An account has this email"),
                    "422": error_response("Invalid fields, each named"),
                    "429": error_response("Too many sign-ups from this address"),
                },
            }
        },
        "/tokens": {
            "post": {
                "summary": "Sign in: a bearer token for the API",
                "tags": ["accounts"],
                "requestBody": {"required": True, "content": json_content(ref("Credentials"))},
                "responses": {
                    "201": ok("A new token", ref("Token")),
                    "400": error_response("The body is not a JSON object"),
                    "401": error_response("Wrong email or password"),
                    "403": error_response("The account is deactivated"),
                    "422": error_response("A field is missing"),
                    "429": error_response("Too many failed sign-ins; see Retry-After"),
                },
            }
        },
        "/tokens/current": {
            "delete": {
                "summary": "Sign out: revoke the token of this request",
                "tags": ["accounts"],
                "security": BEARER,
                "responses": {"204": {"description": "Revoked"}, **signed_in},
            }
        },
        "/account": {
            "get": {
                "summary": "The signed-in account",
                "tags": ["accounts"],
                "security": BEARER,
                "responses": {"200": ok("The account", ref("Account")), **signed_in},
            },
            "patch": {
                "summary": "Change the signed-in account's name or phone",
                "tags": ["accounts"],
                "security": BEARER,
                "requestBody": {"required": True, "content": json_content(ref("AccountChange"))},
                "responses": {
                    "200": ok("The account", ref("Account")),
                    **signed_in,
                    "422": error_response("Invalid fields, each named"),
                },
            },
        },
        "/account/password": {
            "put": {
                "summary": "Change one's password; every token, this one included, is revoked",
                "tags": ["accounts"],
                "security": BEARER,
                "requestBody": {"required": True, "content": json_content(ref("PasswordChange"))},
                "responses": {
                    "204": {"description": "Changed"},
                    **signed_in,
                    "422": error_response("Wrong current password, or a refused new one"),
                },
            }
        },
        "/account/carriers": {
            "get": {
                "summary": "The signed-in carrier organisation's carriers, private ones included",
                "tags": ["accounts"],
                "security": BEARER,
                "parameters": PAGING,
                "responses": {
                    "200": ok("A page of carriers", list_of(ref("OwnCarrier"))),
                    **signed_in,
                    "403": error_response("Not a carrier account"),
                },
            }
        },
    }


OPENAPI_PATHS = _openapi_paths()
