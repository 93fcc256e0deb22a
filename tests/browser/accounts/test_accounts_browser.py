"""In Chromium: sign up, confirm the email, sign in, register a carrier with a bad then a good
credit code; a reviewer's overview; the pages on a phone screen."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from registry import db
from registry.carriers.models import Carrier
from registry.notifications.models import OutboxMessage
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser]

EMAIL = "office@dongpo-incubator.cn"
PASSWORD = "Dongpo-keji-2016"


def _confirmation_path(app) -> str:
    with app.app_context():
        body = db.session.scalar(
            select(OutboxMessage.body)
            .where(OutboxMessage.to_address == EMAIL, OutboxMessage.kind == "confirm_email")
            .order_by(OutboxMessage.id.desc())
        )
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def test_sign_up_sign_in_and_register_a_carrier(page, live_server):
    base, live_app = live_server.url, live_server.app
    page.goto(base + "/signup")
    page.fill("#name", "眉山东坡科创运营有限公司")
    page.fill("#email", EMAIL)
    page.fill("#phone", "13812345678")
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    screenshot(page, "accounts-01-signup")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=signup-sent]")

    page.goto(base + _confirmation_path(live_app))
    page.wait_for_url(re.compile(r"/login"))
    assert "已确认" in page.inner_text("main")

    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/my/carriers$"))
    header = page.inner_text("[data-testid=account-menu]")
    assert "眉山东坡科创运营有限公司" in header and "载体运营机构" in header
    page.click("[data-testid=new-carrier]")
    page.wait_for_selector(
        "[data-testid=region-picker] select[data-depth='1'] option[value='510000']",
        state="attached",
    )

    page.fill("#name", "眉山东坡农业科技孵化器")
    page.select_option("#type", "incubator")
    picker = "[data-testid=region-picker] select"
    page.select_option(f"{picker}[data-depth='1']", "510000")
    page.wait_for_selector(f"{picker}[data-depth='2'] option[value='511400']", state="attached")
    page.select_option(f"{picker}[data-depth='2']", "511400")
    page.wait_for_selector(f"{picker}[data-depth='3'] option[value='511402']", state="attached")
    page.select_option(f"{picker}[data-depth='3']", "511402")
    assert page.input_value("input[name=region]") == "511402"
    page.fill("#address", "眉山市东坡区科创大道1号")
    page.fill("#uscc", "91350100M000100Y44")
    page.fill("#contact_name", "王芳")
    page.fill("#contact_phone", "028-38123456")
    page.fill("#founded_on", "2016-05-01")
    page.click("[data-testid=carrier-form] button[type=submit]")
    error = page.wait_for_selector(".invalid-feedback[data-field=uscc]")
    assert "3" in error.inner_text()
    # the county chosen before the error is still chosen
    assert page.input_value("input[name=region]") == "511402"
    page.wait_for_selector(f"{picker}[data-depth='3'] option[value='511402']", state="attached")
    screenshot(page, "accounts-02-carrier-bad-code")

    page.fill("#uscc", "91350100M000100Y43")
    page.click("[data-testid=carrier-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/carriers/\d+$"))
    assert page.inner_text("[data-testid=carrier-name]") == "眉山东坡农业科技孵化器"
    assert "028-38123456" in page.inner_text("[data-testid=contact-phone]")
    screenshot(page, "accounts-03-carrier-saved")
    with live_app.app_context():
        carrier = db.session.scalar(select(Carrier).where(Carrier.name == "眉山东坡农业科技孵化器"))
        assert carrier.region.code == "511402" and carrier.uscc == "91350100M000100Y43"

    page.goto(base + "/my/carriers")
    assert "眉山东坡农业科技孵化器" in page.inner_text("[data-testid=carrier-rows]")
    screenshot(page, "accounts-04-my-carriers")


def test_reviewer_overview_and_admin_pages(page, live_server):
    base, live_app = live_server.url, live_server.app
    with live_app.app_context():
        factories.user("reviewer", "511400", email="meishan@kj.example", name="眉山市科学技术局")
        factories.user("admin", email="ops@kj.example", name="系统管理员")
        db.session.commit()
    for email, path, name in (
        ("meishan@kj.example", "/my/region", "05-my-region"),
        ("ops@kj.example", "/admin/users/new", "06-admin-new-account"),
    ):
        page.goto(base + "/login")
        page.fill("#email", email)
        page.fill("#password", factories.PASSWORD)
        page.click("[data-testid=login-form] button[type=submit]")
        page.wait_for_load_state()
        page.goto(base + path)
        if path == "/admin/users/new":
            page.wait_for_selector(
                "[data-testid=region-picker] select[data-depth='1'] option[value='510000']",
                state="attached",
            )
        else:
            assert "四川省眉山市" in page.inner_text("[data-testid=region-name]")
        screenshot(page, "accounts-" + name)
        page.context.clear_cookies()


def test_pages_on_a_phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    phone = context.new_page()
    base, live_app = live_server.url, live_server.app
    with live_app.app_context():
        user = factories.user(email="phone@dongpo-incubator.cn", name="东坡移动办公")
        db.session.commit()
    phone.goto(base + "/signup")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone, "accounts-07-phone-signup")
    phone.goto(base + "/login")
    phone.fill("#email", user.email)
    phone.fill("#password", factories.PASSWORD)
    phone.click("[data-testid=login-form] button[type=submit]")
    phone.wait_for_url(re.compile(r"/my/carriers$"))
    phone.goto(base + "/my/carriers/new")
    phone.wait_for_selector(
        "[data-testid=region-picker] select[data-depth='1'] option[value='510000']",
        state="attached",
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "accounts-08-phone-carrier-form")
    context.close()
