"""Checks of common field kinds (text, email, phone, web address, dates), each returning the
problem in words or None, so every service names the field and says what is wrong."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _

from registry.db import MAX_INT

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# +86 optional; a mobile (1 + 10 digits) or a landline with area code, optional extension
PHONE_RE = re.compile(r"^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}\d{7,8}(?:\d{1,6})?|[2-9]\d{6,7})$")


class Fields:
    """Collects a payload's cleaned values and its problems, field by field."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.values: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

    def present(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, *, required: bool, max_length: int, multiline: bool = False) -> None:
        """A string field, normalised (NFKC, spaces collapsed unless multiline)."""
        if not self.present(name):
            return
        raw = self.data[name]
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            self.errors[name] = _("must be text")
            return
        value = clean_text(raw, multiline=multiline)
        if required and not value:
            self.errors[name] = _("is required")
        elif len(value) > max_length:
            self.errors[name] = _("must be at most %(n)d characters long", n=max_length)
        else:
            self.values[name] = value

    def check(self, name: str, problem: Any) -> None:
        """Apply `problem(value)` to an already cleaned, non-empty value."""
        value = self.values.get(name)
        if value:
            message = problem(value)
            if message:
                self.errors[name] = message
                del self.values[name]


def key_from(value: Any) -> int | None:
    """A key (1 to MAX_INT) from a whole number or its decimal digits, else None: a larger
    number names nothing, and the database would refuse it with an error."""
    if isinstance(value, str) and value.isdecimal():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_INT:
        return None
    return value


def clean_text(value: str, *, multiline: bool = False) -> str:
    value = unicodedata.normalize("NFKC", value)
    if multiline:
        return "\n".join(line.rstrip() for line in value.strip().splitlines())
    return " ".join(value.split())


def email_problem(value: str) -> str | None:
    if len(value) > 254 or not EMAIL_RE.match(value):
        return _("is not a valid email address")
    return None


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s\-()（）]", "", value)


def phone_problem(value: str) -> str | None:
    if not PHONE_RE.match(normalize_phone(value)):
        return _(
            "is not a valid phone number (a mobile number like 13812345678 "
            "or a landline with its area code like 028-85551234)"
        )
    return None


def website_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value:
        return _("must be a web address starting with http:// or https://")
    return None


def date_problem(
    value: Any, *, earliest: dt.date, today: dt.date
) -> tuple[dt.date | None, str | None]:
    """A date from an ISO string (or a date), with its problem."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return None, _("must be a date like 2016-05-01")
    if not isinstance(value, dt.date):
        return None, _("must be a date like 2016-05-01")
    if value > today:
        return None, _("must not be in the future")
    if value < earliest:
        return None, _("must not be before %(day)s", day=earliest.isoformat())
    return value, None
