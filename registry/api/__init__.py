"""The JSON API's shared parts: the /api/v1 blueprint, body and paging helpers, OpenAPI."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from registry.db import MAX_INT
from registry.errors import BadRequest, ValidationError

API_PREFIX = "/api/v1"
MAX_PER_PAGE = 100

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)


def api_blueprint(name: str) -> Blueprint:
    """A blueprint under /api/v1 for a domain's API (token auth, so no CSRF)."""
    from registry import csrf

    blueprint = Blueprint(name, __name__, url_prefix=API_PREFIX)
    csrf.exempt(blueprint)
    return blueprint


def json_body() -> dict[str, Any]:
    """The request's JSON object; raises BadRequest when it is missing or malformed."""
    data = request.get_json(silent=True, force=True)
    if data is None:
        raise BadRequest(_("The request body must be a JSON object."))
    if not isinstance(data, dict):
        raise BadRequest(_("The request body must be a JSON object."))
    return data


def int_arg(args: Any, name: str, default: int, minimum: int = 1, maximum: int = MAX_INT) -> int:
    """A whole-number query argument within [minimum, maximum] (by default what the
    database's integer columns hold); raises ValidationError naming it."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: _("must be a whole number")}) from None
    if value < minimum:
        raise ValidationError({name: _("must be at least %(n)d", n=minimum)})
    if value > maximum:
        raise ValidationError({name: _("must be at most %(n)d", n=maximum)})
    return value


def page_args(args: Any, default_per_page: int = 20) -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1..100) from query arguments; raises ValidationError."""
    page = int_arg(args, "page", 1)
    per_page = int_arg(args, "per_page", default_per_page, maximum=MAX_PER_PAGE)
    return page, per_page


def list_response(items: list, total: int, page: int, per_page: int, **extra: Any):
    return jsonify({"items": items, "total": total, "page": page, "per_page": per_page, **extra})


@bp.get("/openapi.json")
def openapi_document():
    from registry.api.openapi import build_document

    return jsonify(build_document())
