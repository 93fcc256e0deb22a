"""A small, hand-countable history in 眉山市 (six counties) for the progress engine.

Plan period 2017-01-01 .. 2020-12-31. Carriers (incubators unless noted):

  A 东坡区  municipal 2016-05-01 (before), upgraded provincial 2018-03-01 (inside)
  B 东坡区  maker space, municipal 2017-06-01, revoked 2019-06-30 (inside)
  C 彭山区  provincial 2019-01-15
  D 仁寿县  municipal 2021-03-01 (after the deadline)
  E 仁寿县  engineering center, provincial 2018-01-01 (another type)
  F 洪雅县  national 2015-01-01 (before), revoked 2017-03-01 (inside)
  G 东坡区  municipal 2017-01-01 (on the period start)
  H 锦江区 (成都, outside the region) provincial 2018-04-01
  I 眉山市 itself (not yet placed in a county) municipal 2018-06-01
  J 青神县  national 2020-12-31 (on the deadline)

Reports of incubated_firms (accepted unless noted, submitted 1 Feb of the next year unless
noted): A 2018: 30, 2019: 40 (submitted 2020-03-01), 2021: 60; C 2019: 10 (submitted,
2020-01-20), 2020: 15 (draft); G 2018: 12 (2019-03-01), 2020: 20 (returned); I 2020: 8;
D 2021: 100; F 2015: 45 (2016-03-01).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from registry.targets.progress import TargetSpec, progress
from tests.factories import create_carrier, recognize, revoke
from tests.targets.factories import make_plan, make_target, report

D = dt.date


def build() -> dict:
    c = {}
    c["A"] = create_carrier("A孵化器", region_code="511402")
    recognize(c["A"], "municipal", "2016-05-01")
    recognize(c["A"], "provincial", "2018-03-01")
    c["B"] = create_carrier("B众创空间", type_code="maker_space", region_code="511402")
    revoke(recognize(c["B"], "municipal", "2017-06-01"), "2019-06-30")
    c["C"] = create_carrier("C孵化器", region_code="511403")
    recognize(c["C"], "provincial", "2019-01-15")
    c["D"] = create_carrier("D孵化器", region_code="511421")
    recognize(c["D"], "municipal", "2021-03-01")
    c["E"] = create_carrier("E工程中心", type_code="eng_center", region_code="511421")
    recognize(c["E"], "provincial", "2018-01-01")
    c["F"] = create_carrier("F孵化器", region_code="511423")
    revoke(recognize(c["F"], "national", "2015-01-01"), "2017-03-01")
    c["G"] = create_carrier("G孵化器", region_code="511402")
    recognize(c["G"], "municipal", "2017-01-01")
    c["H"] = create_carrier("H孵化器", region_code="510104")
    recognize(c["H"], "provincial", "2018-04-01")
    c["I"] = create_carrier("I孵化器", region_code="511400", needs_region_review=True)
    recognize(c["I"], "municipal", "2018-06-01")
    c["J"] = create_carrier("J孵化器", region_code="511425")
    recognize(c["J"], "national", "2020-12-31")

    firms = "incubated_firms"
    report(c["A"], 2018, {firms: 30})
    report(c["A"], 2019, {firms: 40}, submitted_on=D(2020, 3, 1))
    report(c["A"], 2021, {firms: 60})
    report(c["C"], 2019, {firms: 10}, status="submitted", submitted_on=D(2020, 1, 20))
    report(c["C"], 2020, {firms: 15}, status="draft")
    report(c["G"], 2018, {firms: 12}, submitted_on=D(2019, 3, 1))
    report(c["G"], 2020, {firms: 20}, status="returned")
    report(c["I"], 2020, {firms: 8})
    report(c["D"], 2021, {firms: 100})
    report(c["F"], 2015, {firms: 45}, submitted_on=D(2016, 3, 1))
    return c


def targets() -> dict:
    """The targets measured in the tests, by name."""
    plan = make_plan("511400")
    both = ["incubator", "maker_space"]
    t = {
        "recognized": make_target(plan, types=both, min_level="municipal", value=8),
        "recognized_all_levels": make_target(plan, types=both, value=8),
        "municipal_only": make_target(
            plan, types=both, min_level="municipal", max_level="municipal", value=3
        ),
        "new": make_target(plan, metric="count_new", types=both, min_level="municipal", value=6),
        "new_national": make_target(
            plan, metric="count_new", min_level="national", max_level="national", value=1
        ),
        "firms": make_target(plan, metric="sum_indicator", indicator="incubated_firms", value=100),
        "coverage": make_target(plan, metric="coverage", subregion_level="county", value=1),
        "rd": make_target(
            plan,
            metric="manual",
            types=[],
            value="1.2",
            unit="%",
            period_start="2018-07-31",
            deadline="2022-12-31",
        ),
    }
    from registry.targets import service

    for day, value in (("2018-12-31", "0.9"), ("2019-12-31", "1.0"), ("2020-12-31", "1.25")):
        service.record_value(t["rd"], {"recorded_on": day, "value": value})
    return t


# (target, as_of) -> (actual, breakdown {county code: actual} or None)
EXPECTED: dict[tuple[str, dt.date], object] = {
    ("recognized", D(2017, 1, 1)): 3,
    ("recognized", D(2019, 12, 31)): 4,
    ("recognized", D(2021, 6, 30)): 6,
    ("recognized_all_levels", D(2018, 1, 1)): 3,
    ("municipal_only", D(2019, 12, 31)): 2,
    ("new", D(2017, 1, 1)): 1,
    ("new", D(2018, 12, 31)): 4,
    ("new", D(2021, 6, 30)): 6,
    ("new_national", D(2021, 6, 30)): 1,
    ("new_national", D(2020, 12, 30)): 0,
    ("firms", D(2016, 1, 1)): None,  # no report submitted yet: unknown, not 0
    ("firms", D(2016, 6, 30)): Decimal(45),  # F's report for 2015, submitted 2016-03-01
    ("firms", D(2017, 1, 1)): Decimal(45),
    ("firms", D(2019, 12, 31)): Decimal(42),
    ("firms", D(2020, 6, 30)): Decimal(62),
    ("firms", D(2021, 6, 30)): Decimal(70),
    ("coverage", D(2017, 1, 1)): 2 / 6,
    ("coverage", D(2019, 12, 31)): 2 / 6,
    ("coverage", D(2021, 6, 30)): 4 / 6,
    ("rd", D(2018, 6, 30)): None,
    ("rd", D(2019, 6, 30)): Decimal("0.9"),
    ("rd", D(2020, 6, 30)): Decimal("1.0"),
    ("rd", D(2021, 1, 1)): Decimal("1.25"),
}


def compute_all(t: dict) -> dict:
    """The engine's actual for every (target, day) of EXPECTED, plus two breakdowns."""
    out: dict = {}
    for name, day in EXPECTED:
        out[(name, day)] = progress(TargetSpec.of(t[name]), day, breakdown=False).actual
    for name in ("recognized", "firms", "coverage", "new"):
        p = progress(TargetSpec.of(t[name]), D(2021, 6, 30))
        out[(name, "breakdown")] = {r.code: r.actual for r in p.breakdown if r.actual}
    return out


EXPECTED_BREAKDOWNS = {
    # 东坡区 A G, 彭山区 C, 仁寿县 D, 青神县 J, 眉山市 itself I
    "recognized": {"511402": 2, "511403": 1, "511421": 1, "511425": 1, "511400": 1},
    "firms": {"511402": Decimal(52), "511403": Decimal(10), "511400": Decimal(8)},
    "coverage": {"511402": 1.0, "511403": 1.0, "511421": 1.0, "511425": 1.0},
    "new": {"511402": 3, "511403": 1, "511425": 1, "511400": 1},
}
