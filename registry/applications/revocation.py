"""Revoking a recognition by decision of a bureau: with its date, reason and document
number (文号). The recognition stays as history; the carrier leaves the default listing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from registry import db
from registry.accounts.models import User
from registry.carriers.models import Recognition
from registry.carriers.service import revoke_recognition
from registry.errors import NotFound, ValidationError
from registry.notifications.service import queue_templated
from registry.validation import clean_text, date_problem


def get_recognition(recognition_id: int) -> Recognition:
    """The recognition with this id; raises NotFound."""
    recognition = db.session.get(Recognition, recognition_id)
    if recognition is None:
        raise NotFound(_("No recognition has the id %(id)s.", id=recognition_id))
    return recognition


def revoke_by_decision(
    recognition: Recognition,
    *,
    revoked_on: Any,
    reason: Any,
    document_no: Any,
    actor: User,
    today: dt.date | None = None,
) -> Recognition:
    """Revoke `recognition` from `revoked_on` (an ISO date) for `reason`, by the document
    `document_no`; the carrier's owner is told.

    Raises ValidationError (revoked_on, reason, document_no), Conflict when already revoked.
    """
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    reason_text = clean_text(reason, multiline=True) if isinstance(reason, str) else ""
    number = clean_text(document_no) if isinstance(document_no, str) else ""
    if not reason_text:
        errors["reason"] = _("is required")
    elif len(reason_text) > 2000:
        errors["reason"] = _("must be at most %(n)d characters long", n=2000)
    if not number:
        errors["document_no"] = _("is required: the number of the revocation document (文号)")
    elif len(number) > 100:
        errors["document_no"] = _("must be at most %(n)d characters long", n=100)
    day, problem = (
        (None, _("is required"))
        if revoked_on in (None, "")
        else date_problem(revoked_on, earliest=recognition.recognized_on, today=today)
    )
    if problem:
        errors["revoked_on"] = problem
    if errors:
        raise ValidationError(errors)
    revoke_recognition(
        recognition,
        revoked_on=day,
        reason=reason_text,
        document_no=number,
        actor_id=actor.id,
        today=today,
    )
    _tell_owner(recognition, actor)
    return recognition


def _tell_owner(recognition: Recognition, actor: User) -> None:
    owner_id = recognition.carrier.owner_id
    owner = db.session.get(User, owner_id) if owner_id else None
    if owner is None or not owner.is_active:
        return
    with force_locale("zh"):
        queue_templated(
            owner.email,
            kind="recognition_revoked",
            subject=_("A recognition of %(carrier)s was revoked", carrier=recognition.carrier.name),
            user_id=owner.id,
            user=owner,
            recognition=recognition,
            bureau=actor.region.bureau_name if actor.region else _("The registry"),
        )


def recognition_dict(recognition: Recognition) -> dict[str, Any]:
    return {
        "id": recognition.id,
        "carrier_id": recognition.carrier_id,
        "level": recognition.level.code,
        "recognized_on": recognition.recognized_on.isoformat(),
        "document_no": recognition.document_no,
        "granted_by": {
            "code": recognition.granted_by.code,
            "name": recognition.granted_by.bureau_name,
        },
        "source": recognition.source.value,
        "revoked_on": recognition.revoked_on.isoformat() if recognition.revoked_on else None,
        "revocation_reason": recognition.revocation_reason,
        "revocation_document_no": recognition.revocation_document_no or None,
    }
