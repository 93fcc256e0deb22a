"""Self-registration of carrier accounts (API and page) and email confirmation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from registry import db
from registry.accounts.models import Role, User
from registry.accounts.recovery import send_confirmation
from registry.audit import AuditEvent
from tests import factories
from tests.helpers import api_token, bearer, csrf_token, field_errors, link_in, outbox, sign_in

GOOD = {
    "email": "Office@Tianfu-Incubator.cn",
    "password": "Tianfu-2016-ok",
    "name": "眉山天府孵化器管理有限公司",
    "phone": "13812345678",
}


def test_api_registration_creates_an_unconfirmed_carrier_account(client_en):
    response = client_en.post("/api/v1/accounts", json=GOOD)
    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "office@tianfu-incubator.cn"
    assert body["role"] == "carrier"
    assert body["email_confirmed"] is False
    assert "password" not in str(body).lower()
    user = db.session.scalar(select(User).where(User.email == body["email"]))
    assert user.role == Role.carrier and user.region is None
    assert user.password_hash.startswith("$argon2id$")
    [message] = outbox("confirm_email")
    assert message.to_address == user.email and "/account/confirm/" in message.body


def test_email_is_unique_regardless_of_case(client_en):
    assert client_en.post("/api/v1/accounts", json=GOOD).status_code == 201
    again = client_en.post("/api/v1/accounts", json={**GOOD, "email": "OFFICE@tianfu-incubator.CN"})
    assert again.status_code == 409
    assert again.get_json()["error"]["fields"] == {"email": "is taken"}


def test_every_bad_field_is_named(client_en):
    response = client_en.post(
        "/api/v1/accounts",
        json={"email": "not-an-email", "password": "12345678901", "name": "", "phone": "12"},
    )
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"email", "password", "name", "phone"}
    assert "digits" in fields["password"]
    assert db.session.scalar(select(User).where(User.email == "not-an-email")) is None


def test_password_policy_messages(client_en):
    cases = {
        "short-1": "at least 10",
        "1234567890123": "digits",
        "office@tianfu-incubator.cn": "email",
        "officeXYZ-2016": "email",
        "aaaaaaaaaaaaab": "same few",
    }
    for password, words in cases.items():
        response = client_en.post("/api/v1/accounts", json={**GOOD, "password": password})
        assert response.status_code == 422, password
        assert words in response.get_json()["error"]["fields"]["password"], password


def test_malformed_json_and_wrong_types(client_en):
    broken = client_en.post("/api/v1/accounts", data="{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.get_json()["error"]["code"] == "bad_request"
    typed = client_en.post("/api/v1/accounts", json={**GOOD, "phone": 13812345678})
    assert typed.status_code == 422
    assert typed.get_json()["error"]["fields"] == {"phone": "must be text"}


def test_sign_up_page_never_says_whether_an_email_exists(client_en):
    existing = factories.user(email="taken@example.org")
    responses = []
    for email in ("taken@example.org", "fresh@example.org"):
        token = csrf_token(client_en, "/signup")
        data = {**GOOD, "email": email, "password_again": GOOD["password"], "csrf_token": token}
        responses.append(client_en.post("/signup", data=data))
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    # the owner of the taken address is told, by email only
    [notice] = outbox("account_exists")
    assert notice.to_address == existing.email
    assert [m.to_address for m in outbox("confirm_email")] == ["fresh@example.org"]


def test_sign_up_page_shows_errors_at_the_fields(client_en):
    data = {
        **GOOD,
        "phone": "call me",
        "password_again": "different-9",
        "csrf_token": csrf_token(client_en, "/signup"),
    }
    response = client_en.post("/signup", data=data)
    assert response.status_code == 422
    errors = field_errors(response)
    assert "password_again" in errors
    assert db.session.scalar(select(User).where(User.email == GOOD["email"].lower())) is None


def test_confirmation_link_confirms_once_and_unlocks_carrier_registration(client_en):
    client_en.post("/api/v1/accounts", json=GOOD)
    user = db.session.scalar(select(User).where(User.email == GOOD["email"].lower()))
    token = api_token(client_en, user, GOOD["password"])
    refused = client_en.post("/api/v1/carriers", json=factories.profile(), headers=bearer(token))
    assert refused.status_code == 403
    assert "Confirm your email" in refused.get_json()["error"]["message"]

    path = link_in(outbox("confirm_email")[0])
    assert client_en.get(path).status_code == 302
    db.session.refresh(user)
    assert user.email_confirmed_at is not None
    assert client_en.get(path).status_code == 302  # again: harmless
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == user.id)
    ).all()
    assert actions.count("account.email_confirmed") == 1
    created = client_en.post("/api/v1/carriers", json=factories.profile(), headers=bearer(token))
    assert created.status_code == 201


def test_forged_and_expired_confirmation_links_are_refused(client_en, links_later):
    user = factories.user(confirmed=False)
    assert client_en.get("/account/confirm/forged.token.here").status_code == 400
    send_confirmation(user)
    path = link_in(outbox("confirm_email")[-1])
    links_later(dt.timedelta(days=3, minutes=1))
    response = client_en.get(path)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email_confirmed_at is None
    links_later(dt.timedelta(days=2))
    assert client_en.get(path).status_code == 302


def test_signed_in_user_can_ask_for_a_new_link(client_en):
    user = factories.user(confirmed=False)
    sign_in(client_en, user)
    token = csrf_token(client_en, "/account")
    response = client_en.post("/account/confirmation", data={"csrf_token": token})
    assert response.status_code == 302
    assert [m.to_address for m in outbox("confirm_email")] == [user.email]


def test_sign_ups_from_one_address_are_limited(client_en):
    for i in range(10):
        ok = client_en.post("/api/v1/accounts", json={**GOOD, "email": f"org{i}@example.org"})
        assert ok.status_code == 201
    refused = client_en.post("/api/v1/accounts", json={**GOOD, "email": "org10@example.org"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
