"""Administrators: accounts for reviewers and admins, deactivation, temporary passwords; the
`registry user create` command."""

from __future__ import annotations

from sqlalchemy import select

from registry import db
from registry.accounts.models import Role, User
from registry.audit import AuditEvent
from tests import factories
from tests.factories import PASSWORD
from tests.helpers import api_token, bearer, field_errors, outbox, post_form, sign_in


def _admin_client(app):
    admin = factories.user("admin")
    client = app.test_client()
    client.set_cookie("lang", "en")
    sign_in(client, admin)
    return admin, client


def _staff(**changes):
    data = {
        "role": "reviewer",
        "region": "511400",
        "email": "Keji@MS.gov.cn",
        "name": "眉山市科学技术局",
        "phone": "028-38888888",
        "password": "Temporary-pass-1",
    }
    data.update(changes)
    return data


def test_admin_creates_a_reviewer_bound_to_a_region(app):
    admin, client = _admin_client(app)
    response = post_form(client, "/admin/users/new", _staff())
    assert response.status_code == 302
    reviewer = db.session.scalar(select(User).where(User.email == "keji@ms.gov.cn"))
    assert reviewer.role == Role.reviewer and reviewer.region.code == "511400"
    assert reviewer.must_change_password and reviewer.is_email_confirmed
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "account.create", AuditEvent.object_id == reviewer.id
        )
    )
    assert event.actor_id == admin.id and event.data["region"] == "511400"
    page = client.get(response.headers["Location"])
    assert "keji@ms.gov.cn" in page.get_data(as_text=True)
    listing = client.get("/admin/users?q=keji&role=reviewer").get_data(as_text=True)
    assert "keji@ms.gov.cn" in listing


def test_new_account_form_names_each_bad_field(app):
    _admin, client = _admin_client(app)
    response = post_form(
        client, "/admin/users/new", _staff(region="", email="nope", password="short")
    )
    assert response.status_code == 422
    errors = field_errors(response)
    assert set(errors) == {"region", "email", "password"}
    assert "bound to a region" in errors["region"]
    unknown = post_form(client, "/admin/users/new", _staff(region="999999"))
    assert "no region has the code 999999" in field_errors(unknown)["region"]
    carrier = post_form(client, "/admin/users/new", _staff(role="carrier"))
    assert "not bound to a region" in field_errors(carrier)["region"]


def test_admin_account_may_have_a_region_or_none(app):
    _admin, client = _admin_client(app)
    for email, region in (("ops@x.cn", ""), ("sc-ops@x.cn", "510000")):
        response = post_form(
            client, "/admin/users/new", _staff(role="admin", email=email, region=region)
        )
        assert response.status_code == 302


def test_a_new_reviewer_must_choose_a_password_first(app):
    _admin, client = _admin_client(app)
    post_form(client, "/admin/users/new", _staff())
    reviewer_client = app.test_client()
    response = post_form(
        reviewer_client, "/login", {"email": "keji@ms.gov.cn", "password": "Temporary-pass-1"}
    )
    assert response.headers["Location"] == "/account/password"
    assert reviewer_client.get("/my/region").headers["Location"] == "/account/password"
    changed = post_form(
        reviewer_client,
        "/account/password",
        {
            "current_password": "Temporary-pass-1",
            "new_password": "Meishan-own-2025",
            "new_password_again": "Meishan-own-2025",
        },
        token_from="/account/password",
    )
    assert changed.status_code == 302
    assert reviewer_client.get("/my/region").status_code == 200


def test_deactivation_ends_sessions_and_tokens_at_once(app):
    admin, client = _admin_client(app)
    user = factories.user()
    token = api_token(app.test_client(), user)
    their_browser = app.test_client()
    sign_in(their_browser, user)
    response = post_form(client, f"/admin/users/{user.id}/deactivate")
    assert response.status_code == 302
    assert their_browser.get("/my/carriers").status_code == 302
    assert their_browser.get("/my/carriers").headers["Location"].startswith("/login")
    assert app.test_client().get("/api/v1/account", headers=bearer(token)).status_code == 401
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Deactivated" in page and "account.deactivate" in page
    post_form(client, f"/admin/users/{user.id}/reactivate")
    db.session.refresh(user)
    assert user.is_active
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.actor_id == admin.id, AuditEvent.object_id == user.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["account.deactivate", "account.reactivate"]


def test_admin_cannot_deactivate_itself(app):
    admin, client = _admin_client(app)
    post_form(client, f"/admin/users/{admin.id}/deactivate")
    db.session.refresh(admin)
    assert admin.is_active


def test_admin_sets_a_temporary_password(app):
    _admin, client = _admin_client(app)
    user = factories.user()
    weak = post_form(client, f"/admin/users/{user.id}/password", {"password": "123"})
    assert weak.status_code == 422
    response = post_form(client, f"/admin/users/{user.id}/password", {"password": "Temp-pass-4321"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.must_change_password
    assert [m.kind for m in outbox(to=user.email)] == ["password_changed"]
    old = post_form(app.test_client(), "/login", {"email": user.email, "password": PASSWORD})
    assert old.status_code == 401


def test_cli_user_create(cli):
    result = cli.invoke(
        args=[
            "user",
            "create",
            "--email",
            "Chengdu@Kj.gov.cn",
            "--password",
            "Tianfu-pass-21",
            "--role",
            "reviewer",
            "--region",
            "510100",
            "--name",
            "成都市科学技术局",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created reviewer chengdu@kj.gov.cn for 510100 成都市" in result.output
    user = db.session.scalar(select(User).where(User.email == "chengdu@kj.gov.cn"))
    assert user.region.code == "510100" and user.name == "成都市科学技术局"
    missing_region = cli.invoke(
        args=[
            "user",
            "create",
            "--email",
            "r@x.cn",
            "--password",
            "Good-pass-12",
            "--role",
            "reviewer",
        ]
    )
    assert missing_region.exit_code == 2
    assert "--region" in missing_region.output
    taken = cli.invoke(
        args=[
            "user",
            "create",
            "--email",
            "chengdu@kj.gov.cn",
            "--password",
            "Good-pass-12",
            "--role",
            "admin",
        ]
    )
    assert taken.exit_code == 2 and "--email" in taken.output
