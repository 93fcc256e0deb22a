"""The plans and targets API: public reads, bureau writes, a 422 naming each bad field."""

from __future__ import annotations

import pytest
from flask_babel import gettext

from tests import factories
from tests.targets import fixture
from tests.targets.factories import make_plan, make_target
from tests.targets.helpers import bearer


@pytest.fixture
def meishan(app, client):
    reviewer = factories.user("reviewer", "511400")
    return bearer(client, reviewer)


def _plan_body(**fields):
    return {"title": "测试方案", "region": "511400", "issued_on": "2017-06-05", **fields}


def _target_body(**fields):
    body = {
        "phrase": "工程技术研究中心达到50家以上",
        "metric": "count_recognized",
        "types": ["eng_center"],
        "value": 50,
        "deadline": "2020-12-31",
    }
    return {**body, **fields}


def test_anyone_reads_plans_and_targets_with_progress(client):
    plans = client.get("/api/v1/plans").get_json()
    assert plans["total"] == 5 and plans["page"] == 1
    sichuan = next(p for p in plans["items"] if p["document_no"] == "川办函〔2016〕67号")
    assert len(sichuan["targets"]) == 15
    detail = client.get(f"/api/v1/plans/{sichuan['id']}?as_of=2016-12-31").get_json()
    assert "2016年四川省科技服务业发展重点工作安排" in detail["text"]
    assert {"actual", "ratio", "expected_by_now", "status"} <= set(detail["targets"][0]["progress"])
    listed = client.get("/api/v1/targets?region=511400&per_page=100").get_json()
    assert listed["total"] == 11
    assert all(t["region"]["code"] == "511400" for t in listed["items"])


def test_progress_of_a_target(client):
    fixture.build()
    targets = fixture.targets()
    target = targets["recognized"]
    body = client.get(f"/api/v1/targets/{target.id}/progress?as_of=2019-12-31").get_json()
    assert (body["actual"], body["value"], body["baseline"], body["status"]) == (4, 8, 3, "behind")
    assert body["ratio"] == 0.5
    breakdown = {row["region"]["code"]: row["actual"] for row in body["breakdown"]}
    assert breakdown["511402"] == 2 and breakdown["511400"] == 1
    assert sum(breakdown.values()) == body["actual"]
    county = client.get(f"/api/v1/targets/{target.id}/progress?as_of=2019-12-31&region=511402")
    assert county.get_json()["actual"] == 2 and county.get_json()["status"] is None


def test_targets_filtered_by_status(client):
    fixture.build()
    targets = fixture.targets()
    plan_id = targets["recognized"].plan_id
    body = client.get(f"/api/v1/targets?plan={plan_id}&status=met&as_of=2021-06-30").get_json()
    met = {"municipal_only", "new", "new_national", "rd"}  # 3 of 3, 6 of 6, 1 of 1, 1.25%
    assert {t["id"] for t in body["items"]} == {targets[name].id for name in met}
    missed = client.get(f"/api/v1/targets?plan={plan_id}&status=missed&as_of=2021-06-30")
    assert missed.get_json()["total"] == 4


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("as_of=2019-13-01", "as_of"),
        ("as_of=yesterday", "as_of"),
        ("region=999999", "region"),
        ("status=late", "status"),
        ("plan=x", "plan"),
    ],
)
def test_bad_query_arguments_are_named(client, query, field):
    response = client.get(f"/api/v1/targets?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_progress_outside_the_target_region_is_refused(client):
    target = make_target(make_plan("511400"), types=["eng_center"], value=50)
    response = client.get(f"/api/v1/targets/{target.id}/progress?region=510100")
    assert response.status_code == 422 and "region" in response.get_json()["error"]["fields"]


def test_a_reviewer_creates_a_plan_with_targets_in_one_step(client, meishan):
    body = _plan_body(document_no="眉测〔2024〕1号", targets=[_target_body()])
    response = client.post("/api/v1/plans", json=body, headers=meishan)
    assert response.status_code == 201, response.get_json()
    plan = response.get_json()
    assert plan["targets"][0]["types"] == ["eng_center"]
    assert plan["targets"][0]["period_start"] == "2017-06-05"  # the plan's issue date
    again = client.post("/api/v1/plans", json=body, headers=meishan)
    assert again.status_code == 409 and "document_no" in again.get_json()["error"]["fields"]


def test_a_bad_target_writes_nothing(client, meishan):
    bad = _plan_body(targets=[_target_body(), _target_body(value=0)])
    response = client.post("/api/v1/plans", json=bad, headers=meishan)
    assert response.status_code == 422
    message = gettext("must be greater than 0")
    assert response.get_json()["error"]["fields"] == {"targets[1].value": message}
    assert client.get("/api/v1/plans").get_json()["total"] == 5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"metric": "count_all"}, "metric"),
        ({"types": ["incubator", "science_park"]}, "types"),
        ({"min_level": "district"}, "min_level"),
        ({"max_level": "county", "min_level": "provincial"}, "max_level"),
        ({"region": "510100"}, "region"),
        ({"region": "12345"}, "region"),
        ({"value": 0}, "value"),
        ({"value": -3}, "value"),
        ({"value": "many"}, "value"),
        ({"value": "0.00001"}, "value"),  # kept to 4 decimals it would be 0
        ({"value": 12.34567}, "value"),
        ({"period_start": "2021-01-01", "deadline": "2020-12-31"}, "deadline"),
        ({"deadline": "2020-02-30"}, "deadline"),
        ({"metric": "sum_indicator"}, "indicator"),
        ({"metric": "sum_indicator", "indicator": "incubated_firms"}, "indicator"),
        ({"metric": "coverage", "value": 1}, "subregion_level"),
        ({"metric": "coverage", "subregion_level": "county", "value": 2}, "value"),
        ({"metric": "coverage", "subregion_level": "prefecture", "value": 1}, "subregion_level"),
        ({"metric": "count_new", "types": []}, "types"),
        ({"phrase": ""}, "phrase"),
    ],
)
def test_bad_target_input_is_a_422_naming_the_field(client, meishan, change, field):
    plan = client.post("/api/v1/plans", json=_plan_body(), headers=meishan).get_json()
    response = client.post(
        f"/api/v1/plans/{plan['id']}/targets", json=_target_body(**change), headers=meishan
    )
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_patch_changes_only_what_is_given(client, meishan):
    plan = client.post("/api/v1/plans", json=_plan_body(), headers=meishan).get_json()
    target = client.post(
        f"/api/v1/plans/{plan['id']}/targets", json=_target_body(), headers=meishan
    ).get_json()
    url = f"/api/v1/targets/{target['id']}"
    patched = client.patch(url, json={"value": 60, "min_level": "municipal"}, headers=meishan)
    assert patched.status_code == 200
    assert (patched.get_json()["value"], patched.get_json()["min_level"]) == (60, "municipal")
    assert patched.get_json()["phrase"] == target["phrase"]
    bad = client.patch(url, json={"deadline": "2010-01-01"}, headers=meishan)
    assert bad.status_code == 422 and "deadline" in bad.get_json()["error"]["fields"]
    assert client.get(url).get_json()["deadline"] == "2020-12-31"


def test_writes_need_a_bureau_over_the_region(client, app):
    plan = make_plan("511400")
    target = make_target(plan, types=["eng_center"], value=50)
    anonymous = client.post(f"/api/v1/plans/{plan.id}/targets", json=_target_body())
    assert anonymous.status_code == 401
    chengdu = bearer(client, factories.user("reviewer", "510100"))
    assert (
        client.patch(f"/api/v1/targets/{target.id}", json={"value": 9}, headers=chengdu).status_code
        == 403
    )
    assert client.post("/api/v1/plans", json=_plan_body(), headers=chengdu).status_code == 403
    carrier = bearer(client, factories.user("carrier"))
    assert (
        client.post("/api/v1/plans/extract", json={"text": "x"}, headers=carrier).status_code == 403
    )
    sichuan = bearer(client, factories.user("reviewer", "510000"))
    ok = client.patch(f"/api/v1/targets/{target.id}", json={"value": 9}, headers=sichuan)
    assert ok.status_code == 200


def test_manual_targets_take_dated_figures(client, meishan):
    plan = client.post(
        "/api/v1/plans", json=_plan_body(period_end="2022-12-31"), headers=meishan
    ).get_json()
    manual = client.post(
        f"/api/v1/plans/{plan['id']}/targets",
        json={"phrase": "R&D支出占比达到1.2%", "metric": "manual", "value": "1.2", "unit": "%"},
        headers=meishan,
    ).get_json()
    url = f"/api/v1/targets/{manual['id']}/values"
    assert (
        client.post(
            url, json={"recorded_on": "2020-12-31", "value": 1.3}, headers=meishan
        ).status_code
        == 201
    )
    future = client.post(url, json={"recorded_on": "2999-01-01", "value": 1}, headers=meishan)
    assert future.status_code == 422 and "recorded_on" in future.get_json()["error"]["fields"]
    progress = client.get(f"/api/v1/targets/{manual['id']}/progress?as_of=2021-01-01").get_json()
    assert (progress["actual"], progress["status"]) == (1.3, "met")
    assert (
        client.get(f"/api/v1/targets/{manual['id']}/progress?as_of=2020-01-01").get_json()["status"]
        is None
    )


def test_measured_targets_take_no_figures(client, meishan):
    plan = client.post("/api/v1/plans", json=_plan_body(), headers=meishan).get_json()
    target = client.post(
        f"/api/v1/plans/{plan['id']}/targets", json=_target_body(), headers=meishan
    ).get_json()
    response = client.post(
        f"/api/v1/targets/{target['id']}/values",
        json={"recorded_on": "2020-01-01", "value": 3},
        headers=meishan,
    )
    assert response.status_code == 422 and "metric" in response.get_json()["error"]["fields"]


def test_extract_returns_candidates(client, meishan):
    text = (
        "眉山市人民政府关于印发行动方案的通知\n"
        "到2020年,全市建设10家市级以上众创空间,新增两家省级工程技术研究中心。"
    )
    body = client.post("/api/v1/plans/extract", json={"text": text}, headers=meishan).get_json()
    first, second = body["candidates"]
    assert (first["value"], first["types"], first["min_level"], first["year"]) == (
        10,
        ["maker_space"],
        "municipal",
        2020,
    )
    assert (second["value"], second["metric"], second["new"]) == (2, "count_new", True)
    assert body["plan"]["region"]["code"] == "511400"
    empty = client.post("/api/v1/plans/extract", json={"text": " "}, headers=meishan)
    assert empty.status_code == 422 and "text" in empty.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"region": "510199"}, "region"),
        ({"region": None}, "region"),
        ({"issued_on": "2017-13-01"}, "issued_on"),
        ({"issued_on": None}, "issued_on"),
        ({"period_start": "2020-01-01", "period_end": "2019-12-31"}, "period_end"),
    ],
)
def test_bad_plan_input_is_a_422_naming_the_field(client, meishan, change, field):
    body = {k: v for k, v in _plan_body(**change).items() if v is not None}
    response = client.post("/api/v1/plans", json=body, headers=meishan)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_a_body_that_is_not_json_is_a_400(client, meishan):
    response = client.post("/api/v1/plans", data="title=x", headers=meishan)
    assert response.status_code == 400


def test_a_plan_keeps_its_targets_within_its_region(client, meishan):
    plan = client.post("/api/v1/plans", json=_plan_body(), headers=meishan).get_json()
    target = {**_target_body(), "region": "511402"}
    client.post(f"/api/v1/plans/{plan['id']}/targets", json=target, headers=meishan)
    client.post(f"/api/v1/plans/{plan['id']}/targets", json=_target_body(), headers=meishan)
    url = f"/api/v1/plans/{plan['id']}"
    moved = client.patch(url, json={"region": "511402"}, headers=meishan)  # 东坡区
    assert moved.status_code == 422
    message = gettext(
        "%(n)d of the plan's targets lie outside %(name)s: change their region first",
        n=1,
        name="东坡区",
    )
    assert moved.get_json()["error"]["fields"] == {"region": message}
    assert client.get(url).get_json()["region"]["code"] == "511400"
    sichuan = bearer(client, factories.user("reviewer", "510000"))
    assert client.patch(url, json={"region": "510000"}, headers=sichuan).status_code == 200


@pytest.mark.parametrize("value", [1e20, 10**40, "100000000000000"])
def test_a_value_too_large_is_named_so(client, meishan, value):
    """Beyond what the column holds: "too large", no longer "must be a number"."""
    plan = client.post("/api/v1/plans", json=_plan_body(), headers=meishan).get_json()
    response = client.post(
        f"/api/v1/plans/{plan['id']}/targets", json=_target_body(value=value), headers=meishan
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"value": gettext("is too large")}
