"""HTTP caching: ETags from the data version answered with 304 before the view runs,
Cache-Control and Vary by kind of response, fingerprinted static URLs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import url_for
from sqlalchemy import event

from registry import db, httpcache
from registry.accounts.tokens import issue_token
from tests import factories
from tests.helpers import bearer, sign_in


@pytest.fixture
def listed(app):
    carrier = factories.create_carrier("东坡缓存测试孵化器")
    factories.recognize(carrier, "county")
    return carrier


def _add_recognised(name: str):
    carrier = factories.create_carrier(name)
    factories.recognize(carrier, "county")  # a write to public data: the data version moves
    return carrier


def _revalidate(client, path: str, etag: str, **kw):
    return client.get(path, headers={"If-None-Match": etag, **kw.pop("headers", {})}, **kw)


@pytest.mark.parametrize(
    "path", ["/api/v1/carriers?region=511402", "/carriers?region=511402", "/regions/511400"]
)
def test_etag_round_trip_public_reads(app, listed, path):
    client = app.test_client()
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "public, no-cache"
    not_modified = _revalidate(client, path, etag)
    assert not_modified.status_code == 304
    assert not_modified.data == b""
    assert not_modified.headers["ETag"] == etag
    assert not_modified.headers["Cache-Control"] == "public, no-cache"
    _add_recognised("东坡新认定众创空间")
    changed = _revalidate(client, path, etag)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "东坡新认定众创空间" in changed.get_data(as_text=True)


def test_the_carrier_page_and_api_detail_revalidate(app, listed):
    client = app.test_client()
    for path in (f"/carriers/{listed.id}", f"/api/v1/carriers/{listed.id}"):
        etag = client.get(path).headers["ETag"]
        assert _revalidate(client, path, etag).status_code == 304
        assert _revalidate(client, path, f'W/"other", {etag}').status_code == 304
        assert _revalidate(client, path, 'W/"other"').status_code == 200


def test_a_304_is_answered_without_running_the_listing(app, listed, monkeypatch):
    client = app.test_client()
    etag = client.get("/carriers").headers["ETag"]
    api_etag = client.get("/api/v1/carriers").headers["ETag"]

    def refuse(*_args, **_kwargs):
        raise AssertionError("the listing query ran")

    monkeypatch.setattr("registry.public.views.public_carriers", refuse)
    monkeypatch.setattr("registry.carriers.api.public_carriers", refuse)
    selects: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(db.engine_of(app), "before_cursor_execute", count)
    try:
        assert _revalidate(client, "/carriers", etag).status_code == 304
    finally:
        event.remove(db.engine_of(app), "before_cursor_execute", count)
    assert len(selects) == 1 and "data_versions" in selects[0]  # the data version, no more
    assert _revalidate(client, "/api/v1/carriers", api_etag).status_code == 304


def test_the_etag_varies_with_query_locale_day_and_release(app, listed, monkeypatch):
    client = app.test_client()

    def etag(path: str, lang: str | None = None) -> str:
        if lang:
            client.set_cookie("lang", lang)
        else:
            client.delete_cookie("lang")
        return client.get(path).headers["ETag"]

    base = etag("/carriers")
    assert etag("/carriers") == base
    assert etag("/carriers?q=东坡") != base
    assert etag("/carriers", lang="en") != base
    assert etag("/carriers?lang=en") != base
    english = client.get("/carriers?lang=en")
    assert english.headers["Vary"] and "Cookie" in english.headers["Vary"]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(httpcache, "_today", lambda: tomorrow)
    assert etag("/carriers") != base
    monkeypatch.undo()
    monkeypatch.setattr(httpcache, "release", lambda: "another-release")
    assert etag("/carriers") != base


def test_signed_in_pages_are_private_and_never_revalidated_with_the_public_etag(app, listed):
    public_etag = app.test_client().get("/carriers").headers["ETag"]
    client = app.test_client()
    sign_in(client, factories.user(name="眉山科创"))
    page = _revalidate(client, "/carriers", public_etag)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in page.headers
    assert "Cookie" in page.headers["Vary"]
    assert "眉山科创" in page.get_data(as_text=True)


def test_token_callers_get_private_answers(app, listed):
    anonymous = app.test_client().get("/api/v1/carriers")
    assert "Authorization" in anonymous.headers["Vary"]
    secret, _record = issue_token(factories.user())
    response = _revalidate(
        app.test_client(), "/api/v1/carriers", anonymous.headers["ETag"], headers=bearer(secret)
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers
    assert {"Authorization", "Cookie"} <= set(re.split(r",\s*", response.headers["Vary"]))


def test_a_page_with_a_message_for_the_visitor_is_private(app, listed):
    client = app.test_client()
    etag = client.get("/carriers").headers["ETag"]
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "只给这位访客的消息")]
    page = _revalidate(client, "/carriers", etag)
    assert page.status_code == 200 and "只给这位访客的消息" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"
    assert _revalidate(client, "/carriers", etag).status_code == 304  # the message was shown


@pytest.mark.parametrize("path", ["/login", "/signup", "/password/forgot"])
def test_pages_with_a_csrf_token_are_private(client, path):
    response = client.get(path)
    assert 'name="csrf_token"' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


@pytest.mark.parametrize("path", ["/open-data/", "/targets"])
def test_public_pages_without_forms_can_be_kept(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert "Set-Cookie" not in response.headers
    assert _revalidate(client, path, response.headers["ETag"]).status_code == 304


def test_the_target_page_is_public_for_visitors_and_private_for_its_managers(app):
    from tests.targets.factories import make_plan, make_target

    target = make_target(make_plan("511400"), metric="manual", types=[], value="2.5", unit="%")
    path = f"/targets/{target.id}"
    public = app.test_client().get(path)
    assert public.status_code == 200 and public.headers["Cache-Control"] == "public, no-cache"
    manager = app.test_client()
    sign_in(manager, factories.user("reviewer", "511400"))
    page = manager.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert 'name="csrf_token"' in page.get_data(as_text=True)


def test_other_public_reads_revalidate_by_a_hash_of_the_body(client):
    first = client.get("/api/v1/carrier-types")
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, no-cache"
    again = _revalidate(client, "/api/v1/carrier-types", etag)
    assert again.status_code == 304 and again.data == b""


def test_exports_revalidate_without_being_made_again(app, listed, monkeypatch):
    client = app.test_client()
    path = "/api/v1/carriers/export?format=csv&region=511402"
    first = client.get(path)
    assert first.status_code == 200 and "东坡缓存测试孵化器" in first.get_data(as_text=True)
    monkeypatch.setattr("registry.carriers.export.listing_values", None)  # would fail if run
    assert _revalidate(client, path, first.headers["ETag"]).status_code == 304


def test_a_max_age_can_be_configured_for_public_reads(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CACHE_MAX_AGE", 60)
    assert client.get("/api/v1/regions").headers["Cache-Control"] == "public, max-age=60"
    assert client.get("/nowhere").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/nowhere", "/api/v1/nowhere", "/carriers/999999"])
def test_errors_are_not_stored(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_answers_to_writes_and_redirects_are_not_stored(client):
    failed = client.post("/api/v1/tokens", json={"email": "nobody@example.com", "password": "x"})
    assert failed.status_code == 401 and failed.headers["Cache-Control"] == "no-store"
    moved = client.get("/favicon.ico")
    assert moved.status_code == 301 and moved.headers["Cache-Control"] == "no-store"


def test_static_urls_carry_a_fingerprint_and_are_kept_for_a_year(app, client):
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'href="(/static/css/app\.css\?v=([0-9a-f]{12}))"', html)
    assert match, "the stylesheet's URL has no fingerprint"
    url, version = match.groups()
    with app.test_request_context():
        assert url_for("static", filename="css/app.css") == url
    versioned = client.get(url)
    assert versioned.status_code == 200
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for other in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(other)
        assert response.headers["Cache-Control"] == "public, no-cache", other
        etag = response.headers["ETag"]
        assert _revalidate(client, other, etag).status_code == 304
    assert httpcache.static_fingerprint("css/app.css") == version
    assert httpcache.static_fingerprint("css/missing.css") is None
    assert httpcache.static_fingerprint("../registry/config.py") is None
