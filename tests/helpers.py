"""Helpers for tests that go through HTTP: CSRF tokens, signing in, API tokens, the outbox."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from registry import db
from registry.accounts.models import User
from registry.notifications.models import OutboxMessage
from tests.factories import PASSWORD

_TOKEN_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(client: Any, path: str = "/password/forgot") -> str:
    """A CSRF token of the client's session, read from a page with a form."""
    html = client.get(path).get_data(as_text=True)
    match = _TOKEN_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(
    client: Any, path: str, data: dict | None = None, token_from: str | None = None, **kw: Any
):
    """POST a page form with a valid CSRF token (read from `token_from`, default a page
    every visitor may open)."""
    token = csrf_token(client, token_from) if token_from else csrf_token(client)
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kw)


def sign_in(client: Any, user: User, password: str = PASSWORD) -> None:
    response = post_form(client, "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def api_token(client: Any, user: User, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": password})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def outbox(kind: str | None = None, to: str | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    if to:
        stmt = stmt.where(OutboxMessage.to_address == to)
    return list(db.session.scalars(stmt))


def link_in(message: OutboxMessage) -> str:
    """The path of the (only) registry link in an email."""
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def field_errors(response: Any) -> dict[str, str]:
    """Errors shown at fields of a page form: {field name: message}."""
    html = response.get_data(as_text=True)
    return dict(re.findall(r'data-field="([\w-]+)">([^<]+)<', html))


class RecordingSender:
    """A mail sender that keeps what it was asked to send (and can be told to fail)."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[dict[str, str]] = []
        self.fail = fail

    def send(self, *, to: str, subject: str, body: str, sender: str) -> None:
        if self.fail:
            raise ConnectionRefusedError("smtp down")
        self.sent.append({"to": to, "subject": subject, "body": body, "from": sender})
