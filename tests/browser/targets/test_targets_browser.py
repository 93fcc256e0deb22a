"""In Chromium: the dashboard, a target with its charts, a drill-down into a city."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-targets")]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"targets-{name}.png"), full_page=full_page)


def test_dashboard_target_and_drill_down(browser_page, targets_server):
    page = browser_page
    page.goto(f"{targets_server}/targets?as_of=2016-12-31")
    assert page.locator("[data-testid=plan]").count() == 5
    assert page.locator("svg.target-bar").count() == 41
    _shot(page, "dashboard")

    page.get_by_role("link", name="争取2016年全省各类孵化载体达570家").click()
    page.wait_for_selector("#series-chart[data-rendered=true]")
    page.wait_for_selector("#breakdown-chart[data-rendered=true]")
    assert "570" in page.locator("[data-testid=figures]").inner_text()
    assert page.locator("#series-chart svg").count() == 1
    _shot(page, "target")

    table = page.locator("[data-testid=breakdown-table]")
    first = table.locator("[data-testid=drill-link]").first
    city = first.inner_text()
    first.click()
    page.wait_for_selector("[data-testid=drill-region]")
    assert city in page.locator("[data-testid=drill-region]").inner_text()
    crumbs = page.locator(".breadcrumb li").all_inner_texts()
    assert crumbs[-2:] == ["四川省", city]  # the target's region, then the city
    carriers = page.locator("[data-testid=carriers] tbody tr")
    assert carriers.count() >= 1
    _shot(page, "drill-down")
    assert page.errors == []


def test_the_dashboard_on_a_phone(browser_page, targets_server):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{targets_server}/targets")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    _shot(page, "dashboard-phone", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
