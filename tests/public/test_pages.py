"""The public pages: home, listing, carrier, region; escaping, languages, errors."""

from __future__ import annotations

import html

import pytest

from tests.carriers.world import HTML_NAME, build_world


@pytest.fixture
def world(app):
    return build_world()


def text(response) -> str:
    return response.get_data(as_text=True)


def test_home_shows_totals_and_latest_recognitions(client, world):
    page = text(client.get("/"))
    assert "创新创业载体登记系统" in page
    assert 'data-testid="grand-total">6<' in page
    assert world.e.name in page  # the newest recognition
    assert 'id="home-chart"' in page and 'id="home-chart-data"' in page


def test_listing_page_filters_and_counts(client, world):
    page = text(client.get("/carriers?region=510000&type=incubator"))
    assert "共 2 个载体" in page
    assert world.a.name in page and world.c.name in page
    assert world.b.name not in page
    assert "成都市" in page and "眉山市" in page  # child-region facets
    assert 'href="/carriers/export?region=510000&amp;type=incubator&amp;format=csv"' in page


def test_listing_page_with_no_results(client, world):
    response = client.get("/carriers?q=不存在的载体")
    assert response.status_code == 200
    assert 'data-testid="no-results"' in text(response)


def test_listing_page_bad_parameter_is_a_4xx_naming_it(client, world):
    response = client.get("/carriers?level=galactic&page=-1")
    assert response.status_code == 422
    assert "level" in text(response) and "page" in text(response)


def test_names_with_html_are_escaped_everywhere(client, world):
    escaped = html.escape(HTML_NAME, quote=False)
    for url in ("/carriers?region=500000", f"/carriers/{world.f.id}", "/regions/500000", "/"):
        page = text(client.get(url))
        assert "<script>alert" not in page, url
    assert escaped.replace("'", "&#39;") in text(client.get(f"/carriers/{world.f.id}"))


def test_carrier_page_shows_recognitions_documents_history_and_grades(client, world):
    page = text(client.get(f"/carriers/{world.a.id}"))
    assert world.a.name in page
    assert "国科火字〔2021〕200号" in page
    assert page.count('text-bg-success">有效') == 3
    assert "2023 · 良好（B）" in page and "2022 · 优秀（A）" in page
    assert "成都天府软件园有限公司" in page


def test_carrier_page_of_a_revoked_title(client, world):
    page = text(client.get(f"/carriers/{world.d.id}"))
    assert "已撤销" in page and "连续两年考核不合格" in page


def test_unrecognised_carrier_is_not_public(client, world):
    assert client.get(f"/carriers/{world.g.id}").status_code == 404
    assert client.get(f"/api/v1/carriers/{world.g.id}").status_code == 404
    assert client.get("/carriers/999999").status_code == 404


def test_carrier_detail_api(client, world):
    data = client.get(f"/api/v1/carriers/{world.c.id}").json
    assert data["status"] == "recognized" and data["level"] == "county"
    assert [r["level"] for r in data["recognitions"]] == ["county", "municipal"]
    assert data["recognitions"][1]["revoked_on"] == "2023-04-01"
    assert data["region"]["path"][-1] == {"code": "511402", "name": "东坡区"}
    assert "contact_phone" not in data
    revoked = client.get(f"/api/v1/carriers/{world.d.id}").json
    assert revoked["status"] == "revoked" and revoked["level"] is None


def test_region_page(client, world):
    page = text(client.get("/regions/511400"))
    assert "四川省眉山市" in page
    assert world.c.name in page and world.e.name in page
    assert "东坡区" in page and "仁寿县" in page
    assert client.get("/regions/123456").status_code == 404


def test_english_switch(client, world):
    response = client.get("/lang/en?next=/carriers")
    assert response.status_code == 302 and response.headers["Location"] == "/carriers"
    page = text(client.get("/carriers"))
    assert "Find carriers" in page and "6 carriers" in page and "National level" in page
    assert "Technology business incubator" in page
    client.get("/lang/zh")
    assert "载体查询" in text(client.get("/carriers"))


def test_language_switch_refuses_foreign_redirects(client, app):
    response = client.get("/lang/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_not_found_page_and_json_404(client, app):
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "页面不存在" in text(page)
    api = client.get("/api/v1/no/such")
    assert api.status_code == 404 and api.json["error"]["code"] == "not_found"


def test_security_headers_on_pages(client, app):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_scripts_in_pages(client, world):
    import re

    for url in ("/", "/carriers", f"/carriers/{world.a.id}", "/regions/510000"):
        for tag in re.findall(r"<script[^>]*>", text(client.get(url))):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
