"""Bureau pages: create and edit plans and targets, enter manual targets' figures."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from registry import db, policy
from registry.accounts.auth import current_user
from registry.accounts.forms import EmptyForm
from registry.errors import Conflict, ValidationError
from registry.regions.service import find_region
from registry.targets import bp, inputs, service
from registry.targets.forms import PlanForm, TargetForm, ValueForm, apply_errors
from registry.targets.models import Plan, Target
from registry.targets.views import render_target
from registry.targets.web import region_options


def _failed(form, exc: ValidationError | Conflict) -> int:
    """Undo what the service began and show its messages at the fields."""
    db.session.rollback()
    apply_errors(form, ValidationError(exc.fields or {"form": exc.message}))
    return exc.status


def _plan_page(form: PlanForm, plan: Plan | None, status: int = 200):
    html = render_template(
        "targets/plan_form.html", form=form, plan=plan, regions=region_options(current_user())
    )
    return html, status


@bp.route("/plans/new", methods=["GET", "POST"])
@login_required
def new_plan():
    user = current_user()
    policy.require(policy.can_manage_plans(user))
    form = PlanForm()
    if not form.validate_on_submit():
        if not form.region.data and user.region is not None:
            form.region.data = user.region.code
        return _plan_page(form, None, 422 if form.errors else 200)
    policy.require(policy.can_create_plan(user, find_region(form.region.data)))
    try:
        plan = service.create_plan(form.payload(), actor_id=user.id)
    except (ValidationError, Conflict) as exc:
        return _plan_page(form, None, _failed(form, exc))
    db.session.commit()
    flash(_("Plan saved. Add its targets, or extract them from its text."), "success")
    return redirect(url_for("targets.show_plan", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit_plan(plan_id: int):
    user = current_user()
    plan = service.get_plan(plan_id)
    policy.require(policy.can_manage_plan(user, plan))
    form = PlanForm(data=inputs.plan_payload(plan))
    if not form.validate_on_submit():
        return _plan_page(form, plan, 422 if form.errors else 200)
    policy.require(policy.can_create_plan(user, find_region(form.region.data)))
    try:
        service.update_plan(plan, form.payload(), actor_id=user.id)
    except (ValidationError, Conflict) as exc:
        return _plan_page(form, plan, _failed(form, exc))
    db.session.commit()
    flash(_("Plan saved."), "success")
    return redirect(url_for("targets.show_plan", plan_id=plan.id))


@bp.post("/plans/<int:plan_id>/delete")
@login_required
def delete_plan(plan_id: int):
    user = current_user()
    plan = service.get_plan(plan_id)
    policy.require(policy.can_manage_plan(user, plan))
    if EmptyForm().validate_on_submit():
        service.delete_plan(plan, actor_id=user.id)
        db.session.commit()
        flash(_("Plan deleted with its targets."), "info")
    return redirect(url_for("targets.dashboard"))


def _target_page(form: TargetForm, plan: Plan, target: Target | None, status: int = 200):
    html = render_template(
        "targets/target_form.html",
        form=form,
        plan=plan,
        target=target,
        regions=region_options(current_user(), within=plan.region),
    )
    return html, status


def _new_target_defaults(plan: Plan) -> dict:
    start = plan.period_start or plan.issued_on
    return {
        "region": plan.region.code,
        "metric": "count_recognized",
        "min_level": "county",
        "period_start": start.isoformat() if start else "",
        "deadline": plan.period_end.isoformat() if plan.period_end else "",
    }


@bp.route("/plans/<int:plan_id>/targets/new", methods=["GET", "POST"])
@login_required
def new_target(plan_id: int):
    user = current_user()
    plan = service.get_plan(plan_id)
    policy.require(policy.can_manage_plan(user, plan))
    form = TargetForm(data=_new_target_defaults(plan))
    if not form.validate_on_submit():
        return _target_page(form, plan, None, 422 if form.errors else 200)
    try:
        target = service.create_target(plan, form.payload(), actor_id=user.id)
    except ValidationError as exc:
        return _target_page(form, plan, None, _failed(form, exc))
    db.session.commit()
    flash(_("Target saved."), "success")
    return redirect(url_for("targets.show_target", target_id=target.id))


def _form_data(target: Target) -> dict:
    data = inputs.target_payload(target)
    for name in ("period_start", "deadline"):
        data[name] = data[name].isoformat()
    data["value"] = format(target.value.normalize(), "f")
    data["max_level"] = data["max_level"] or ""
    return data


@bp.route("/targets/<int:target_id>/edit", methods=["GET", "POST"])
@login_required
def edit_target(target_id: int):
    user = current_user()
    target = service.get_target(target_id)
    policy.require(policy.can_manage_target(user, target))
    form = TargetForm(data=_form_data(target))
    if not form.validate_on_submit():
        return _target_page(form, target.plan, target, 422 if form.errors else 200)
    try:
        service.update_target(target, form.payload(), actor_id=user.id)
    except ValidationError as exc:
        return _target_page(form, target.plan, target, _failed(form, exc))
    db.session.commit()
    flash(_("Target saved."), "success")
    return redirect(url_for("targets.show_target", target_id=target.id))


@bp.post("/targets/<int:target_id>/delete")
@login_required
def delete_target(target_id: int):
    user = current_user()
    target = service.get_target(target_id)
    policy.require(policy.can_manage_target(user, target))
    plan_id = target.plan_id
    if EmptyForm().validate_on_submit():
        service.delete_target(target, actor_id=user.id)
        db.session.commit()
        flash(_("Target deleted."), "info")
    return redirect(url_for("targets.show_plan", plan_id=plan_id))


@bp.post("/targets/<int:target_id>/values")
@login_required
def add_value(target_id: int):
    user = current_user()
    target = service.get_target(target_id)
    policy.require(policy.can_manage_target(user, target))
    form = ValueForm()
    if not form.validate_on_submit():
        return render_target(target, form, 422)
    data = {"recorded_on": form.recorded_on.data, "value": form.value.data, "note": form.note.data}
    try:
        service.record_value(target, data, actor_id=user.id)
    except ValidationError as exc:
        return render_target(target, form, _failed(form, exc))
    db.session.commit()
    flash(_("Figure saved."), "success")
    return redirect(url_for("targets.show_target", target_id=target.id))


@bp.post("/targets/<int:target_id>/values/<int:value_id>/delete")
@login_required
def delete_value(target_id: int, value_id: int):
    user = current_user()
    target = service.get_target(target_id)
    policy.require(policy.can_manage_target(user, target))
    entry = next((v for v in target.values if v.id == value_id), None)
    if entry is not None and EmptyForm().validate_on_submit():
        service.delete_value(entry, actor_id=user.id)
        db.session.commit()
        flash(_("Figure removed."), "info")
    return redirect(url_for("targets.show_target", target_id=target.id))
