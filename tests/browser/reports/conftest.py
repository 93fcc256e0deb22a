"""The reports browser tests use the shared live server and Chromium (tests/browser/
conftest.py); their page lets 4xx answers pass, since a refused form is part of the flow."""

from __future__ import annotations

import pytest


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    # a refused form answers 422 (Chromium logs it as a failed load); scripts and CSP may not fail
    tab.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield tab
    context.close()
    assert errors == [], errors
