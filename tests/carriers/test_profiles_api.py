"""Carrier profiles through the API: owners create and edit, every field is checked, the
credit code's check character, duplicate warnings, private until recognised."""

from __future__ import annotations

from sqlalchemy import select

from registry import db
from registry.audit import AuditEvent
from registry.carriers.models import Carrier, CreditCodeReview
from tests import factories
from tests.helpers import api_token, bearer

BAD_CHECK = "91350100M000100Y44"  # 91350100M000100Y43 is valid


def _owner(client):
    owner = factories.user(name="眉山科创运营有限公司")
    return owner, bearer(api_token(client, owner))


def test_owner_creates_a_private_carrier(client_en):
    owner, auth = _owner(client_en)
    payload = factories.profile(uscc="91350100M000100Y43", contact_phone="138 1234 5678")
    response = client_en.post("/api/v1/carriers", json=payload, headers=auth)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "unrecognized" and body["level"] is None
    assert body["region"]["code"] == "511402"
    assert body["contact_phone"] == "138 1234 5678"  # as written, once checked
    assert body["credit_code_status"] == "valid"
    assert body["operator_name"] == "眉山科创运营有限公司"  # defaults to the account's name
    assert body["warnings"] == []
    carrier = db.session.get(Carrier, body["id"])
    assert carrier.owner_id == owner.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "carrier.create"))
    assert event.actor_id == owner.id and event.carrier_id == carrier.id
    # private: the public neither sees it nor learns it exists
    assert client_en.get(f"/api/v1/carriers/{carrier.id}").status_code == 404
    assert client_en.get(f"/carriers/{carrier.id}").status_code == 404
    listing = client_en.get("/api/v1/carriers?q=" + payload["name"]).get_json()
    assert listing["total"] == 0
    own = client_en.get("/api/v1/account/carriers", headers=auth).get_json()
    assert [c["id"] for c in own["items"]] == [carrier.id]


def test_every_field_is_checked_and_named(client_en):
    auth = _owner(client_en)[1]
    payload = {
        "name": "",
        "type": "garden",
        "region": "511400",  # a city, not a county
        "uscc": "9135010OM000100Y43",
        "address": "x" * 301,
        "contact_name": 42,
        "contact_phone": "call us",
        "founded_on": "2016-13-01",
        "website": "example.org",
        "description": "ok",
        "colour": "red",
    }
    response = client_en.post("/api/v1/carriers", json=payload, headers=auth)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == set(payload) - {"description"}
    assert "required" in fields["name"]
    assert "incubator" in fields["type"]
    assert "county-level" in fields["region"] and "眉山市" in fields["region"]
    assert "I, O, S, V, Z" in fields["uscc"]
    assert "300" in fields["address"]
    assert fields["contact_name"] == "must be text"
    assert "phone" in fields["contact_phone"]
    assert "2016-05-01" in fields["founded_on"]
    assert "http" in fields["website"]
    assert "not a field" in fields["colour"]
    assert db.session.scalar(select(Carrier.id)) is None  # nothing half-written


def test_missing_fields_and_bad_json(client_en):
    auth = _owner(client_en)[1]
    response = client_en.post("/api/v1/carriers", json={"name": "眉山众创空间"}, headers=auth)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {
        "type",
        "region",
        "uscc",
        "address",
        "contact_name",
        "contact_phone",
    }
    broken = client_en.post(
        "/api/v1/carriers", data="[1, 2", content_type="application/json", headers=auth
    )
    assert broken.status_code == 400
    listed = client_en.post("/api/v1/carriers", json=[1, 2], headers=auth)
    assert listed.status_code == 400


def test_future_founding_dates_and_cities_without_counties(client_en):
    auth = _owner(client_en)[1]
    future = client_en.post(
        "/api/v1/carriers", json=factories.profile(founded_on="2999-01-01"), headers=auth
    )
    assert future.get_json()["error"]["fields"] == {"founded_on": "must not be in the future"}
    dongguan = client_en.post(
        "/api/v1/carriers", json=factories.profile(region="441900"), headers=auth
    )
    assert dongguan.status_code == 201  # 东莞市 has no counties: its carriers sit at the city


def test_a_failing_check_character_is_refused_unless_confirmed(client_en):
    auth = _owner(client_en)[1]
    refused = client_en.post(
        "/api/v1/carriers", json=factories.profile(uscc=BAD_CHECK), headers=auth
    )
    assert refused.status_code == 422
    message = refused.get_json()["error"]["fields"]["uscc"]
    assert "expects 3" in message and "confirm" in message
    kept = client_en.post(
        "/api/v1/carriers",
        json=factories.profile(uscc=BAD_CHECK.lower(), uscc_confirmed=True),
        headers=auth,
    )
    assert kept.status_code == 201
    body = kept.get_json()
    assert body["uscc"] == BAD_CHECK and body["credit_code_status"] == "pending"
    review = db.session.scalar(select(CreditCodeReview))
    assert review.uscc == BAD_CHECK and review.decision.value == "pending"


def test_bureau_accepts_or_rejects_a_confirmed_code(client_en, app):
    auth = _owner(client_en)[1]
    carrier_id = client_en.post(
        "/api/v1/carriers",
        json=factories.profile(uscc=BAD_CHECK, uscc_confirmed=True),
        headers=auth,
    ).get_json()["id"]
    inside = bearer(api_token(app.test_client(), factories.user("reviewer", "511400")))
    outside = bearer(api_token(app.test_client(), factories.user("reviewer", "510100")))
    url = f"/api/v1/carriers/{carrier_id}/credit-code-review"
    assert (
        client_en.post(
            url, json={"decision": "accepted", "reason": "核对营业执照"}, headers=outside
        ).status_code
        == 404
    )
    assert (
        client_en.post(url, json={"decision": "accepted", "reason": "x"}, headers=auth).status_code
        == 403
    )
    no_reason = client_en.post(url, json={"decision": "maybe"}, headers=inside)
    assert set(no_reason.get_json()["error"]["fields"]) == {"decision", "reason"}
    rejected = client_en.post(
        url, json={"decision": "rejected", "reason": "与营业执照不符"}, headers=inside
    )
    assert rejected.status_code == 200
    assert rejected.get_json()["credit_code_status"] == "rejected"
    again = client_en.post(url, json={"decision": "accepted", "reason": "改判"}, headers=inside)
    assert again.status_code == 409
    # the owner cannot keep the rejected code; a corrected one passes
    keep = client_en.patch(
        f"/api/v1/carriers/{carrier_id}",
        json={"uscc": BAD_CHECK, "uscc_confirmed": True},
        headers=auth,
    )
    assert "与营业执照不符" in keep.get_json()["error"]["fields"]["uscc"]
    fixed = client_en.patch(
        f"/api/v1/carriers/{carrier_id}", json={"uscc": "91350100M000100Y43"}, headers=auth
    )
    assert fixed.get_json()["credit_code_status"] == "valid"
    valid_now = client_en.post(url, json={"decision": "accepted", "reason": "x"}, headers=inside)
    assert valid_now.status_code == 409


def test_owner_edits_and_changes_are_audited(client_en):
    owner, auth = _owner(client_en)
    carrier_id = client_en.post(
        "/api/v1/carriers", json=factories.profile(), headers=auth
    ).get_json()["id"]
    response = client_en.patch(
        f"/api/v1/carriers/{carrier_id}",
        json={"address": "眉山市东坡区新址2号", "website": None, "founded_on": None},
        headers=auth,
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["address"] == "眉山市东坡区新址2号" and body["website"] == ""
    assert body["founded_on"] is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "carrier.update"))
    assert event.data["changes"]["address"] == ["眉山市东坡区科创大道1号", "眉山市东坡区新址2号"]
    assert event.actor_id == owner.id
    cleared = client_en.patch(f"/api/v1/carriers/{carrier_id}", json={"name": " "}, headers=auth)
    assert cleared.get_json()["error"]["fields"] == {"name": "is required"}


def test_type_and_region_are_fixed_once_recognised(client_en):
    owner, auth = _owner(client_en)
    carrier = factories.create_carrier(owner=owner, uscc=factories.valid_uscc())
    factories.recognize(carrier, "county")
    db.session.commit()
    response = client_en.patch(
        f"/api/v1/carriers/{carrier.id}",
        json={"type": "maker_space", "region": "511403"},
        headers=auth,
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"type", "region"}
    renamed = client_en.patch(
        f"/api/v1/carriers/{carrier.id}", json={"name": "眉山新名孵化器"}, headers=auth
    )
    assert renamed.status_code == 200


def test_access_to_other_owners_carriers(client_en, app):
    owner, auth = _owner(client_en)
    private = factories.create_carrier(owner=owner)
    public = factories.create_carrier(owner=owner)
    factories.recognize(public, "county")
    db.session.commit()
    other = bearer(api_token(app.test_client(), factories.user()))
    assert (
        client_en.patch(
            f"/api/v1/carriers/{private.id}", json={"name": "x"}, headers=other
        ).status_code
        == 404
    )
    assert (
        client_en.patch(
            f"/api/v1/carriers/{public.id}", json={"name": "x"}, headers=other
        ).status_code
        == 403
    )
    assert client_en.patch(f"/api/v1/carriers/{private.id}", json={"name": "x"}).status_code == 401
    assert (
        client_en.patch("/api/v1/carriers/999999", json={"name": "x"}, headers=auth).status_code
        == 404
    )
    reviewer = bearer(api_token(app.test_client(), factories.user("reviewer", "511402")))
    assert (
        client_en.patch(
            f"/api/v1/carriers/{private.id}", json={"name": "x"}, headers=reviewer
        ).status_code
        == 403
    )
    assert (
        client_en.post("/api/v1/carriers", json=factories.profile(), headers=reviewer).status_code
        == 403
    )


def test_private_fields_only_for_owner_and_covering_bureaus(client_en, app):
    owner, auth = _owner(client_en)
    carrier = factories.create_carrier(
        owner=owner, contact_name="李四", contact_phone="13900001111"
    )
    factories.recognize(carrier, "municipal")
    db.session.commit()
    url = f"/api/v1/carriers/{carrier.id}"
    public = client_en.get(url).get_json()
    assert "contact_phone" not in public and "contact_name" not in public
    assert "13900001111" not in client_en.get(f"/carriers/{carrier.id}").get_data(as_text=True)
    assert client_en.get(url, headers=auth).get_json()["contact_phone"] == "13900001111"
    inside = bearer(api_token(app.test_client(), factories.user("reviewer", "510000")))
    assert client_en.get(url, headers=inside).get_json()["contact_name"] == "李四"
    outside = bearer(api_token(app.test_client(), factories.user("reviewer", "500000")))
    assert "contact_phone" not in client_en.get(url, headers=outside).get_json()
    stranger = bearer(api_token(app.test_client(), factories.user()))
    assert "contact_phone" not in client_en.get(url, headers=stranger).get_json()


def test_duplicate_warnings(client_en, app):
    auth = _owner(client_en)[1]
    first = client_en.post(
        "/api/v1/carriers",
        json=factories.profile(name="眉山东坡农业科技孵化器", uscc="91350100M000100Y43"),
        headers=auth,
    ).get_json()
    other_auth = bearer(api_token(app.test_client(), factories.user()))
    same_code = client_en.post(
        "/api/v1/carriers",
        json=factories.profile(name="完全不同的名字", uscc="91350100M000100Y43"),
        headers=other_auth,
    ).get_json()
    assert [w["code"] for w in same_code["warnings"]] == ["duplicate_credit_code"]
    assert same_code["warnings"][0]["carrier"] is None  # another owner's private carrier
    near_name = client_en.post(
        "/api/v1/carriers",
        json=factories.profile(name="眉山东坡 农业科技孵化器"),
        headers=auth,
    ).get_json()
    assert [w["code"] for w in near_name["warnings"]] == ["duplicate_name"]
    assert near_name["warnings"][0]["carrier"] == {"id": first["id"], "name": first["name"]}
    elsewhere = client_en.post(
        "/api/v1/carriers",
        json=factories.profile(name="眉山东坡农业科技孵化器", region="511403"),
        headers=auth,
    ).get_json()
    assert elsewhere["warnings"] == []  # another county
    other_type = client_en.post(
        "/api/v1/carriers",
        json=factories.profile(
            name="别的名字众创空间", type="maker_space", uscc="91350100M000100Y43"
        ),
        headers=auth,
    ).get_json()
    assert other_type["warnings"] == []  # same operator, another type: normal
