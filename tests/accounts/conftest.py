"""Fixtures of the accounts tests."""

from __future__ import annotations

import datetime as dt
import time

import itsdangerous.timed
import pytest


@pytest.fixture
def links_later(monkeypatch):
    """Call with a timedelta: emailed links are then read that much later."""

    def shift(delta: dt.timedelta) -> None:
        offset = delta.total_seconds()
        clock = type("Clock", (), {"time": staticmethod(lambda: time.time() + offset)})
        monkeypatch.setattr(itsdangerous.timed, "time", clock)

    return shift
