"""`GET /healthz`: 200 when the database answers, 503 otherwise; no session, no sign-in."""

from __future__ import annotations

from flask import current_app, jsonify

from registry import db
from registry.health import bp
from registry.health.service import database_answers


@bp.get("/healthz")
def check_health():
    ok = database_answers(db.engine_of(current_app))
    state = "ok" if ok else "error"
    response = jsonify({"status": state, "database": state})
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
