"""Export of the current listing result as CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.carriers.world import HTML_NAME, build_world


@pytest.fixture
def world(app):
    return build_world()


def read_csv(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff"), "UTF-8 BOM so that Excel opens Chinese correctly"
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_export_has_the_filtered_rows(client, world):
    response = client.get("/api/v1/carriers/export?format=csv&region=510000&sort=name")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert [r["名称"] for r in rows] == sorted(
        [world.a.name, world.b.name, world.c.name, world.e.name, world.h.name]
    )
    a = next(r for r in rows if r["名称"] == world.a.name)
    assert a["级别"] == "国家级" and a["类型"] == "科技企业孵化器"
    assert a["区划代码"] == "510107" and a["最近认定"] == "2021-09-01"
    assert "联系电话" not in rows[0] and "13800000000" not in response.get_data(as_text=True)


def test_csv_export_equals_every_page_of_the_listing(client, world):
    exported = {r["编号"] for r in read_csv(client.get("/api/v1/carriers/export?status=all"))}
    listed = {
        str(i["id"]) for i in client.get("/api/v1/carriers?status=all&per_page=100").json["items"]
    }
    assert exported == listed and len(exported) == 7


def test_export_in_english(client, world):
    response = client.get("/carriers/export?format=csv&lang=en&level=national")
    rows = read_csv(response)
    assert rows == [rows[0]] and rows[0]["Level"] == "National level"


def test_xlsx_export(client, world):
    response = client.get("/carriers/export?format=xlsx&type=incubator&sort=name")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[1] == "名称"
    assert sorted(r[1] for r in body) == sorted([world.a.name, world.c.name, world.f.name])
    assert HTML_NAME in [r[1] for r in body]


def test_spreadsheet_formulas_are_neutralised(client, app):
    from tests import factories as f

    carrier = f.create_carrier('=HYPERLINK("http://evil")孵化器', region_code="511402")
    f.recognize(carrier, "county", "2020-01-01")
    rows = read_csv(client.get("/api/v1/carriers/export?q=HYPERLINK"))
    assert rows[0]["名称"].startswith("'=")


def test_export_rejects_an_unknown_format(client, app):
    response = client.get("/api/v1/carriers/export?format=pdf")
    assert response.status_code == 422 and "format" in response.json["error"]["fields"]


def test_spreadsheet_formulas_are_neutralised_in_the_workbook(client, app):
    from tests import factories as f

    carrier = f.create_carrier("+cmd|' /C calc'!A0孵化器", region_code="511402")
    f.recognize(carrier, "county", "2020-01-01")
    response = client.get("/api/v1/carriers/export?format=xlsx&q=calc")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    (row,) = list(sheet.iter_rows(min_row=2, values_only=True))
    assert row[1] == "'+cmd|' /C calc'!A0孵化器"


def test_a_control_character_does_not_break_the_workbook(client, app):
    from tests import factories as f

    carrier = f.create_carrier("退格\x08孵化器", region_code="511402")
    f.recognize(carrier, "county", "2020-01-01")
    response = client.get("/api/v1/carriers/export?format=xlsx&q=孵化器")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    assert "退格孵化器" in [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_runs_the_same_queries_however_many_rows(client, world, count_queries, fmt):
    from tests import factories as f

    client.get(f"/api/v1/carriers/export?format={fmt}")  # warm the lookups
    with count_queries() as before:
        client.get(f"/api/v1/carriers/export?format={fmt}&status=all").get_data()
    for i in range(5):
        f.recognize(f.create_carrier(f"新孵化器{i}", region_code="510104"), "municipal")
    client.get(f"/api/v1/carriers/export?format={fmt}")
    with count_queries() as after:
        client.get(f"/api/v1/carriers/export?format={fmt}&status=all").get_data()
    assert after[0] == before[0]
