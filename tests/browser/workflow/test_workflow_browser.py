"""In Chromium: a carrier organisation applies (figures, a document), submits; the county,
the city and the province review it up the chain; the province approves and the carrier is
listed publicly. Demo accounts on the shared live server; pages also on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from registry import db
from registry.accounts.models import User
from registry.applications.drafts import application_indicators
from registry.carriers.models import Carrier
from tests import factories
from tests.applications.factories import PDF
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser]
NAME = "东坡区菁蓉农业科技企业孵化器"
VIEWPORT = {"width": 1280, "height": 900}


def _carrier(live_app) -> tuple[int, dict[str, int]]:
    """A carrier of carrier1@registry.example in 东坡区, not recognised yet."""
    with live_app.app_context():
        carrier = db.session.scalar(select(Carrier).where(Carrier.name == NAME))
        if carrier is None:
            owner = db.session.scalar(select(User).where(User.email == "carrier1@registry.example"))
            carrier = factories.create_carrier(NAME, owner=owner, region_code="511402")
            db.session.commit()
        figures = {i.code: 20000 for i in application_indicators(carrier.type_id)}
        return carrier.id, figures


def _as(browser, live_server, email: str, **context):
    tab = browser.new_context(locale="zh-CN", viewport=VIEWPORT, **context).new_page()
    tab.set_default_timeout(15_000)
    sign_in(tab, live_server, email)
    return tab


def test_apply_review_up_the_chain_and_approve(page, browser, live_server, tmp_path):
    carrier_id, figures = _carrier(live_server.app)
    sign_in(page, live_server, "carrier1@registry.example")
    page.goto(live_server(f"/carriers/{carrier_id}"))
    page.click("[data-testid=apply]")
    page.select_option("#level", "provincial")
    for code, value in figures.items():
        page.fill(f"#figure_{code}", str(value))
    screenshot(page, "workflow-01-apply")
    page.click("[data-testid=application-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/applications/\d+$"))
    path = re.search(r"/applications/\d+$", page.url).group(0)
    expect(page.get_by_test_id("chain-preview")).to_contain_text("眉山市科学技术局")
    expect(page.get_by_test_id("eligibility-summary")).to_have_text("全部条件符合")
    document = tmp_path / "营业执照.pdf"
    document.write_bytes(PDF)
    page.set_input_files("[data-testid=upload-form] input[type=file]", str(document))
    page.click("[data-testid=upload-form] button[type=submit]")
    expect(page.get_by_test_id("attachments")).to_contain_text("营业执照.pdf")
    screenshot(page, "workflow-02-draft")
    page.click("[data-testid=action-submit]")
    expect(page.get_by_test_id("application-status")).to_have_text("审核中")
    expect(page.locator("[data-testid=chain] [data-state=current]")).to_contain_text(
        "眉山市东坡区科学技术局"
    )

    for email, action, next_bureau in (
        ("dongpo@registry.example", "recommend", "眉山市科学技术局"),
        ("meishan@registry.example", "recommend", "四川省科学技术厅"),
    ):
        reviewer = _as(browser, live_server, email)
        reviewer.goto(live_server("/review"))
        reviewer.get_by_test_id("application-rows").get_by_text(NAME).click()
        expect(reviewer.get_by_test_id("eligibility")).to_be_visible()
        screenshot(reviewer, f"workflow-03-{email.split('@')[0]}-review")
        reviewer.click(f"[data-testid=action-{action}]")
        expect(reviewer.locator("[data-testid=chain] [data-state=current]")).to_contain_text(
            next_bureau
        )
        reviewer.context.close()

    province = _as(browser, live_server, "sichuan@registry.example")
    province.goto(live_server("/my/region"))
    expect(province.get_by_test_id("panel-applications_waiting")).to_contain_text(NAME)
    province.goto(live_server("/review"))
    expect(province.get_by_test_id("queue-counts")).to_be_visible()
    screenshot(province, "workflow-04-province-queue")
    province.goto(live_server(path))
    province.fill("#approve-document_no", "川科高〔2026〕18号")
    screenshot(province, "workflow-04-approve")
    province.click("[data-testid=action-approve]")
    expect(province.get_by_test_id("application-status")).to_have_text("已通过")
    expect(province.get_by_test_id("decision")).to_contain_text("川科高〔2026〕18号")
    screenshot(province, "workflow-05-approved")
    province.context.close()

    page.goto(live_server("/carriers?q=菁蓉农业"))
    expect(page.get_by_test_id("result-count")).to_contain_text("1")
    page.goto(live_server(path))
    expect(page.get_by_test_id("events")).to_contain_text("四川省科学技术厅")
    screenshot(page, "workflow-06-owner-history")


def test_returned_application_on_a_phone(browser, live_server):
    phone = _as(
        browser,
        live_server,
        "carrier1@registry.example",
        is_mobile=True,
        has_touch=True,
    )
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(live_server("/my/applications"))
    phone.get_by_test_id("application-rows").locator("tr", has_text="退回修改").first.locator(
        "a"
    ).first.click()
    expect(phone.get_by_test_id("what-to-fix")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "workflow-07-phone-returned")
    phone.goto(live_server("/my/carriers"))
    expect(phone.get_by_test_id("panel-own_applications")).to_be_visible()
    screenshot(phone, "workflow-08-phone-my-carriers")
    phone.context.close()
