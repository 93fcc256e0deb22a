"""Pace and status at the boundaries of a period (pure arithmetic, no database)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from registry.targets.models import TargetStatus
from registry.targets.progress import pace

D = dt.date
START, DEADLINE = D(2020, 1, 1), D(2020, 12, 31)  # 365 days


@pytest.mark.parametrize(
    ("actual", "as_of", "status"),
    [
        (10, START, TargetStatus.on_track),  # day one: expected = baseline = 10
        (9, START, TargetStatus.behind),
        (100, START, TargetStatus.met),
        (99, DEADLINE, TargetStatus.behind),  # on the deadline: expected = value
        (100, DEADLINE, TargetStatus.met),
        (99, DEADLINE + dt.timedelta(days=1), TargetStatus.missed),
        (150, D(2023, 1, 1), TargetStatus.met),
        (10, D(2019, 6, 1), TargetStatus.on_track),  # before the period: nothing expected yet
    ],
)
def test_status_at_the_boundaries(actual, as_of, status):
    assert pace(actual, 100, 10, START, DEADLINE, as_of).status is status


def test_expected_grows_linearly_and_exactly():
    mid = START + dt.timedelta(days=73)  # a fifth of 365 days
    p = pace(28, 100, 10, START, DEADLINE, mid)
    assert p.elapsed == Fraction(1, 5)
    assert p.expected == 28  # 10 + 90 / 5
    assert p.status is TargetStatus.on_track
    assert pace(27, 100, 10, START, DEADLINE, mid).status is TargetStatus.behind


def test_elapsed_share_is_clamped():
    assert pace(0, 10, 0, START, DEADLINE, D(2019, 1, 1)).elapsed == 0
    assert pace(0, 10, 0, START, DEADLINE, D(2030, 1, 1)).elapsed == 1


def test_a_one_day_period_expects_everything_on_its_day():
    day = D(2020, 6, 1)
    assert pace(4, 5, 0, day, day, day).status is TargetStatus.behind
    assert pace(5, 5, 0, day, day, day).status is TargetStatus.met
    assert pace(4, 5, 0, day, day, day + dt.timedelta(days=1)).status is TargetStatus.missed
    assert pace(0, 5, 0, day, day, day - dt.timedelta(days=1)).status is TargetStatus.on_track


def test_no_figure_means_no_status():
    p = pace(None, 1.2, None, START, DEADLINE, D(2021, 1, 1))
    assert p.status is None


def test_a_falling_actual_is_behind_its_baseline():
    # count_recognized can fall below its baseline (revocations)
    assert pace(8, 20, 10, START, DEADLINE, D(2020, 2, 1)).status is TargetStatus.behind
