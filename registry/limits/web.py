"""API rate limits at the door: who is asking, one counted request, the answer's headers.

Every /api/ request is counted against one caller: the holder of a valid bearer token (all
of a user's tokens share one counter, so issuing more tokens does not raise the limit), else
a registered client (`X-Client-Id` among REGISTRY_API_CLIENT_IDS), else the network address.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from flask_babel import gettext as _

from registry import db
from registry.db import utcnow
from registry.errors import TooManyRequests
from registry.limits.service import RateLimit, RateState, address_key, count_request

CLIENT_ID_HEADER = "X-Client-Id"


def limit_api_request() -> None:
    """Count this API request against its caller's limit; raises TooManyRequests over it.

    Called once the bearer token was checked (a bad token is counted against the address,
    so guessing tokens is limited too). The count is committed at once, on its own: it stands
    whatever becomes of the request, and no request holds the counter's row lock for long.
    """
    config = current_app.config
    if not config["API_RATE_LIMIT"]:
        return
    rule, bucket = _caller()
    if rule.limit <= 0:
        return
    now = utcnow()
    state = count_request(bucket, rule, now)
    db.session.commit()
    g.rate_limit = state
    if state.exceeded:
        seconds = state.retry_after(now)
        raise TooManyRequests(
            _(
                "Too many requests: at most %(limit)d every %(window)d seconds. "
                "Try again in %(seconds)d seconds.",
                limit=state.limit,
                window=rule.window,
                seconds=seconds,
            ),
            retry_after=seconds,
        )


def _caller() -> tuple[RateLimit, str]:
    """The caller's limit and counter: token holder, else registered client, else address."""
    config = current_app.config
    window = config["API_RATE_WINDOW"]
    user = g.get("api_user")
    if user is not None:
        return RateLimit("token", config["API_RATE_PER_TOKEN"], window), f"user:{user.id}"
    client_id = request.headers.get(CLIENT_ID_HEADER, "").strip()
    if client_id and client_id in config["API_CLIENT_IDS"]:
        return RateLimit("client", config["API_RATE_PER_CLIENT"], window), f"client:{client_id}"
    rule = RateLimit("address", config["API_RATE_PER_ADDRESS"], window)
    return rule, address_key(request.remote_addr)


def _rate_limit_headers(response: Response) -> Response:
    state: RateState | None = g.get("rate_limit")
    if state is not None:
        response.headers["X-RateLimit-Limit"] = str(state.limit)
        response.headers["X-RateLimit-Remaining"] = str(state.remaining)
        response.headers["X-RateLimit-Reset"] = str(int(state.reset_at.timestamp()))
        response.headers["X-RateLimit-Scope"] = state.scope
        # the IETF fields (draft-ietf-httpapi-ratelimit-headers): the policy named after the
        # caller's scope, its quota and window; what is left and the seconds to the window's
        # end (the same moment as Retry-After)
        response.headers["RateLimit-Policy"] = f'"{state.scope}";q={state.limit};w={state.window}'
        seconds = state.retry_after(utcnow())
        response.headers["RateLimit"] = f'"{state.scope}";r={state.remaining};t={seconds}'
    return response


def init_app(app: Flask) -> None:
    app.after_request(_rate_limit_headers)
