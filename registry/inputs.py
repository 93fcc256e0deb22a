"""A guard at the door: control characters no field may hold are refused for every request.

PostgreSQL cannot store NUL in text, and no field of the registry has a use for it; rather
than trust every form and payload to check, each request's query, form and JSON strings are
checked once here, and the field is named in a 422.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import gettext as _

from registry.errors import ValidationError


def _first_bad(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return name
            found = _first_bad(item, name)
            if found:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _first_bad(item, f"{path}[{i}]")
            if found:
                return found
    return None


def refuse_nul_characters() -> None:
    """Raise ValidationError naming the first argument, field or JSON member holding NUL."""
    sources = [request.args] if request.is_json else [request.args, request.form]
    for source in sources:
        for key, values in source.lists():
            name = key or ""  # Werkzeug gives a multipart part whose name it cannot read None
            for value in values:
                if "\x00" in name or "\x00" in (value or ""):
                    raise ValidationError(
                        {name.replace("\x00", "") or "body": _("contains a NUL character")}
                    )
    if request.is_json:
        bad = _first_bad(request.get_json(silent=True), "")
        if bad is not None:
            raise ValidationError({bad or "body": _("contains a NUL character")})


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
