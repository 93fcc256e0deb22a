"""Signing in: page sessions, API tokens (expiry, revocation), throttling, audit events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from registry import db
from registry.accounts.models import ApiToken, ThrottleEvent
from registry.audit import AuditEvent
from tests import factories
from tests.factories import PASSWORD
from tests.helpers import api_token, bearer, csrf_token, post_form, sign_in


def _actions(user_id=None, action_prefix="account.") -> list[str]:
    stmt = select(AuditEvent.action).where(AuditEvent.action.startswith(action_prefix))
    if user_id is not None:
        stmt = stmt.where(AuditEvent.object_id == user_id)
    return list(db.session.scalars(stmt.order_by(AuditEvent.id)))


def _login(client, email, password):
    return post_form(client, "/login", {"email": email, "password": password})


def test_page_sign_in_and_out(client_en):
    user = factories.user(name="眉山科创")
    response = _login(client_en, user.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/my/carriers"
    home = client_en.get("/my/carriers")
    assert home.status_code == 200
    assert home.headers["Cache-Control"] == "private, no-store"
    assert "眉山科创" in home.get_data(as_text=True)
    token = csrf_token(client_en, "/my/carriers")
    assert client_en.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client_en.get("/my/carriers").headers["Location"].startswith("/login")
    assert _actions(user.id) == ["account.create", "account.sign_in", "account.sign_out"]


def test_wrong_password_and_unknown_email_get_the_same_answer(client_en):
    user = factories.user()
    wrong = _login(client_en, user.email, "Not-the-password-1")
    unknown = _login(client_en, "nobody@example.org", "Not-the-password-1")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong email or password." in wrong.get_data(as_text=True)
    assert "Wrong email or password." in unknown.get_data(as_text=True)
    failed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "account.sign_in_failed")
    ).all()
    assert [(e.object_id, e.data["email"]) for e in failed] == [
        (user.id, user.email),
        (None, "nobody@example.org"),
    ]
    assert all(e.ip == "127.0.0.1" for e in failed)


def test_sign_in_redirects_only_within_the_site(client_en):
    user = factories.user()
    for target, expected in (
        ("/carriers?q=x", "/carriers?q=x"),
        ("https://evil.example/", "/my/carriers"),
        ("//evil.example", "/my/carriers"),
    ):
        client = client_en.application.test_client()
        response = post_form(
            client, "/login", {"email": user.email, "password": PASSWORD, "next": target}
        )
        assert response.headers["Location"] == expected


def test_reviewer_lands_on_the_region_and_the_header_says_who(client_en):
    reviewer = factories.user("reviewer", "511400", name="眉山市科学技术局")
    response = _login(client_en, reviewer.email, PASSWORD)
    assert response.headers["Location"] == "/my/region"
    html = client_en.get("/").get_data(as_text=True)
    assert "眉山市科学技术局" in html
    assert "Reviewer · 四川省眉山市" in html


def test_throttling_after_five_failures_for_an_account(client_en, app):
    user = factories.user()
    for _ in range(5):
        assert _login(client_en, user.email, "Wrong-password-9").status_code == 401
    refused = _login(client_en, user.email, PASSWORD)  # even the right password
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    api = client_en.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert api.status_code == 429
    assert 0 < int(api.headers["Retry-After"]) <= 15 * 60
    assert api.get_json()["error"]["code"] == "rate_limited"
    assert "account.sign_in_throttled" in _actions()
    # another account from the same address is not locked out by this one
    other = factories.user()
    assert _login(client_en.application.test_client(), other.email, PASSWORD).status_code == 302
    # fifteen minutes later the account may try again
    db.session.execute(
        update(ThrottleEvent).values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=15))
    )
    db.session.commit()
    assert _login(client_en, user.email, PASSWORD).status_code == 302


def test_unknown_emails_are_throttled_like_known_ones(client_en):
    for _ in range(5):
        _login(client_en, "ghost@example.org", "Wrong-password-9")
    assert _login(client_en, "ghost@example.org", "Wrong-password-9").status_code == 429


def test_throttling_per_address(client_en, app):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        users = [factories.user() for _ in range(3)]
        for user in users:
            assert _login(client_en, user.email, "Wrong-password-9").status_code == 401
        fresh = factories.user()
        assert _login(client_en, fresh.email, PASSWORD).status_code == 429
        elsewhere = client_en.application.test_client()
        response = post_form(
            elsewhere,
            "/login",
            {"email": fresh.email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "10.1.2.3"},
        )
        assert response.status_code == 302
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20


def test_a_successful_sign_in_clears_the_account_failures(client_en):
    user = factories.user()
    for _ in range(4):
        _login(client_en, user.email, "Wrong-password-9")
    sign_in(client_en, user)
    for _ in range(4):
        assert _login(client_en, user.email, "Wrong-password-9").status_code == 401


def test_deactivated_account_cannot_sign_in(client_en):
    user = factories.user()
    user.is_active = False
    db.session.commit()
    response = _login(client_en, user.email, PASSWORD)
    assert response.status_code == 403
    assert "deactivated" in response.get_data(as_text=True)
    wrong = _login(client_en, user.email, "Wrong-password-9")
    assert wrong.status_code == 401  # only the right password learns the account's state


def test_api_token_flow_expiry_and_revocation(client_en):
    user = factories.user()
    response = client_en.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(hours=11) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=12)
    token = body["token"]
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored[0]) == 64  # only a hash is kept
    assert client_en.get("/api/v1/account", headers=bearer(token)).get_json()["email"] == user.email

    assert client_en.get("/api/v1/account").status_code == 401
    bad = client_en.get("/api/v1/account", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "unauthorized"

    db.session.execute(
        update(ApiToken).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    )
    db.session.commit()
    expired = client_en.get("/api/v1/account", headers=bearer(token))
    assert expired.status_code == 401
    assert "expired" in expired.get_json()["error"]["message"]


def test_token_revoked_on_logout(client_en):
    user = factories.user()
    token = api_token(client_en, user)
    assert client_en.delete("/api/v1/tokens/current", headers=bearer(token)).status_code == 204
    assert client_en.get("/api/v1/account", headers=bearer(token)).status_code == 401
    assert client_en.delete("/api/v1/tokens/current").status_code == 401


def test_token_request_validation(client_en):
    missing = client_en.post("/api/v1/tokens", json={"email": "a@b.cn"})
    assert missing.status_code == 422
    assert missing.get_json()["error"]["fields"] == {"password": "is required"}
    assert (
        client_en.post("/api/v1/tokens", data="x", content_type="application/json").status_code
        == 400
    )


def test_password_change_ends_other_sessions_and_every_token(client_en, app):
    user = factories.user()
    token = api_token(client_en, user)
    other_browser = app.test_client()
    sign_in(other_browser, user)
    sign_in(client_en, user)
    response = post_form(
        client_en,
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "Brand-new-pass-7",
            "new_password_again": "Brand-new-pass-7",
        },
    )
    assert response.status_code == 302
    assert client_en.get("/account").status_code == 200  # this session stays
    assert other_browser.get("/account").status_code == 302  # the other one ended
    assert client_en.get("/api/v1/account", headers=bearer(token)).status_code == 401
    assert _actions(user.id)[-1] == "account.password_change"
    assert _login(app.test_client(), user.email, "Brand-new-pass-7").status_code == 302


def test_password_change_names_the_wrong_field(client_en):
    user = factories.user()
    sign_in(client_en, user)
    token = api_token(client_en, user)
    response = client_en.put(
        "/api/v1/account/password",
        json={"current_password": "wrong-one-22", "new_password": "123456789012"},
        headers=bearer(token),
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"current_password", "new_password"}
    ok = client_en.put(
        "/api/v1/account/password",
        json={"current_password": PASSWORD, "new_password": "Another-pass-88"},
        headers=bearer(token),
    )
    assert ok.status_code == 204
    assert client_en.get("/api/v1/account", headers=bearer(token)).status_code == 401


def test_profile_update_through_the_api(client_en):
    user = factories.user()
    token = api_token(client_en, user)
    response = client_en.patch(
        "/api/v1/account",
        json={"name": " 眉山  科创 ", "phone": "0833 1234567"},
        headers=bearer(token),
    )
    assert response.status_code == 200
    assert response.get_json()["name"] == "眉山 科创"
    assert response.get_json()["phone"] == "0833 1234567"
    bad = client_en.patch(
        "/api/v1/account", json={"phone": "x", "email": "new@x.cn"}, headers=bearer(token)
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"phone", "email"}
    assert "account.update" in _actions(user.id)


def test_messages_are_chinese_by_default(client):
    response = client.post(
        "/api/v1/tokens", json={"email": "x@example.org", "password": "whatever-1"}
    )
    assert response.get_json()["error"]["message"] == "邮箱或密码错误。"
