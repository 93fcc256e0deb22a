"""Importing bureau lists: the dry run's report, all or nothing, matching, re-imports."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from registry import db
from registry.audit import AuditEvent
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, Recognition, RecognitionSource
from registry.imports import service
from registry.imports.models import ImportItem, ImportStatus
from tests import factories
from tests.imports.files import bureau_list, credit_code, csv_bytes, xlsx


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def by_name(name: str) -> Carrier:
    return db.session.scalar(select(Carrier).where(Carrier.name == name))


def test_dry_run_reads_a_published_list_and_writes_nothing(app, check):
    before = count(Carrier), count(Recognition)
    report = check(bureau_list())
    assert report.title == "2019年四川省省级科技企业孵化器和众创空间名单"
    assert report.mapping[4:6] == ["region", "region"]  # 市州 + 区县 under a merged 所在地区
    assert [r.row for r in report.rows] == [4, 5, 7, 8]  # blank row 6 skipped
    assert [r.action for r in report.rows] == ["create"] * 4, report.errors()
    first, second, third, fourth = report.rows
    assert first.name == "成都天府创新孵化器"  # stray spaces between Chinese characters
    assert first.region == "四川省成都市郫都区"
    assert second.name == "菁蓉（AI）众创空间"  # full-width letters, Chinese brackets
    assert second.region == "四川省成都市双流区"  # 成都市 merged down from the row above
    assert (second.type, second.level) == ("maker_space", "provincial")
    assert third.recognized_on == "2019-05-01"  # an Excel serial day number
    assert (third.level, third.region) == ("national", "四川省德阳市广汉市")
    assert fourth.flagged and fourth.region == "四川省达州市"
    assert (count(Carrier), count(Recognition)) == before


def test_import_writes_carriers_recognitions_links_and_audit(app, run):
    admin = factories.user("admin")
    record, report = run(bureau_list(), user=admin)
    assert record.status == ImportStatus.completed
    assert (record.created_count, record.recognitions_count, record.flagged_count) == (4, 4, 1)
    carrier = by_name("德阳广汉科创孵化器")
    [rec] = carrier.recognitions
    assert rec.source == RecognitionSource.imported
    assert (rec.level, rec.recognized_on, rec.document_no) == (
        Level.national,
        dt.date(2019, 5, 1),
        "国科火字〔2019〕100号",
    )
    assert rec.granted_by.code == "000000"
    assert carrier.uscc == credit_code(3, "510681")
    assert by_name("达州高新孵化器").needs_region_review
    assert not carrier.needs_region_review
    items = db.session.scalars(select(ImportItem).where(ImportItem.import_id == record.id)).all()
    assert {i.carrier_id for i in items} == {r.carrier_id for r in report.rows}
    assert count(AuditEvent, AuditEvent.action == "carrier.import") == 4
    grants = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "recognition.grant")
    ).all()
    assert len(grants) == 4 and {g.actor_id for g in grants} == {admin.id}
    assert {g.data["import_id"] for g in grants} == {record.id}


def test_reimporting_the_same_file_changes_nothing(app, run):
    run(bureau_list())
    snapshot = (
        count(Carrier),
        count(Recognition),
        count(AuditEvent, AuditEvent.carrier_id.isnot(None)),
    )
    record, report = run(bureau_list())
    assert {r.action for r in report.rows} == {"unchanged"}
    assert (record.created_count, record.updated_count, record.recognitions_count) == (0, 0, 0)
    after = (
        count(Carrier),
        count(Recognition),
        count(AuditEvent, AuditEvent.carrier_id.isnot(None)),
    )
    assert after == snapshot


def test_one_bad_row_and_nothing_is_written(app, run):
    rows = [
        [1, "好孵化器", "孵化器", "省级", "成都市郫都区", "", "2019-05-10", ""],
        [2, "坏孵化器", "孵化器", "优秀", "成都市郫都区", "", "2019-05-10", ""],
    ]
    before = (count(Carrier), count(Recognition), count(AuditEvent), count(ImportItem))
    with pytest.raises(service.ImportFailed) as failed:
        run(xlsx(rows))
    [(row, column, message)] = failed.value.report.errors()
    assert (row, column) == (3, "D 级别")
    assert "优秀 不是有效级别" in message
    assert (count(Carrier), count(Recognition), count(AuditEvent), count(ImportItem)) == before


def test_gbk_csv(app, run):
    rows = [
        [
            1,
            "绵阳科技城孵化器",
            "科技企业孵化器",
            "市级",
            "绵阳市涪城区",
            "",
            "2020年3月",
            "绵科〔2020〕5号",
        ]
    ]
    record, _report = run(csv_bytes(rows, encoding="gbk"), filename="名单.csv")
    assert record.file_format == "csv"
    carrier = by_name("绵阳科技城孵化器")
    assert carrier.region.code == "510703"
    [rec] = carrier.recognitions
    assert (rec.level, rec.recognized_on, rec.granted_by.code) == (
        Level.municipal,
        dt.date(2020, 3, 1),
        "510700",
    )


def test_duplicates_inside_the_file(app, check):
    code = credit_code(7)
    rows = [
        [
            1,
            "郫都创新孵化器",
            "孵化器",
            "市级",
            "成都市郫都区",
            code,
            "2017-06-01",
            "成科〔2017〕1号",
        ],
        [
            2,
            "郫都创新孵化器",
            "孵化器",
            "市级",
            "成都市郫都区",
            code,
            "2017-06-01",
            "成科〔2017〕1号",
        ],
        [3, "郫都 创新孵化器", "孵化器", "省级", "郫都区", code, "2019-06-01", "川科高〔2019〕2号"],
    ]
    report = check(xlsx(rows))
    first, duplicate, upgrade = report.rows
    assert (first.action, first.changes) == ("create", ["carrier", "recognition"])
    assert duplicate.action == "unchanged"
    assert any("与第 2 行为同一载体" in m["text"] for m in duplicate.messages)
    assert (upgrade.action, upgrade.changes) == ("create", ["recognition"])
    assert report.counts["carriers_created"] == 1 and report.counts["recognitions"] == 2


def test_existing_carrier_matched_by_credit_code_is_completed_not_overwritten(app, run):
    code = credit_code(11)
    existing = factories.create_carrier(
        "旧名孵化器", region_code="510117", uscc=code, operator_name="原运营主体"
    )
    factories.recognize(existing, "municipal", "2016-01-01")
    header = [
        "名称",
        "类型",
        "级别",
        "所在地区",
        "统一社会信用代码",
        "认定年份",
        "运营主体",
        "地址",
    ]
    rows = [
        [
            "新名孵化器",
            "孵化器",
            "省级",
            "成都市郫都区",
            code,
            2019,
            "新运营主体",
            "郫都区德源大道1号",
        ]
    ]
    record, report = run(xlsx(rows, header=header))
    [row] = report.rows
    assert (row.action, row.carrier_id) == ("update", existing.id)
    db.session.refresh(existing)
    assert existing.name == "旧名孵化器" and existing.operator_name == "原运营主体"
    assert existing.address == "郫都区德源大道1号"
    assert [r.level for r in existing.recognitions] == [Level.municipal, Level.provincial]
    assert existing.recognitions[1].recognized_on == dt.date(2019, 1, 1)
    assert record.updated_count == 1


def test_same_name_and_type_in_the_same_region_matches(app, check):
    existing = factories.create_carrier("眉山东坡孵化器", region_code="511402")
    factories.recognize(existing, "provincial", "2018-04-01")
    rows = [
        [1, "眉山东坡孵化器", "孵化器", "省级", "眉山市东坡区", "", "2018-04-01", ""],
        [2, "眉山东坡孵化器", "众创空间", "省级", "眉山市东坡区", "", "2018-04-01", ""],
    ]
    same, other_type = check(xlsx(rows)).rows
    assert (same.action, same.carrier_id) == ("unchanged", existing.id)
    assert other_type.action == "create"


def test_a_city_only_row_matches_and_a_county_completes_a_flagged_carrier(app, run):
    flagged = factories.create_carrier(
        "成都某众创空间", type_code="maker_space", region_code="510100", needs_region_review=True
    )
    rows = [[1, "成都某众创空间", "众创空间", "市级", "成都市武侯区", "", "2018-01-01", ""]]
    _record, report = run(xlsx(rows))
    assert report.rows[0].carrier_id == flagged.id
    db.session.refresh(flagged)
    assert flagged.region.code == "510107" and not flagged.needs_region_review


def test_reviewer_imports_only_within_its_region(app, run):
    from registry import policy

    reviewer = factories.user("reviewer", "511400")
    rows = [
        [1, "眉山孵化器", "孵化器", "市级", "眉山市东坡区", "", "2019", ""],
        [2, "成都孵化器", "孵化器", "市级", "成都市郫都区", "", "2019", ""],
    ]
    with pytest.raises(service.ImportFailed) as failed:
        run(xlsx(rows), user=reviewer, within=lambda r: policy.can_import_into(reviewer, r))
    [(row, _column, message)] = failed.value.report.errors()
    assert row == 3 and "不在您的辖区内" in message


def test_county_level_needs_the_county(app, check):
    rows = [[1, "成都县级孵化器", "孵化器", "县级", "成都市", "", "2019", ""]]
    [row] = check(xlsx(rows)).rows
    assert row.action == "error"
    assert "须写明认定部门所在地区" in row.errors[0]["text"]


def test_future_dates_and_bad_credit_codes_are_errors(app, check):
    rows = [
        [1, "未来孵化器", "孵化器", "省级", "成都市郫都区", "", "2999-01-01", ""],
        [2, "代码孵化器", "孵化器", "省级", "成都市郫都区", "1234", "2019-01-01", ""],
    ]
    future, bad_code = check(xlsx(rows)).rows
    assert future.errors[0]["column"] == "G 认定日期"
    assert future.errors[0]["text"].startswith("2999-01-01")
    assert bad_code.errors[0]["column"] == "F 统一社会信用代码"


def test_title_and_defaults_fill_missing_columns(app, check):
    header = ["序号", "众创空间名称", "所在地区"]
    content = xlsx(
        [[1, "雅安雨城众创空间", "雅安市雨城区"]],
        header=header,
        title="2021年度四川省省级众创空间备案名单（川科高〔2021〕30号）",
    )
    [row] = check(content).rows
    assert row.action == "create", row.errors
    assert (row.type, row.level, row.recognized_on, row.document_no) == (
        "maker_space",
        "provincial",
        "2021-01-01",
        "川科高〔2021〕30号",
    )
    [row] = check(content, defaults={"level": "municipal", "recognized_on": "2021-06-30"}).rows
    assert (row.level, row.recognized_on) == ("municipal", "2021-06-30")


def test_user_mapping_overrides_detection(app, check):
    header = ["载体", "种类", "层次", "地方", "时间"]
    content = xlsx([["乐山孵化器", "孵化器", "省级", "乐山市市中区", "2019"]], header=header)
    report = check(content, mapping=["name", "type", "level", "region", "recognized_on"])
    assert report.rows[0].action == "create", report.errors()
    assert check(content, mapping=["type", "type"]).file_errors


def test_section_rows_set_level_and_type(app, check):
    header = ["序号", "名称", "所在地区", "认定年份"]
    rows = [
        ["一、国家级科技企业孵化器"] * 4,
        [1, "甲孵化器", "成都市郫都区", 2019],
        ["二、省级众创空间"] * 4,
        [1, "乙空间", "成都市郫都区", 2019],
    ]
    first, second = check(xlsx(rows, header=header)).rows
    assert (first.type, first.level) == ("incubator", "national")
    assert (second.type, second.level) == ("maker_space", "provincial")


def test_imported_carriers_are_in_the_public_listing_at_once(app, client, run):
    """The import writes with bulk statements, past the ORM's flush: they move the data
    versions all the same, so the listing's index (built before) finds the new carriers."""
    assert client.get("/api/v1/carriers?q=广汉科创").json["total"] == 0  # index built
    run(bureau_list(), user=factories.user("admin"))
    db.session.commit()
    listed = client.get("/api/v1/carriers?q=广汉科创").json
    assert [c["name"] for c in listed["items"]] == ["德阳广汉科创孵化器"]
