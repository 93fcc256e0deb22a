"""Every permission decision of the registry, in one place.

Views and API handlers ask `can_<verb>(user, obj)` and call `require(...)`; no other module
checks roles. `user` is None for the anonymous public. A reviewer's powers cover its region's
subtree; an admin may do everything; a carrier account sees only its own carriers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

from registry.accounts.models import Role
from registry.errors import Forbidden, NotFound, Unauthorized

if TYPE_CHECKING:
    from registry.accounts.models import User
    from registry.applications.models import Application, ApplicationStep
    from registry.carriers.models import Carrier, Recognition
    from registry.regions.models import Region
    from registry.targets.models import Plan, Target


# --- who is who -------------------------------------------------------------------------


def is_admin(user: User | None) -> bool:
    return user is not None and user.role == Role.admin


def is_reviewer(user: User | None) -> bool:
    return user is not None and user.role == Role.reviewer


def is_carrier_account(user: User | None) -> bool:
    return user is not None and user.role == Role.carrier


def covers(user: User | None, region: Region | None) -> bool:
    """Whether `user` has bureau powers over `region` (its own region's subtree; admins all)."""
    if user is None or region is None:
        return False
    if is_admin(user):
        return True
    if not is_reviewer(user) or user.region is None:
        return False
    return region.path.startswith(user.region.path)


def owns(user: User | None, carrier: Carrier) -> bool:
    return user is not None and carrier.owner_id is not None and carrier.owner_id == user.id


# --- carriers ---------------------------------------------------------------------------


def can_view_carrier(user: User | None, carrier: Carrier) -> bool:
    """Recognised (or once recognised) carriers are public; others only to their owner and
    the bureaus over their region."""
    from registry.carriers.queries import is_public

    return owns(user, carrier) or covers(user, carrier.region) or is_public(carrier.id)


def can_view_private_fields(user: User | None, carrier: Carrier) -> bool:
    """Contact details and figures: the owner and the bureaus over the carrier's region."""
    return owns(user, carrier) or covers(user, carrier.region)


def can_edit_carrier(user: User | None, carrier: Carrier) -> bool:
    return owns(user, carrier) or is_admin(user)


def can_create_carrier(user: User | None) -> bool:
    """A carrier account registers carriers once its email address is confirmed."""
    return is_carrier_account(user) and user is not None and user.is_email_confirmed


def why_not_create_carrier(user: User | None) -> str:
    """What to tell a user can_create_carrier refuses."""
    if is_carrier_account(user) and user is not None and not user.is_email_confirmed:
        return _("Confirm your email address first: follow the link we sent you.")
    return _("Only carrier accounts register carriers.")


def can_list_own_carriers(user: User | None) -> bool:
    """The "my carriers" dashboard and its API."""
    return is_carrier_account(user)


def can_review_credit_code(user: User | None, carrier: Carrier) -> bool:
    """Accept or reject a credit code that fails its check character: the bureaus over the
    carrier's region."""
    return covers(user, carrier.region)


def can_manage_region(user: User | None, region: Region) -> bool:
    """Bureau work for a region: plans and targets, imports, reports, grades."""
    return covers(user, region)


def can_oversee_region(user: User | None, region: Region) -> bool:
    """The "my region" overview of a region's carriers and pending work (private ones too)."""
    return covers(user, region)


def home_region(user: User | None) -> Region | None:
    """Where a reviewer's overview starts: its own region (an admin's, or the country)."""
    if user is None or not (is_reviewer(user) or is_admin(user)):
        return None
    if user.region is not None:
        return user.region
    from registry.regions.service import country

    return country()


# --- applications for recognition, revocations, 扩权县 ----------------------------------


def can_apply(user: User | None, carrier: Carrier) -> bool:
    """Start an application for the carrier's recognition: the carrier's own account."""
    return is_carrier_account(user) and owns(user, carrier)


def can_list_own_applications(user: User | None) -> bool:
    return is_carrier_account(user)


def can_view_application(user: User | None, application: Application) -> bool:
    """The carrier's owner, admins, and once submitted the bureaus over the carrier's region
    (its review chain runs from that region upwards: every bureau of the chain is one)."""
    carrier = application.carrier
    if owns(user, carrier) or is_admin(user):
        return True
    # a draft never submitted is the carrier's own work
    return application.round > 0 and covers(user, carrier.region)


def can_act_as_applicant(user: User | None, application: Application) -> bool:
    """Change figures and attachments, submit, withdraw: the carrier's own account."""
    return owns(user, application.carrier)


def can_review_application(user: User | None, application: Application) -> bool:
    """A bureau on the application's current review chain, or an admin."""
    if is_admin(user):
        return True
    if not is_reviewer(user) or user is None or user.region_id is None:
        return False
    return any(step.region_id == user.region_id for step in application.chain)


def can_act_at_step(user: User | None, step: ApplicationStep | None) -> bool:
    """Recommend, approve, return or reject at `step`: the reviewers of its region; an
    admin at any step."""
    if step is None or user is None:
        return False
    return is_admin(user) or (is_reviewer(user) and user.region_id == step.region_id)


def can_list_review_queue(user: User | None) -> bool:
    """The review queue: reviewers (their region's steps) and admins (every step)."""
    return is_admin(user) or (is_reviewer(user) and user is not None and user.region is not None)


def can_revoke_recognition(user: User | None, recognition: Recognition) -> bool:
    """A reviewer of the granting region or of a region above it; an admin."""
    return covers(user, recognition.granted_by)


def can_mark_direct_to_province(user: User | None, region: Region) -> bool:
    """Mark a county as reporting directly to the province (扩权县): the bureaus of its
    province or of the country, and admins (the service refuses a region that is no county)."""
    from registry.regions.models import RegionLevel

    if is_admin(user):
        return True
    if not is_reviewer(user) or user is None or user.region is None:
        return False
    top = (RegionLevel.country, RegionLevel.province)
    return user.region.level in top and covers(user, region)


def can_manage_direct_counties(user: User | None) -> bool:
    """The page listing 扩权县: admins and the bureaus of a province or the country."""
    from registry.regions.models import RegionLevel

    if is_admin(user):
        return True
    return (
        is_reviewer(user)
        and user is not None
        and user.region is not None
        and user.region.level in (RegionLevel.country, RegionLevel.province)
    )


# --- accounts ---------------------------------------------------------------------------


def can_manage_users(user: User | None) -> bool:
    """Create reviewers and admins, deactivate accounts, reset passwords."""
    return is_admin(user)


def can_edit_account(user: User | None, account: User) -> bool:
    """One's own profile and password."""
    return user is not None and user.id == account.id


# --- enforcing --------------------------------------------------------------------------


def require(allowed: bool, *, hide: bool = False, message: str | None = None) -> None:
    """Stop unless `allowed`: 404 when the object's existence is private, else 403."""
    if allowed:
        return
    if hide:
        raise NotFound(message or _("Not found."))
    raise Forbidden(message or _("You are not allowed to do this."))


def require_signed_in(user: User | None) -> User:
    """The user; raises Unauthorized for the public."""
    if user is None:
        raise Unauthorized(_("Please sign in to continue."))
    return user


# --- imports and open data --------------------------------------------------------------


def can_import(user: User | None) -> bool:
    """Bulk imports of bureau lists: reviewers (for their subtree) and admins."""
    return is_admin(user) or (is_reviewer(user) and user is not None and user.region is not None)


def can_import_into(user: User | None, region: Region) -> bool:
    """Whether an import by `user` may place or update a carrier in `region`."""
    return can_import(user) and covers(user, region)


def can_view_import(user: User | None, record) -> bool:
    """Admins see every import; a reviewer the ones it made or made within its region."""
    if is_admin(user):
        return True
    if not can_import(user) or user is None:
        return False
    if record.user_id == user.id:
        return True
    return record.scope_region is not None and covers(user, record.scope_region)


def can_run_import(user: User | None, record) -> bool:
    """Checking and importing a staged file: the reviewer or admin who uploaded it, or an admin."""
    return is_admin(user) or (can_import(user) and user is not None and record.user_id == user.id)


def can_publish_open_data(user: User | None) -> bool:
    """Publishing a new version of the open data: admins."""
    return is_admin(user)


# --- annual reports and evaluations -----------------------------------------------------


def can_view_reports(user: User | None, carrier: Carrier) -> bool:
    """A carrier's reports and their figures: its owner and the bureaus over its region."""
    return owns(user, carrier) or covers(user, carrier.region)


def can_file_report(user: User | None, carrier: Carrier) -> bool:
    """Fill in and submit a carrier's annual report: its owner (or an admin)."""
    return owns(user, carrier) or is_admin(user)


def can_review_report(user: User | None, carrier: Carrier) -> bool:
    """Accept or return a carrier's submitted report: the bureaus over its region."""
    return covers(user, carrier.region)


def can_review_reports_in(user: User | None, region: Region) -> bool:
    """A region's reports of a year, who has not filed, grading in bulk: its bureaus."""
    return covers(user, region)


def can_grade(user: User | None, carrier: Carrier) -> bool:
    """Record a carrier's annual grade: the bureau of the region that granted its highest
    active recognition, or one above it (without an active recognition, the bureaus over
    its region, who are then told there is nothing to grade)."""
    from registry.evaluations.service import granting_region

    region = granting_region(carrier)
    return covers(user, region if region is not None else carrier.region)


# --- plans and targets (public to read) -------------------------------------------------


def can_manage_plans(user: User | None) -> bool:
    """Bureau staff: may draft plans for the regions they cover and extract targets."""
    return is_admin(user) or (is_reviewer(user) and user is not None and user.region is not None)


def can_create_plan(user: User | None, region: Region | None) -> bool:
    """A plan issued by `region` (None: not chosen yet, the form will ask)."""
    return can_manage_plans(user) and (region is None or can_manage_region(user, region))


def can_manage_plan(user: User | None, plan: Plan) -> bool:
    """Edit or delete a plan and manage its targets: the bureaus over its issuing region."""
    return can_manage_region(user, plan.region)


def can_manage_target(user: User | None, target: Target) -> bool:
    """Edit a target or enter its figures: whoever manages its plan."""
    return can_manage_plan(user, target.plan)
