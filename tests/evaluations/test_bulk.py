"""Grading in bulk: the year's carriers with suggestions, adjust with a reason, one
confirmation; the distribution of grades by level and region."""

from __future__ import annotations

import re

from sqlalchemy import select

from registry import db
from registry.evaluations.models import Evaluation, Grade
from registry.evaluations.queries import bulk_candidates, grade_distribution
from registry.regions.service import get_region
from tests import factories
from tests.helpers import csrf_token, sign_in
from tests.reports.factories import INCUBATOR, report


def _world(owner):
    """Three 东坡 carriers with 2024 reports (two municipal, one provincial), one graded."""
    made = {}
    for name, level in (("甲", "municipal"), ("乙", "municipal"), ("丙", "provincial")):
        made[name] = factories.create_carrier(f"东坡{name}孵化器", owner=owner)
        factories.recognize(made[name], level, on="2021-04-01")
    report(made["甲"], 2024)
    report(made["乙"], 2024, {**INCUBATOR, "incubated_firms": 20, "financed_firms": 2})
    report(made["丙"], 2024)
    return made


def test_candidates_are_the_bureau_s_ungraded_carriers_with_suggestions(app, owner, meishan):
    made = _world(owner)
    candidates, total = bulk_candidates(get_region("511400"), 2024)
    assert total == 2 and {c.carrier.name for c in candidates} == {"东坡甲孵化器", "东坡乙孵化器"}
    assert all(c.suggestion is not None for c in candidates)
    province, _n = bulk_candidates(get_region("510000"), 2024)
    assert {c.carrier.name for c in province} == {"东坡甲孵化器", "东坡乙孵化器", "东坡丙孵化器"}
    factories.grade(made["甲"], 2024, "good")
    assert bulk_candidates(get_region("511400"), 2024)[1] == 1


def _rows(html):
    return dict(re.findall(r'name="grade-(\d+)"[^>]*>.*?value="(\w+)" selected', html, re.S))


def test_review_then_confirm_records_every_grade(app, owner, meishan):
    made = _world(owner)
    db.session.commit()
    client = app.test_client()
    sign_in(client, meishan)
    page = client.get("/evaluations?year=2024")
    html = page.get_data(as_text=True)
    suggested = _rows(html)
    assert set(suggested) == {str(made["甲"].id), str(made["乙"].id)}
    first, second = made["甲"].id, made["乙"].id
    other = next(g for g in Grade.values() if g != suggested[str(second)])
    form = {
        "csrf_token": csrf_token(client, "/evaluations?year=2024"),
        "carrier": [str(first), str(second)],
        f"grade-{first}": suggested[str(first)],
        f"grade-{second}": other,
    }
    refused = client.post("/evaluations?year=2024", data={**form, "step": "review"})
    assert refused.status_code == 422
    assert f'data-field="reason-{second}"' in refused.get_data(as_text=True)
    form[f"reason-{second}"] = "现场核查发现场地缩减"
    review = client.post("/evaluations?year=2024", data={**form, "step": "review"})
    assert review.status_code == 200 and 'data-testid="confirm-form"' in review.get_data(
        as_text=True
    )
    assert db.session.scalars(select(Evaluation)).all() == []  # nothing written yet
    done = client.post("/evaluations?year=2024", data={**form, "step": "confirm"})
    assert done.status_code == 302
    grades = {
        e.carrier_id: e
        for e in db.session.scalars(select(Evaluation).where(Evaluation.year == 2024))
    }
    assert grades[first].grade.value == suggested[str(first)]
    assert grades[first].score == grades[first].suggested_score is not None
    assert grades[second].grade.value == other
    assert grades[second].override_reason == "现场核查发现场地缩减"
    assert grades[second].graded_by_id == meishan.id
    after = client.get("/evaluations?year=2024").get_data(as_text=True)
    assert 'data-testid="nothing-to-grade"' in after and 'data-testid="grade-distribution"' in after


def test_a_carrier_outside_the_jurisdiction_cannot_be_slipped_in(app, owner, meishan):
    made = _world(owner)
    db.session.commit()
    client = app.test_client()
    sign_in(client, meishan)
    provincial = made["丙"].id
    response = client.post(
        "/evaluations?year=2024",
        data={
            "csrf_token": csrf_token(client, "/evaluations?year=2024"),
            "carrier": [str(provincial)],
            f"grade-{provincial}": "fail",
            "step": "confirm",
        },
    )
    assert response.status_code == 403
    assert db.session.scalars(select(Evaluation)).all() == []


def test_the_distribution_by_level_and_region(app, owner):
    made = _world(owner)
    chengdu = factories.create_carrier("成都甲孵化器", region_code="510104")
    factories.recognize(chengdu, "municipal", on="2021-04-01")
    factories.grade(made["甲"], 2024, "excellent")
    factories.grade(made["乙"], 2024, "fail")
    factories.grade(made["丙"], 2024, "excellent")
    factories.grade(chengdu, 2024, "good")
    factories.grade(chengdu, 2023, "fail")
    sichuan = grade_distribution(get_region("510000"), 2024)
    assert sichuan.total == 4
    assert dict(sichuan.by_region) == {
        "眉山市": {Grade.excellent: 2, Grade.fail: 1},
        "成都市": {Grade.good: 1},
    }
    levels = {lv.code: counts for lv, counts in sichuan.by_level.items()}
    assert levels == {
        "municipal": {Grade.excellent: 1, Grade.fail: 1, Grade.good: 1},
        "provincial": {Grade.excellent: 1},
    }
    chart = sichuan.chart("level")
    assert chart["categories"][:2] == ["国家级", "省级"]
    assert chart["series"][0] == {"name": "优秀（A）", "data": [0, 1, 1, 0]}
    assert grade_distribution(get_region("511400"), 2024).total == 3
