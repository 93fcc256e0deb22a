"""Real responses of every plans and targets operation match the OpenAPI document exactly
(no undeclared field; types, nullability, enums and dates as documented), errors included."""

from __future__ import annotations

import pytest

from registry.targets.models import Metric
from tests import factories
from tests.api.conformance import Conformance
from tests.targets import fixture
from tests.targets.helpers import bearer

PLAN = {
    "title": "眉山市科技创新行动方案",
    "region": "511400",
    "issued_on": "2021-03-01",
    "period_end": "2025-12-31",
}
MANUAL = {"phrase": "R&D经费投入强度达到1.5%", "metric": "manual", "value": "1.5"}
COVERAGE = {
    "phrase": "各县(市、区)均有孵化器",
    "metric": "coverage",
    "types": ["incubator"],
    "subregion_level": "county",
    "value": 1,
}
TEXT = (
    "眉山市人民政府关于印发行动方案的通知\n"
    "到2020年,全市建设10家市级以上众创空间,新增两家省级工程技术研究中心,"
    "各县(市、区)均有省级以上科技企业孵化器,R&D经费投入强度达到1.5%。"
)


class Api:
    """Calls the API and checks each answer against the document (and the expected status)."""

    def __init__(self, client, doc: Conformance) -> None:
        self.client, self.doc = client, doc

    def __call__(self, method: str, template: str, url: str, expect: int, **kw):
        response = self.client.open(url, method=method, **kw)
        assert response.status_code == expect, (url, response.get_data(as_text=True)[:300])
        return self.doc.check(method, template, response)

    def covered(self, reads: bool) -> None:
        """Every documented plans and targets read (or write) was called."""
        wanted = {
            op for op in self.doc.operations("/plans", "/targets") if (op[0] == "GET") == reads
        }
        assert wanted <= {(method, template) for method, template, _ in self.doc.seen}


@pytest.fixture
def api(client) -> Api:
    return Api(client, Conformance(client.get("/api/v1/openapi.json").get_json()))


def test_every_read_matches_the_document(api):
    fixture.build()
    targets = fixture.targets()
    plans = api("GET", "/plans", "/api/v1/plans?per_page=100", 200)
    api("GET", "/plans", "/api/v1/plans?region=511400", 200)
    for plan in plans["items"]:
        api("GET", "/plans/{plan_id}", f"/api/v1/plans/{plan['id']}", 200)
    listed = api("GET", "/targets", "/api/v1/targets?per_page=100&as_of=2019-12-31", 200)
    assert {t["metric"] for t in listed["items"]} == set(Metric.values())

    seen: list[dict] = []
    for target in targets.values():
        for day in ("2018-06-30", "2021-06-30"):
            url = f"/api/v1/targets/{target.id}?as_of={day}"
            seen.append(api("GET", "/targets/{target_id}", url, 200)["progress"])
        url = f"/api/v1/targets/{target.id}/progress?as_of=2019-12-31&region=511402"
        seen.append(api("GET", "/targets/{target_id}/progress", url, 200))
    # the nullable and optional parts were there to be checked
    rows = [row for p in seen for row in p["breakdown"]]
    assert any(p["actual"] is None and p["status"] is None for p in seen)  # manual, no figure
    assert any(p["ratio"] is None and p["actual"] is not None for p in seen)  # drilled down
    assert any(row.get("unplaced") for row in rows)  # carriers of 眉山市 itself
    assert any("covered" in p for p in seen) and any("covered" in row for row in rows)

    progress = "/targets/{target_id}/progress"
    recognized = targets["recognized"].id
    api("GET", "/plans/{plan_id}", "/api/v1/plans/999999", 404)
    api("GET", "/plans/{plan_id}", f"/api/v1/plans/{plans['items'][0]['id']}?as_of=2019-02-30", 422)
    api("GET", "/plans", "/api/v1/plans?region=999999", 422)
    api("GET", "/targets", "/api/v1/targets?status=late", 422)
    api("GET", "/targets/{target_id}", "/api/v1/targets/999999", 404)
    api("GET", progress, "/api/v1/targets/999999/progress", 404)
    api("GET", progress, f"/api/v1/targets/{recognized}/progress?region=510104", 422)
    api.covered(reads=True)


def test_every_write_matches_the_document(api, client):
    reviewer = {"headers": bearer(client, factories.user("reviewer", "511400"))}
    carrier = {"headers": bearer(client, factories.user())}
    api("POST", "/plans", "/api/v1/plans", 401, json=PLAN)
    api("POST", "/plans", "/api/v1/plans", 403, json=PLAN, **carrier)
    api("POST", "/plans", "/api/v1/plans", 400, data="title=x", **reviewer)
    api("POST", "/plans", "/api/v1/plans", 422, json={"targets": [{}]}, **reviewer)
    numbered = {**PLAN, "document_no": "眉府发〔2021〕5号", "targets": [MANUAL]}
    plan = api("POST", "/plans", "/api/v1/plans", 201, json=numbered, **reviewer)
    api("POST", "/plans", "/api/v1/plans", 409, json=numbered, **reviewer)

    one_plan, changes = f"/api/v1/plans/{plan['id']}", "/plans/{plan_id}"
    api("PATCH", changes, one_plan, 200, json={"source": "眉山市人民政府网站"}, **reviewer)
    api("PATCH", changes, one_plan, 422, json={"title": ""}, **reviewer)
    api("PATCH", changes, one_plan, 403, json={"region": "510000"}, **reviewer)
    api("PATCH", changes, "/api/v1/plans/999999", 404, json={}, **reviewer)

    new, add = f"{one_plan}/targets", "/plans/{plan_id}/targets"
    manual = api("POST", add, new, 201, json=MANUAL, **reviewer)
    measured = api("POST", add, new, 201, json=COVERAGE, **reviewer)
    api("POST", add, new, 422, json={}, **reviewer)
    api("POST", add, "/api/v1/plans/999999/targets", 404, json=MANUAL, **reviewer)

    one, edit = f"/api/v1/targets/{manual['id']}", "/targets/{target_id}"
    api("PATCH", edit, one, 200, json={"value": 2, "max_level": None}, **reviewer)
    api("PATCH", edit, one, 422, json={"value": -1}, **reviewer)
    figure = {"recorded_on": "2021-12-31", "value": 1.2, "note": "统计公报"}
    values = "/targets/{target_id}/values"
    assert api("POST", values, f"{one}/values", 201, json=figure, **reviewer) == figure
    api("POST", values, f"/api/v1/targets/{measured['id']}/values", 422, json=figure, **reviewer)

    extract = "/api/v1/plans/extract"
    found = api("POST", "/plans/extract", extract, 200, json={"text": TEXT}, **reviewer)
    assert len(found["candidates"]) >= 3 and found["plan"]["region"]["code"] == "511400"
    api("POST", "/plans/extract", extract, 422, json={"text": TEXT, "region": 5}, **reviewer)
    api("POST", "/plans/extract", extract, 403, json={"text": TEXT}, **carrier)

    api("DELETE", edit, one, 204, **reviewer)
    api("DELETE", edit, one, 404, **reviewer)
    api("DELETE", changes, one_plan, 403, **carrier)
    api("DELETE", changes, one_plan, 204, **reviewer)
    api.covered(reads=False)
