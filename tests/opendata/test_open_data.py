"""Open data: exports read back equal the registry; versions with manifest, dictionary and
change file; only public data."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json

import pytest
from openpyxl import load_workbook

from registry.opendata import service
from tests import factories

TODAY = dt.date.today()


@pytest.fixture
def registry_data(app):
    """Two public carriers (one revoked) with history, and one never recognised."""
    a = factories.create_carrier(
        "开放数据孵化器",
        region_code="510117",
        uscc="91350100M000100Y43",
        contact_name="张三",
        contact_phone="13800000000",
        address="郫都区1号",
    )
    factories.recognize(a, "municipal", "2016-03-01")
    factories.recognize(a, "provincial", "2019-05-01")
    factories.grade(a, 2020, "excellent")
    b = factories.create_carrier("开放数据众创空间", type_code="maker_space", region_code="511402")
    factories.revoke(factories.recognize(b, "municipal", "2017-01-01"), "2021-06-01")
    hidden = factories.create_carrier("未认定载体", region_code="511402")
    return a, b, hidden


@pytest.fixture
def opendata_dir(app, tmp_path):
    app.config["OPENDATA_DIR"] = str(tmp_path / "opendata")
    yield tmp_path / "opendata"
    app.config["OPENDATA_DIR"] = None


def _ours(records, ids):
    return {r["id"]: r for r in records if r["id"] in ids}


def test_jsonl_export_reads_back_as_the_registry(registry_data, tmp_path):
    a, b, hidden = registry_data
    path = tmp_path / "x.jsonl"
    service.export_file("jsonl", path)
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    ours = _ours(records, {a.id, b.id, hidden.id})
    assert set(ours) == {a.id, b.id}  # never recognised: not public
    ra, rb = ours[a.id], ours[b.id]
    assert (ra["name"], ra["type"], ra["level"], ra["status"]) == (
        "开放数据孵化器",
        "incubator",
        "provincial",
        "recognized",
    )
    assert (ra["region_code"], ra["region_name"]) == ("510117", "四川省成都市郫都区")
    assert [(r["level"], r["recognized_on"]) for r in ra["recognitions"]] == [
        ("municipal", "2016-03-01"),
        ("provincial", "2019-05-01"),
    ]
    assert ra["evaluations"] == [{"year": 2020, "grade": "excellent", "score": None}]
    assert (rb["level"], rb["status"], rb["highest_level"]) == (None, "revoked", "municipal")
    assert rb["recognitions"][0]["revoked_on"] == "2021-06-01"
    text = path.read_text("utf-8")
    assert "13800000000" not in text and "张三" not in text


def test_csv_and_xlsx_exports_read_back(registry_data, tmp_path):
    a, b, _hidden = registry_data
    service.export_file("csv", tmp_path / "c.csv")
    with open(tmp_path / "c.csv", encoding="utf-8-sig") as f:
        rows = _ours([dict(r, id=int(r["id"])) for r in csv.DictReader(f)], {a.id, b.id})
    assert rows[a.id]["uscc"] == "91350100M000100Y43" and rows[b.id]["status"] == "revoked"
    service.export_file("xlsx", tmp_path / "w.xlsx")
    wb = load_workbook(tmp_path / "w.xlsx", read_only=True)
    assert wb.sheetnames == ["carriers", "recognitions", "evaluations"]
    recs = [r for r in wb["recognitions"].iter_rows(min_row=2, values_only=True) if r[1] == a.id]
    assert [(r[2], r[3]) for r in recs] == [
        ("municipal", "2016-03-01"),
        ("provincial", "2019-05-01"),
    ]
    wb.close()


def test_publish_versions_with_manifest_and_change_file(registry_data, opendata_dir):
    a, b, hidden = registry_data
    first = service.publish_release()
    directory = opendata_dir / first.directory
    manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    assert manifest["version"] == 1 and manifest["previous_version"] is None
    for entry in manifest["files"]:
        digest = hashlib.sha256((directory / entry["name"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], entry["name"]
    assert {"dictionary.json", "dictionary.md", "regions.csv"} <= {
        f["name"] for f in manifest["files"]
    }
    factories.recognize(hidden, "municipal", "2020-01-01")  # newly public
    factories.recognize(b, "municipal", "2022-01-01")  # re-recognised
    second = service.publish_release()
    assert second.previous_version == 1
    changes = next(f["name"] for f in second.files if f["table"] == "changes")
    with open(opendata_dir / second.directory / changes, encoding="utf-8-sig") as f:
        rows = {int(r["id"]): r for r in csv.DictReader(f)}
    assert rows[hidden.id]["change"] == "added"
    assert rows[b.id]["change"] == "changed" and "recognitions" in rows[b.id]["fields"]
    assert a.id not in rows


def test_download_page_and_files(registry_data, opendata_dir, client):
    assert "No version has been published yet" in client.get("/open-data/?lang=en").get_data(
        as_text=True
    )
    release = service.publish_release()
    page = client.get("/open-data/").get_data(as_text=True)
    assert "manifest.json" in page and "region_precise" in page
    name = release.files[0]["name"]
    response = client.get(f"/open-data/v{release.version}/{name}")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith(
        "attachment"
    )
    assert client.get(f"/open-data/v{release.version}/../secret").status_code == 404
    assert client.get(f"/open-data/v{release.version}/other.csv").status_code == 404
    versions = client.get("/api/v1/open-data").get_json()["versions"]
    assert versions[0]["version"] == release.version


def test_export_command(registry_data, cli, tmp_path):
    out = tmp_path / "r.csv"
    result = cli.invoke(args=["export", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "开放数据孵化器" in out.read_text("utf-8-sig")


def _sheets(path) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True)
    sheets = {name: list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames}
    wb.close()
    return sheets


def test_a_version_holds_what_the_single_exports_write(registry_data, opendata_dir, tmp_path):
    """The version is written in one pass over the tables; its files are the exports'."""
    factories.grade(registry_data[1], 2019, "pass")
    release = service.publish_release()
    directory = opendata_dir / release.directory
    by_table = {(f["table"], f["format"]): directory / f["name"] for f in release.files}
    for table in ("carriers", "recognitions", "evaluations"):
        service.export_file("csv", tmp_path / f"{table}.csv", table=table)
        assert by_table[table, "csv"].read_bytes() == (tmp_path / f"{table}.csv").read_bytes()
    service.export_file("jsonl", tmp_path / "all.jsonl")
    assert by_table["carriers", "jsonl"].read_bytes() == (tmp_path / "all.jsonl").read_bytes()
    service.export_file("xlsx", tmp_path / "all.xlsx")
    assert _sheets(by_table["all", "xlsx"]) == _sheets(tmp_path / "all.xlsx")
    assert release.counts["recognitions"] == len(_sheets(tmp_path / "all.xlsx")["recognitions"]) - 1


def test_exports_run_the_same_queries_however_many_carriers(registry_data, tmp_path, count_queries):
    """Rows are read in a few statements, never one per carrier."""

    def queries() -> list[int]:
        counts = []
        for fmt in ("jsonl", "xlsx", "csv"):
            with count_queries() as n:
                service.export_file(fmt, tmp_path / f"x.{fmt}")
            counts.append(n[0])
        return counts

    before = queries()
    for i in range(5):
        carrier = factories.create_carrier(f"又一个孵化器{i}", region_code="510104")
        factories.recognize(carrier, "municipal", "2018-01-01")
        factories.grade(carrier, 2020, "good")
    assert queries() == before


def test_control_characters_do_not_break_the_workbook(registry_data, tmp_path):
    """XML cannot carry them: the workbook leaves them out, the CSV and JSONL keep them."""
    carrier = factories.create_carrier("响铃\x07孵化器", region_code="510104")
    factories.recognize(carrier, "municipal", "2018-01-01")
    service.export_file("xlsx", tmp_path / "w.xlsx")
    names = [r[1] for r in _sheets(tmp_path / "w.xlsx")["carriers"]]
    assert "响铃孵化器" in names
    service.export_file("jsonl", tmp_path / "c.jsonl")
    assert "响铃\\u0007孵化器" in (tmp_path / "c.jsonl").read_text("utf-8")
