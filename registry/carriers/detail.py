"""The public view of one carrier: its standing, recognitions, grades and history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import db
from registry.carriers.models import Carrier, CarrierStatus, Recognition
from registry.carriers.queries import Standing, carrier_standing
from registry.evaluations.models import Evaluation


@dataclass
class HistoryItem:
    day: dt.date
    kind: str
    text: str
    document_no: str = ""


@dataclass
class CarrierDetail:
    carrier: Carrier
    standing: Standing
    recognitions: list[Recognition]
    evaluations: list[Evaluation]
    history: list[HistoryItem] = field(default_factory=list)

    @property
    def is_public(self) -> bool:
        return self.standing.status != CarrierStatus.unrecognized


def carrier_detail(carrier: Carrier, as_of: dt.date | None = None) -> CarrierDetail:
    as_of = as_of or dt.date.today()
    recognitions = list(
        db.session.scalars(
            select(Recognition)
            .where(Recognition.carrier_id == carrier.id, Recognition.recognized_on <= as_of)
            .order_by(Recognition.recognized_on, Recognition.id)
        )
    )
    evaluations = list(
        db.session.scalars(
            select(Evaluation)
            .where(Evaluation.carrier_id == carrier.id, Evaluation.year <= as_of.year)
            .order_by(Evaluation.year.desc())
        )
    )
    detail = CarrierDetail(carrier, carrier_standing(carrier.id, as_of), recognitions, evaluations)
    detail.history = _history(carrier, recognitions, evaluations, as_of)
    return detail


def _history(
    carrier: Carrier,
    recognitions: list[Recognition],
    evaluations: list[Evaluation],
    as_of: dt.date,
) -> list[HistoryItem]:
    verb = carrier.carrier_type.kind.verb
    items = []
    for r in recognitions:
        items.append(
            HistoryItem(
                r.recognized_on,
                "recognized",
                _(
                    "%(bureau)s %(verb)s it at %(level)s",
                    bureau=r.granted_by.bureau_name,
                    verb=verb,
                    level=r.level.label,
                ),
                r.document_no,
            )
        )
        if r.revoked_on and r.revoked_on <= as_of:
            items.append(
                HistoryItem(
                    r.revoked_on,
                    "revoked",
                    _(
                        "%(level)s title revoked: %(reason)s",
                        level=r.level.label,
                        reason=r.revocation_reason or "",
                    ),
                    r.revocation_document_no,
                )
            )
    for e in evaluations:
        items.append(
            HistoryItem(
                e.graded_at.date(),
                "graded",
                _("Annual evaluation %(year)d: %(grade)s", year=e.year, grade=e.grade.label),
            )
        )
    items.sort(key=lambda i: i.day, reverse=True)
    return items


def detail_as_dict(detail: CarrierDetail, *, private: bool = False) -> dict[str, Any]:
    """The carrier as the API shows it; `private` adds what only its owner and the bureaus
    over its region may see (the caller asks policy.can_view_private_fields)."""
    data = _public_dict(detail)
    if private:
        data.update(private_fields(detail.carrier))
    return data


def private_fields(carrier: Carrier) -> dict[str, Any]:
    from registry.carriers.credit_codes import credit_code_status

    return {
        "contact_name": carrier.contact_name,
        "contact_phone": carrier.contact_phone,
        "credit_code_status": credit_code_status(carrier).value,
        "needs_region_review": carrier.needs_region_review,
        "owned": carrier.owner_id is not None,
        "created_at": carrier.created_at.isoformat(),
        "updated_at": carrier.updated_at.isoformat(),
    }


def duplicate_warnings(user: Any, duplicates: list) -> list[dict[str, Any]]:
    """Warnings about possible duplicates, naming only carriers the user may see."""
    from registry import policy

    return [
        {
            "code": "duplicate_" + d.kind,
            "message": d.message,
            "carrier": {"id": d.carrier.id, "name": d.carrier.name}
            if policy.can_view_carrier(user, d.carrier)
            else None,
        }
        for d in duplicates
    ]


def _public_dict(detail: CarrierDetail) -> dict[str, Any]:
    c = detail.carrier
    region = c.region
    return {
        "id": c.id,
        "name": c.name,
        "type": c.carrier_type.code,
        "type_name": c.carrier_type.label,
        "level": detail.standing.level.code if detail.standing.level else None,
        "status": detail.standing.status.value,
        "region": {
            "code": region.code,
            "name": region.name,
            "full_name": region.full_name,
            "path": [{"code": r.code, "name": r.name} for r in [*region.ancestors(), region]],
        },
        "operator_name": c.operator_name,
        "uscc": c.uscc,
        "address": c.address,
        "website": c.website,
        "founded_on": c.founded_on.isoformat() if c.founded_on else None,
        "description": c.description,
        "recognitions": [
            {
                "id": r.id,
                "level": r.level.code,
                "recognized_on": r.recognized_on.isoformat(),
                "document_no": r.document_no,
                "granted_by": {"code": r.granted_by.code, "name": r.granted_by.bureau_name},
                "revoked_on": r.revoked_on.isoformat() if r.revoked_on else None,
                "revocation_reason": r.revocation_reason,
                "revocation_document_no": r.revocation_document_no or None,
            }
            for r in detail.recognitions
        ],
        "grades": [
            {
                "year": e.year,
                "grade": e.grade.value,
                "score": float(e.score) if e.score is not None else None,
            }
            for e in detail.evaluations
        ],
    }
