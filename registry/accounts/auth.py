"""Who is asking: Flask-Login sessions for pages, bearer tokens for the API."""

from __future__ import annotations

from flask import Flask, g, has_request_context, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager
from flask_login import current_user as _flask_current_user

from registry import db
from registry.accounts.models import User
from registry.errors import Unauthorized

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


class Anonymous(AnonymousUserMixin):
    """The public."""

    id = None
    role = None
    region = None
    region_id = None


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The session's user, if still active and the session is not older than its password."""
    if request.path.startswith("/api/"):
        return None  # the API authenticates by bearer token only
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.is_active:
        return None
    from flask import session

    if session.get("pwv") != password_version(user):
        return None
    return user


def password_version(user: User) -> str:
    """Changes with the password: sessions made before a password change stop working."""
    return user.password_changed_at.isoformat()


def current_user() -> User | None:
    """The signed-in user (page session or API token), or None for the public (and outside
    a request, e.g. rendering an email from a command)."""
    if not has_request_context():
        return None
    if request.path.startswith("/api/"):
        return g.get("api_user")
    user = _flask_current_user
    return user._get_current_object() if user.is_authenticated else None  # type: ignore[union-attr]


def authenticate_api_request() -> None:
    """Set g.api_user from an `Authorization: Bearer` header; raises Unauthorized for a bad one."""
    from registry.accounts.tokens import user_for_token

    g.api_user = None
    g.api_token = None
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized(str(_l("Use the header Authorization: Bearer <token>.")))
    found = user_for_token(secret.strip())
    if found is None:
        raise Unauthorized(str(_l("The token is invalid, expired or revoked.")))
    g.api_user, g.api_token = found


def require_api_user() -> User:
    """The API caller; raises Unauthorized when no valid token was given."""
    user = g.get("api_user")
    if user is None:
        raise Unauthorized(str(_l("Sign in first: POST /api/v1/tokens, then send the token.")))
    return user


# Endpoints that never ask who is calling (no user is loaded for them, no query run).
WITHOUT_USER = {"static", "health.check_health"}
# Pages a user who must choose a new password may still open.
_ALLOWED_BEFORE_NEW_PASSWORD = {
    "accounts.change_password",
    "accounts.logout",
    "public.set_language",
    *WITHOUT_USER,
}


def init_app(app: Flask) -> None:
    from registry.accounts import passwords

    passwords.configure(app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_KIB"])
    login_manager.init_app(app)

    @app.before_request
    def _require_new_password():
        if request.path.startswith("/api/") or request.endpoint in _ALLOWED_BEFORE_NEW_PASSWORD:
            return None
        user = current_user()
        if user is not None and user.must_change_password:
            return redirect(url_for("accounts.change_password"))
        return None

    @app.before_request
    def _api_auth() -> None:
        from registry.limits.web import limit_api_request

        g.api_user = None
        g.api_token = None
        if not request.path.startswith("/api/"):
            return
        try:
            authenticate_api_request()
        except Unauthorized:
            limit_api_request()  # a bad token counts against the address: guessing is limited
            raise
        limit_api_request()

    @app.context_processor
    def _inject_user() -> dict:
        return {"signed_in_user": current_user()}
