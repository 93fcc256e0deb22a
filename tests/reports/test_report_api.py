"""The reports API: drafts, actions, reading, a bureau's year; errors name the field."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from registry import db
from registry.reports.models import AnnualReport
from tests import factories
from tests.helpers import api_token, bearer
from tests.reports.factories import INCUBATOR, report


@pytest.fixture
def owner(app):
    return factories.user()


@pytest.fixture
def carrier(owner):
    carrier = factories.create_carrier("东坡接口孵化器", owner=owner)
    factories.recognize(carrier, "county", on="2021-05-01")
    return carrier


def _headers(app, user):
    return bearer(api_token(app.test_client(), user))


def test_draft_submit_and_accept_through_the_api(app, client, carrier, owner):
    reviewer = factories.user("reviewer", "511400")
    db.session.commit()
    mine, bureau = _headers(app, owner), _headers(app, reviewer)
    url = f"/api/v1/carriers/{carrier.id}/reports/2024"
    created = client.put(url, json={"figures": {"incubation_area": 5000}}, headers=mine)
    assert created.status_code == 201
    body = created.get_json()
    assert body["status"] == "draft" and body["figures"] == {"incubation_area": 5000}
    assert body["due_on"] == "2025-03-31" and body["late"] is False and body["events"] == []
    updated = client.put(url, json={"figures": INCUBATOR}, headers=mine)
    assert updated.status_code == 200 and updated.get_json()["figures"]["total_income"] == 9000.5
    assert client.post(f"{url}/actions", json={"action": "accept"}, headers=mine).status_code == 403
    submitted = client.post(f"{url}/actions", json={"action": "submit"}, headers=mine)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    assert submitted.get_json()["late"] is True  # submitted in 2026 or later
    again = client.post(f"{url}/actions", json={"action": "submit"}, headers=mine)
    assert again.status_code == 409
    assert client.put(url, json={"figures": INCUBATOR}, headers=mine).status_code == 409
    accepted = client.post(f"{url}/actions", json={"action": "accept"}, headers=bureau)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    events = client.get(url, headers=mine).get_json()["events"]
    assert [e["action"] for e in events] == ["submit", "accept"]
    listed = client.get(f"/api/v1/carriers/{carrier.id}/reports", headers=bureau).get_json()
    assert listed["total"] == 1 and listed["items"][0]["year"] == 2024


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"figures": {"staff": -5}}, 422, "figures.staff"),
        ({"figures": {"staff": "many"}}, 422, "figures.staff"),
        ({"figures": {"unknown_code": 1}}, 422, "figures.unknown_code"),
        (
            {"figures": {"incubation_area": 100, "incubated_area_used": 200}},
            422,
            "figures.incubated_area_used",
        ),
        ({"figures": "all of them"}, 422, "figures"),
        ({}, 422, "figures"),
    ],
)
def test_bad_drafts_name_the_field_and_write_nothing(
    app, client, carrier, owner, body, status, field
):
    db.session.commit()
    response = client.put(
        f"/api/v1/carriers/{carrier.id}/reports/2024", json=body, headers=_headers(app, owner)
    )
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(AnnualReport)) == 0


def test_years_actions_and_bodies_out_of_bounds(app, client, carrier, owner):
    db.session.commit()
    mine = _headers(app, owner)
    base = f"/api/v1/carriers/{carrier.id}/reports"
    early = client.put(f"{base}/2019", json={"figures": {}}, headers=mine)
    assert early.status_code == 422 and "year" in early.get_json()["error"]["fields"]
    future = client.put(f"{base}/2999", json={"figures": {}}, headers=mine)
    assert future.status_code == 422 and "year" in future.get_json()["error"]["fields"]
    unknown = client.post(f"{base}/2024/actions", json={"action": "approve"}, headers=mine)
    assert unknown.status_code == 422 and "action" in unknown.get_json()["error"]["fields"]
    assert (
        client.post(f"{base}/2024/actions", json={"action": "submit"}, headers=mine).status_code
        == 404
    )
    not_json = client.put(f"{base}/2024", data="figures", headers=mine)
    assert not_json.status_code == 400
    assert client.get(f"{base}/2024", headers=mine).status_code == 404


def test_a_bureau_reads_its_region_s_year(app, client, carrier):
    report(carrier, 2024)
    unfiled = factories.create_carrier("东坡未报孵化器")
    factories.recognize(unfiled, "county", on="2021-05-01")
    reviewer = factories.user("reviewer", "511400")
    db.session.commit()
    headers = _headers(app, reviewer)
    body = client.get("/api/v1/reports?year=2024&filter=missing", headers=headers).get_json()
    assert [i["name"] for i in body["items"]] == ["东坡未报孵化器"]
    assert body["counts"]["expected"] == 2 and body["counts"]["accepted"] == 1
    assert client.get("/api/v1/reports?region=510100", headers=headers).status_code == 403
    bad = client.get("/api/v1/reports?filter=some", headers=headers)
    assert bad.status_code == 422 and "filter" in bad.get_json()["error"]["fields"]


def test_a_year_that_is_not_one_names_the_field(app, client):
    reviewer = factories.user("reviewer", "510000")
    headers = bearer(api_token(client, reviewer))
    this_year = dt.date.today().year
    for bad in ("abc", "1979", str(this_year + 1)):
        response = client.get(f"/api/v1/reports?year={bad}", headers=headers)
        assert response.status_code == 422
        assert response.json["error"]["fields"] == {"year": f"须为1980年至{this_year}年之间的年份"}
