"""The public pages in Chromium: home, a search with filters, a carrier page, a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot


def test_home_page(page, live_server):
    page.goto(live_server("/"))
    expect(page).to_have_title(re.compile("创新创业载体登记系统"))
    expect(page.locator("h1")).to_have_text("全国创新创业载体")
    total = int(page.get_by_test_id("grand-total").inner_text().replace(",", ""))
    assert total > 300
    expect(page.locator("#home-chart[data-rendered=true] svg")).to_be_visible()
    screenshot(page, "home")


def test_search_with_filters(page, live_server):
    page.goto(live_server("/"))
    page.fill("#q", "孵化")
    page.click("form[role=search] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/carriers\?q="))
    all_count = int(re.sub(r"\D", "", page.get_by_test_id("result-count").inner_text()))
    page.select_option("#f-type", "incubator")
    page.wait_for_load_state()
    page.get_by_test_id("region-facets").locator("a", has_text="四川省").click()
    page.wait_for_load_state()
    expect(page.locator(".breadcrumb-item.active")).to_have_text("四川省")
    page.select_option("#f-min-level", "provincial")
    page.wait_for_load_state()
    narrowed = int(re.sub(r"\D", "", page.get_by_test_id("result-count").inner_text()))
    assert 0 < narrowed < all_count
    rows = page.locator(".carriers-table tbody tr")
    for i in range(rows.count()):
        text = rows.nth(i).inner_text()
        assert "孵化" in text and "科技企业孵化器" in text
        assert ("省级" in text) or ("国家级" in text)
        assert "四川省" in text
    assert "type=incubator" in page.url and "region=510000" in page.url
    screenshot(page, "search-filtered")


def test_carrier_page(page, live_server):
    page.goto(live_server("/carriers?sort=-level"))
    first = page.locator(".carriers-table tbody tr a.carrier-name").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_test_id("carrier-name")).to_have_text(name)
    recognitions = page.get_by_test_id("recognitions").locator("tbody tr")
    assert recognitions.count() >= 1
    assert re.search(r"〔\d{4}〕\d+号", recognitions.first.inner_text())
    expect(page.get_by_test_id("history").locator("li").first).to_be_visible()
    screenshot(page, "carrier")


def test_english_and_back(page, live_server):
    page.goto(live_server("/carriers"))
    page.click("text=English")
    expect(page.locator("h1")).to_have_text("Find carriers")
    page.click("text=中文")
    expect(page.locator("h1")).to_have_text("载体查询")


def test_listing_on_a_phone(phone, live_server):
    phone.goto(live_server("/carriers?region=510000"))
    expect(phone.locator(".navbar-toggler")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"
    screenshot(phone, "listing-phone")
