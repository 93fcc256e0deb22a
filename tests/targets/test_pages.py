"""The target pages: public dashboard and target pages, bureau forms with errors at fields."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask_babel import gettext

from registry import db
from registry.targets.models import Plan
from tests import factories
from tests.targets import fixture
from tests.targets.factories import make_plan, make_target
from tests.targets.helpers import csrf_token, sign_in


def _text(response) -> str:
    return response.get_data(as_text=True)


def _field_error(html: str, name: str) -> str:
    found = re.search(rf'data-field="{re.escape(name)}">([^<]+)<', html)
    assert found, f"no error at {name}"
    return unescape(found.group(1))


def _form_values(html: str) -> dict[str, str]:
    """The values a browser would send back: inputs and text areas."""
    values = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    areas = re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html)
    values |= {name: text.lstrip("\n") for name, text in areas}
    return {name: unescape(value) for name, value in values.items()}


def test_the_dashboard_lists_each_plan_with_its_targets(client):
    html = _text(client.get("/targets?as_of=2016-12-31"))
    assert html.count('data-testid="plan"') == 5
    assert html.count('data-testid="target-row"') == 41
    assert "争取2016年全省各类孵化载体达570家" in html
    assert 'class="target-bar"' in html and "target-bar-pace" in html
    assert "style=" not in html  # the CSP forbids inline styles


def test_a_bad_as_of_date_is_shown_at_the_field(client):
    response = client.get("/targets?as_of=2016-02-30&lang=en")
    assert response.status_code == 200
    assert _field_error(_text(response), "as_of") == "must be a date like 2024-03-31"


def test_the_target_page_drills_down_and_lists_the_carriers(client):
    carriers = fixture.build()
    target = fixture.targets()["recognized"]
    html = _text(client.get(f"/targets/{target.id}?as_of=2021-06-30"))
    assert 'data-target-chart="series"' in html and 'data-target-chart="breakdown"' in html
    assert f"/targets/{target.id}?region=511402" in html.replace("&amp;", "&")
    county = _text(client.get(f"/targets/{target.id}?as_of=2021-06-30&region=511402"))
    assert 'data-testid="drill-region"' in county and "东坡区" in county
    assert carriers["A"].name in county and carriers["G"].name in county
    assert carriers["C"].name not in county  # 彭山区
    outside = client.get(f"/targets/{target.id}?region=510100")
    assert outside.status_code == 422


def test_coverage_pages_name_the_subregions_still_without_one(client):
    fixture.build()
    html = _text(client.get(f"/targets/{fixture.targets()['coverage'].id}?as_of=2021-06-30"))
    uncovered = html.split('data-testid="uncovered"')[1].split("</section>")[0]
    assert "洪雅县" in uncovered and "丹棱县" in uncovered and "东坡区" not in uncovered


def test_editing_needs_a_bureau_over_the_plan(client):
    plan = make_plan("511400")
    assert client.get(f"/plans/{plan.id}/edit").status_code == 302  # to the sign-in page
    sign_in(client, factories.user("reviewer", "510100"))
    assert client.get(f"/plans/{plan.id}/edit").status_code == 403
    assert client.get("/plans/new").status_code == 200


def test_a_reviewer_creates_a_plan_and_a_target_with_errors_at_the_fields(client):
    sign_in(client, factories.user("reviewer", "511400"))
    token = csrf_token(client, "/plans/new")
    bad = client.post("/plans/new", data={"csrf_token": token, "title": "", "region": "511400"})
    assert bad.status_code == 422
    assert _field_error(_text(bad), "title") == gettext("is required")
    assert _field_error(_text(bad), "issued_on") == gettext("is required")
    data = {"csrf_token": token, "title": "眉山测试方案", "region": "511400"}
    data |= {"issued_on": "2017-06-05", "period_end": "2020-12-31"}
    created = client.post("/plans/new", data=data)
    assert created.status_code == 302
    plan = db.session.query(Plan).filter_by(title="眉山测试方案").one()
    url = f"/plans/{plan.id}/targets/new"
    token = csrf_token(client, url)
    form = {"csrf_token": token, "phrase": "建设8家", "metric": "coverage", "value": "8"}
    form |= {"region": "511400", "min_level": "county", "types": ["tech_transfer"]}
    response = client.post(url + "", data=form)
    assert response.status_code == 422
    html = _text(response)
    assert _field_error(html, "subregion_level") == gettext("is required for the coverage metric")
    message = gettext("a coverage target is a share from 0 to 1 (1 = every subregion)")
    assert _field_error(html, "value") == message
    form |= {"metric": "count_recognized"}
    assert client.post(url, data=form).status_code == 302
    assert plan.targets[0].type_codes == ["tech_transfer"]


def test_a_manual_figure_is_entered_on_the_target_page(client):
    plan = make_plan("511400", period_end="2022-12-31")
    target = make_target(plan, metric="manual", types=[], value="1.2", unit="%")
    sign_in(client, factories.user("reviewer", "511400"))
    url = f"/targets/{target.id}"
    token = csrf_token(client, url)
    bad = client.post(f"{url}/values", data={"csrf_token": token, "recorded_on": "x", "value": "1"})
    assert bad.status_code == 422
    assert _field_error(_text(bad), "recorded_on") == gettext("must be a date like 2020-12-31")
    good = {"csrf_token": token, "recorded_on": "2020-12-31", "value": "1.05", "note": "统计公报"}
    assert client.post(f"{url}/values", data=good).status_code == 302
    html = _text(client.get(f"{url}?as_of=2021-01-01"))
    assert "1.05%" in html and "统计公报" in html


def test_extract_then_save_in_one_step(client):
    sign_in(client, factories.user("reviewer", "510000"))
    token = csrf_token(client, "/plans/extract")
    text = (
        "四川省人民政府办公厅关于印发测试方案的通知\n川办发〔2030〕9号\n2030年1月5日\n"
        "到2032年,全省新增两家国家级科技企业孵化器,建设十家省级以上众创空间。"
    )
    page = client.post("/plans/extract", data={"csrf_token": token, "text": text, "region": ""})
    html = _text(page)
    assert page.status_code == 200 and html.count('data-testid="candidate"') == 2
    assert 'value="川办发〔2030〕9号"' in html
    form = {
        name: value
        for name, value in _form_values(html).items()
        if not name.endswith("include") and "types" not in name
    }
    form |= {"candidates-0-include": "y", "candidates-1-include": "y", "text": text}
    form |= {"title": "测试方案", "csrf_token": token}
    form |= {"candidates-0-types": "incubator", "candidates-1-types": "maker_space"}
    form |= {"candidates-0-metric": "count_new", "candidates-1-metric": "count_recognized"}
    form |= {"candidates-0-min_level": "national", "candidates-0-max_level": "national"}
    form |= {"candidates-1-min_level": "provincial", "candidates-1-value": "0"}
    rejected = client.post("/plans/extract/save", data=form)
    assert rejected.status_code == 422
    assert _field_error(_text(rejected), "candidates-1-value") == gettext("must be greater than 0")
    assert db.session.query(Plan).filter_by(document_no="川办发〔2030〕9号").count() == 0
    form["candidates-1-value"] = "10"
    saved = client.post("/plans/extract/save", data=form)
    assert saved.status_code == 302, re.findall(r"data-field=\"([^\"]+)\">([^<]+)<", _text(saved))
    plan = db.session.query(Plan).filter_by(document_no="川办发〔2030〕9号").one()
    assert [(t.value, t.metric.value) for t in plan.targets] == [
        (2, "count_new"),
        (10, "count_recognized"),
    ]


@pytest.mark.parametrize("path", ["/plans/extract", "/plans/new"])
def test_carrier_accounts_cannot_manage_plans(client, path):
    sign_in(client, factories.user("carrier"))
    assert client.get(path).status_code == 403


def test_the_dashboard_reads_the_history_once_for_all_targets(client, count_queries):
    fixture.build()
    fixture.targets()  # a sixth plan with seven more measured targets
    db.session.commit()  # (the test's savepoint) committed data can be cached
    with count_queries() as first:
        assert client.get("/targets?as_of=2021-06-30").status_code == 200
    with count_queries() as again:
        assert client.get("/targets?as_of=2021-06-30").status_code == 200
    # one level cube for every count and coverage target, two queries per count_new and
    # sum_indicator target, a few lookups; not a query per carrier or per county
    assert first[0] <= 25
    assert again[0] <= 8  # the plans themselves; progress is cached until the data change
