"""Paste a policy text, get its candidate targets, confirm, edit and save them in one step."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from registry import db, policy
from registry.accounts.auth import current_user
from registry.errors import Conflict, ValidationError
from registry.regions.service import find_region, is_within
from registry.targets import bp, extraction, params, service
from registry.targets.forms import ConfirmForm, ExtractForm, apply_errors
from registry.targets.models import Plan
from registry.targets.web import region_options
from registry.validation import key_from

TARGET_ERROR = re.compile(r"^targets\[(\d+)\]\.(\w+)$")


def _plan_arg() -> Plan | None:
    plan_id = params.plan_id_arg(request.values)
    return service.get_plan(plan_id) if plan_id is not None else None


def _page(template: str, status: int = 200, **context):
    user = current_user()
    plan = context.get("plan")
    within = plan.region if plan is not None else None
    html = render_template(template, regions=region_options(user, within=within), **context)
    return html, status


@bp.route("/plans/extract", methods=["GET", "POST"])
@login_required
def extract():
    user = current_user()
    policy.require(policy.can_manage_plans(user))
    plan = _plan_arg()
    if plan is not None:
        policy.require(policy.can_manage_plan(user, plan))
    form = ExtractForm()
    if request.method == "GET" and plan is not None:
        form.text.data, form.region.data = plan.text, plan.region.code
    if not form.validate_on_submit():
        return _page("targets/extract.html", 422 if form.errors else 200, form=form, plan=plan)
    text = (form.text.data or "").strip()
    region = find_region(form.region.data) if form.region.data else None
    if not text or len(text) > extraction.MAX_TEXT or (form.region.data and region is None):
        _text_errors(form, text, region)
        return _page("targets/extract.html", 422, form=form, plan=plan)
    result = extraction.extract(text, region=region or (plan.region if plan else None))
    return _page("targets/confirm.html", form=_confirm_form(result, text, plan), plan=plan)


def _text_errors(form: ExtractForm, text: str, region) -> None:
    if not text:
        form.text.errors = [_("is required")]
    elif len(text) > extraction.MAX_TEXT:
        form.text.errors = [_("must be at most %(n)d characters", n=extraction.MAX_TEXT)]
    if form.region.data and region is None:
        form.region.errors = [_("no region has the code %(code)s", code=form.region.data)]


def _confirm_form(result: extraction.Extraction, text: str, plan: Plan | None) -> ConfirmForm:
    guess = result.plan
    data = {
        "plan_id": str(plan.id) if plan else "",
        "title": guess.title or "",
        "document_no": guess.document_no or "",
        "region": guess.region.code if guess.region else "",
        "issued_on": guess.issued_on.isoformat() if guess.issued_on else "",
        "period_start": guess.period_start.isoformat() if guess.period_start else "",
        "period_end": guess.period_end.isoformat() if guess.period_end else "",
        "text": text,
    }
    form = ConfirmForm(formdata=None, data=data)
    for candidate in result.candidates:
        row = candidate.payload()
        row["min_level"] = row["min_level"] or "county"
        if plan is not None and not (candidate.region and is_within(candidate.region, plan.region)):
            row["region"] = plan.region.code
        form.candidates.append_entry({**row, "include": True})
    return form


@bp.post("/plans/extract/save")
@login_required
def save_extracted():
    user = current_user()
    policy.require(policy.can_manage_plans(user))
    form = ConfirmForm()
    plan_id = key_from(form.plan_id.data)
    plan = service.get_plan(plan_id) if plan_id else None
    if plan is not None:
        policy.require(policy.can_manage_plan(user, plan))
    if not form.validate_on_submit():
        return _page("targets/confirm.html", 422, form=form, plan=plan)
    kept = [i for i, entry in enumerate(form.candidates) if entry.form.include.data]
    rows = [form.candidates[i].form.payload() for i in kept]
    try:
        if plan is not None:
            service.create_targets(plan, rows, actor_id=user.id)
        else:
            policy.require(policy.can_create_plan(user, find_region(form.region.data)))
            plan = service.create_plan(form.payload(), actor_id=user.id, targets=rows)
    except (ValidationError, Conflict) as exc:
        db.session.rollback()
        _confirm_errors(form, exc, kept)
        return _page("targets/confirm.html", exc.status, form=form, plan=plan)
    db.session.commit()
    flash(_("Saved %(n)d targets.", n=len(rows)), "success")
    return redirect(url_for("targets.show_plan", plan_id=plan.id))


def _confirm_errors(form: ConfirmForm, exc: ValidationError | Conflict, kept: list[int]) -> None:
    """Plan errors at the plan's fields, target i's at the i-th kept candidate's fields."""
    plan_errors = {}
    for name, message in (exc.fields or {"form": exc.message}).items():
        m = TARGET_ERROR.match(name)
        if m and int(m.group(1)) < len(kept):
            entry = form.candidates[kept[int(m.group(1))]].form
            field = getattr(entry, m.group(2), None)
            if field is not None:
                field.errors = [*field.errors, message]
                continue
        plan_errors[name] = message
    if plan_errors:
        apply_errors(form, ValidationError(plan_errors))
