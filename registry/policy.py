"""Every permission decision of the registry, in one place.

Views and API handlers ask `can_<verb>(user, obj)` and call `require(...)`; no other
module checks roles. `user` is None for the anonymous public.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

from registry.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from registry.accounts.models import User
    from registry.carriers.models import Carrier


def can_view_carrier(user: User | None, carrier: Carrier) -> bool:
    """The public sees carriers that have been recognised (active or revoked)."""
    from registry.carriers.queries import is_public

    return is_public(carrier.id)


def require(allowed: bool, *, hide: bool = False, message: str | None = None) -> None:
    """Stop unless `allowed`: 404 when the object's existence is private, else 403."""
    if allowed:
        return
    if hide:
        raise NotFound(message or _("Not found."))
    raise Forbidden(message or _("You are not allowed to do this."))
