"""Carriers' business rules: recognitions granted and revoked (history, never deleted)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from registry import audit, db
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, CarrierType, Recognition, RecognitionSource
from registry.errors import Conflict, NotFound, ValidationError
from registry.regions.models import Region


def get_carrier(carrier_id: int) -> Carrier:
    """The carrier with this id; raises NotFound."""
    carrier = db.session.get(Carrier, carrier_id)
    if carrier is None:
        raise NotFound(_("No carrier has the id %(id)s.", id=carrier_id))
    return carrier


def get_carrier_type(code: str) -> CarrierType:
    """The type with this code; raises NotFound."""
    carrier_type = db.session.scalar(select(CarrierType).where(CarrierType.code == code))
    if carrier_type is None:
        raise NotFound(_("No carrier type has the code %(code)s.", code=code))
    return carrier_type


def list_carrier_types() -> list[CarrierType]:
    stmt = select(CarrierType).order_by(CarrierType.sort_order, CarrierType.id)
    return list(db.session.scalars(stmt))


def recognition_problems(
    level: Level, recognized_on: dt.date, granted_by: Region, today: dt.date | None = None
) -> dict[str, str]:
    """What is wrong with a recognition's date and granting region ({} when nothing);
    shared by grant_recognition and bulk imports."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    if recognized_on > today:
        errors["recognized_on"] = _("must not be in the future")
    if granted_by.level != level.region_level:
        errors["granted_by"] = _(
            "a %(level)s recognition is granted by a %(depth)s bureau",
            level=level.label,
            depth=granted_by.level.label,
        )
    return errors


def grant_recognition(
    carrier: Carrier,
    *,
    level: Level,
    recognized_on: dt.date,
    document_no: str,
    granted_by: Region,
    source: RecognitionSource,
    actor_id: int | None = None,
    today: dt.date | None = None,
) -> Recognition:
    """Record that `granted_by` recognised `carrier` at `level`.

    Raises ValidationError for a future date or a granting region of the wrong depth,
    Conflict when the carrier already holds an active recognition at that level.
    """
    errors = recognition_problems(level, recognized_on, granted_by, today)
    if errors:
        raise ValidationError(errors)
    for existing in carrier.recognitions:
        if existing.level == level and existing.is_active_on(recognized_on):
            raise Conflict(_("The carrier already holds an active recognition at this level."))
    recognition = Recognition(
        carrier=carrier,
        level=level,
        recognized_on=recognized_on,
        document_no=document_no.strip(),
        granted_by=granted_by,
        source=source,
    )
    db.session.add(recognition)
    db.session.flush()
    audit.record(
        "recognition.grant",
        "recognition",
        recognition.id,
        actor_id=actor_id,
        carrier_id=carrier.id,
        level=level.code,
        recognized_on=recognized_on,
        document_no=document_no,
        granted_by=granted_by.code,
        source=source,
    )
    return recognition


def revoke_recognition(
    recognition: Recognition,
    *,
    revoked_on: dt.date,
    reason: str,
    document_no: str = "",
    actor_id: int | None = None,
    today: dt.date | None = None,
    automatic: bool = False,
) -> Recognition:
    """Revoke a recognition from `revoked_on` on (kept as history).

    Raises Conflict when it is already revoked, ValidationError for a missing reason or a
    date before the recognition or in the future.
    """
    today = today or dt.date.today()
    if recognition.revoked_on is not None:
        raise Conflict(
            _(
                "This recognition was already revoked on %(day)s.",
                day=recognition.revoked_on.isoformat(),
            )
        )
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = _("is required")
    if revoked_on > today:
        errors["revoked_on"] = _("must not be in the future")
    elif revoked_on < recognition.recognized_on:
        errors["revoked_on"] = _(
            "must not be before the recognition (%(day)s)",
            day=recognition.recognized_on.isoformat(),
        )
    if errors:
        raise ValidationError(errors)
    recognition.revoked_on = revoked_on
    recognition.revocation_reason = reason.strip()
    recognition.revocation_document_no = (document_no or "").strip()
    db.session.flush()
    audit.record(
        "recognition.revoke",
        "recognition",
        recognition.id,
        actor_id=actor_id,
        carrier_id=recognition.carrier_id,
        revoked_on=revoked_on,
        reason=reason,
        document_no=document_no,
        automatic=automatic,
    )
    return recognition
