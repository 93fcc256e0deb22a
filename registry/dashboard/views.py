"""The workspaces: "my carriers" for a carrier account, "my region" for a reviewer."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import policy
from registry.accounts.auth import current_user
from registry.accounts.forms import EmptyForm
from registry.api import page_args
from registry.dashboard import bp
from registry.dashboard.panels import owner_panels, region_panels
from registry.dashboard.queries import (
    REGION_FILTERS,
    child_counts,
    owned_carriers,
    status_counts,
)
from registry.dashboard.queries import (
    region_carriers as query_region_carriers,
)
from registry.errors import NotFound, ValidationError
from registry.regions.models import Region
from registry.regions.service import find_region

FILTER_LABELS = {
    "unrecognized": _l("Not yet recognised"),
    "recognized": _l("Recognised"),
    "revoked": _l("Revoked"),
    "needs_region_review": _l("Region to complete"),
    "credit_code": _l("Credit codes to verify"),
}


@bp.get("/carriers")
def my_carriers():
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_list_own_carriers(user))
    page, per_page = page_args(request.args, default_per_page=50)
    rows, total = owned_carriers(user, page, per_page)
    return render_template(
        "dashboard/my_carriers.html",
        user=user,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // per_page)),
        panels=owner_panels(user),
        may_create=policy.can_create_carrier(user),
        resend=EmptyForm(),
    )


def _region_arg(user) -> Region:
    """The region asked for (default: the user's own), which the user must oversee."""
    home = policy.home_region(user)
    policy.require(home is not None)
    code = (request.args.get("region") or "").strip()
    region = find_region(code) if code else home
    if region is None:
        raise NotFound(_("No region has the code %(code)s.", code=code))
    policy.require(policy.can_oversee_region(user, region))
    return region


@bp.get("/region")
def my_region():
    user = policy.require_signed_in(current_user())
    region = _region_arg(user)
    home = policy.home_region(user)
    path = [r for r in region.ancestors() if policy.can_oversee_region(user, r)]
    return render_template(
        "dashboard/my_region.html",
        region=region,
        home=home,
        path=path,
        counts=status_counts(region),
        children=child_counts(region),
        panels=region_panels(user, region),
    )


@bp.get("/region/carriers")
def region_carriers():
    user = policy.require_signed_in(current_user())
    region = _region_arg(user)
    which = request.args.get("which") or "unrecognized"
    if which not in REGION_FILTERS:
        raise ValidationError(
            {"which": _("must be one of %(values)s", values=", ".join(REGION_FILTERS))}
        )
    page, per_page = page_args(request.args, default_per_page=50)
    rows, total = query_region_carriers(region, which, page, per_page)
    return render_template(
        "dashboard/region_carriers.html",
        region=region,
        which=which,
        filters=FILTER_LABELS,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // per_page)),
    )
