"""API rate limits: per token holder, registered client and address, in fixed windows counted
in the database; 429 in the API's error shape with Retry-After and X-RateLimit-* headers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from registry import db
from registry.accounts.tokens import issue_token
from registry.config import TEST_OVERRIDES, from_env
from registry.limits import web as limits_web
from registry.limits.models import RateCounter
from tests import factories
from tests.helpers import api_token, bearer

# 08:00:10 UTC: the window runs 08:00:00–08:01:00, so 50 seconds are left
START = dt.datetime(2026, 12, 1, 8, 0, 10, tzinfo=dt.UTC)
RESET = int(dt.datetime(2026, 12, 1, 8, 1, tzinfo=dt.UTC).timestamp())
PATH = "/api/v1/regions?parent=511400"


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(app, monkeypatch) -> Clock:
    """Rate limits on (3 per address, 5 per client, 7 per token holder, a minute) and a clock
    the test moves."""
    clock = Clock()
    monkeypatch.setattr(limits_web, "utcnow", clock)
    for key, value in {
        "API_RATE_LIMIT": True,
        "API_RATE_WINDOW": 60,
        "API_RATE_PER_ADDRESS": 3,
        "API_RATE_PER_CLIENT": 5,
        "API_RATE_PER_TOKEN": 7,
        "API_CLIENT_IDS": frozenset({"chengdu-portal"}),
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return clock


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def _get(client, address: str = "203.0.113.7", path: str = PATH, **headers):
    return client.get(path, headers=headers, **_from(address))


def test_the_nth_request_passes_and_the_next_is_refused(client_en, clock):
    for remaining in (2, 1, 0):
        response = _get(client_en)
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "3"
        assert response.headers["X-RateLimit-Remaining"] == str(remaining)
        assert response.headers["X-RateLimit-Reset"] == str(RESET)
        assert response.headers["X-RateLimit-Scope"] == "address"
        assert response.headers["RateLimit-Policy"] == '"address";q=3;w=60'
        assert response.headers["RateLimit"] == f'"address";r={remaining};t=50'
        assert "Retry-After" not in response.headers
    refused = _get(client_en)
    assert refused.status_code == 429
    error = refused.get_json()["error"]
    assert error["code"] == "rate_limited"
    assert "at most 3 every 60 seconds" in error["message"] and "50 seconds" in error["message"]
    assert refused.headers["Retry-After"] == "50"
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["X-RateLimit-Reset"] == str(RESET)
    assert refused.headers["RateLimit"] == '"address";r=0;t=50'  # the moment of Retry-After
    assert refused.headers["Cache-Control"] == "no-store"
    clock.now = START + dt.timedelta(seconds=49, microseconds=500_000)
    assert _get(client_en).headers["Retry-After"] == "1"  # rounded up, never 0


def test_the_message_speaks_the_callers_language(client, clock):
    for _ in range(3):
        _get(client)
    assert "请在 50 秒后重试" in _get(client).get_json()["error"]["message"]


def test_a_new_window_passes_again_and_old_windows_are_pruned(client, clock):
    for _ in range(4):
        last = _get(client)
    assert last.status_code == 429
    clock.now = dt.datetime(2026, 12, 1, 8, 1, tzinfo=dt.UTC)  # the next window's first second
    again = _get(client)
    assert again.status_code == 200
    assert again.headers["X-RateLimit-Remaining"] == "2"
    assert again.headers["X-RateLimit-Reset"] == str(RESET + 60)
    rows = db.session.execute(select(RateCounter.bucket, RateCounter.window_start)).all()
    assert rows == [("address:203.0.113.7", clock.now)]


def test_each_address_has_its_own_count_and_ipv6_counts_by_its_64_network(client, clock):
    for _ in range(3):
        assert _get(client, "203.0.113.7").status_code == 200
    assert _get(client, "203.0.113.7").status_code == 429
    assert _get(client, "203.0.113.8").status_code == 200
    for host in ("2001:db8:0:1::1", "2001:db8:0:1::2", "2001:db8:0:1:ffff::9"):
        assert _get(client, host).status_code == 200
    assert _get(client, "2001:db8:0:1::3").status_code == 429  # the same /64
    assert _get(client, "2001:db8:0:2::1").status_code == 200  # another /64


def test_a_token_holder_has_the_token_limit_whatever_the_address(app, client, clock):
    user = factories.user()
    first, _record = issue_token(user)
    second, _record = issue_token(user)
    for _ in range(4):
        _get(client)  # the address is over its limit
    assert _get(client).status_code == 429
    for i in range(7):
        token = first if i % 2 else second  # one counter for all of a user's tokens
        response = _get(client, **bearer(token))
        assert response.status_code == 200, i
        assert response.headers["X-RateLimit-Scope"] == "token"
        assert response.headers["X-RateLimit-Limit"] == "7"
        assert response.headers["X-RateLimit-Remaining"] == str(6 - i)
    refused = _get(client, **bearer(first))
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "50"
    other = factories.user()
    assert _get(client, **bearer(issue_token(other)[0])).status_code == 200


def test_signing_in_through_the_api_is_counted_against_the_address(client, clock):
    user = factories.user()
    token = api_token(client, user)  # POST /api/v1/tokens from 127.0.0.1
    assert _get(client, "127.0.0.1", **bearer(token)).headers["X-RateLimit-Scope"] == "token"
    assert _get(client, "127.0.0.1").headers["X-RateLimit-Remaining"] == "1"


def test_a_bad_token_is_counted_against_the_address(client, clock):
    unknown = bearer("rgt_not-a-token")
    for remaining in (2, 1, 0):
        response = _get(client, **unknown)
        assert response.status_code == 401
        assert response.headers["X-RateLimit-Remaining"] == str(remaining)
    assert _get(client, **unknown).status_code == 429
    assert _get(client).status_code == 429


def test_a_registered_client_id_has_the_client_limit(client, clock):
    portal = {"X-Client-Id": "chengdu-portal"}
    for remaining in (4, 3, 2, 1, 0):
        response = _get(client, "203.0.113.7", **portal)
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Scope"] == "client"
        assert response.headers["X-RateLimit-Limit"] == "5"
        assert response.headers["X-RateLimit-Remaining"] == str(remaining)
    # one count for the client, from wherever it calls
    assert _get(client, "198.51.100.1", **portal).status_code == 429
    # its address has its own count, untouched
    assert _get(client, "203.0.113.7").headers["X-RateLimit-Remaining"] == "2"


def test_an_unknown_client_id_is_counted_by_address(client, clock):
    stranger = {"X-Client-Id": "made-up"}
    response = _get(client, **stranger)
    assert response.headers["X-RateLimit-Scope"] == "address"
    assert response.headers["X-RateLimit-Limit"] == "3"


def test_a_limit_of_zero_means_no_limit_for_that_kind_of_caller(app, client, clock, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_PER_ADDRESS", 0)
    for _ in range(5):
        response = _get(client)
        assert response.status_code == 200 and "X-RateLimit-Limit" not in response.headers
    assert db.session.scalar(select(RateCounter.hits)) is None


def test_pages_are_not_rate_limited(client, clock):
    for _ in range(5):
        response = client.get("/regions/511400", **_from("203.0.113.7"))
        assert response.status_code == 200
    assert "X-RateLimit-Limit" not in response.headers


def test_limits_are_off_when_disabled_as_in_the_test_configuration(app, client):
    assert TEST_OVERRIDES["API_RATE_LIMIT"] is False and app.config["API_RATE_LIMIT"] is False
    for _ in range(100):
        response = _get(client)
    assert response.status_code == 200 and "X-RateLimit-Limit" not in response.headers
    assert db.session.scalar(select(RateCounter.hits)) is None


def test_settings_come_from_the_environment():
    defaults = from_env({})
    assert defaults["API_RATE_LIMIT"] is True
    assert (defaults["API_RATE_WINDOW"], defaults["API_RATE_PER_ADDRESS"]) == (60, 60)
    assert (defaults["API_RATE_PER_CLIENT"], defaults["API_RATE_PER_TOKEN"]) == (300, 600)
    assert defaults["API_CLIENT_IDS"] == frozenset()
    custom = from_env(
        {
            "REGISTRY_API_RATE_LIMIT": "0",
            "REGISTRY_API_RATE_WINDOW": "3600",
            "REGISTRY_API_RATE_PER_ADDRESS": "1000",
            "REGISTRY_API_RATE_PER_CLIENT": "5000",
            "REGISTRY_API_RATE_PER_TOKEN": "10000",
            "REGISTRY_API_CLIENT_IDS": "chengdu-portal, meishan-bureau\nsichuan-open-data",
        }
    )
    assert custom["API_RATE_LIMIT"] is False
    assert custom["API_RATE_WINDOW"] == 3600
    assert (custom["API_RATE_PER_ADDRESS"], custom["API_RATE_PER_CLIENT"]) == (1000, 5000)
    assert custom["API_RATE_PER_TOKEN"] == 10000
    assert custom["API_CLIENT_IDS"] == {"chengdu-portal", "meishan-bureau", "sichuan-open-data"}


def test_the_openapi_document_describes_limits_and_revalidation(app, client, clock):
    from tests.api.conformance import Conformance

    document = client.get("/api/v1/openapi.json").get_json()
    conformance = Conformance(document)
    headers = document["components"]["headers"]
    assert {"Retry-After", "X-RateLimit-Limit", "X-RateLimit-Reset", "ETag"} <= set(headers)
    assert document["components"]["parameters"]["ClientId"]["name"] == "X-Client-Id"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], (method, path)
            public_read = method == "get" and "security" not in operation
            assert ("304" in operation["responses"]) == public_read, (method, path)
    for _ in range(3):
        response = _get(client, path="/api/v1/regions")
    etag = response.headers["ETag"]
    refused = _get(client, path="/api/v1/regions")
    body = conformance.check("GET", "/regions", refused)
    assert body["error"]["code"] == "rate_limited"
    documented = conformance.operation("GET", "/regions")["responses"]["429"]["headers"]
    assert set(documented) <= set(refused.headers.keys())
    clock.now += dt.timedelta(minutes=1)
    not_modified = client.get("/api/v1/regions", headers={"If-None-Match": etag})
    assert conformance.check("GET", "/regions", not_modified) is None
