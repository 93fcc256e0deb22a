"""Public pages of plans and targets: the dashboard, a target with its breakdown, a plan."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import render_template, request, url_for
from flask_babel import gettext as _

from registry import policy
from registry.accounts.auth import current_user
from registry.api import page_args
from registry.errors import ValidationError
from registry.httpcache import public_etag
from registry.regions.models import Region
from registry.targets import bp, params, queries, service
from registry.targets.forms import AsOfForm, ValueForm, apply_errors
from registry.targets.models import Metric, Target, TargetStatus
from registry.targets.progress import Progress


def _as_of(form: AsOfForm) -> dt.date:
    """The as-of date asked for; a bad one is shown at the field and today is used."""
    try:
        day = params.as_of_arg(request.args)
    except ValidationError as exc:
        apply_errors(form, exc)
        return dt.date.today()
    form.as_of.data = day.isoformat()
    return day


def status_counts(rows: list[tuple[Target, Progress]]) -> list[tuple[TargetStatus | None, int]]:
    counts = Counter(p.status for _t, p in rows)
    ordered: list[TargetStatus | None] = [*TargetStatus, None]
    return [(status, counts[status]) for status in ordered if counts[status]]


@bp.get("/targets")
@public_etag
def dashboard():
    form = AsOfForm(request.args)
    as_of = _as_of(form)
    user = current_user()
    listed = queries.list_plans()
    targets = [t for plan in listed for t in plan.targets]
    found = dict(zip([t.id for t in targets], queries.progress_of(targets, as_of), strict=True))
    plans = [(plan, [(t, found[t.id]) for t in plan.targets]) for plan in listed]
    every = [row for _plan, rows in plans for row in rows]
    return render_template(
        "targets/dashboard.html",
        form=form,
        as_of=as_of,
        plans=plans,
        counts=status_counts(every),
        total=len(every),
        measured=sum(1 for t, _p in every if t.metric is not Metric.manual),
        can_create=policy.can_manage_plans(user),
        manageable={p.id for p, _rows in plans if policy.can_manage_plan(user, p)},
    )


def _drill_path(target: Target, region: Region | None) -> list[Region]:
    """Regions from the target's region down to the drilled-down one."""
    if region is None:
        return []
    below = target.region.path + "/"
    chain = [r for r in region.ancestors() if r.path.startswith(below)]
    return [*chain, region]


def _chart(progress: Progress, target: Target, as_of: dt.date) -> dict:
    rows = [r for r in progress.breakdown if r.actual is not None]
    return {
        "categories": [r.name for r in rows],
        "values": [float(r.actual) for r in rows],
        "links": [
            None
            if r.is_region_itself
            else url_for("targets.show_target", target_id=target.id, region=r.code, as_of=as_of)
            for r in rows
        ],
        "percent": target.metric is Metric.coverage,
    }


def _series(target: Target, progress: Progress, as_of: dt.date) -> dict:
    points = queries.actual_series(target, as_of)
    return {
        "days": [p.day.isoformat() for p in points],
        "actual": [p.actual for p in points],
        "pace": [
            [target.period_start.isoformat(), float(progress.baseline or 0)],
            [target.deadline.isoformat(), float(target.value)],
        ],
        "value": float(target.value),
        "percent": target.metric is Metric.coverage,
        "labels": {
            "actual": str(target.metric.label),
            "pace": _("Expected pace"),
            "value": _("Target"),
        },
    }


@bp.get("/targets/<int:target_id>")
@public_etag
def show_target(target_id: int):
    return render_target(service.get_target(target_id))


def render_target(target: Target, value_form: ValueForm | None = None, status: int = 200):
    """The target page (also re-rendered with a figure form's errors)."""
    form = AsOfForm(request.args)
    as_of = _as_of(form)
    region = params.region_arg(request.args, within=target.region)
    page, per_page = page_args(request.args)
    overall = queries.cached_progress(target, as_of)
    here = queries.cached_progress(target, as_of, region) if region else overall
    scope = region or target.region
    known = here.actual if target.metric in (Metric.count_recognized, Metric.count_new) else None
    carriers, total = queries.counting_carriers(target, scope, as_of, page, per_page, known)
    can_manage = policy.can_manage_target(current_user(), target)
    if can_manage and value_form is None:
        value_form = ValueForm(formdata=None)  # only then: its CSRF token makes the page private
    html = render_template(
        "targets/target.html",
        target=target,
        form=form,
        as_of=as_of,
        region=region,
        drill_path=_drill_path(target, region),
        overall=overall,
        progress=here,
        carriers=carriers,
        total=total,
        page=page,
        pages=max(1, -(-total // per_page)),
        uncovered=queries.uncovered_subregions(target, scope, as_of),
        series=_series(target, overall, as_of),
        chart=_chart(here, target, as_of),
        can_manage=can_manage,
        value_form=value_form,
    )
    return html, status


@bp.get("/plans/<int:plan_id>")
@public_etag
def show_plan(plan_id: int):
    plan = service.get_plan(plan_id)
    form = AsOfForm(request.args)
    as_of = _as_of(form)
    targets = queries.list_targets(plan=plan)  # with their entered figures, in one query
    rows = list(zip(targets, queries.progress_of(targets, as_of), strict=True))
    return render_template(
        "targets/plan.html",
        plan=plan,
        rows=rows,
        form=form,
        as_of=as_of,
        can_manage=policy.can_manage_plan(current_user(), plan),
    )
