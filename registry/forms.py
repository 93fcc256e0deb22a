"""Helpers shared by every page form."""

from __future__ import annotations

from flask_wtf import FlaskForm

from registry.errors import ValidationError


def apply_errors(
    form: FlaskForm, exc: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's field errors at the form's fields (the rest above the form)."""
    aliases = aliases or {}
    for name, message in exc.fields.items():
        field = getattr(form, aliases.get(name, name), None)
        if field is not None and hasattr(field, "errors"):
            if isinstance(field.errors, tuple):
                field.errors = list(field.errors)
            field.errors.append(message)
        else:
            form.form_errors.append(f"{name}: {message}")
    if not exc.fields:
        form.form_errors.append(exc.message)


def form_data(form: FlaskForm, *names: str) -> dict:
    """The named fields' data, for a service."""
    return {name: getattr(form, name).data for name in names}
