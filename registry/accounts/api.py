"""JSON API of accounts: tokens."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from registry import db
from registry.accounts.auth import require_api_user
from registry.accounts.service import authenticate
from registry.accounts.tokens import issue_token, revoke_token
from registry.api import api_blueprint, json_body
from registry.errors import ValidationError

bp = api_blueprint("accounts_api")


@bp.post("/tokens")
def create_token():
    data = json_body()
    errors = {
        name: _("is required")
        for name in ("email", "password")
        if not isinstance(data.get(name), str) or not data.get(name)
    }
    if errors:
        raise ValidationError(errors)
    try:
        user = authenticate(data["email"], data["password"], ip=request.remote_addr)
    except Exception:
        db.session.commit()  # the failed attempt stays in the audit log
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
}


def _openapi_paths() -> dict:
    from registry.api.openapi import BEARER, error_response, json_content, ok, ref

    return {
        "/tokens": {
            "post": {
                "summary": "Sign in: a bearer token for the API",
                "tags": ["accounts"],
                "requestBody": {"required": True, "content": json_content(ref("Credentials"))},
                "responses": {
                    "201": ok("A new token", ref("Token")),
                    "400": error_response("The body is not a JSON object"),
                    "401": error_response("Wrong email or password"),
                    "422": error_response("A field is missing"),
                },
            }
        },
        "/tokens/current": {
            "delete": {
                "summary": "Sign out: revoke the token of this request",
                "tags": ["accounts"],
                "security": BEARER,
                "responses": {
                    "204": {"description": "Revoked"},
                    "401": error_response("No valid token"),
                },
            }
        },
    }


OPENAPI_PATHS = _openapi_paths()
