"""One application as its page and the API show it: chain, figures, files, eligibility,
the full history of events, and what the viewer may do now."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import url_for
from sqlalchemy import select

from registry import db
from registry.accounts.models import Role, User
from registry.applications.attachments import active_attachments
from registry.applications.drafts import application_indicators
from registry.applications.eligibility import Eligibility, check_eligibility
from registry.applications.models import (
    Application,
    ApplicationAction,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationStatus,
    ApplicationStep,
)
from registry.applications.queries import step_dict
from registry.applications.service import allowed_actions
from registry.carriers.models import Indicator


@dataclass
class StepView:
    step: ApplicationStep
    state: str  # done, current, waiting, stopped
    event: ApplicationEvent | None = None


@dataclass
class FigureView:
    indicator: Indicator
    value: Decimal | None


@dataclass
class ApplicationDetail:
    application: Application
    steps: list[StepView]
    figures: list[FigureView]
    attachments: list[ApplicationAttachment]
    events: list[ApplicationEvent]
    eligibility: Eligibility
    actions: list[ApplicationAction] = field(default_factory=list)

    @property
    def returned_by(self) -> ApplicationEvent | None:
        """The event that returned the application, while it is returned: what to fix."""
        if self.application.status != ApplicationStatus.returned:
            return None
        return next(
            (e for e in reversed(self.events) if e.action == ApplicationAction.return_), None
        )

    @property
    def decision(self) -> ApplicationEvent | None:
        """The event that closed a decided application (approval or rejection)."""
        if self.application.status not in (ApplicationStatus.approved, ApplicationStatus.rejected):
            return None
        return self.events[-1] if self.events else None


def events_of(application: Application) -> list[ApplicationEvent]:
    stmt = (
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application.id)
        .order_by(ApplicationEvent.id)
    )
    return list(db.session.scalars(stmt))


def application_detail(application: Application, user: User | None) -> ApplicationDetail:
    events = events_of(application)
    values = application.figure_values()
    indicators = application_indicators(application.carrier.type_id)
    return ApplicationDetail(
        application=application,
        steps=_steps(application, events),
        figures=[FigureView(i, values.get(i.id)) for i in indicators],
        attachments=active_attachments(application),
        events=events,
        eligibility=check_eligibility(application.carrier.type_id, application.level, values),
        actions=allowed_actions(application, user),
    )


def _steps(application: Application, events: list[ApplicationEvent]) -> list[StepView]:
    acted = {e.from_step_id: e for e in events if e.from_step_id is not None}
    views = []
    for step in application.chain:
        event = acted.get(step.id)
        if event is not None and event.action in (
            ApplicationAction.recommend,
            ApplicationAction.approve,
        ):
            state = "done"
        elif event is not None:
            state = "stopped"
        elif step.position == application.step_position:
            state = "current"
        else:
            state = "waiting"
        views.append(StepView(step, state, event))
    return views


def actor_name(event: ApplicationEvent) -> str:
    """Who acted, as the carrier and the bureaus should read it: the bureau for reviewers."""
    actor = event.actor
    if actor.role == Role.reviewer and actor.region is not None:
        return actor.region.bureau_name
    if actor.role == Role.admin:
        return actor.name or actor.email
    return actor.name or event.actor.email


def detail_as_dict(detail: ApplicationDetail) -> dict[str, Any]:
    app = detail.application
    carrier = app.carrier
    step = app.current_step
    return {
        "id": app.id,
        "carrier_id": carrier.id,
        "carrier": {
            "id": carrier.id,
            "name": carrier.name,
            "type": carrier.carrier_type.code,
            "region": {"code": carrier.region.code, "name": carrier.region.full_name},
        },
        "level": app.level.code,
        "status": app.status.value,
        "version": app.version,
        "round": app.round,
        "current_step": step_dict(step.region) if step else None,
        "steps": [
            {**step_dict(v.step.region), "position": v.step.position, "state": v.state}
            for v in detail.steps
        ],
        "events": [_event_dict(e) for e in detail.events],
        "eligibility": detail.eligibility.as_dict(),
        "figures": {f.indicator.code: _number(f.value) for f in detail.figures},
        "attachments": [attachment_dict(a) for a in detail.attachments],
        "recognition_id": app.recognition_id,
        "allowed_actions": [a.value for a in detail.actions],
        "created_at": app.created_at.isoformat(),
        "submitted_at": app.submitted_at.isoformat() if app.submitted_at else None,
        "updated_at": app.updated_at.isoformat(),
    }


def attachment_dict(attachment: ApplicationAttachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_at": attachment.uploaded_at.isoformat(),
        "url": url_for(
            "applications_api.download_attachment",
            application_id=attachment.application_id,
            attachment_id=attachment.id,
        ),
    }


def _event_dict(event: ApplicationEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "action": event.action.value,
        "actor": {"name": actor_name(event), "role": event.actor.role.value},
        "from_status": event.from_status.value,
        "to_status": event.to_status.value,
        "step": step_dict(event.from_step.region) if event.from_step else None,
        "to_step": step_dict(event.to_step.region) if event.to_step else None,
        "round": event.round,
        "comment": event.comment,
        "document_no": event.document_no,
        "occurred_at": event.occurred_at.isoformat(),
    }


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
