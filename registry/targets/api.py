"""JSON API of plans and targets: read by anyone, written by the bureaus over their region."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from registry import db, policy
from registry.accounts.auth import require_api_user
from registry.api import api_blueprint, json_body, list_response, page_args
from registry.errors import ValidationError
from registry.httpcache import public_etag
from registry.regions.service import find_region
from registry.targets import extraction, params, queries, service
from registry.targets.openapi import OPENAPI_PATHS, OPENAPI_SCHEMAS
from registry.targets.serialize import plan_dict, progress_dict, target_dict

bp = api_blueprint("targets_api")
__all__ = ["OPENAPI_PATHS", "OPENAPI_SCHEMAS", "bp"]  # the document's part: targets/openapi.py


def _payload_region(data: dict):
    code = data.get("region")
    return find_region(code) if isinstance(code, str) else None


@bp.get("/plans")
@public_etag
def list_plans():
    region = params.region_arg(request.args)
    page, per_page = page_args(request.args)
    plans = queries.list_plans(region)
    start = (page - 1) * per_page
    items = [plan_dict(p) for p in plans[start : start + per_page]]
    return list_response(items, len(plans), page, per_page)


@bp.post("/plans")
def create_plan():
    user = require_api_user()
    data = json_body()
    policy.require(policy.can_create_plan(user, _payload_region(data)))
    targets = data.get("targets") or []
    plan = service.create_plan(data, actor_id=user.id, targets=targets)
    db.session.commit()
    return jsonify(plan_dict(plan, with_text=True)), 201


@bp.get("/plans/<int:plan_id>")
@public_etag
def get_plan(plan_id: int):
    plan = service.get_plan(plan_id)
    as_of = params.as_of_arg(request.args)
    targets = [
        target_dict(t, queries.cached_progress(t, as_of, breakdown=False)) for t in plan.targets
    ]
    return jsonify(plan_dict(plan, targets, with_text=True))


@bp.patch("/plans/<int:plan_id>")
def update_plan(plan_id: int):
    user = require_api_user()
    plan = service.get_plan(plan_id)
    policy.require(policy.can_manage_plan(user, plan))
    data = json_body()
    region = _payload_region(data)
    if region is not None:
        policy.require(policy.can_create_plan(user, region))
    service.update_plan(plan, data, actor_id=user.id)
    db.session.commit()
    return jsonify(plan_dict(plan, with_text=True))


@bp.delete("/plans/<int:plan_id>")
def delete_plan(plan_id: int):
    user = require_api_user()
    plan = service.get_plan(plan_id)
    policy.require(policy.can_manage_plan(user, plan))
    service.delete_plan(plan, actor_id=user.id)
    db.session.commit()
    return "", 204


@bp.post("/plans/<int:plan_id>/targets")
def create_target(plan_id: int):
    user = require_api_user()
    plan = service.get_plan(plan_id)
    policy.require(policy.can_manage_plan(user, plan))
    target = service.create_target(plan, json_body(), actor_id=user.id)
    db.session.commit()
    return jsonify(target_dict(target)), 201


@bp.get("/targets")
@public_etag
def list_targets():
    region = params.region_arg(request.args)
    plan_id = params.plan_id_arg(request.args)
    status = params.status_arg(request.args)
    as_of = params.as_of_arg(request.args)
    page, per_page = page_args(request.args)
    plan = service.get_plan(plan_id) if plan_id is not None else None
    pairs = queries.with_status(queries.list_targets(region, plan), as_of, status)
    start = (page - 1) * per_page
    items = [target_dict(t, p) for t, p in pairs[start : start + per_page]]
    return list_response(items, len(pairs), page, per_page, as_of=as_of.isoformat())


@bp.get("/targets/<int:target_id>")
@public_etag
def get_target(target_id: int):
    target = service.get_target(target_id)
    as_of = params.as_of_arg(request.args)
    return jsonify(target_dict(target, queries.cached_progress(target, as_of)))


@bp.patch("/targets/<int:target_id>")
def update_target(target_id: int):
    user = require_api_user()
    target = service.get_target(target_id)
    policy.require(policy.can_manage_target(user, target))
    service.update_target(target, json_body(), actor_id=user.id)
    db.session.commit()
    return jsonify(target_dict(target))


@bp.delete("/targets/<int:target_id>")
def delete_target(target_id: int):
    user = require_api_user()
    target = service.get_target(target_id)
    policy.require(policy.can_manage_target(user, target))
    service.delete_target(target, actor_id=user.id)
    db.session.commit()
    return "", 204


@bp.get("/targets/<int:target_id>/progress")
@public_etag
def get_progress(target_id: int):
    target = service.get_target(target_id)
    as_of = params.as_of_arg(request.args)
    region = params.region_arg(request.args, within=target.region)
    return jsonify(progress_dict(queries.cached_progress(target, as_of, region)))


@bp.post("/targets/<int:target_id>/values")
def record_value(target_id: int):
    user = require_api_user()
    target = service.get_target(target_id)
    policy.require(policy.can_manage_target(user, target))
    entry = service.record_value(target, json_body(), actor_id=user.id)
    db.session.commit()
    body = {"recorded_on": entry.recorded_on.isoformat(), "value": float(entry.value)}
    return jsonify({**body, "note": entry.note}), 201


@bp.post("/plans/extract")
def extract():
    user = require_api_user()
    policy.require(policy.can_manage_plans(user))
    data = json_body()
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"text": _("is required")})
    if len(text) > extraction.MAX_TEXT:
        raise ValidationError(
            {"text": _("must be at most %(n)d characters", n=extraction.MAX_TEXT)}
        )
    region = params.region_arg(data)
    result = extraction.extract(text, region=region)
    return jsonify(result.as_dict())
