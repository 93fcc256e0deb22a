"""Password reset by an emailed, signed, expiring, single-use link (through the outbox)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from registry import db
from registry.audit import AuditEvent
from tests import factories
from tests.factories import PASSWORD
from tests.helpers import api_token, bearer, csrf_token, field_errors, link_in, outbox, post_form

NEW = "Fresh-start-2025"


def _ask(client, email, **kw):
    return post_form(client, "/password/forgot", {"email": email}, **kw)


def _reset(client, path, password=NEW, again=None):
    token = csrf_token(client, path)
    data = {"csrf_token": token, "password": password, "password_again": again or password}
    return client.post(path, data=data)


def test_reset_flow_through_the_outbox(client_en, app):
    user = factories.user()
    token = api_token(client_en, user)
    response = _ask(client_en, user.email.upper())
    assert response.status_code == 200
    assert "If an account has this address" in response.get_data(as_text=True)
    [message] = outbox("reset_password")
    assert message.to_address == user.email and message.status.value == "queued"
    path = link_in(message)
    assert path.startswith("/password/reset/")

    page = client_en.get(path)
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    weak = _reset(client_en, path, "1234567890")
    assert weak.status_code == 422 and "digits" in field_errors(weak)["password"]
    done = _reset(client_en, path)
    assert done.status_code == 302 and done.headers["Location"] == "/login"

    # the old password and every token stop working; the new password works
    assert client_en.get("/api/v1/account", headers=bearer(token)).status_code == 401
    old = post_form(app.test_client(), "/login", {"email": user.email, "password": PASSWORD})
    assert old.status_code == 401
    new = post_form(app.test_client(), "/login", {"email": user.email, "password": NEW})
    assert new.status_code == 302
    # the link worked once
    again = client_en.get(path)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert [m.kind for m in outbox(to=user.email)] == ["reset_password", "password_changed"]
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.action.like("account.password_reset%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["account.password_reset_requested", "account.password_reset"]


def test_unknown_and_deactivated_addresses_get_the_same_page_and_no_email(client_en):
    known = factories.user()
    inactive = factories.user()
    inactive.is_active = False
    db.session.commit()
    pages = [
        _ask(client_en, email).get_data(as_text=True)
        for email in (known.email, "nobody@example.org", inactive.email)
    ]
    strip = [p.replace(csrf_token(client_en), "") for p in pages]
    assert strip[0] == strip[1] == strip[2]
    assert [m.to_address for m in outbox("reset_password")] == [known.email]


def test_expired_reset_link(client_en, links_later):
    user = factories.user()
    _ask(client_en, user.email)
    path = link_in(outbox("reset_password")[0])
    links_later(dt.timedelta(hours=2, minutes=1))
    response = client_en.get(path)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    token = csrf_token(client_en)
    data = {"csrf_token": token, "password": NEW, "password_again": NEW}
    assert client_en.post(path, data=data).status_code == 400


def test_reset_requests_are_limited(client_en):
    user = factories.user()
    for _ in range(3):
        assert _ask(client_en, user.email).status_code == 200
    refused = _ask(client_en, user.email)
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.get_data(as_text=True)
    assert len(outbox("reset_password")) == 3


def test_reset_also_confirms_the_address_and_lifts_the_throttle(client_en):
    user = factories.user(confirmed=False)
    for _ in range(5):
        post_form(client_en, "/login", {"email": user.email, "password": "Wrong-pass-99"})
    _ask(client_en, user.email)
    assert _reset(client_en, link_in(outbox("reset_password")[0])).status_code == 302
    db.session.refresh(user)
    assert user.email_confirmed_at is not None
    ok = post_form(client_en, "/login", {"email": user.email, "password": NEW})
    assert ok.status_code == 302


def test_passwords_must_match(client_en):
    user = factories.user()
    _ask(client_en, user.email)
    path = link_in(outbox("reset_password")[0])
    response = _reset(client_en, path, NEW, "Other-pass-2025")
    assert response.status_code == 422
    assert "password_again" in field_errors(response)
