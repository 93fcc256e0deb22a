"""Long requests (imports, publishing open data) that report their progress as they work.

A page's script posts the form with `X-Progress: ndjson` and reads one JSON object per line:
{"phase", "done", "total"} while the work goes on, then {"location"} (where to go next) or
{"error"}. Without the header (no script), the same view works and redirects as usual.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from flask import Response, request, stream_with_context

from registry import db
from registry.errors import RegistryError


def wants_progress() -> bool:
    return request.headers.get("X-Progress") == "ndjson"


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"


def progress_response(
    steps: Iterable[Any],
    finish: Callable[[], str],
    failed: Callable[[RegistryError], str | None] | None = None,
) -> Response:
    """Stream `steps` (objects with phase, done, total) as NDJSON; then `finish()` (which
    commits and returns the next page). On a RegistryError the work is rolled back and the
    error (and `failed(exc)`'s page, if any) is sent."""

    def generate():
        try:
            for step in steps:
                yield _line({"phase": step.phase, "done": step.done, "total": step.total})
            yield _line({"location": finish()})
        except RegistryError as exc:
            db.session.rollback()
            location = failed(exc) if failed else None
            yield _line({"error": exc.message, "fields": exc.fields, "location": location})

    response = Response(stream_with_context(generate()), mimetype="application/x-ndjson")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # let proxies pass each line at once
    return response
