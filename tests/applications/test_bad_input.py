"""Refusals, each with a status and a message a person understands: a second open
application, out of turn, out of jurisdiction, a missing comment or 文号, a closed
application, a stale version, bad levels and figures."""

from __future__ import annotations

import datetime as dt

from registry import db
from registry.accounts.models import User
from tests import factories
from tests.applications.factories import full_figures, owned_carrier


def _setup(api, level="municipal"):
    carrier = owned_carrier()
    owner = db.session.get(User, carrier.owner_id)
    county, city = factories.user("reviewer", "511402"), factories.user("reviewer", "511400")
    db.session.commit()
    body = (
        api(owner)
        .post(
            "/applications",
            {"carrier_id": carrier.id, "level": level, "figures": full_figures(carrier)},
        )
        .get_json()
    )
    return carrier, owner, county, city, body["id"]


def test_second_open_application_is_refused(app, api):
    carrier, owner, *_rest, app_id = _setup(api)
    again = api(owner).post("/applications", {"carrier_id": carrier.id, "level": "county"})
    assert again.status_code == 409
    assert f"{app_id}" in again.get_json()["error"]["message"]


def test_out_of_turn_is_409_and_out_of_jurisdiction_403_or_hidden(app, api):
    _carrier, owner, county, city, app_id = _setup(api)
    api(owner).act(app_id, "submit")
    province = factories.user("reviewer", "510000")  # covers 东坡区, not on a municipal chain
    chengdu = factories.user("reviewer", "510100")  # another city
    other_owner = factories.user()
    db.session.commit()
    early = api(city).act(app_id, "recommend")
    assert early.status_code == 409
    assert "眉山市东坡区科学技术局" in early.get_json()["error"]["message"]
    assert api(province).act(app_id, "recommend").status_code == 403
    assert api(chengdu).act(app_id, "recommend").status_code == 404
    assert api(other_owner).act(app_id, "withdraw").status_code == 404
    assert api(county).act(app_id, "withdraw").status_code == 403
    assert api(county).act(app_id, "approve", document_no="x").status_code == 409  # not last


def test_required_comment_and_document_number(app, api):
    _carrier, owner, county, city, app_id = _setup(api)
    api(owner).act(app_id, "submit")
    api(county).act(app_id, "recommend")
    for action in ("return", "reject"):
        refused = api(city).act(app_id, action, comment="   ")
        assert refused.status_code == 422
        assert set(refused.get_json()["error"]["fields"]) == {"comment"}
    refused = api(city).act(app_id, "approve")
    assert refused.status_code == 422
    assert "document_no" in refused.get_json()["error"]["fields"]
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    refused = api(city).act(
        app_id, "approve", document_no="眉科发〔2026〕1号", recognized_on=future
    )
    assert refused.get_json()["error"]["fields"] == {"recognized_on": "不能晚于今天"}
    assert api(city).act(app_id, "approve", document_no="眉科发〔2026〕1号").status_code == 200


def test_stale_version_is_refused(app, api):
    _carrier, owner, county, _city, app_id = _setup(api)
    submitted = api(owner).act(app_id, "submit").get_json()
    stale = api(county).act(app_id, "recommend", version=submitted["version"] - 1)
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale"
    assert api(county).act(app_id, "recommend", version=submitted["version"]).status_code == 200


def test_unknown_action_level_and_figures(app, api):
    carrier = owned_carrier()
    owner = db.session.get(User, carrier.owner_id)
    db.session.commit()
    bad = api(owner).post(
        "/applications",
        {
            "carrier_id": carrier.id,
            "level": "galactic",
            "figures": {"incubated_firms": -1, "mentors": 2.5, "nonsense": 1},
        },
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"level"}
    bad = api(owner).post(
        "/applications",
        {
            "carrier_id": carrier.id,
            "level": "county",
            "figures": {"incubated_firms": -1, "mentors": 2.5, "nonsense": 1},
        },
    )
    assert set(bad.get_json()["error"]["fields"]) == {
        "figures.incubated_firms",
        "figures.mentors",
        "figures.nonsense",
    }
    created = (
        api(owner)
        .post("/applications", {"carrier_id": carrier.id, "level": "county", "figures": {}})
        .get_json()
    )
    assert created["eligibility"]["met"] is False
    incomplete = api(owner).act(created["id"], "submit")
    assert incomplete.status_code == 422
    assert "figures.incubation_area" in incomplete.get_json()["error"]["fields"]
    assert api(owner).act(created["id"], "fly").status_code == 422


def test_level_must_be_above_the_current_one(app, api):
    carrier = owned_carrier()
    factories.recognize(carrier, "municipal")
    owner = db.session.get(User, carrier.owner_id)
    db.session.commit()
    for level in ("county", "municipal"):
        refused = api(owner).post("/applications", {"carrier_id": carrier.id, "level": level})
        assert refused.status_code == 422 and "level" in refused.get_json()["error"]["fields"]
    assert (
        api(owner).post("/applications", {"carrier_id": carrier.id, "level": "provincial"})
    ).status_code == 201


def test_only_the_owner_applies(app, api):
    carrier = owned_carrier()
    county = factories.user("reviewer", "511402")
    stranger = factories.user()
    db.session.commit()
    body = {"carrier_id": carrier.id, "level": "county"}
    assert api(county).post("/applications", body).status_code == 403
    assert api(stranger).post("/applications", body).status_code == 404
    assert api(stranger).post("/applications", {"level": "county"}).status_code == 422
