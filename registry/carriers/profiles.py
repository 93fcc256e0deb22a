"""Carrier profiles kept by their owners: creating and editing, with duplicate warnings.

A carrier is private until recognised (registry.carriers.queries.is_public). A credit code
that fails its GB 32100-2015 check character is refused unless the owner confirms it is
printed so on the business licence; it is then kept with a pending review that a bureau over
the carrier's region accepts or rejects, with a reason (registry.carriers.credit_codes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import audit, db
from registry.accounts.models import User
from registry.carriers import uscc
from registry.carriers.credit_codes import rejected_review, request_review
from registry.carriers.duplicates import Duplicate, find_duplicates
from registry.carriers.models import Carrier, CarrierType
from registry.carriers.queries import is_public
from registry.errors import ValidationError
from registry.regions.models import Region
from registry.regions.service import find_region, is_carrier_region
from registry.validation import (
    Fields,
    date_problem,
    phone_problem,
    website_problem,
)

TEXT_FIELDS = {  # name: (required, max length, multiline)
    "name": (True, 200, False),
    "operator_name": (False, 200, False),
    "address": (True, 300, False),
    "contact_name": (True, 64, False),
    "contact_phone": (True, 32, False),
    "website": (False, 300, False),
    "description": (False, 5000, True),
}
OTHER_FIELDS = ("type", "region", "uscc", "founded_on")
FLAGS = ("uscc_confirmed",)
REQUIRED = ("name", "type", "region", "uscc", "address", "contact_name", "contact_phone")
LOCKED_ONCE_RECOGNISED = ("type", "region")
EARLIEST_FOUNDING = dt.date(1900, 1, 1)


@dataclass
class ProfileResult:
    """The saved carrier and the existing carriers it may duplicate."""

    carrier: Carrier
    duplicates: list[Duplicate] = field(default_factory=list)


def create_carrier(
    owner: User, data: dict[str, Any], *, today: dt.date | None = None
) -> ProfileResult:
    """Register a carrier owned by `owner` (private until recognised).

    Raises ValidationError naming every bad, missing or unknown field.
    """
    values = parse_profile(data, creating=True, today=today)
    values.setdefault("operator_name", owner.name)
    confirmed = values.pop("uscc_confirmed", False)
    carrier = Carrier(owner_id=owner.id, **values)
    db.session.add(carrier)
    db.session.flush()
    _review_code_if_needed(carrier, confirmed, owner)
    audit.record(
        "carrier.create",
        "carrier",
        carrier.id,
        actor_id=owner.id,
        carrier_id=carrier.id,
        fields={k: _audit_value(v) for k, v in values.items()},
    )
    return ProfileResult(carrier, find_duplicates(carrier))


def update_carrier(
    carrier: Carrier, data: dict[str, Any], *, actor: User, today: dt.date | None = None
) -> ProfileResult:
    """Change the fields given in `data`; type and region are fixed once recognised.

    Raises ValidationError naming every bad or unknown field.
    """
    values = parse_profile(data, creating=False, today=today, carrier=carrier)
    confirmed = values.pop("uscc_confirmed", False)
    changes = {
        k: [_audit_value(getattr(carrier, k)), _audit_value(v)]
        for k, v in values.items()
        if getattr(carrier, k) != v
    }
    locked = [k for k in LOCKED_ONCE_RECOGNISED if k + "_id" in changes]
    if locked and is_public(carrier.id):
        message = _("cannot be changed once the carrier is recognised; ask your bureau")
        raise ValidationError({k: message for k in locked})
    for key, value in values.items():
        setattr(carrier, key, value)
    db.session.flush()
    if "uscc" in changes:
        _review_code_if_needed(carrier, confirmed, actor)
    if changes:
        audit.record(
            "carrier.update",
            "carrier",
            carrier.id,
            actor_id=actor.id,
            carrier_id=carrier.id,
            changes=changes,
        )
    return ProfileResult(carrier, find_duplicates(carrier))


def _review_code_if_needed(carrier: Carrier, confirmed: bool, actor: User) -> None:
    if carrier.uscc and not uscc.is_valid(carrier.uscc) and confirmed:
        request_review(carrier, requested_by=actor)


def _audit_value(value: Any) -> Any:
    if isinstance(value, CarrierType | Region):
        return value.code
    return value


# --- reading the payload ----------------------------------------------------------------


def parse_profile(
    data: dict[str, Any],
    *,
    creating: bool,
    today: dt.date | None = None,
    carrier: Carrier | None = None,
) -> dict[str, Any]:
    """Clean column values from a JSON object or a form; raises ValidationError naming
    each bad field. `type` and `region` come back as `type_id` and `region_id`."""
    today = today or dt.date.today()
    known = set(TEXT_FIELDS) | set(OTHER_FIELDS) | set(FLAGS)
    errors = {k: _("is not a field of a carrier") for k in data if k not in known}
    fields = Fields(data)
    for name, (required, max_length, multiline) in TEXT_FIELDS.items():
        fields.text(name, required=required, max_length=max_length, multiline=multiline)
    fields.check("contact_phone", phone_problem)
    fields.check("website", website_problem)
    values, errors = fields.values, {**errors, **fields.errors}
    _parse_type(data, values, errors)
    _parse_region(data, values, errors)
    _parse_founded_on(data, values, errors, today)
    if "uscc_confirmed" in data:
        values["uscc_confirmed"] = data["uscc_confirmed"] in (True, "true", "1", "on", "y")
    _parse_uscc(data, values, errors, carrier)
    if creating:
        for name in REQUIRED:
            if name not in data or data[name] in (None, ""):
                errors.setdefault(name, _("is required"))
    if errors:
        raise ValidationError(errors)
    return values


def _parse_type(data: dict, values: dict, errors: dict) -> None:
    code = data.get("type")
    if "type" not in data or code in (None, ""):
        return
    carrier_type = None
    if isinstance(code, str):
        carrier_type = db.session.scalar(select(CarrierType).where(CarrierType.code == code))
    if carrier_type is None:
        known = ", ".join(db.session.scalars(select(CarrierType.code).order_by(CarrierType.id)))
        errors["type"] = _("unknown carrier type (known: %(known)s)", known=known)
    else:
        values["type_id"] = carrier_type.id


def _parse_region(data: dict, values: dict, errors: dict) -> None:
    code = data.get("region")
    if "region" not in data or code in (None, ""):
        return
    region = find_region(code) if isinstance(code, str) and code.strip().isdigit() else None
    if region is None:
        errors["region"] = _("no region has this code (use a six-digit GB/T 2260 code)")
    elif not is_carrier_region(region):
        errors["region"] = _(
            "must be a county-level region (a county or district), not %(name)s",
            name=region.full_name or region.name,
        )
    else:
        values["region_id"] = region.id


def _parse_founded_on(data: dict, values: dict, errors: dict, today: dt.date) -> None:
    if "founded_on" not in data:
        return
    if data["founded_on"] in (None, ""):
        values["founded_on"] = None
        return
    day, problem = date_problem(data["founded_on"], earliest=EARLIEST_FOUNDING, today=today)
    if problem:
        errors["founded_on"] = problem
    else:
        values["founded_on"] = day


def _parse_uscc(data: dict, values: dict, errors: dict, carrier: Carrier | None) -> None:
    raw = data.get("uscc")
    if "uscc" not in data or raw in (None, ""):
        return
    if not isinstance(raw, str):
        errors["uscc"] = _("must be text")
        return
    code = "".join(raw.split()).replace("-", "").upper()
    problem = uscc.problem(code)
    if problem == "length":
        errors["uscc"] = _("must be 18 characters long (it has %(n)d)", n=len(code))
    elif problem == "characters":
        errors["uscc"] = _("may contain only digits and capital letters other than I, O, S, V, Z")
    elif problem == "check":
        _check_failure(code, values, errors, carrier)
    if "uscc" not in errors:
        values["uscc"] = code


def _check_failure(code: str, values: dict, errors: dict, carrier: Carrier | None) -> None:
    unchanged = carrier is not None and carrier.uscc == code
    rejected = rejected_review(carrier, code) if carrier is not None else None
    if rejected is not None:
        errors["uscc"] = _("the bureau rejected this code: %(reason)s", reason=rejected.reason)
    elif not (values.get("uscc_confirmed") or unchanged):
        errors["uscc"] = _(
            "the check character does not match (GB 32100-2015 expects %(char)s at the end). "
            "Correct the code; if it is printed exactly so on the business licence, confirm "
            "it and the bureau will verify it.",
            char=uscc.check_char(code[:17]),
        )
