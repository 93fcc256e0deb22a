"""Errors that services raise; the API and the pages turn them into responses."""

from __future__ import annotations

from collections.abc import Mapping


class RegistryError(Exception):
    """Base of every expected error; carries an HTTP status and a stable code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})

    def to_dict(self) -> dict:
        body: dict = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return {"error": body}


class BadRequest(RegistryError):
    """Malformed request (e.g. a body that is not JSON)."""


class Unauthorized(RegistryError):
    """No valid credentials."""

    status = 401
    code = "unauthorized"


class Forbidden(RegistryError):
    """Signed in, but not allowed to do this."""

    status = 403
    code = "forbidden"


class NotFound(RegistryError):
    """No such object, or not one the caller may know of."""

    status = 404
    code = "not_found"


class Conflict(RegistryError):
    """The request conflicts with the current state (taken, stale, out of turn)."""

    status = 409
    code = "conflict"


class ValidationError(RegistryError):
    """One or more fields are invalid; `fields` maps each to its message."""

    status = 422
    code = "invalid"

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        fields = dict(fields)
        if message is None:
            message = fields_summary(fields) or "invalid input"
        super().__init__(message, fields)


def fields_summary(fields: Mapping[str, str]) -> str:
    """The message of a ValidationError given none: each field with its problem."""
    return "; ".join(f"{k}: {v}" for k, v in fields.items())


class TooManyRequests(RegistryError):
    """Rate limit or login throttle reached."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after
