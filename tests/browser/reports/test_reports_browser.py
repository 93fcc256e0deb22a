"""In Chromium: a carrier organisation files its overdue annual report (a refused figure
first), the city bureau accepts it, the province grades it, and the grade is public."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from registry import db
from registry.accounts.models import User
from registry.carriers.models import Carrier
from registry.evaluations.models import Evaluation
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser]
YEAR = (
    dt.date.today().year - 1
)  # the year being reported; the demo leaves one of carrier1's unfiled


def _carrier_due(app) -> Carrier:
    """carrier1's carrier whose report of YEAR is due."""
    from registry.reports.queries import owner_reports_due

    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "carrier1@registry.example"))
        due = [d for d in owner_reports_due(owner.id) if d.year == YEAR and d.status is None]
        assert due, "the demo should leave a report of carrier1 unfiled"
        return due[0].carrier


def _sign_out(page) -> None:
    page.context.clear_cookies()


def test_file_accept_and_grade_a_report(page, live_server):
    carrier = _carrier_due(live_server.app)
    sign_in(page, live_server, "carrier1@registry.example")
    page.goto(live_server("/my/carriers"))
    panel = page.get_by_test_id("panel-reports_due")
    expect(panel).to_contain_text(carrier.name)
    screenshot(page, "reports-01-owner-reports-due")
    panel.locator("a", has_text=carrier.name).first.click()
    expect(page).to_have_url(re.compile(rf"/carriers/{carrier.id}/reports/{YEAR}$"))

    form = page.get_by_test_id("report-form")
    inputs = form.locator("input.form-control")
    for i in range(inputs.count()):
        inputs.nth(i).fill("12")  # equal figures keep every check between them
    inputs.first.fill("-5")
    page.get_by_test_id("submit-report").click()
    expect(form.locator(".invalid-feedback").first).to_contain_text("不能为负数")
    screenshot(page, "reports-02-refused-figure")
    form.locator("input.is-invalid").fill("36")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("已提交")
    if dt.date.today() > dt.date(YEAR + 1, 3, 31):  # due on 31 March
        expect(page.get_by_test_id("late-badge")).to_be_visible()
    screenshot(page, "reports-03-submitted")
    _sign_out(page)

    sign_in(page, live_server, "meishan@registry.example")
    page.goto(live_server(f"/reports?year={YEAR}&which=submitted"))
    page.get_by_test_id("report-rows").locator("a", has_text=carrier.name).click()
    expect(page.get_by_test_id("decision-form")).to_be_visible()
    screenshot(page, "reports-04-bureau-decides")
    page.get_by_test_id("decide-report").click()  # "accept" is the default
    expect(page.get_by_test_id("report-status")).to_contain_text("已通过")
    _sign_out(page)

    sign_in(page, live_server, "sichuan@registry.example")
    page.goto(live_server(f"/carriers/{carrier.id}/evaluations/{YEAR}"))
    expect(page.get_by_test_id("suggestion")).to_be_visible()
    suggested = page.locator("#grade").input_value()
    chosen = "pass" if suggested != "pass" else "good"
    page.select_option("#grade", chosen)
    page.fill("#override_reason", "现场核查：孵化服务记录不完整")
    screenshot(page, "reports-05-grading")
    page.get_by_test_id("record-grade").click()
    expect(page).to_have_url(re.compile(rf"/carriers/{carrier.id}$"))
    expect(page.get_by_test_id("grades")).to_contain_text(str(YEAR))
    _sign_out(page)

    page.goto(live_server(f"/carriers/{carrier.id}"))  # the public sees the grade, not figures
    label = {"pass": "合格（C）", "good": "良好（B）"}[chosen]
    expect(page.get_by_test_id("grades")).to_contain_text(f"{YEAR} · {label}")
    expect(page.get_by_test_id("carrier-reports")).to_have_count(0)
    screenshot(page, "reports-06-public-grade")
    with live_server.app.app_context():
        evaluation = db.session.scalar(
            select(Evaluation).where(Evaluation.carrier_id == carrier.id, Evaluation.year == YEAR)
        )
        assert evaluation.grade.value == chosen and evaluation.suggested_grade.value == suggested


def test_bulk_grading_page_and_chart(page, live_server):
    sign_in(page, live_server, "sichuan@registry.example")
    page.goto(live_server("/evaluations?year=2024"))
    expect(page.locator("#grades-by-level[data-rendered=true] svg")).to_be_visible()
    expect(page.locator("#grades-by-region[data-rendered=true] svg")).to_be_visible()
    screenshot(page, "reports-07-bulk-grading")


def test_report_form_on_a_phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    phone = context.new_page()
    sign_in(phone, live_server, "meishan@registry.example")
    phone.goto(live_server("/reports?which=missing"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "reports-08-phone-year")
    context.close()
