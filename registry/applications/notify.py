"""Emails of the workflow, through the outbox (sent only if the action commits): the carrier
hears of every bureau decision, the next step's reviewers hear that work has arrived.

They go to people other than the actor, so they are written in the registry's default
language (Chinese), whatever language the actor's pages are in.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from registry import db
from registry.accounts.models import Role, User
from registry.applications.models import (
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStep,
)
from registry.notifications.service import queue_templated
from registry.web import external_url

LOCALE = "zh"
DECISIONS = (
    ApplicationAction.recommend,
    ApplicationAction.approve,
    ApplicationAction.return_,
    ApplicationAction.reject,
)


def after_transition(application: Application, event: ApplicationEvent) -> None:
    if event.action in DECISIONS:
        _tell_carrier(application, event)
    if event.to_step is not None:
        _tell_reviewers(application, event.to_step)


def reviewers_of(step: ApplicationStep) -> list[User]:
    stmt = (
        select(User)
        .where(
            User.role == Role.reviewer,
            User.region_id == step.region_id,
            User.is_active.is_(True),
        )
        .order_by(User.id)
    )
    return list(db.session.scalars(stmt))


def _link(application: Application) -> str:
    return external_url("applications.show_application", application_id=application.id)


def _tell_carrier(application: Application, event: ApplicationEvent) -> None:
    owner = (
        db.session.get(User, application.carrier.owner_id) if application.carrier.owner_id else None
    )
    if owner is None or not owner.is_active:
        return
    step = event.from_step
    with force_locale(LOCALE):
        subject = _(
            "Your application for %(carrier)s was %(past)s",
            carrier=application.carrier.name,
            past=event.action.past,
        )
        queue_templated(
            owner.email,
            kind="application_decision",
            subject=subject,
            user_id=owner.id,
            user=owner,
            application=application,
            event=event,
            bureau=step.region.bureau_name if step else "",
            next_bureau=event.to_step.region.bureau_name if event.to_step else "",
            link=_link(application),
        )


def _tell_reviewers(application: Application, step: ApplicationStep) -> None:
    with force_locale(LOCALE):
        subject = _(
            "An application awaits your review: %(carrier)s (%(level)s)",
            carrier=application.carrier.name,
            level=application.level.label,
        )
        for reviewer in reviewers_of(step):
            queue_templated(
                reviewer.email,
                kind="application_to_review",
                subject=subject,
                user_id=reviewer.id,
                user=reviewer,
                application=application,
                bureau=step.region.bureau_name,
                link=_link(application),
            )
