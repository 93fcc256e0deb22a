"""What the owner and the bureaus see on a carrier's page beyond the public view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry import policy
from registry.carriers.credit_codes import credit_code_status, review_of
from registry.carriers.forms import CreditCodeDecisionForm
from registry.carriers.models import Carrier, CreditCodeReview, CreditCodeStatus


@dataclass
class PrivatePanel:
    """Contact details, the credit code's status and what the viewer may do."""

    carrier: Carrier
    credit_code: CreditCodeStatus
    review: CreditCodeReview | None
    can_edit: bool
    decision_form: Any | None
    workflow: Any = None  # applications and revocations (registry.applications.panels)


def private_panel(user: Any, carrier: Carrier) -> PrivatePanel:
    status = credit_code_status(carrier)
    review = (
        review_of(carrier)
        if status not in (CreditCodeStatus.valid, CreditCodeStatus.missing)
        else None
    )
    may_decide = status == CreditCodeStatus.pending and policy.can_review_credit_code(user, carrier)
    return PrivatePanel(
        carrier=carrier,
        credit_code=status,
        review=review,
        can_edit=policy.can_edit_carrier(user, carrier),
        decision_form=CreditCodeDecisionForm() if may_decide else None,
        workflow=_workflow(user, carrier),
    )


def _workflow(user: Any, carrier: Carrier) -> Any:
    from registry.applications.panels import carrier_workflow

    return carrier_workflow(user, carrier)
