"""The whole chain through the API for every level; return and resubmit; reject; withdraw;
扩权县; the approval becomes a public recognition; the carrier hears of every decision."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry import db
from registry.applications.models import ApplicationEvent
from registry.carriers.models import Recognition, RecognitionSource
from tests import factories
from tests.applications.factories import CHAIN_CODES, full_figures, owned_carrier
from tests.helpers import outbox


def start(api, carrier, level):
    response = api(carrier_owner(carrier)).post(
        "/applications",
        {"carrier_id": carrier.id, "level": level, "figures": full_figures(carrier)},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def carrier_owner(carrier):
    from registry.accounts.models import User

    return db.session.get(User, carrier.owner_id)


@pytest.mark.parametrize("level", ["county", "municipal", "provincial", "national"])
def test_the_whole_chain_for_each_level(app, api, level):
    carrier = owned_carrier(name="东坡菁蓉科技企业孵化器")
    owner = carrier_owner(carrier)
    reviewers = [factories.user("reviewer", code) for code in CHAIN_CODES[level]]
    db.session.commit()
    created = start(api, carrier, level)
    assert created["status"] == "draft" and created["current_step"] is None
    assert created["version"] == 1
    app_id = created["id"]

    body = api(owner).act(app_id, "submit").get_json()
    assert body["status"] == "in_review"
    assert [s["region"]["code"] for s in body["steps"]] == CHAIN_CODES[level]
    assert body["current_step"]["region"]["code"] == CHAIN_CODES[level][0]
    assert outbox("application_to_review", to=reviewers[0].email)

    for i, reviewer in enumerate(reviewers[:-1]):
        response = api(reviewer).act(app_id, "recommend", version=body["version"])
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["current_step"]["region"]["code"] == CHAIN_CODES[level][i + 1]
        assert outbox("application_to_review", to=reviewers[i + 1].email)

    response = api(reviewers[-1]).act(
        app_id, "approve", document_no="川科高〔2026〕8号", recognized_on="2026-03-01"
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "approved" and body["current_step"] is None
    assert [e["action"] for e in body["events"]] == ["submit"] + ["recommend"] * (
        len(reviewers) - 1
    ) + ["approve"]

    recognition = db.session.get(Recognition, body["recognition_id"])
    assert recognition.level.code == level and recognition.source == RecognitionSource.workflow
    assert recognition.granted_by.code == CHAIN_CODES[level][-1]
    assert recognition.document_no == "川科高〔2026〕8号"
    assert recognition.recognized_on.isoformat() == "2026-03-01"
    listing = app.test_client().get("/api/v1/carriers?q=东坡菁蓉").get_json()
    assert [item["id"] for item in listing["items"]] == [carrier.id]
    decisions = outbox("application_decision", to=owner.email)
    assert len(decisions) == len(reviewers)  # each recommendation and the approval
    assert "川科高〔2026〕8号" in decisions[-1].body


def test_return_then_resubmit_starts_again_at_the_first_step(app, api):
    carrier = owned_carrier()
    owner = carrier_owner(carrier)
    county, city = factories.user("reviewer", "511402"), factories.user("reviewer", "511400")
    db.session.commit()
    app_id = start(api, carrier, "municipal")["id"]
    api(owner).act(app_id, "submit")
    api(county).act(app_id, "recommend")

    refused = api(city).act(app_id, "return")
    assert refused.status_code == 422 and "comment" in refused.get_json()["error"]["fields"]
    body = api(city).act(app_id, "return", comment="在孵企业名单缺少营业执照复印件").get_json()
    assert body["status"] == "returned" and body["current_step"] is None
    mail = outbox("application_decision", to=owner.email)[-1]
    assert "在孵企业名单缺少营业执照复印件" in mail.body

    changed = api(owner).patch(f"/applications/{app_id}", {"figures": {"incubated_firms": 61}})
    assert changed.status_code == 200 and changed.get_json()["figures"]["incubated_firms"] == 61
    body = api(owner).act(app_id, "submit").get_json()
    assert body["status"] == "in_review" and body["round"] == 2
    assert body["current_step"]["region"]["code"] == "511402"
    out_of_turn = api(city).act(app_id, "recommend")
    assert out_of_turn.status_code == 409


def test_reject_closes_the_application_and_a_new_one_may_start(app, api):
    carrier = owned_carrier()
    owner = carrier_owner(carrier)
    county = factories.user("reviewer", "511402")
    db.session.commit()
    app_id = start(api, carrier, "county")["id"]
    api(owner).act(app_id, "submit")
    body = api(county).act(app_id, "reject", comment="孵化场地为临时租赁, 不符合条件").get_json()
    assert body["status"] == "rejected"
    again = api(county).act(app_id, "approve", document_no="东科〔2026〕1号")
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "invalid_transition"
    assert "未获通过" in again.get_json()["error"]["message"]
    assert api(owner).act(app_id, "submit").status_code == 409
    assert start(api, carrier, "county")["status"] == "draft"


def test_withdraw_from_draft_review_and_returned(app, api):
    carrier = owned_carrier()
    owner = carrier_owner(carrier)
    county = factories.user("reviewer", "511402")
    db.session.commit()
    first = start(api, carrier, "county")["id"]
    assert api(owner).act(first, "withdraw").get_json()["status"] == "withdrawn"
    second = start(api, carrier, "county")["id"]
    api(owner).act(second, "submit")
    assert api(owner).act(second, "withdraw").get_json()["status"] == "withdrawn"
    assert api(county).act(second, "approve", document_no="x").status_code == 409
    third = start(api, carrier, "county")["id"]
    api(owner).act(third, "submit")
    api(county).act(third, "return", comment="请补充材料")
    assert api(owner).act(third, "withdraw").get_json()["status"] == "withdrawn"
    assert api(owner).act(third, "withdraw").status_code == 409


def test_direct_county_goes_straight_to_the_province(app, api):
    renshou = factories.region("511421")
    renshou.is_direct_to_province = True
    carrier = owned_carrier(region_code="511421")
    owner = carrier_owner(carrier)
    county = factories.user("reviewer", "511421")
    city = factories.user("reviewer", "511400")
    province = factories.user("reviewer", "510000")
    db.session.commit()
    app_id = start(api, carrier, "provincial")["id"]
    body = api(owner).act(app_id, "submit").get_json()
    assert [s["region"]["code"] for s in body["steps"]] == ["511421", "510000"]
    api(county).act(app_id, "recommend")
    assert outbox("application_to_review", to=province.email)
    assert not outbox("application_to_review", to=city.email)
    assert api(city).act(app_id, "approve", document_no="x").status_code == 403
    body = api(province).act(app_id, "approve", document_no="川科高〔2026〕9号").get_json()
    assert body["status"] == "approved"


def test_every_state_change_is_one_event_and_one_audit_record(app, api):
    from registry.audit import AuditEvent

    carrier = owned_carrier()
    owner = carrier_owner(carrier)
    county = factories.user("reviewer", "511402")
    db.session.commit()
    app_id = start(api, carrier, "county")["id"]
    api(owner).act(app_id, "submit")
    api(county).act(app_id, "return", comment="补充")
    api(owner).act(app_id, "submit")
    api(county).act(app_id, "approve", document_no="东科〔2026〕3号")
    events = db.session.scalars(
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == app_id)
        .order_by(ApplicationEvent.id)
    ).all()
    assert [(e.from_status.value, e.to_status.value) for e in events] == [
        ("draft", "in_review"),
        ("in_review", "returned"),
        ("returned", "in_review"),
        ("in_review", "approved"),
    ]
    assert [e.version for e in events] == [2, 3, 4, 5]
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "application", AuditEvent.object_id == app_id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "application.create",
        "application.submit",
        "application.return",
        "application.submit",
        "application.approve",
    ]
