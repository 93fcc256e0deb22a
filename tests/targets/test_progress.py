"""The progress engine against hand-computed expectations (see tests/targets/fixture.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.targets.progress import TargetSpec, progress
from tests.targets import fixture

D = dt.date


@pytest.fixture
def data(app):
    carriers = fixture.build()
    return carriers, fixture.targets()


def test_every_metric_matches_the_hand_count(data):
    _carriers, targets = data
    got = fixture.compute_all(targets)
    for key, expected in fixture.EXPECTED.items():
        assert got[key] == expected, key


def test_breakdowns_match_the_hand_count(data):
    _carriers, targets = data
    got = fixture.compute_all(targets)
    for name, expected in fixture.EXPECTED_BREAKDOWNS.items():
        assert got[(name, "breakdown")] == expected, name
