"""Odd input that schemathesis found (or that the same fixes cover): a clear 4xx naming the
field, never a 500. Numbers too large for the database's integer columns, digits int()
cannot read, a year 0."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import api_token, bearer

HUGE = "4612922755129020416"  # more than an 8-byte integer column holds on SQLite
OVER = "2147483648"  # one more than PostgreSQL's integer holds


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/v1/carriers?page={HUGE}", "page"),
        (f"/api/v1/regions?page={HUGE}", "page"),
        (f"/api/v1/targets?plan={HUGE}", "plan"),
        (f"/api/v1/targets?plan={OVER}", "plan"),
        ("/api/v1/targets?plan=²", "plan"),
        ("/api/v1/carriers?recognized_from=0000", "recognized_from"),
        ("/api/v1/carriers?recognized_to=²²²²", "recognized_to"),
        ("/api/v1/carriers?year=²", "year"),
    ],
)
def test_public_query_arguments(client, app, path, field):
    response = client.get(path)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert field in response.json["error"]["fields"]


def test_signed_in_query_arguments(client, app):
    reviewer = factories.user("reviewer", region_code="510000")
    carrier = factories.user("carrier")
    as_reviewer = bearer(api_token(client, reviewer))
    as_carrier = bearer(api_token(client, carrier))
    for path, headers, field in [
        (f"/api/v1/account/carriers?page={HUGE}", as_carrier, "page"),
        (f"/api/v1/applications?page={HUGE}", as_carrier, "page"),
        (f"/api/v1/reports?page={HUGE}", as_reviewer, "page"),
        ("/api/v1/reports?year=²", as_reviewer, "year"),
    ]:
        response = client.get(path, headers=headers)
        assert response.status_code == 422, (path, response.get_data(as_text=True)[:300])
        assert field in response.json["error"]["fields"], path


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
@pytest.mark.parametrize("number", [OVER, HUGE, "49315590439177191424"])
def test_keys_too_large_for_the_database_are_404(client, app, method, number):
    """Not a 500 from the database, nor Werkzeug's 405 for a rule that failed to convert."""
    response = getattr(client, method)(f"/api/v1/plans/{number}")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/carriers/{number}").status_code == 404
    assert client.get(f"/carriers/{number}").status_code == 404


def test_an_application_for_a_carrier_id_too_large(client, app):
    carrier = factories.user("carrier")
    for carrier_id in (-8449397128992791532100648960, int(HUGE), int(OVER)):
        response = client.post(
            "/api/v1/applications",
            json={"carrier_id": carrier_id, "level": "provincial"},
            headers=bearer(api_token(client, carrier)),
        )
        assert response.status_code == 422
        assert list(response.json["error"]["fields"]) == ["carrier_id"]


def _recognised_carrier(client):
    """A recognised carrier, its owner's and a province reviewer's authorisation headers."""
    owner = factories.user("carrier")
    carrier = factories.create_carrier(owner=owner)
    factories.recognize(carrier, on="2019-05-01")
    reviewer = factories.user("reviewer", region_code="510000")
    return carrier, bearer(api_token(client, owner)), bearer(api_token(client, reviewer))


@pytest.mark.parametrize("year", ["0", "10000", "111827090", HUGE])
def test_years_the_registry_does_not_keep_are_404(client, app, year):
    """A year in a report's or grade's URL was read into a smallint on PostgreSQL (a 500);
    years no date can have name nothing."""
    carrier, as_owner, as_reviewer = _recognised_carrier(client)
    base = f"/api/v1/carriers/{carrier.id}"
    for method, path, headers, body in [
        ("get", f"{base}/reports/{year}", as_owner, None),
        ("put", f"{base}/reports/{year}", as_owner, {"figures": {}}),
        ("post", f"{base}/reports/{year}/actions", as_owner, {"action": "submit"}),
        ("get", f"{base}/evaluations/{year}", as_reviewer, None),
        ("put", f"{base}/evaluations/{year}", as_reviewer, {"grade": "good"}),
    ]:
        response = getattr(client, method)(path, headers=headers, json=body)
        assert response.status_code == 404, (method, path, response.get_data(as_text=True))
        assert response.json["error"]["code"] == "not_found"
    assert client.get(f"/carriers/{carrier.id}/reports/{year}").status_code in (302, 404)


@pytest.mark.parametrize("year", ["1", "1979", "2999", "9999"])
def test_years_a_date_can_have_are_the_services_to_judge(client, app, year):
    carrier, as_owner, as_reviewer = _recognised_carrier(client)
    base = f"/api/v1/carriers/{carrier.id}"
    assert client.get(f"{base}/reports/{year}", headers=as_owner).status_code == 404
    put = client.put(f"{base}/reports/{year}", headers=as_owner, json={"figures": {}})
    assert put.status_code == 422 and "year" in put.json["error"]["fields"]
    assert client.get(f"{base}/evaluations/{year}", headers=as_reviewer).status_code == 200
    put = client.put(f"{base}/evaluations/{year}", headers=as_reviewer, json={"grade": "good"})
    assert put.status_code == 422 and "year" in put.json["error"]["fields"]
