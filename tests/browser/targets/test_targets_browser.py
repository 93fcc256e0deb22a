"""In Chromium, on the shared live server (seeded plans, 400 demo carriers): the dashboard, a
target with its charts, a drill-down into a city; the dashboard on a phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import screenshot

PROVINCE_TARGET = "争取2016年全省各类孵化载体达570家"


def test_dashboard_target_and_drill_down(page, live_server):
    page.goto(live_server("/targets?as_of=2016-12-31"))
    expect(page.locator("[data-testid=plan]")).to_have_count(5)
    assert page.locator("svg.target-bar").count() == 41
    screenshot(page, "targets-dashboard")

    page.get_by_role("link", name=PROVINCE_TARGET).click()
    page.wait_for_selector("#series-chart[data-rendered=true]")
    page.wait_for_selector("#breakdown-chart[data-rendered=true]")
    assert "570" in page.get_by_test_id("figures").inner_text()
    expect(page.locator("#series-chart svg")).to_have_count(1)
    screenshot(page, "targets-target")

    first = page.get_by_test_id("breakdown-table").get_by_test_id("drill-link").first
    city = first.inner_text()
    first.click()
    expect(page.get_by_test_id("drill-region")).to_contain_text(city)
    crumbs = page.locator(".breadcrumb li").all_inner_texts()
    assert crumbs[-2:] == ["四川省", city]  # the target's region, then the city
    assert page.locator("[data-testid=carriers] tbody tr").count() >= 1
    screenshot(page, "targets-drill-down")


def test_the_dashboard_and_a_target_on_a_phone(phone, live_server):
    phone.goto(live_server("/targets"))
    expect(phone.get_by_test_id("plan").first).to_be_visible()
    assert _page_width(phone) <= 390, "no horizontal scrolling on a phone"
    screenshot(phone, "targets-dashboard-phone", full_page=False)  # the first screen

    phone.get_by_role("link", name=PROVINCE_TARGET).click()
    phone.wait_for_selector("#series-chart[data-rendered=true]")
    phone.wait_for_selector("#breakdown-chart[data-rendered=true]")
    expect(phone.get_by_test_id("figures")).to_contain_text("570")
    assert _page_width(phone) <= 390, "the charts fit the screen"
    screenshot(phone, "targets-target-phone", full_page=False)
    phone.get_by_test_id("breakdown-table").scroll_into_view_if_needed()
    screenshot(phone, "targets-target-phone-breakdown", full_page=False)


def _page_width(tab) -> int:
    return tab.evaluate("document.documentElement.scrollWidth")
