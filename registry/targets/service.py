"""Plans and targets: creating, changing and deleting them, and manual targets' figures.

Services take payloads (JSON or form data as dicts), check them in registry.targets.inputs,
flush and write the audit log; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from registry import audit, db
from registry.errors import Conflict, NotFound, ValidationError
from registry.regions.service import is_within
from registry.targets import inputs
from registry.targets.inputs import PlanValues, TargetValues
from registry.targets.models import Metric, Plan, Target, TargetValue


def get_plan(plan_id: int) -> Plan:
    """The plan with this id; raises NotFound."""
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(_("No plan has the id %(id)s.", id=plan_id))
    return plan


def get_target(target_id: int) -> Target:
    """The target with this id; raises NotFound."""
    target = db.session.get(Target, target_id)
    if target is None:
        raise NotFound(_("No target has the id %(id)s.", id=target_id))
    return target


def find_plan_by_document_no(document_no: str) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.document_no == document_no))


def _check_document_no(values: PlanValues, plan: Plan | None) -> None:
    if not values.document_no:
        return
    other = find_plan_by_document_no(values.document_no)
    if other is not None and other is not plan:
        raise Conflict(
            _("Another plan has the document number %(no)s.", no=values.document_no),
            {"document_no": _("is taken by another plan")},
        )


def _apply_plan(plan: Plan, values: PlanValues) -> None:
    plan.title = values.title
    plan.document_no = values.document_no
    plan.region = values.region
    plan.issued_on = values.issued_on
    plan.period_start = values.period_start
    plan.period_end = values.period_end
    plan.text = values.text
    plan.source = values.source


def create_plan(
    data: Mapping[str, Any],
    actor_id: int | None = None,
    targets: Sequence[Mapping[str, Any]] = (),
) -> Plan:
    """A new plan, with `targets` when given (all or nothing).

    Raises ValidationError naming each bad field (a target's as `targets[i].field`),
    Conflict when the document number is taken.
    """
    values = inputs.parse_plan(data)
    _check_document_no(values, None)
    plan = Plan(created_by_id=actor_id)
    _apply_plan(plan, values)
    checked = _parse_targets(plan, targets)  # before anything is written
    db.session.add(plan)
    for i, target_values in enumerate(checked):
        _new_target(plan, target_values, sort_order=i + 1)
    db.session.flush()
    audit.record(
        "plan.create",
        "plan",
        plan.id,
        actor_id=actor_id,
        title=plan.title,
        document_no=plan.document_no,
        region=plan.region.code,
        targets=len(checked),
    )
    return plan


def _parse_targets(plan: Plan, targets: Sequence[Mapping[str, Any]]) -> list[TargetValues]:
    if not isinstance(targets, list | tuple):
        raise ValidationError({"targets": _("must be a list")})
    checked, errors = [], {}
    for i, data in enumerate(targets):
        if not isinstance(data, Mapping):
            errors[f"targets[{i}]"] = _("must be an object")
            continue
        try:
            checked.append(inputs.parse_target(data, plan))
        except ValidationError as exc:
            errors.update({f"targets[{i}].{k}": v for k, v in exc.fields.items()})
    if errors:
        raise ValidationError(errors)
    return checked


def _check_targets_inside(plan: Plan, values: PlanValues) -> None:
    """A plan moved to another region keeps every target within it (a target lies within
    its plan's region: so the bureaus over the plan are the ones over its targets)."""
    outside = [t for t in plan.targets if not is_within(t.region, values.region)]
    if outside:
        message = _(
            "%(n)d of the plan's targets lie outside %(name)s: change their region first",
            n=len(outside),
            name=values.region.name,
        )
        raise ValidationError({"region": message})


def update_plan(plan: Plan, data: Mapping[str, Any], actor_id: int | None = None) -> Plan:
    """Change some of a plan's fields; raises ValidationError or Conflict as create_plan
    (and ValidationError naming the region when the plan's targets would lie outside it)."""
    merged = {**inputs.plan_payload(plan), **data}
    values = inputs.parse_plan(merged)
    _check_targets_inside(plan, values)
    _check_document_no(values, plan)
    _apply_plan(plan, values)
    db.session.flush()
    audit.record("plan.update", "plan", plan.id, actor_id=actor_id, fields=sorted(data))
    return plan


def delete_plan(plan: Plan, actor_id: int | None = None) -> None:
    """Delete a plan with its targets and their entered figures."""
    audit.record(
        "plan.delete",
        "plan",
        plan.id,
        actor_id=actor_id,
        title=plan.title,
        document_no=plan.document_no,
        targets=len(plan.targets),
    )
    db.session.delete(plan)
    db.session.flush()


def _apply_target(target: Target, values: TargetValues) -> None:
    target.phrase = values.phrase
    target.metric = values.metric
    target.region = values.region
    target.types = list(values.types)
    target.min_level = values.min_level
    target.max_level = values.max_level
    target.period_start = values.period_start
    target.deadline = values.deadline
    target.value = values.value
    target.unit = values.unit
    target.indicator = values.indicator
    target.subregion_level = values.subregion_level
    target.note = values.note


def _new_target(plan: Plan, values: TargetValues, sort_order: int) -> Target:
    target = Target(plan=plan, sort_order=sort_order)
    _apply_target(target, values)
    db.session.add(target)
    return target


def create_target(plan: Plan, data: Mapping[str, Any], actor_id: int | None = None) -> Target:
    """A new target of `plan`; raises ValidationError naming each bad field."""
    values = inputs.parse_target(data, plan)
    last = db.session.scalar(select(func.max(Target.sort_order)).where(Target.plan_id == plan.id))
    target = _new_target(plan, values, (last or 0) + 1)
    db.session.flush()
    audit.record(
        "target.create",
        "target",
        target.id,
        actor_id=actor_id,
        plan_id=plan.id,
        metric=target.metric,
        value=str(target.value),
    )
    return target


def create_targets(
    plan: Plan, rows: Sequence[Mapping[str, Any]], actor_id: int | None = None
) -> list[Target]:
    """Several new targets of `plan`, all or none; raises ValidationError naming each bad
    field as `targets[i].field`."""
    checked = _parse_targets(plan, rows)
    last = db.session.scalar(select(func.max(Target.sort_order)).where(Target.plan_id == plan.id))
    targets = [_new_target(plan, v, (last or 0) + i + 1) for i, v in enumerate(checked)]
    db.session.flush()
    for target in targets:
        audit.record(
            "target.create",
            "target",
            target.id,
            actor_id=actor_id,
            plan_id=plan.id,
            metric=target.metric,
            value=str(target.value),
        )
    return targets


def update_target(target: Target, data: Mapping[str, Any], actor_id: int | None = None) -> Target:
    """Change some of a target's fields; raises ValidationError naming each bad field."""
    merged = {**inputs.target_payload(target), **data}
    values = inputs.parse_target(merged, target.plan)
    _apply_target(target, values)
    db.session.flush()
    audit.record("target.update", "target", target.id, actor_id=actor_id, fields=sorted(data))
    return target


def delete_target(target: Target, actor_id: int | None = None) -> None:
    """Delete a target and its entered figures."""
    audit.record(
        "target.delete",
        "target",
        target.id,
        actor_id=actor_id,
        plan_id=target.plan_id,
        phrase=target.phrase,
    )
    target.plan.targets.remove(target)
    db.session.flush()


def record_value(
    target: Target,
    data: Mapping[str, Any],
    actor_id: int | None = None,
    today: dt.date | None = None,
) -> TargetValue:
    """Enter (or correct) a manual target's figure on a date.

    Raises ValidationError for a target that is not manual, a missing or future date or a
    negative or missing value.
    """
    if target.metric is not Metric.manual:
        raise ValidationError(
            {"metric": _("only manual targets take entered figures; this one is measured")}
        )
    recorded_on, value, note = inputs.parse_manual_value(data, today or dt.date.today())
    existing = next((v for v in target.values if v.recorded_on == recorded_on), None)
    entry = existing or TargetValue(target=target, recorded_on=recorded_on)
    entry.value, entry.note, entry.entered_by_id = value, note, actor_id
    db.session.add(entry)
    db.session.flush()
    audit.record(
        "target.value",
        "target",
        target.id,
        actor_id=actor_id,
        recorded_on=recorded_on,
        value=str(value),
        corrected=existing is not None,
    )
    return entry


def delete_value(entry: TargetValue, actor_id: int | None = None) -> None:
    """Remove an entered figure (a mistake); the audit log keeps it."""
    target = entry.target
    audit.record(
        "target.value_delete",
        "target",
        target.id,
        actor_id=actor_id,
        recorded_on=entry.recorded_on,
        value=str(entry.value),
    )
    target.values.remove(entry)
    db.session.flush()
