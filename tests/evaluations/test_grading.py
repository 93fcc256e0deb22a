"""Recording grades: who may grade (the granting region or above), bad input, the public page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from registry import db
from registry.evaluations.models import Evaluation, Grade
from tests import factories
from tests.helpers import api_token, bearer
from tests.reports.factories import report


def _put(app, user, carrier, year, body):
    client = app.test_client()
    return client.put(
        f"/api/v1/carriers/{carrier.id}/evaluations/{year}",
        json=body,
        headers=bearer(api_token(client, user)),
    )


@pytest.mark.parametrize(
    ("region", "allowed"),
    [
        ("511400", True),  # 眉山市 granted the municipal title
        ("510000", True),  # 四川省, above it
        ("000000", True),  # the ministry
        ("511402", False),  # 东坡区 covers the carrier but granted only the county title
        ("510100", False),  # 成都市
        ("500000", False),  # 重庆市
    ],
)
def test_the_granting_region_or_above_grades(app, carrier, region, allowed):
    reviewer = factories.user("reviewer", region)
    db.session.commit()
    response = _put(app, reviewer, carrier, 2024, {"grade": "good", "score": 82})
    assert response.status_code == (201 if allowed else 403), response.get_json()
    count = db.session.scalar(select(func.count()).select_from(Evaluation))
    assert count == (1 if allowed else 0)
    if allowed:
        body = response.get_json()
        assert body["grade"] == "good" and body["score"] == 82
        assert body["region"]["code"] == "511400"
        assert body["revoked_recognition"] is None


def test_owners_and_other_carriers_do_not_grade(app, carrier, owner):
    db.session.commit()
    assert _put(app, owner, carrier, 2024, {"grade": "excellent"}).status_code == 403
    stranger = factories.user()
    db.session.commit()
    assert _put(app, stranger, carrier, 2024, {"grade": "excellent"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"grade": "A"}, "grade"),
        ({"grade": "very good"}, "grade"),
        ({}, "grade"),
        ({"grade": "good", "score": 101}, "score"),
        ({"grade": "good", "score": -1}, "score"),
        ({"grade": "good", "score": "八十"}, "score"),
        ({"grade": "good", "score": True}, "score"),
        ({"grade": "good", "comment": 5}, "comment"),
    ],
)
def test_bad_grades_are_refused_naming_the_field(app, carrier, meishan, body, field):
    db.session.commit()
    response = _put(app, meishan, carrier, 2024, body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == 0


@pytest.mark.parametrize(
    ("year", "words"), [(2018, "首次认定"), (dt.date.today().year + 1, "未来")]
)
def test_a_grade_for_a_year_before_recognition_or_in_the_future(app, carrier, meishan, year, words):
    db.session.commit()
    response = _put(app, meishan, carrier, year, {"grade": "good"})
    assert response.status_code == 422
    assert words in response.get_json()["error"]["fields"]["year"]


def test_overriding_the_suggestion_needs_a_reason(app, carrier, meishan):
    report(carrier, 2024)  # the full example report: the seeded rubric suggests a grade
    db.session.commit()
    detail = app.test_client().get(
        f"/api/v1/carriers/{carrier.id}/evaluations/2024",
        headers=bearer(api_token(app.test_client(), meishan)),
    )
    suggestion = detail.get_json()["suggestion"]
    assert detail.get_json()["evaluation"] is None and suggestion["items"]
    other = next(g for g in Grade.values() if g != suggestion["grade"])
    refused = _put(app, meishan, carrier, 2024, {"grade": other})
    assert refused.status_code == 422
    assert "override_reason" in refused.get_json()["error"]["fields"]
    kept = _put(app, meishan, carrier, 2024, {"grade": suggestion["grade"]})
    assert kept.status_code == 201 and kept.get_json()["suggested_grade"] == suggestion["grade"]
    changed = _put(
        app, meishan, carrier, 2024, {"grade": other, "override_reason": "专家评审认为服务质量突出"}
    )
    assert changed.status_code == 200
    assert changed.get_json()["override_reason"] == "专家评审认为服务质量突出"


def test_a_carrier_without_an_active_title_is_not_graded(app, carrier, meishan):
    for recognition in carrier.recognitions:
        factories.revoke(recognition, "2025-01-10")
    db.session.commit()
    response = _put(app, meishan, carrier, 2024, {"grade": "pass"})
    assert response.status_code == 409


def test_grades_are_public_on_the_carrier_page_with_their_year(app, carrier, meishan, client):
    db.session.commit()
    assert _put(app, meishan, carrier, 2023, {"grade": "excellent", "score": 93}).status_code == 201
    assert _put(app, meishan, carrier, 2024, {"grade": "pass"}).status_code == 201
    html = client.get(f"/carriers/{carrier.id}").get_data(as_text=True)
    assert "2024 · 合格（C）" in html and "2023 · 优秀（A）" in html
    assert "2024年度考核：合格（C）" in html  # the history
    assert 'data-testid="carrier-reports"' not in html  # reports stay private
    grades = client.get(f"/api/v1/carriers/{carrier.id}").get_json()["grades"]
    assert grades == [
        {"year": 2024, "grade": "pass", "score": None},
        {"year": 2023, "grade": "excellent", "score": 93.0},
    ]


def test_the_grade_page_records_a_grade(app, carrier, meishan):
    from tests.helpers import post_form, sign_in

    report(carrier, 2024)
    db.session.commit()
    client = app.test_client()
    sign_in(client, meishan)
    path = f"/carriers/{carrier.id}/evaluations/2024"
    page = client.get(path)
    assert page.status_code == 200 and 'data-testid="rubric"' in page.get_data(as_text=True)
    refused = post_form(client, path, {"grade": "excellent", "score": "120"}, token_from=path)
    assert refused.status_code == 422
    from tests.helpers import field_errors

    assert "score" in field_errors(refused)
    done = post_form(
        client,
        path,
        {"grade": "excellent", "score": "96", "override_reason": "获评省级示范"},
        token_from=path,
    )
    assert done.status_code == 302
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.carrier_id == carrier.id))
    assert evaluation.grade == Grade.excellent and evaluation.graded_by_id == meishan.id
