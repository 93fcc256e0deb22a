"""CSRF on every form, security headers, cookie flags."""

from __future__ import annotations

import pytest

from registry.config import from_env
from tests import factories
from tests.helpers import sign_in
from tests.security.access_rules import RULES, build_world


def _page_posts(app) -> list[str]:
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith("/api/")
    )


def test_every_page_form_needs_a_csrf_token(app):
    world = build_world()
    client = app.test_client()
    client.set_cookie("lang", "en")
    sign_in(client, world.users["admin"])
    posts = _page_posts(app)
    assert "accounts.login" in posts and "carriers.new_carrier" in posts
    for endpoint in posts:
        case = RULES[(endpoint, "POST")][0]
        response = client.post(case.url(world), data=case.body(world) if case.body else {})
        assert response.status_code == 400, endpoint
        assert "The form has expired" in response.get_data(as_text=True), endpoint


def test_api_needs_no_csrf_token_but_a_bearer_token(client):
    response = client.post("/api/v1/carriers", json={})
    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/regions"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_flags(app):
    client = app.test_client()
    sign_in(client, factories.user())
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_production_cookies_are_secure_and_hsts_is_sent(app):
    assert from_env({"REGISTRY_ENV": "production"})["SESSION_COOKIE_SECURE"] is True
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        response = app.test_client().get("/login")
        assert "max-age=" in response.headers["Strict-Transport-Security"]
        assert "Secure" in response.headers["Set-Cookie"]
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
