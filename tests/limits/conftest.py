"""Each test starts without counters: another test's real server (tests/core/test_serving.py
runs gunicorn on the suite's database) may have committed some for its own address."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from registry import db
from registry.limits.models import RateCounter


@pytest.fixture(autouse=True)
def _no_counters_yet(request) -> None:
    if "app" in request.fixturenames:
        request.getfixturevalue("app")
        db.session.execute(delete(RateCounter))
