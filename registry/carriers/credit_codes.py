"""Credit codes that fail the GB 32100-2015 check character: some real ones do, so the owner
may keep one it confirms, and a bureau over the carrier's region accepts or rejects it with a
reason. A decision holds for that code only: a different code is checked afresh."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from registry import audit, db
from registry.accounts.models import User
from registry.carriers import uscc
from registry.carriers.models import Carrier, CreditCodeReview, CreditCodeStatus, ReviewDecision
from registry.db import utcnow
from registry.errors import Conflict, ValidationError


def review_of(carrier: Carrier, code: str | None = None) -> CreditCodeReview | None:
    code = code if code is not None else carrier.uscc
    if not code:
        return None
    return db.session.scalar(
        select(CreditCodeReview).where(
            CreditCodeReview.carrier_id == carrier.id, CreditCodeReview.uscc == code
        )
    )


def rejected_review(carrier: Carrier, code: str) -> CreditCodeReview | None:
    review = review_of(carrier, code)
    return review if review is not None and review.decision == ReviewDecision.rejected else None


def status_of(code: str | None, decision: ReviewDecision | None) -> CreditCodeStatus:
    """A code's status from the code and the decision on it (if any)."""
    if not code:
        return CreditCodeStatus.missing
    if uscc.is_valid(code):
        return CreditCodeStatus.valid
    if decision is None:
        return CreditCodeStatus.pending
    return CreditCodeStatus(decision.value)


def credit_code_status(carrier: Carrier) -> CreditCodeStatus:
    review = review_of(carrier) if carrier.uscc and not uscc.is_valid(carrier.uscc) else None
    return status_of(carrier.uscc, review.decision if review else None)


def request_review(carrier: Carrier, *, requested_by: User | None) -> CreditCodeReview:
    """Ask the bureau to verify the carrier's current code (once per code)."""
    review = review_of(carrier)
    if review is not None:
        return review
    review = CreditCodeReview(
        carrier_id=carrier.id,
        uscc=carrier.uscc,
        requested_by_id=requested_by.id if requested_by else None,
    )
    db.session.add(review)
    db.session.flush()
    audit.record(
        "carrier.credit_code_review_requested",
        "carrier",
        carrier.id,
        actor_id=requested_by.id if requested_by else None,
        carrier_id=carrier.id,
        uscc=carrier.uscc,
    )
    return review


def decide_credit_code(
    carrier: Carrier, decision: str, reason: str, *, actor: User
) -> CreditCodeReview:
    """Accept or reject the carrier's current credit code, which fails its check character.

    Raises ValidationError (unknown decision, missing reason) or Conflict (the code passes
    the check, or a decision on it was already made).
    """
    errors: dict[str, str] = {}
    if decision not in ("accepted", "rejected"):
        errors["decision"] = _("must be accepted or rejected")
    reason = " ".join(reason.split()) if isinstance(reason, str) else ""
    if not reason:
        errors["reason"] = _("is required")
    elif len(reason) > 1000:
        errors["reason"] = _("must be at most %(n)d characters long", n=1000)
    if errors:
        raise ValidationError(errors)
    if not carrier.uscc or uscc.is_valid(carrier.uscc):
        raise Conflict(
            _("This carrier's credit code passes the check: there is nothing to decide.")
        )
    review = review_of(carrier) or request_review(carrier, requested_by=None)
    if review.decision != ReviewDecision.pending:
        raise Conflict(_("The bureau has already decided on this credit code."))
    review.decision = ReviewDecision(decision)
    review.reason = reason
    review.decided_by_id = actor.id
    review.decided_at = utcnow()
    db.session.flush()
    audit.record(
        "carrier.credit_code_" + decision,
        "carrier",
        carrier.id,
        actor_id=actor.id,
        carrier_id=carrier.id,
        uscc=carrier.uscc,
        reason=reason,
    )
    return review
