"""Carrier profile pages: register, edit, duplicate confirmation, the bureau's decision on a
credit code, and what the carrier's page shows to whom."""

from __future__ import annotations

from sqlalchemy import select

from registry import db
from registry.carriers.models import Carrier
from tests import factories
from tests.helpers import csrf_token, field_errors, sign_in


def _form(**changes) -> dict:
    data = factories.profile(**changes)
    data.setdefault("operator_name", "眉山科创运营有限公司")
    return {k: ("" if v is None else v) for k, v in data.items()}


def _post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def test_register_a_carrier_with_a_bad_then_a_good_code(client_en):
    owner = factories.user()
    sign_in(client_en, owner)
    page = client_en.get("/my/carriers/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-region-picker="county"' in html
    bad = _post(client_en, "/my/carriers/new", _form(uscc="91350100M000100Y44", website="ftp://x"))
    assert bad.status_code == 422
    errors = field_errors(bad)
    assert set(errors) == {"uscc", "website"}
    assert "expects 3" in errors["uscc"]
    assert 'name="uscc_confirmed"' in bad.get_data(as_text=True)  # offered for a check failure
    assert db.session.scalar(select(Carrier.id)) is None
    good = _post(client_en, "/my/carriers/new", _form(uscc="91350100M000100Y43"))
    assert good.status_code == 302
    carrier = db.session.scalar(select(Carrier))
    assert good.headers["Location"] == f"/carriers/{carrier.id}"
    shown = client_en.get(good.headers["Location"]).get_data(as_text=True)
    assert "Private until recognised" in shown and "028-38123456" in shown


def test_confirmation_checkbox_only_for_check_failures(client_en):
    sign_in(client_en, factories.user())
    short = _post(client_en, "/my/carriers/new", _form(uscc="123"))
    assert "18 characters" in field_errors(short)["uscc"]
    assert 'name="uscc_confirmed"' not in short.get_data(as_text=True)


def test_possible_duplicates_are_confirmed_before_saving(client_en):
    owner = factories.user()
    existing = factories.create_carrier("眉山东坡农业科技孵化器", owner=owner)
    db.session.commit()
    sign_in(client_en, owner)
    first = _post(client_en, "/my/carriers/new", _form(name="眉山东坡农业科技孵化器 "))
    assert first.status_code == 409
    html = first.get_data(as_text=True)
    assert "may already be registered" in html and f"/carriers/{existing.id}" in html
    assert db.session.scalar(select(Carrier.id).where(Carrier.id != existing.id)) is None
    second = _post(
        client_en, "/my/carriers/new", _form(name="眉山东坡农业科技孵化器 ", confirm_duplicates="y")
    )
    assert second.status_code == 302
    assert len(db.session.scalars(select(Carrier.id)).all()) == 2


def test_unconfirmed_accounts_are_asked_to_confirm(client_en):
    owner = factories.user(confirmed=False)
    sign_in(client_en, owner)
    dashboard = client_en.get("/my/carriers").get_data(as_text=True)
    assert (
        "Confirm your email address" in dashboard and 'data-testid="new-carrier"' not in dashboard
    )
    refused = client_en.get("/my/carriers/new")
    assert refused.status_code == 403
    assert "Confirm your email address first" in refused.get_data(as_text=True)


def test_edit_page(client_en, app):
    owner = factories.user()
    carrier = factories.create_carrier(
        "眉山彭山众创空间",
        owner=owner,
        region_code="511403",
        uscc=factories.valid_uscc(),
        address="彭山区1号",
        contact_name="赵六",
        contact_phone="13800001111",
    )
    db.session.commit()
    sign_in(client_en, owner)
    page = client_en.get(f"/carriers/{carrier.id}/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="511403"' in html and "眉山彭山众创空间" in html
    data = _form(name="眉山彭山众创空间二期", region="511403", uscc=carrier.uscc, founded_on="")
    saved = _post(client_en, f"/carriers/{carrier.id}/edit", data)
    assert saved.status_code == 302
    db.session.refresh(carrier)
    assert carrier.name == "眉山彭山众创空间二期" and carrier.founded_on is None
    stranger = app.test_client()
    sign_in(stranger, factories.user())
    assert stranger.get(f"/carriers/{carrier.id}/edit").status_code == 404


def test_recognised_carrier_form_keeps_type_and_region(client_en):
    owner = factories.user()
    carrier = factories.create_carrier(
        owner=owner,
        uscc=factories.valid_uscc(),
        address="a",
        contact_name="b",
        contact_phone="13800001111",
    )
    factories.recognize(carrier, "county")
    db.session.commit()
    sign_in(client_en, owner)
    html = client_en.get(f"/carriers/{carrier.id}/edit").get_data(as_text=True)
    assert 'name="region"' not in html and "keep their type and region" in html
    data = _form(name="新名字孵化器", uscc=carrier.uscc)
    del data["type"], data["region"]
    assert _post(client_en, f"/carriers/{carrier.id}/edit", data).status_code == 302


def test_bureau_decides_on_a_credit_code_from_the_carrier_page(client_en, app):
    owner = factories.user()
    sign_in(client_en, owner)
    _post(
        client_en,
        "/my/carriers/new",
        _form(uscc="91350100M000100Y44", uscc_confirmed="y"),
    )
    carrier = db.session.scalar(select(Carrier))
    owner_view = client_en.get(f"/carriers/{carrier.id}").get_data(as_text=True)
    assert (
        "awaiting the bureau" in owner_view and 'data-testid="credit-code-form"' not in owner_view
    )
    bureau = app.test_client()
    bureau.set_cookie("lang", "en")
    sign_in(bureau, factories.user("reviewer", "511400"))
    page = bureau.get(f"/carriers/{carrier.id}")
    assert 'data-testid="credit-code-form"' in page.get_data(as_text=True)
    assert 'data-testid="edit-carrier"' not in page.get_data(as_text=True)
    token = csrf_token(bureau, f"/carriers/{carrier.id}")
    done = bureau.post(
        f"/carriers/{carrier.id}/credit-code",
        data={"csrf_token": token, "decision": "accepted", "reason": "与营业执照核对一致"},
    )
    assert done.status_code == 302
    after = client_en.get(f"/carriers/{carrier.id}").get_data(as_text=True)
    assert "Accepted by the bureau" in after and "与营业执照核对一致" in after
