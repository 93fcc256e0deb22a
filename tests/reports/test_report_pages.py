"""Report pages: the owner fills in and submits, a bureau returns and accepts, the year's
reports of a region with filters, the carrier's history, the workspaces' panels."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from registry import db
from registry.reports.models import ReportStatus
from registry.reports.service import get_report
from tests import factories
from tests.helpers import field_errors, outbox, post_form, sign_in
from tests.reports.factories import INCUBATOR, report, utc


@pytest.fixture
def owner(app):
    return factories.user(name="东坡运营机构")


@pytest.fixture
def carrier(owner):
    carrier = factories.create_carrier("东坡年报孵化器", owner=owner)
    factories.recognize(carrier, "county", on="2021-05-01")
    return carrier


def _client(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def _form(figures: dict) -> dict:
    return {k: str(v) for k, v in figures.items()}


def test_the_owner_files_and_the_bureau_returns_then_accepts(app, carrier, owner):
    reviewer = factories.user("reviewer", "511402", name="东坡区科学技术局")
    db.session.commit()
    path = f"/carriers/{carrier.id}/reports/2024"
    mine = _client(app, owner)
    page = mine.get(path).get_data(as_text=True)
    assert 'data-testid="report-form"' in page and "孵化场地面积" in page and "(m²)" in page
    bad = post_form(mine, path, {**_form(INCUBATOR), "staff": "-3", "save": "1"}, token_from=path)
    assert bad.status_code == 422 and field_errors(bad) == {"staff": "不能为负数"}
    assert get_report(carrier, 2024) is None
    saved = post_form(mine, path, {"incubation_area": "5000", "save": "1"}, token_from=path)
    assert saved.status_code == 302 and get_report(carrier, 2024).status == ReportStatus.draft
    missing = post_form(mine, path, {"incubation_area": "5000", "submit": "1"}, token_from=path)
    assert missing.status_code == 422 and "staff" in field_errors(missing)
    done = post_form(mine, path, {**_form(INCUBATOR), "submit": "1"}, token_from=path)
    assert done.status_code == 302
    db.session.expire_all()
    assert get_report(carrier, 2024).status == ReportStatus.submitted

    bureau = _client(app, reviewer)
    decide = f"{path}/decision"
    assert 'data-testid="decision-form"' in bureau.get(path).get_data(as_text=True)
    no_comment = post_form(bureau, decide, {"action": "return"}, token_from=path)
    assert no_comment.status_code == 422 and "comment" in field_errors(no_comment)
    back = post_form(
        bureau, decide, {"action": "return", "comment": "毕业企业数请核实"}, token_from=path
    )
    assert back.status_code == 302
    (mail,) = outbox("report_decided", to=owner.email)
    assert "退回" in mail.subject and "毕业企业数请核实" in mail.body
    shown = mine.get(path).get_data(as_text=True)
    assert "毕业企业数请核实" in shown and 'data-testid="report-form"' in shown
    again = post_form(mine, path, {**_form(INCUBATOR), "submit": "1"}, token_from=path)
    assert again.status_code == 302
    post_form(bureau, decide, {"action": "accept"}, token_from=path)
    db.session.expire_all()
    assert get_report(carrier, 2024).status == ReportStatus.accepted
    final = mine.get(path).get_data(as_text=True)
    assert 'data-testid="report-form"' not in final and 'data-testid="report-figures"' in final
    assert len(re.findall(r"<li><span class=\"text-muted text-nowrap\">", final)) == 4  # events


def test_reports_are_private(app, carrier, owner):
    report(carrier, 2024)
    stranger = factories.user()
    outside = factories.user("reviewer", "510100")
    db.session.commit()
    path = f"/carriers/{carrier.id}/reports"
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert _client(app, stranger).get(path).status_code == 403
    assert _client(app, outside).get(f"{path}/2024").status_code == 403
    public = app.test_client().get(f"/carriers/{carrier.id}").get_data(as_text=True)
    assert 'data-testid="report-history"' not in public and "8,000" not in public


def test_the_carrier_page_shows_the_owner_its_history_with_changes(app, carrier, owner):
    report(carrier, 2023, {**INCUBATOR, "incubated_firms": 50})
    report(carrier, 2024, {**INCUBATOR, "incubated_firms": 60})
    db.session.commit()
    html = _client(app, owner).get(f"/carriers/{carrier.id}").get_data(as_text=True)
    assert 'data-testid="report-history"' in html
    assert "+20.0%" in html  # 在孵企业数 50 → 60
    assert 'class="yoy yoy-up"' in html


def _year_world():
    """Four carriers in 东坡区 owing the 2024 report, one in 成都."""
    made = {}
    for name in ("按时", "逾期", "未报", "退回", "草稿"):
        made[name] = factories.create_carrier(f"东坡{name}孵化器")
        factories.recognize(made[name], "county", on="2020-05-01")
    report(made["按时"], 2024, submitted_at=utc("2025-03-20"))
    report(made["逾期"], 2024, status="submitted", submitted_at=utc("2025-04-10"))
    report(made["退回"], 2024, status="returned", submitted_at=utc("2025-03-01"))
    report(made["草稿"], 2024, status="draft")
    chengdu = factories.create_carrier("成都未报孵化器", region_code="510104")
    factories.recognize(chengdu, "county", on="2020-05-01")
    return made


@pytest.mark.parametrize(
    ("which", "names"),
    [
        ("all", {"按时", "逾期", "未报", "退回", "草稿"}),
        ("missing", {"未报", "退回", "草稿"}),
        ("submitted", {"逾期"}),
        ("late", {"逾期"}),
        ("accepted", {"按时"}),
        ("returned", {"退回"}),
    ],
)
def test_the_year_s_reports_of_a_region(app, which, names):
    _year_world()
    reviewer = factories.user("reviewer", "511400")
    db.session.commit()
    html = _client(app, reviewer).get(f"/reports?year=2024&which={which}").get_data(as_text=True)
    listed = set(re.findall(r"东坡(\w\w)孵化器</a>", html))
    assert listed == names
    assert "成都未报孵化器" not in html
    counts = dict(
        re.findall(
            r'data-testid="count-(\w+)">\s*<div class="card-body py-2">'
            r'<div class="fs-4[^"]*">(\d+)<',
            html,
        )
    )
    assert counts == {
        "all": "5",
        "submitted": "1",
        "accepted": "1",
        "returned": "1",
        "late": "1",
        "missing": "3",
    }


def test_bad_filters_are_refused(app):
    reviewer = factories.user("reviewer", "511400")
    db.session.commit()
    client = _client(app, reviewer)
    assert client.get("/reports?which=everything").status_code == 422
    assert client.get("/reports?year=3000").status_code == 422
    this_year = dt.date.today().year
    for bad in ("abc", "1979", str(this_year + 1)):
        page = client.get(f"/reports?year={bad}")
        assert page.status_code == 422
        # said once, in the list of fields (no lead repeating it)
        assert page.get_data(as_text=True).count(f"须为1980年至{this_year}年之间的年份") == 1
    grading = client.get("/evaluations?year=abc")
    assert grading.status_code == 422 and "须为1980年至" in grading.get_data(as_text=True)
    assert client.get("/reports?region=510100").status_code == 403


def test_the_workspaces_show_reports_to_review_missing_and_due(app, owner):
    year = dt.date.today().year - 1
    mine = factories.create_carrier("东坡待报孵化器", owner=owner)
    factories.recognize(mine, "county", on="2020-05-01")
    returned = factories.create_carrier("东坡被退回孵化器", owner=owner)
    factories.recognize(returned, "county", on="2020-05-01")
    report(returned, year - 1, status="returned")
    report(returned, year, status="accepted")
    waiting = factories.create_carrier("东坡待审孵化器")
    factories.recognize(waiting, "county", on="2020-05-01")
    report(waiting, year, status="submitted")
    reviewer = factories.user("reviewer", "511400")
    db.session.commit()
    region = _client(app, reviewer).get("/my/region").get_data(as_text=True)
    to_review = region.split('data-testid="panel-reports_to_review"')[1].split("</div>\n</div>")[0]
    assert "东坡待审孵化器" in to_review and "东坡待报孵化器" not in to_review
    missing = region.split('data-testid="panel-missing_reports"')[1].split("</div>\n</div>")[0]
    assert "东坡待报孵化器" in missing and "东坡待审孵化器" not in missing
    due = _client(app, owner).get("/my/carriers").get_data(as_text=True)
    panel = due.split('data-testid="panel-reports_due"')[1].split("</div>\n</div>")[0]
    assert "东坡待报孵化器" in panel and "东坡被退回孵化器" in panel and "已退回" in panel


def test_the_pages_in_english(app, carrier, owner):
    report(carrier, 2024)
    reviewer = factories.user("reviewer", "511400")
    db.session.commit()
    bureau = app.test_client()
    bureau.set_cookie("lang", "en")
    sign_in(bureau, reviewer)
    year = bureau.get("/reports?year=2024").get_data(as_text=True)
    assert "Annual reports 2024" in year and "Owe a report" in year
    grade = bureau.get(f"/carriers/{carrier.id}/evaluations/2024").get_data(as_text=True)
    assert "Suggestion from the report" in grade and "Incubation results" in grade
    mine = app.test_client()
    mine.set_cookie("lang", "en")
    sign_in(mine, owner)
    history = mine.get(f"/carriers/{carrier.id}/reports").get_data(as_text=True)
    assert "Incubation space" in history and "Accepted" in history


def test_the_years_reports_speak_each_readers_language(app, carrier):
    """The year's rows are cached per version; a reader in English after one in Chinese
    gets the types in English, not the first reader's words."""
    reviewer = factories.user("reviewer", "511402", name="东坡区科学技术局")
    db.session.commit()
    chinese = _client(app, reviewer)
    english = _client(app, reviewer)
    english.set_cookie("lang", "en")
    cell = re.compile(r'<td class="d-none d-md-table-cell small">([^<]*)</td>')
    assert cell.findall(chinese.get("/reports?year=2024").get_data(as_text=True)) == [
        "科技企业孵化器"
    ]
    page = english.get("/reports?year=2024").get_data(as_text=True)
    assert carrier.name in page
    assert cell.findall(page) == ["Technology business incubator"]
