"""The scoring rubric on fixed reports: points per item, densities, judged items, bands."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select

from registry import db
from registry.carriers.models import CarrierType
from registry.evaluations.models import Grade, GradeBand, RubricItem
from registry.evaluations.rubric import load_rubric, suggest
from registry.evaluations.service import suggestion_for
from tests import factories
from tests.reports.factories import report


@pytest.fixture
def incubator(app):
    """The incubator's rubric replaced by a small one whose results are easy to compute:
    incubated firms (40 points at 100), firms per 1,000 m² (20 at 5), firms graduated this
    year (20 at 10), and management (20, judged by the reviewer); A >= 90, B >= 75, C >= 60."""
    carrier_type = factories.carrier_type("incubator")
    ids = {i.code: i.id for i in carrier_type.indicators}
    db.session.execute(delete(RubricItem).where(RubricItem.type_id == carrier_type.id))
    db.session.execute(delete(GradeBand).where(GradeBand.type_id == carrier_type.id))
    items = [
        ("firms", ids["incubated_firms"], None, None, 100, 40),
        ("density", ids["incubated_firms"], ids["incubation_area"], 1000, 5, 20),
        ("graduated", ids["graduated_firms_year"], None, None, 10, 20),
        ("management", None, None, None, None, 20),
    ]
    for order, (code, ind, per, per_amount, target, weight) in enumerate(items):
        db.session.add(
            RubricItem(
                type_id=carrier_type.id,
                code=code,
                section="测试",
                indicator_id=ind,
                per_indicator_id=per,
                per_amount=per_amount,
                target=target,
                weight=weight,
                sort_order=order,
            )
        )
    for grade, minimum in ((Grade.excellent, 90), (Grade.good, 75), (Grade.passed, 60)):
        db.session.add(GradeBand(type_id=carrier_type.id, grade=grade, min_score=minimum))
    db.session.flush()
    return carrier_type


def _values(firms, area, graduated):
    values = {"incubated_firms": firms, "incubation_area": area, "graduated_firms_year": graduated}
    return {k: Decimal(v) for k, v in values.items() if v is not None}


@pytest.mark.parametrize(
    ("firms", "area", "graduated", "score", "grade"),
    [
        (100, 20000, 10, "100.0", Grade.excellent),  # every target reached
        (200, 10000, 30, "100.0", Grade.excellent),  # beyond a target earns no more
        (100, 20000, 6, "90.0", Grade.excellent),  # 40 + 20 + 12 = 72 of 80: on the band
        (100, 20000, 4, "85.0", Grade.good),  # 40 + 20 + 8 = 68 of 80
        (80, 20000, 9, "82.5", Grade.good),  # 32 + 16 + 18 = 66 of 80
        (50, 10000, 5, "62.5", Grade.passed),  # 20 + 20 + 10 = 50 of 80
        (50, 10000, 4, "60.0", Grade.passed),  # 20 + 20 + 8 = 48 of 80: on the band
        (50, 10000, 3, "57.5", Grade.fail),  # 20 + 20 + 6 = 46 of 80
        (10, None, None, "5.0", Grade.fail),  # missing figures earn nothing
        (10, 0, 0, "5.0", Grade.fail),  # no division by a zero area
    ],
)
def test_the_suggestion_on_fixed_figures(incubator, firms, area, graduated, score, grade):
    suggestion = suggest(load_rubric(incubator), _values(firms, area, graduated))
    assert suggestion.score == Decimal(score)
    assert suggestion.grade == grade
    assert suggestion.judged_weight == 20
    management = suggestion.items[-1]
    assert management.points is None and management.value is None


def test_the_suggestion_comes_from_the_year_s_filed_report(incubator):
    carrier = factories.create_carrier(region_code="511402")
    factories.recognize(carrier, "county", on="2021-03-01")
    figures = {"incubated_firms": 80, "incubation_area": 20000, "graduated_firms_year": 9}
    report(carrier, 2024, figures, status="accepted")
    report(carrier, 2023, {"incubated_firms": 100}, status="draft")
    assert suggestion_for(carrier, 2024).score == Decimal("82.5")
    assert suggestion_for(carrier, 2023) is None  # a draft is not a basis for a grade
    assert suggestion_for(carrier, 2022) is None


def test_every_seeded_type_has_a_rubric_of_100_points_and_bands(app):
    for carrier_type in db.session.scalars(select(CarrierType)):
        rubric = load_rubric(carrier_type)
        assert rubric.total_weight == 100, carrier_type.code
        assert [g for g, _m in rubric.bands] == [Grade.excellent, Grade.good, Grade.passed]
    tech = factories.carrier_type("tech_transfer")
    # 规范管理 20 and 社会信誉 10 are judged by the reviewer (the published score sheet)
    assert load_rubric(tech).measured_weight == 70
    assert db.session.scalar(select(func.count()).select_from(RubricItem)) > 30
