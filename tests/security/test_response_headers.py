"""Security headers on every kind of response (pages, errors, API, static files, downloads,
304s and 429s), secure cookies in production, uploads never served inline."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from sqlalchemy import select

from registry import create_app, db
from registry.accounts.models import User
from registry.config import TEST_OVERRIDES
from registry.opendata import service as opendata
from tests import factories
from tests.applications.factories import PDF, PNG, draft, owned_carrier
from tests.helpers import bearer, sign_in

CSP = "Content-Security-Policy"


def assert_security_headers(response, what: str) -> None:
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff", what
    assert headers["X-Frame-Options"] == "DENY", what
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", what
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin", what
    assert "camera=()" in headers["Permissions-Policy"], what
    csp = headers[CSP]
    assert "frame-ancestors 'none'" in csp, what
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, what
    assert "script-src 'self'" in csp or "default-src 'none'" in csp, what


def _get(path: str, **kw) -> Callable:
    return lambda client: client.get(path, **kw)


def _revalidated(path: str) -> Callable:
    def run(client):
        etag = client.get(path).headers["ETag"]
        return client.get(path, headers={"If-None-Match": etag})

    return run


KINDS: dict[str, tuple[Callable, int]] = {
    "page": (_get("/carriers"), 200),
    "page with a form": (_get("/login"), 200),
    "page not found": (_get("/nowhere"), 404),
    "page not modified": (_revalidated("/carriers"), 304),
    "form without CSRF token": (lambda c: c.post("/login", data={}), 400),
    "method not allowed": (lambda c: c.delete("/carriers"), 405),
    "redirect": (_get("/favicon.ico"), 301),
    "sign-in required": (_get("/my/carriers"), 302),
    "API read": (_get("/api/v1/regions"), 200),
    "API not modified": (_revalidated("/api/v1/regions"), 304),
    "API not found": (_get("/api/v1/carriers/999999"), 404),
    "API unauthorised": (lambda c: c.post("/api/v1/carriers", json={}), 401),
    "API bad token": (_get("/api/v1/account", headers=bearer("rgt_forged")), 401),
    "API invalid input": (_get("/api/v1/carriers?per_page=1000"), 422),
    "API document": (_get("/api/v1/openapi.json"), 200),
    "static file": (_get("/static/css/app.css"), 200),
    "static file not modified": (_revalidated("/static/js/app.js"), 304),
    "static file missing": (_get("/static/css/missing.css"), 404),
    "CSV download": (_get("/carriers/export?format=csv"), 200),
    "XLSX download": (_get("/api/v1/carriers/export?format=xlsx"), 200),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_of_response_has_the_security_headers(app, kind):
    make, status = KINDS[kind]
    response = make(app.test_client())
    assert response.status_code == status, kind
    assert_security_headers(response, kind)


def test_a_rate_limited_answer_has_them(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", True)
    monkeypatch.setitem(app.config, "API_RATE_PER_ADDRESS", 1)
    client.get("/api/v1/regions")
    refused = client.get("/api/v1/regions")
    assert refused.status_code == 429
    assert_security_headers(refused, "429")


def test_an_open_data_file_has_them(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OPENDATA_DIR", str(tmp_path / "opendata"))
    release = opendata.publish_release()
    for entry in release.files:
        response = client.get(f"/open-data/v{release.version}/{entry['name']}")
        assert response.status_code == 200
        assert_security_headers(response, entry["name"])


def test_an_unexpected_error_has_them(database_url):
    app = create_app({**TEST_OVERRIDES, "DATABASE_URL": database_url})
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["TESTING"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("internal detail 4711")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("internal detail 4711")

    try:
        for path in ("/boom", "/api/v1/boom"):
            response = app.test_client().get(path)
            assert response.status_code == 500, path
            assert_security_headers(response, path)
            assert response.headers["Cache-Control"] == "no-store"
            assert "internal detail 4711" not in response.get_data(as_text=True)
    finally:
        db.engine_of(app).dispose()


# --- production cookies ---------------------------------------------------------------------


@pytest.fixture
def production_app(database_url, monkeypatch):
    """The app as production makes it: from the environment, with a secret key."""
    monkeypatch.setenv("REGISTRY_ENV", "production")
    monkeypatch.setenv("REGISTRY_SECRET_KEY", "a-long-random-production-secret-0123456789")
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    monkeypatch.setenv("REGISTRY_ALLOW_SQLITE", "1")  # the suite's database may be SQLite
    # this app writes outside the tests' transaction: its rate-limit counters would stay
    monkeypatch.setenv("REGISTRY_API_RATE_LIMIT", "0")
    app = create_app()
    yield app
    db.engine_of(app).dispose()


def test_production_cookies_are_secure(production_app):
    config = production_app.config
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not production_app.debug
    client = production_app.test_client()
    page = client.get("/login", base_url="https://registry.example")
    assert page.status_code == 200
    session_cookie = client.get_cookie("session", domain="registry.example")
    assert session_cookie is not None
    assert session_cookie.secure and session_cookie.http_only
    assert session_cookie.same_site == "Lax"
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    client.get("/lang/en?next=/", base_url="https://registry.example")
    lang = client.get_cookie("lang", domain="registry.example")
    assert lang is not None and lang.secure and lang.same_site == "Lax"


def test_production_sends_hsts_on_every_kind_of_response(production_app):
    client = production_app.test_client()
    for path in ("/nowhere", "/api/v1/nowhere", "/static/css/app.css"):
        response = client.get(path, base_url="https://registry.example")
        assert "max-age=31536000" in response.headers["Strict-Transport-Security"], path


def test_development_cookies_are_not_marked_secure(app):
    client = app.test_client()
    client.get("/login")
    cookie = client.get_cookie("session")
    assert cookie is not None and not cookie.secure and cookie.http_only
    assert "Strict-Transport-Security" not in client.get("/").headers


# --- uploads ----------------------------------------------------------------------------------


@pytest.fixture
def attached(app, tmp_path, monkeypatch):
    """A draft application with a PDF and a PNG uploaded by its owner (and the owner)."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    application = draft(owned_carrier())
    owner = db.session.scalar(select(User).where(User.id == application.carrier.owner_id))
    from registry.applications.attachments import add_attachment

    pdf = add_attachment(application, "营业执照.pdf", PDF, actor=owner)
    png = add_attachment(application, "场地照片.png", PNG, actor=owner)
    return application, owner, {"pdf": pdf, "png": png}


@pytest.mark.parametrize("kind", ["pdf", "png"])
def test_uploads_are_always_downloads_never_shown_inline(app, attached, kind):
    from registry.accounts.tokens import issue_token

    application, owner, files = attached
    attachment = files[kind]
    path = f"/applications/{application.id}/attachments/{attachment.id}"
    page_client = app.test_client()
    sign_in(page_client, owner, factories.PASSWORD)
    secret, _record = issue_token(owner)
    for via, response in (
        ("page", page_client.get(path)),
        ("api", app.test_client().get("/api/v1" + path, headers=bearer(secret))),
    ):
        assert response.status_code == 200, via
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;"), via
        assert "filename*=UTF-8''" in disposition, via
        assert response.headers["Content-Type"] == attachment.content_type, via
        assert response.headers["X-Content-Type-Options"] == "nosniff", via
        assert "sandbox" in response.headers[CSP] and "default-src 'none'" in response.headers[CSP]
        assert response.headers["Cache-Control"] == "private, no-store", via
        assert_security_headers(response, via)


def test_an_upload_that_is_html_is_refused_whatever_its_name(app, attached):
    from registry.accounts.tokens import issue_token

    application, owner, _files = attached
    secret, _record = issue_token(owner)
    response = app.test_client().post(
        f"/api/v1/applications/{application.id}/attachments",
        data={"file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "scan.png")},
        headers=bearer(secret),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
