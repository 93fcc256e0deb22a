"""Bureau pages about regions: the counties reporting directly to the province (扩权县)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from registry import db, policy
from registry.accounts.auth import current_user
from registry.accounts.forms import EmptyForm
from registry.errors import ValidationError
from registry.forms import apply_errors
from registry.regions.service import (
    direct_counties,
    find_region,
    get_region,
    set_direct_to_province,
)

bp = Blueprint("regions", __name__, url_prefix="/admin/direct-counties")


class DirectCountyForm(FlaskForm):
    """A county to mark as reporting directly to the province."""

    region = StringField(_l("County"))


def _user():
    user = policy.require_signed_in(current_user())
    policy.require(policy.can_manage_direct_counties(user))
    return user


@bp.route("/", methods=["GET", "POST"])
def direct_counties_page():
    user = _user()
    form = DirectCountyForm()
    status = 200
    if form.validate_on_submit():
        region = find_region(form.region.data or "")
        try:
            if region is None:
                raise ValidationError({"region": _("choose a county")})
            policy.require(policy.can_mark_direct_to_province(user, region))
            set_direct_to_province(region, True, actor_id=user.id)
        except ValidationError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            status = 422
        else:
            db.session.commit()
            flash(
                _("%(name)s now reports directly to the province.", name=region.full_name),
                "success",
            )
            return redirect(url_for("regions.direct_counties_page"))
    within = None if policy.is_admin(user) else user.region
    return render_template(
        "regions/direct.html",
        form=form,
        counties=direct_counties(within),
        remove=EmptyForm(),
        within=within,
    ), status


@bp.post("/<code>/remove")
def remove_direct_county(code: str):
    user = _user()
    region = get_region(code)
    policy.require(policy.can_mark_direct_to_province(user, region))
    if EmptyForm().validate_on_submit():
        set_direct_to_province(region, False, actor_id=user.id)
        db.session.commit()
        flash(_("%(name)s reports via its city again.", name=region.full_name), "success")
    return redirect(url_for("regions.direct_counties_page"))
