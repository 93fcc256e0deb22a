"""Reading listing filters from query arguments, with an error naming each bad one."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from registry.carriers.levels import Level
from registry.carriers.queries import PUBLIC_STATUSES, SORTS, ListingFilters, type_infos
from registry.errors import ValidationError
from registry.evaluations.models import Grade
from registry.regions.service import find_region

FILTER_ARGS = (
    "q",
    "type",
    "level",
    "min_level",
    "region",
    "status",
    "recognized_from",
    "recognized_to",
    "year",
    "grade",
    "as_of",
    "sort",
)


def normalize_text(text: str) -> str:
    """NFKC (full-width to half-width), collapsed spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def parse_date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError({name: _("must be a date like 2024-03-31")}) from None


def _parse_bound(value: str, name: str, end: bool) -> dt.date:
    value = value.strip()
    if len(value) == 4 and value.isdecimal() and int(value) >= dt.MINYEAR:
        return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
    return parse_date(value, name)


def _multi(args: Any, name: str) -> list[str]:
    values = args.getlist(name) if hasattr(args, "getlist") else [args.get(name)]
    out: list[str] = []
    for value in values:
        if value:
            out.extend(v.strip() for v in str(value).split(",") if v.strip())
    return out


def parse_listing_args(args: Mapping[str, Any]) -> ListingFilters:
    """ListingFilters from query arguments; raises ValidationError naming every bad one."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    q = normalize_text(args.get("q") or "")
    if len(q) > 100:
        errors["q"] = _("must be at most 100 characters")
    values["q"] = q or None

    types = _multi(args, "type")
    if types:
        known = set(type_infos())
        unknown = [t for t in types if t not in known]
        if unknown:
            errors["type"] = _(
                "unknown carrier type: %(codes)s (known: %(known)s)",
                codes=", ".join(unknown),
                known=", ".join(sorted(known)),
            )
    values["types"] = tuple(sorted(set(types)))

    for name in ("level", "min_level"):
        raw = (args.get(name) or "").strip()
        if raw:
            try:
                values[name] = Level.parse(raw)
            except ValueError as exc:
                errors[name] = str(exc)

    region_code = (args.get("region") or "").strip()
    if region_code:
        region = (
            find_region(region_code) if region_code.isdigit() and len(region_code) == 6 else None
        )
        if region is None:
            errors["region"] = _(
                "no region has the code %(code)s (use a six-digit GB/T 2260 code)", code=region_code
            )
        values["region"] = region

    status = (args.get("status") or "recognized").strip()
    if status not in PUBLIC_STATUSES:
        errors["status"] = _("must be one of %(values)s", values=", ".join(PUBLIC_STATUSES))
    values["status"] = status

    _parse_dates(args, values, errors)

    grade = (args.get("grade") or "").strip()
    if grade:
        try:
            values["grade"] = Grade.parse(grade)
        except ValueError as exc:
            errors["grade"] = str(exc)

    sort = (args.get("sort") or "").strip()
    if sort and sort not in SORTS:
        errors["sort"] = _("must be one of %(values)s", values=", ".join(SORTS))
    if sort:
        values["sort"] = sort

    if errors:
        raise ValidationError(errors)
    return ListingFilters(**values)


def _parse_dates(args: Mapping[str, Any], values: dict[str, Any], errors: dict[str, str]) -> None:
    for name, end in (("recognized_from", False), ("recognized_to", True)):
        raw = (args.get(name) or "").strip()
        if raw:
            try:
                values[name] = _parse_bound(raw, name, end)
            except ValidationError as exc:
                errors.update(exc.fields)
    year = (args.get("year") or "").strip()
    if year:
        if not (year.isdecimal() and 1949 <= int(year) <= 2200):
            errors["year"] = _("must be a year like 2019")
        else:
            values["recognized_from"] = dt.date(int(year), 1, 1)
            values["recognized_to"] = dt.date(int(year), 12, 31)
    lo, hi = values.get("recognized_from"), values.get("recognized_to")
    if lo and hi and lo > hi:
        errors["recognized_to"] = _("must not be before recognized_from")
    as_of = (args.get("as_of") or "").strip()
    if as_of:
        try:
            values["as_of"] = parse_date(as_of, "as_of")
        except ValidationError as exc:
            errors.update(exc.fields)


def parse_listing_request(args: Mapping[str, Any]) -> tuple[ListingFilters, int, int]:
    """Filters and paging together, every bad argument named in one ValidationError."""
    from registry.api import MAX_PER_PAGE, int_arg
    from registry.db import MAX_INT

    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    try:
        values["filters"] = parse_listing_args(args)
    except ValidationError as exc:
        errors.update(exc.fields)
    for name, default, maximum in (("page", 1, MAX_INT), ("per_page", 20, MAX_PER_PAGE)):
        try:
            values[name] = int_arg(args, name, default, maximum=maximum)
        except ValidationError as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    return values["filters"], values["page"], values["per_page"]
