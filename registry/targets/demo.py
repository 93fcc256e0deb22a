"""Demo figures for a few manual targets, so the demo shows entered values over time."""

from __future__ import annotations

import random

from sqlalchemy import select

from registry import db
from registry.targets import service
from registry.targets.models import Metric, Target

NOTE = "演示数据, 非官方统计"
# (part of the phrase, [(date, figure), ...])
FIGURES = [
    (
        "R&D支出占地区生产总值比重",
        [
            ("2018-12-31", "0.86"),
            ("2019-12-31", "0.95"),
            ("2020-12-31", "1.04"),
            ("2021-12-31", "1.12"),
            ("2022-12-31", "1.21"),
        ],
    ),
    (
        "科技进步贡献率",
        [
            ("2018-12-31", "48"),
            ("2019-12-31", "50"),
            ("2020-12-31", "51.5"),
            ("2021-12-31", "53"),
            ("2022-12-31", "54.2"),
        ],
    ),
    (
        "全市高新技术企业达到90家",
        [("2017-12-31", "52"), ("2018-12-31", "61"), ("2019-12-31", "74"), ("2020-12-31", "93")],
    ),
]


def enter_demo_figures(_rng: random.Random, result) -> None:
    """Enter the figures above for the seeded manual targets (deterministic)."""
    entered = 0
    for phrase, figures in FIGURES:
        stmt = select(Target).where(Target.metric == Metric.manual, Target.phrase.contains(phrase))
        target = db.session.scalars(stmt).first()
        if target is None:
            continue
        for day, value in figures:
            service.record_value(target, {"recorded_on": day, "value": value, "note": NOTE})
            entered += 1
    result.extras.append(f"demo: {entered} figures entered for manual targets")
