"""The recognition workflow: one transition table and one function that applies it.

`TRANSITIONS[(status, action)]` says who may act (the owner, or the reviewer of the
current step's region — an admin at any step), at which step, what the action needs, where
the application goes and what happens to its step. `apply_action` checks those guards,
claims the application with a conditional UPDATE on the version its actor saw (so of two
reviewers acting at once exactly one succeeds), writes exactly one event, and raises
InvalidTransition (409) for anything the table does not allow.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import set_committed_value

from registry import audit, db, policy
from registry.accounts.models import User
from registry.applications import messages
from registry.applications.chain import review_chain
from registry.applications.drafts import check_level, missing_figures
from registry.applications.models import (
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    ApplicationStep,
)
from registry.carriers.models import RecognitionSource
from registry.carriers.service import grant_recognition
from registry.db import utcnow
from registry.errors import Conflict, Forbidden, ValidationError
from registry.validation import clean_text, date_problem

MAX_COMMENT = 2000
EARLIEST_DECISION = dt.date(1980, 1, 1)


class InvalidTransition(Conflict):
    """The action is not allowed in the application's current state or step (409)."""

    code = "invalid_transition"


class StaleApplication(Conflict):
    """The application changed since the actor loaded it (409)."""

    code = "stale"


class Who(enum.Enum):
    owner = "owner"
    reviewer = "reviewer"


class At(enum.Enum):
    any = "any"
    not_final = "not_final"  # a step that recommends
    final = "final"  # the step that decides


class Move(enum.Enum):
    first = "first"  # a new round of the chain, at its first step
    next = "next"
    leave = "leave"  # out of the chain


@dataclass(frozen=True)
class Transition:
    to: ApplicationStatus
    who: Who
    move: Move
    at: At = At.any
    needs: tuple[str, ...] = ()


S, A = ApplicationStatus, ApplicationAction
_SUBMIT = Transition(S.in_review, Who.owner, Move.first, needs=("figures",))
_WITHDRAW = Transition(S.withdrawn, Who.owner, Move.leave)

TRANSITIONS: dict[tuple[ApplicationStatus, ApplicationAction], Transition] = {
    (S.draft, A.submit): _SUBMIT,
    (S.returned, A.submit): _SUBMIT,
    (S.draft, A.withdraw): _WITHDRAW,
    (S.in_review, A.withdraw): _WITHDRAW,
    (S.returned, A.withdraw): _WITHDRAW,
    (S.in_review, A.recommend): Transition(S.in_review, Who.reviewer, Move.next, At.not_final),
    (S.in_review, A.approve): Transition(
        S.approved, Who.reviewer, Move.leave, At.final, needs=("document_no",)
    ),
    (S.in_review, A.return_): Transition(S.returned, Who.reviewer, Move.leave, needs=("comment",)),
    (S.in_review, A.reject): Transition(S.rejected, Who.reviewer, Move.leave, needs=("comment",)),
}


@dataclass
class ActionInput:
    """What the actor gave with the action, cleaned."""

    comment: str = ""
    document_no: str = ""
    recognized_on: dt.date | None = None


def allowed_actions(application: Application, user: User | None) -> list[ApplicationAction]:
    """The actions `user` may take now (to offer buttons; apply_action decides)."""
    return [
        action
        for (status, action), t in TRANSITIONS.items()
        if status == application.status and _may(t, application, user)
    ]


def apply_action(
    application: Application,
    action: Any,
    actor: User,
    *,
    comment: Any = "",
    document_no: Any = "",
    recognized_on: Any = None,
    version: Any = None,
    today: dt.date | None = None,
) -> ApplicationEvent:
    """Apply `action` by `actor`, if the transition table allows it now.

    Raises ValidationError (unknown action, missing comment or 文号, bad date or figures),
    Forbidden (not the owner, not a bureau of the chain), InvalidTransition (not allowed from
    the status, out of turn, wrong step), StaleApplication (changed since `version`).
    """
    act = _parse_action(action)
    seen = _seen_version(application, version)
    transition = TRANSITIONS.get((application.status, act))
    if transition is None:
        raise InvalidTransition(messages.not_allowed(application, act))
    _check_actor(transition, application, actor)
    _check_step(transition, application, act)
    given = _check_needs(transition, application, comment, document_no, recognized_on, today)
    from_status, from_step = application.status, application.current_step
    claim(application, seen)
    if act == A.approve:
        _grant(application, actor, given, from_step)
    with db.session.no_autoflush:  # the CHECKs hold only once status and step move together
        to_step = _move(transition, application)
        application.status = transition.to
        _stamp(application, transition)
    db.session.flush()
    event = _record(application, act, actor, from_status, from_step, to_step, given)
    from registry.applications import notify

    notify.after_transition(application, event)
    return event


def claim(application: Application, seen: int) -> None:
    """Take the application from version `seen` to the next, or raise StaleApplication.

    A conditional UPDATE ... WHERE id = ? AND version = ?: on PostgreSQL a concurrent
    claim waits for the row lock and then matches no row; on SQLite the second writer's
    snapshot is stale and the database refuses it. Either way one succeeds.
    """
    stmt = (
        update(Application)
        .where(Application.id == application.id, Application.version == seen)
        .values(version=seen + 1)
        .execution_options(synchronize_session=False)
    )
    try:
        claimed = db.session.execute(stmt).rowcount
    except OperationalError as exc:
        if db.session.get_bind().dialect.name != "sqlite":
            raise
        raise StaleApplication(messages.stale()) from exc
    if claimed != 1:
        raise StaleApplication(messages.stale())
    set_committed_value(application, "version", seen + 1)


# --- guards -----------------------------------------------------------------------------


def _parse_action(action: Any) -> ApplicationAction:
    try:
        return ApplicationAction(action)
    except ValueError:
        allowed = ", ".join(ApplicationAction.values())
        raise ValidationError({"action": _("must be one of %(values)s", values=allowed)}) from None


def _seen_version(application: Application, version: Any) -> int:
    if version is None or version == "":
        return application.version
    try:
        seen = int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": _("must be a whole number")}) from None
    if isinstance(version, bool) or seen != application.version:
        raise StaleApplication(messages.stale())
    return seen


def _may(t: Transition, application: Application, user: User | None) -> bool:
    if t.who == Who.owner:
        return policy.can_act_as_applicant(user, application)
    step = application.current_step
    if step is None or not policy.can_act_at_step(user, step):
        return False
    return t.at == At.any or (t.at == At.final) == step.is_final


def _check_actor(t: Transition, application: Application, actor: User) -> None:
    if t.who == Who.owner:
        if not policy.can_act_as_applicant(actor, application):
            raise Forbidden(
                _("Only the carrier's own account submits or withdraws its application.")
            )
        return
    if not policy.can_review_application(actor, application):
        raise Forbidden(messages.not_on_chain(application))
    if not policy.can_act_at_step(actor, application.current_step):
        raise InvalidTransition(messages.out_of_turn(application))


def _check_step(t: Transition, application: Application, act: ApplicationAction) -> None:
    step = application.current_step
    if t.at == At.final and not step.is_final:
        raise InvalidTransition(messages.not_final(application))
    if t.at == At.not_final and step.is_final:
        raise InvalidTransition(messages.final(application))


def _check_needs(
    t: Transition,
    application: Application,
    comment: Any,
    document_no: Any,
    recognized_on: Any,
    today: dt.date | None,
) -> ActionInput:
    given = ActionInput(
        comment=clean_text(comment, multiline=True) if isinstance(comment, str) else "",
        document_no=clean_text(document_no) if isinstance(document_no, str) else "",
    )
    errors: dict[str, str] = {}
    if len(given.comment) > MAX_COMMENT:
        errors["comment"] = _("must be at most %(n)d characters long", n=MAX_COMMENT)
    elif "comment" in t.needs and not given.comment:
        errors["comment"] = _("is required: tell the carrier why")
    if "document_no" in t.needs:
        _check_decision(application, given, recognized_on, today, errors)
    if "figures" in t.needs:
        errors.update(missing_figures(application))
        if not errors:
            check_level(application.carrier, application.level)
    if errors:
        raise ValidationError(errors)
    return given


def _check_decision(
    application: Application,
    given: ActionInput,
    recognized_on: Any,
    today: dt.date | None,
    errors: dict[str, str],
) -> None:
    if not given.document_no:
        errors["document_no"] = _("is required: the number of the recognition document (文号)")
    elif len(given.document_no) > 100:
        errors["document_no"] = _("must be at most %(n)d characters long", n=100)
    today = today or dt.date.today()
    if recognized_on in (None, ""):
        given.recognized_on = today
        return
    # the document may predate the registry's records; not the carrier itself
    earliest = application.carrier.founded_on or EARLIEST_DECISION
    day, problem = date_problem(recognized_on, earliest=earliest, today=today)
    if problem:
        errors["recognized_on"] = problem
    given.recognized_on = day


# --- effects ----------------------------------------------------------------------------


def _move(t: Transition, application: Application) -> ApplicationStep | None:
    if t.move == Move.first:
        chain = review_chain(application.carrier.region, application.level)
        application.round += 1
        steps = [
            ApplicationStep(
                round=application.round, position=i, region=region, is_final=i == len(chain) - 1
            )
            for i, region in enumerate(chain)
        ]
        application.steps.extend(steps)
        application.step_position = 0
        return steps[0]
    if t.move == Move.next:
        application.step_position = (application.step_position or 0) + 1
        return application.current_step
    application.step_position = None
    return None


def _grant(
    application: Application, actor: User, given: ActionInput, step: ApplicationStep | None
) -> None:
    application.recognition = grant_recognition(
        application.carrier,
        level=application.level,
        recognized_on=given.recognized_on or dt.date.today(),
        document_no=given.document_no,
        granted_by=step.region,
        source=RecognitionSource.workflow,
        actor_id=actor.id,
    )


def _stamp(application: Application, t: Transition) -> None:
    now = utcnow()
    application.state_changed_at = now
    application.updated_at = now
    if t.move == Move.first:
        application.submitted_at = now
    if t.to in (S.approved, S.rejected, S.withdrawn):
        application.closed_at = now


def _record(
    application: Application,
    act: ApplicationAction,
    actor: User,
    from_status: ApplicationStatus,
    from_step: ApplicationStep | None,
    to_step: ApplicationStep | None,
    given: ActionInput,
) -> ApplicationEvent:
    data: dict[str, Any] = {}
    if act == A.submit:
        data["figures"] = {
            f.indicator.code: str(f.value) for f in application.figures if f.value is not None
        }
    if act == A.approve:
        data["recognized_on"] = given.recognized_on.isoformat()
        data["recognition_id"] = application.recognition_id
    event = ApplicationEvent(
        application_id=application.id,
        version=application.version,
        round=application.round,
        action=act,
        actor_id=actor.id,
        from_status=from_status,
        to_status=application.status,
        from_step_id=from_step.id if from_step else None,
        to_step_id=to_step.id if to_step else None,
        comment=given.comment,
        document_no=given.document_no,
        data=data,
    )
    db.session.add(event)
    db.session.flush()
    audit.record(
        f"application.{act.value}",
        "application",
        application.id,
        actor_id=actor.id,
        carrier_id=application.carrier_id,
        from_status=from_status,
        to_status=application.status,
        step=from_step.region.code if from_step else None,
        to_step=to_step.region.code if to_step else None,
        comment=given.comment,
        document_no=given.document_no,
    )
    return event
