"""The progress engine against hand-computed expectations (see tests/targets/fixture.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from registry.targets.models import Metric
from registry.targets.progress import TargetSpec, chart_days, progress, series
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


def _spec(target):
    return TargetSpec.of(target)


def test_a_recognition_counts_from_its_day_and_a_revocation_from_its_own(data):
    _carriers, targets = data
    spec = _spec(targets["recognized_all_levels"])
    # F (national) is revoked on 2017-03-01; G is recognised on 2017-01-01
    assert progress(spec, D(2016, 12, 31), breakdown=False).actual == 2  # A, F
    assert progress(spec, D(2017, 1, 1), breakdown=False).actual == 3  # + G
    assert progress(spec, D(2017, 2, 28), breakdown=False).actual == 3
    assert progress(spec, D(2017, 3, 1), breakdown=False).actual == 2  # F gone


def test_breakdown_sums_to_the_total_for_count_recognized(data):
    _carriers, targets = data
    spec = _spec(targets["recognized"])
    for day in (D(2017, 1, 1), D(2019, 12, 31), D(2021, 6, 30)):
        p = progress(spec, day)
        assert sum(r.actual for r in p.breakdown) == p.actual
        assert len([r for r in p.breakdown if not r.is_region_itself]) == 6  # every county


def test_progress_reports_baseline_pace_and_status(data):
    _carriers, targets = data
    p = progress(_spec(targets["recognized"]), D(2019, 12, 31))
    # baseline 3 on 2017-01-01, value 8 on 2020-12-31: 1094 of 1460 days elapsed
    assert p.baseline == 3
    assert p.expected_by_now == pytest.approx(3 + 5 * 1094 / 1460)
    assert p.ratio == pytest.approx(4 / 8)
    assert p.status.value == "behind"
    late = progress(_spec(targets["recognized"]), D(2021, 6, 30))
    assert late.status.value == "missed"
    manual = progress(_spec(targets["rd"]), D(2021, 1, 1))
    assert manual.status.value == "met"
    assert manual.breakdown == ()


def test_drilling_down_gives_the_subregion_actual_without_status(data, app):
    from registry.regions.service import get_region

    _carriers, targets = data
    spec = _spec(targets["recognized"])
    p = progress(spec, D(2021, 6, 30), region=get_region("511402"))
    assert p.actual == 2 and p.status is None and p.ratio is None
    assert p.breakdown == ()  # a county has no subregions


@pytest.mark.usefixtures("data")
def test_coverage_breakdown_by_prefecture():
    from registry.targets import service

    plan = service.create_plan(
        {"title": "省级", "region": "510000", "issued_on": "2018-01-01", "period_end": "2020-12-31"}
    )
    target = service.create_target(
        plan,
        {
            "phrase": "每县一家",
            "metric": "coverage",
            "types": ["incubator"],
            "subregion_level": "county",
            "value": 1,
        },
    )
    p = progress(_spec(target), D(2021, 6, 30))
    rows = {r.code: r for r in p.breakdown}
    assert rows["511400"].actual == pytest.approx(4 / 6)
    assert (rows["511400"].covered, rows["511400"].subregions) == (4, 6)
    assert rows["510100"].covered == 1  # H in 锦江区
    assert p.covered == 5 and p.subregions == 183


def test_the_series_agrees_with_progress(data):
    _carriers, targets = data
    for name in ("recognized", "new", "firms", "coverage", "rd"):
        spec = _spec(targets[name])
        days = [D(2017, 1, 1), D(2018, 12, 31), D(2019, 12, 31), D(2021, 6, 30)]
        for day, actual in series(spec, days):
            assert actual == progress(spec, day, breakdown=False).actual, (name, day)


def test_chart_days_run_from_the_period_start_by_month():
    spec = TargetSpec(
        metric=Metric.count_recognized,
        region=None,
        value=Decimal(1),
        period_start=D(2017, 1, 1),
        deadline=D(2020, 12, 31),
    )
    days = chart_days(spec, D(2017, 6, 15))
    month_ends = [D(2017, 1, 31), D(2017, 2, 28), D(2017, 3, 31), D(2017, 4, 30), D(2017, 5, 31)]
    assert days == [D(2017, 1, 1), *month_ends, D(2017, 6, 15)]
    long = chart_days(spec, D(2030, 6, 1))
    assert long[0] == D(2017, 1, 1) and long[-1] == D(2030, 6, 1)
    assert D(2020, 12, 31) in long and D(2029, 12, 31) in long  # deadline, then year ends
    assert len(long) <= 36 + 12 and long == sorted(set(long))


def test_many_targets_at_once_agree_with_one_at_a_time(data):
    from registry.targets.progress import progress_many

    _carriers, targets = data
    specs = [_spec(t) for t in targets.values()]
    for day in (D(2017, 1, 1), D(2021, 6, 30)):
        together = progress_many(specs, day)
        alone = [progress(s, day) for s in specs]
        assert together == alone
