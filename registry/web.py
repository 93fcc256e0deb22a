"""Web plumbing shared by every page and API: errors, headers, template helpers."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import urlencode

from flask import (
    Flask,
    Response,
    current_app,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import IntegerConverter

from registry import logs
from registry.db import MAX_INT
from registry.errors import RegistryError, fields_summary

log = logging.getLogger("registry")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_json(
    status: int, code: str, message: str, fields: dict | None = None, request_id: str | None = None
) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    if request_id:
        body["request_id"] = request_id
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _handle_registry_error(exc: RegistryError) -> Any:
    if exc.status == 401 and not wants_json():
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if wants_json():
        response = error_json(exc.status, exc.code, exc.message, exc.fields)
    else:
        response = Response(
            render_template(
                "errors/error.html",
                status=exc.status,
                # a page lists the fields: no lead that only repeats them
                message=None if exc.message == fields_summary(exc.fields or {}) else exc.message,
                fields=exc.fields,
            ),
            status=exc.status,
        )
    if getattr(exc, "retry_after", None):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _handle_http_error(exc: HTTPException) -> Any:
    status = exc.code or 500
    if status == 500:
        return server_error(logs.request_id())
    if wants_json():
        message = exc.description or exc.name
        if status == 404:
            message = _("Not found.")
        return error_json(status, _HTTP_CODES.get(status, "error"), message)
    template = "errors/404.html" if status == 404 else "errors/error.html"
    message = exc.description if status not in (404, 500) else None
    return Response(render_template(template, status=status, message=message), status=status)


def _handle_csrf_error(exc: Exception) -> Any:
    message = _(
        "The form has expired or did not come from this site. Reload the page and try again."
    )
    if wants_json():
        return error_json(400, "bad_request", message)
    return Response(render_template("errors/error.html", status=400, message=message), status=400)


def _handle_unexpected(exc: Exception) -> Any:
    rid = logs.request_id()
    log.exception("unhandled error on %s %s (request id %s)", request.method, request.path, rid)
    return server_error(rid)


def server_error(rid: str | None) -> Response:
    """The 500 answer: the request id and nothing else of what went wrong."""
    if wants_json():
        return error_json(500, "server_error", _("Internal server error."), request_id=rid)
    try:
        page = render_template("errors/500.html", status=500, request_id=rid)
    except Exception:
        # the layout asks the database (the signed-in user); when that is what failed, a
        # bare page still gives the request id
        log.exception("the error page failed too (request id %s)", rid)
        page = _BARE_500.format(
            title=escape(_("Server error")),
            heading=escape(_("Something went wrong on our side")),
            label=escape(_("Request ID")),
            rid=escape(rid or ""),
        )
    return Response(page, status=500)


_BARE_500 = (
    '<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><h1>{heading}</h1><p>{label}: <code>{rid}</code></p></body></html>"
)


def _security_headers(response: Response) -> Response:
    headers = response.headers
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    )
    return response


def url_with(_endpoint: str | None = None, **changes: Any) -> str:
    """The current URL (or `_endpoint`'s) with the current query arguments, some changed
    (None removes one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    query = urlencode([(k, v) for k, vs in args.items() for v in vs])
    path = url_for(_endpoint) if _endpoint else request.path
    return path + ("?" + query if query else "")


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for links in emails: REGISTRY_BASE_URL when set, else the request's
    host (outside a request, http://localhost)."""
    base = current_app.config.get("BASE_URL") or ""
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return (base or "http://localhost") + path


def _fmt_date(value: dt.date | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if str(get_locale()).startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日"
    return format_date(value, fmt)


def _fmt_number(value: Any) -> str:
    if value is None:
        return ""
    return format_decimal(value)


# Main navigation: (endpoint, label). Domains append their entries in init_app order.
NAV_ITEMS: list[tuple[str, Any]] = [
    ("public.home", _l("Home")),
    ("public.list_carriers", _l("Find carriers")),
    ("opendata.index", _l("Open data")),
    ("targets.dashboard", _l("Targets")),
]


def nav_items() -> list[tuple[str, str]]:
    return [(endpoint, str(label)) for endpoint, label in NAV_ITEMS]


# The signed-in user's menu: (endpoint, label, shown_to(user)). Domains append entries.
ACCOUNT_MENU: list[tuple[str, Any, Any]] = [
    ("dashboard.my_carriers", _l("My carriers"), lambda u: _policy().can_list_own_carriers(u)),
    ("dashboard.my_region", _l("My region"), lambda u: _policy().home_region(u) is not None),
    (
        "applications.own_list",
        _l("My applications"),
        lambda u: _policy().can_list_own_applications(u),
    ),
    ("applications.queue", _l("Review queue"), lambda u: _policy().can_list_review_queue(u)),
    (
        "reports.review_reports",
        _l("Annual reports"),
        lambda u: _policy().home_region(u) is not None,
    ),
    (
        "evaluations.bulk_grade",
        _l("Evaluations"),
        lambda u: _policy().home_region(u) is not None,
    ),
    ("imports.list_imports", _l("Imports"), lambda user: _policy().can_import(user)),
    (
        "regions.direct_counties_page",
        _l("Counties reporting to the province"),
        lambda u: _policy().can_manage_direct_counties(u),
    ),
    ("admin.list_accounts", _l("Accounts"), lambda u: _policy().can_manage_users(u)),
    ("accounts.show_account", _l("My account"), lambda _u: True),
]


def _policy() -> Any:
    from registry import policy

    return policy


def _manages_plans(user: Any) -> bool:
    from registry.policy import can_manage_plans

    return can_manage_plans(user)


ACCOUNT_MENU.append(("targets.new_plan", _l("New plan"), _manages_plans))
ACCOUNT_MENU.append(("targets.extract", _l("Extract targets from a policy text"), _manages_plans))


def account_menu_items(user: Any) -> list[tuple[str, str]]:
    return [(endpoint, str(label)) for endpoint, label, shown in ACCOUNT_MENU if shown(user)]


def region_picker_labels() -> str:
    """The region picker's select labels, as a JSON string for a data- attribute."""
    import json

    labels = [_("Province"), _("City"), _("County or district"), _("Whole country")]
    return json.dumps(labels, ensure_ascii=False)


def all_levels() -> list:
    from registry.carriers.levels import Level

    return list(reversed(Level))


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in URLs, bounded by what the database can hold: a larger number names
    nothing, so its URL is a 404 rather than an out-of-range error from the database. The
    404 is raised here because Werkzeug takes a failed conversion for "this rule does not
    match" and answers 405 when a rule for another method on the same path exists."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_INT:
            raise NotFound()
        return number


class YearConverter(IntegerConverter):
    """`<year:...>`: a year a date can have (1 to 9999, which a smallint column holds too);
    another names nothing, so its URL is a 404. Whether the registry keeps a report or a
    grade for a year within is the service's rule (404, or 422 naming `year`)."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if not dt.MINYEAR <= number <= dt.MAXYEAR:
            raise NotFound()
        return number


def init_app(app: Flask) -> None:
    # before any blueprint's rules
    app.url_map.converters.update(int=BoundedIntConverter, year=YearConverter)
    app.register_error_handler(RegistryError, _handle_registry_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    if not app.config.get("TESTING") or not app.config.get("PROPAGATE_EXCEPTIONS"):
        app.register_error_handler(Exception, _handle_unexpected)
    app.after_request(_security_headers)
    app.jinja_env.globals.update(
        url_with=url_with,
        get_locale=get_locale,
        nav_items=nav_items,
        account_menu_items=account_menu_items,
        all_levels=all_levels,
        region_picker_labels=region_picker_labels,
    )
    app.jinja_env.filters.update(date=_fmt_date, number=_fmt_number)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
