"""Real responses of every reports and evaluations operation match the OpenAPI document
exactly (no undeclared field; types, nullability, enums and dates as documented), errors
included."""

from __future__ import annotations

import pytest

from registry import db
from tests import factories
from tests.api.conformance import Conformance
from tests.helpers import api_token, bearer
from tests.reports.factories import INCUBATOR, report

OPERATIONS = ("/carriers/{carrier_id}/reports", "/carriers/{carrier_id}/evaluations", "/reports")


class Api:
    def __init__(self, client, doc: Conformance) -> None:
        self.client, self.doc = client, doc

    def __call__(self, method: str, template: str, url: str, expect: int, **kw):
        response = self.client.open(url, method=method, **kw)
        assert response.status_code == expect, (url, response.get_data(as_text=True)[:300])
        return self.doc.check(method, template, response)


@pytest.fixture
def api(client) -> Api:
    return Api(client, Conformance(client.get("/api/v1/openapi.json").get_json()))


def test_every_operation_matches_the_document(api, client):
    owner = factories.user()
    carrier = factories.create_carrier("东坡文档孵化器", owner=owner)
    factories.recognize(carrier, "municipal", on="2021-04-01")
    report(carrier, 2023)
    reviewer = factories.user("reviewer", "511400", name="眉山市科学技术局")
    outsider = factories.user("reviewer", "510100")
    db.session.commit()
    mine = {"headers": bearer(api_token(client, owner))}
    bureau = {"headers": bearer(api_token(client, reviewer))}
    other = {"headers": bearer(api_token(client, outsider))}

    base = f"/api/v1/carriers/{carrier.id}"
    one, lst = "/carriers/{carrier_id}/reports/{year}", "/carriers/{carrier_id}/reports"
    act = "/carriers/{carrier_id}/reports/{year}/actions"
    api("PUT", one, f"{base}/reports/2024", 401, json={"figures": {}})
    api("PUT", one, f"{base}/reports/2024", 403, json={"figures": {}}, **bureau)
    api("PUT", one, f"{base}/reports/2024", 400, data="x", **mine)
    api("PUT", one, f"{base}/reports/2024", 422, json={"figures": {"staff": -1}}, **mine)
    api("PUT", one, "/api/v1/carriers/999999/reports/2024", 404, json={"figures": {}}, **mine)
    draft = api("PUT", one, f"{base}/reports/2024", 201, json={"figures": {"staff": 3}}, **mine)
    assert draft["submitted_at"] is None and draft["events"] == []
    api("PUT", one, f"{base}/reports/2024", 200, json={"figures": INCUBATOR}, **mine)
    api("POST", act, f"{base}/reports/2024/actions", 403, json={"action": "submit"}, **bureau)
    api("POST", act, f"{base}/reports/2024/actions", 422, json={"action": "x"}, **mine)
    api("POST", act, f"{base}/reports/2025/actions", 404, json={"action": "submit"}, **mine)
    api("POST", act, f"{base}/reports/2024/actions", 400, data="x", **mine)
    api("POST", act, f"{base}/reports/2024/actions", 200, json={"action": "submit"}, **mine)
    api("POST", act, f"{base}/reports/2024/actions", 409, json={"action": "submit"}, **mine)
    back = {"action": "return", "comment": "请补充说明"}
    api("POST", act, f"{base}/reports/2024/actions", 422, json={"action": "return"}, **bureau)
    api("POST", act, f"{base}/reports/2024/actions", 200, json=back, **bureau)
    api("PUT", one, f"{base}/reports/2023", 409, json={"figures": {}}, **mine)
    full = api("GET", one, f"{base}/reports/2024", 200, **bureau)
    assert full["decided_at"] and full["events"][-1]["actor"] is not None
    api("GET", one, f"{base}/reports/2022", 404, **mine)
    api("GET", one, f"{base}/reports/2024", 403, **other)
    api("GET", lst, f"{base}/reports", 200, **mine)
    api("GET", lst, f"{base}/reports", 401)

    year = "/reports"
    api("GET", year, "/api/v1/reports?year=2024&filter=returned", 200, **bureau)
    api("GET", year, "/api/v1/reports?region=510100", 403, **bureau)
    api("GET", year, "/api/v1/reports?region=999999", 404, **bureau)
    api("GET", year, "/api/v1/reports?filter=x", 422, **bureau)
    api("GET", year, "/api/v1/reports", 401)

    grade = "/carriers/{carrier_id}/evaluations/{year}"
    empty = api("GET", grade, f"{base}/evaluations/2023", 200, **mine)
    assert empty["evaluation"] is None and empty["suggestion"]["items"]
    api("PUT", grade, f"{base}/evaluations/2023", 403, json={"grade": "good"}, **other)
    api("PUT", grade, f"{base}/evaluations/2023", 422, json={"grade": "A"}, **bureau)
    api("PUT", grade, f"{base}/evaluations/2023", 400, data="x", **bureau)
    api("PUT", grade, "/api/v1/carriers/999999/evaluations/2023", 404, json={}, **bureau)
    body = {"grade": "fail", "score": 41.5, "override_reason": "现场核查", "comment": "整改"}
    api("PUT", grade, f"{base}/evaluations/2023", 201, json=body, **bureau)
    api("PUT", grade, f"{base}/evaluations/2023", 200, json=body, **bureau)
    revoked = api("PUT", grade, f"{base}/evaluations/2024", 201, json=body, **bureau)
    assert revoked["revoked_recognition"]["level"] == "municipal"
    api("PUT", grade, f"{base}/evaluations/2024", 409, json=body, **bureau)
    graded = api("GET", grade, f"{base}/evaluations/2023", 200, **bureau)
    assert graded["evaluation"]["region"]["code"] == "511400"
    api("GET", grade, f"{base}/evaluations/2023", 401)

    documented = api.doc.operations(*OPERATIONS)
    assert documented <= {(m, t) for m, t, _ in api.doc.seen}
