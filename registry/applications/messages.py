"""What the workflow tells a person whose action it refuses, in words they understand."""

from __future__ import annotations

from flask_babel import gettext as _

from registry.applications.models import Application, ApplicationAction, ApplicationStatus

S, A = ApplicationStatus, ApplicationAction


def bureau(application: Application) -> str:
    step = application.current_step
    return step.region.bureau_name if step else ""


def not_allowed(application: Application, action: ApplicationAction) -> str:
    """Why (status, action) is not in the transition table."""
    status = application.status
    if status == S.approved:
        return _("This application was approved; it is closed and can no longer change.")
    if status == S.rejected:
        return _(
            "This application was rejected; it is closed. The carrier may start a new application."
        )
    if status == S.withdrawn:
        return _("This application was withdrawn; it is closed and can no longer change.")
    if status == S.in_review and action == A.submit:
        return _("This application is already in review at %(bureau)s.", bureau=bureau(application))
    if status == S.returned:
        return _(
            "This application was returned to the carrier for changes: it comes back to the "
            "bureaus when the carrier submits it again."
        )
    return _(
        "This application has not been submitted yet: the bureaus act on it once the carrier "
        "submits it."
    )


def stale() -> str:
    return _(
        "This application was changed by someone else since you opened it (another reviewer "
        "may have acted on it). Reload the page to see where it stands now."
    )


def not_on_chain(application: Application) -> str:
    chain = " → ".join(s.region.bureau_name for s in application.chain)
    return _(
        "Your bureau is not on this application's review chain (%(chain)s), so it cannot act "
        "on it.",
        chain=chain,
    )


def out_of_turn(application: Application) -> str:
    return _(
        "It is not your turn: the application is waiting for %(bureau)s.",
        bureau=bureau(application),
    )


def not_final(application: Application) -> str:
    return _(
        "%(bureau)s is not the last step of this application: recommend it to the next bureau "
        "rather than approve it.",
        bureau=bureau(application),
    )


def final(application: Application) -> str:
    return _(
        "%(bureau)s is the last step of this application: approve, return or reject it.",
        bureau=bureau(application),
    )
