"""Signing in and CSRF tokens for the targets tests (CSRF is on in tests)."""

from __future__ import annotations

import re

from flask import g

from tests.factories import PASSWORD

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    # The test's app context (and so `g`) outlives each request: forget the token cached in
    # g, or Flask-WTF reuses it without putting it back in a session that sign-in cleared.
    g.pop("csrf_token", None)
    page = client.get(url)
    found = CSRF_RE.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {url} ({page.status_code})"
    return found.group(1)


def sign_in(client, user) -> None:
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def bearer(client, user) -> dict[str, str]:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}
