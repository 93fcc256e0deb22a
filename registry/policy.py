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
    from registry.carriers.models import Carrier
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


def can_manage_region(user: User | None, region: Region) -> bool:
    """Bureau work for a region: plans and targets, imports, reports, grades."""
    return covers(user, region)


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
