"""Query arguments of the target pages and API: as_of, region, status, plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from registry.errors import ValidationError
from registry.regions.models import Region
from registry.regions.service import find_region, is_within
from registry.targets.models import TargetStatus
from registry.validation import key_from


def as_of_arg(args: Mapping[str, Any], today: dt.date | None = None) -> dt.date:
    """`as_of` (default today); raises ValidationError naming it."""
    raw = (args.get("as_of") or "").strip()
    if not raw:
        return today or dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"as_of": _("must be a date like 2024-03-31")}) from None


def region_arg(args: Mapping[str, Any], within: Region | None = None) -> Region | None:
    """`region` as a Region (None when absent); raises ValidationError for an unknown code
    or, with `within`, one outside that region (or, in a JSON body, a code that is not text)."""
    raw = args.get("region")
    if raw is not None and not isinstance(raw, str):
        raise ValidationError({"region": _("must be text")})
    code = (raw or "").strip()
    if not code:
        return None
    region = find_region(code) if code.isdigit() and len(code) == 6 else None
    if region is None:
        raise ValidationError(
            {
                "region": _(
                    "no region has the code %(code)s (use a six-digit GB/T 2260 code)", code=code
                )
            }
        )
    if within is not None and not is_within(region, within):
        raise ValidationError(
            {"region": _("must lie within the target's region (%(name)s)", name=within.name)}
        )
    return region


def status_arg(args: Mapping[str, Any]) -> TargetStatus | None:
    raw = (args.get("status") or "").strip()
    if not raw:
        return None
    try:
        return TargetStatus(raw)
    except ValueError:
        raise ValidationError(
            {"status": _("must be one of %(values)s", values=", ".join(TargetStatus.values()))}
        ) from None


def plan_id_arg(args: Mapping[str, Any]) -> int | None:
    raw = (args.get("plan") or "").strip()
    if not raw:
        return None
    plan_id = key_from(raw)
    if plan_id is None:
        raise ValidationError({"plan": _("must be a plan id (a whole number)")})
    return plan_id
