"""Views of the public pages (read only, no sign-in)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import current_app, make_response, redirect, render_template, request, url_for

from registry import policy
from registry.accounts.auth import current_user
from registry.carriers.api import export_response
from registry.carriers.detail import carrier_detail
from registry.carriers.levels import Level
from registry.carriers.params import parse_listing_request
from registry.carriers.queries import (
    SORTS,
    ListingFilters,
    latest_recognitions,
    public_carriers,
)
from registry.carriers.service import get_carrier, list_carrier_types
from registry.carriers.workspace import private_panel
from registry.httpcache import public_etag
from registry.public import bp
from registry.public.summary import summary_for
from registry.regions.service import children, country, get_region


@bp.get("/")
@public_etag
def home():
    summary = summary_for(None)
    return render_template(
        "public/home.html",
        summary=summary,
        latest=latest_recognitions(10),
        provinces=children(country()),
    )


@bp.get("/carriers")
@public_etag
def list_carriers():
    filters, page, per_page = parse_listing_request(request.args)
    listing = public_carriers(filters, page, per_page)
    return render_template(
        "public/carriers.html",
        listing=listing,
        filters=filters,
        types=list_carrier_types(),
        levels=list(reversed(Level)),
        sorts=SORTS,
        region_path=[*filters.region.ancestors(), filters.region] if filters.region else [],
    )


@bp.get("/carriers/export")
@public_etag
def export_carriers():
    return export_response(request.args)


@bp.get("/carriers/<int:carrier_id>")
@public_etag
def show_carrier(carrier_id: int):
    user = current_user()
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    private = reports = None
    if policy.can_view_private_fields(user, carrier):
        private = private_panel(user, carrier)
    if policy.can_view_reports(user, carrier):
        from registry.reports.queries import report_history

        reports = report_history(carrier)
    return render_template(
        "public/carrier.html",
        detail=carrier_detail(carrier),
        private=private,
        reports=reports,
        may_file=policy.can_file_report(user, carrier),
        today=dt.date.today(),
    )


@bp.get("/regions/<code>")
@public_etag
def show_region(code: str):
    region = get_region(code)
    return render_template(
        "public/region.html",
        region=region,
        path=region.ancestors(),
        summary=summary_for(region),
        listing=public_carriers(ListingFilters(region=region), 1, 10),
    )


@bp.get("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="img/favicon.svg"), code=301)


@bp.get("/lang/<code>")
def set_language(code: str):
    target = request.args.get("next") or url_for("public.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        target = url_for("public.home")
    response = make_response(redirect(target))
    if code in ("zh", "en"):
        response.set_cookie(
            "lang",
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response
