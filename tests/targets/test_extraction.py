"""Extraction rules, evaluated on the five policies against a labelled expectation file."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from registry.targets.extraction import extract

HERE = Path(__file__).parent
EXPECTED = tomllib.loads((HERE / "extraction_expected.toml").read_text(encoding="utf-8"))


def _matches(candidate, expected: dict) -> bool:
    if candidate.value != Decimal(str(expected["value"])) or candidate.unit != expected["unit"]:
        return False
    return any(p in candidate.phrase or candidate.phrase in p for p in expected["phrases"])


def _reading_is_right(candidate, expected: dict) -> bool:
    return (
        candidate.metric == expected["metric"]
        and candidate.types == expected["types"]
        and candidate.min_level == expected.get("min_level")
        and candidate.max_level == expected.get("max_level")
        and candidate.year == expected["year"]
        and candidate.is_new == expected.get("new", False)
        and candidate.subregion_level == expected.get("subregion_level")
    )


def _evaluate(name: str, targets: list[dict]) -> tuple[list, list, list]:
    text = (HERE / "policies" / name).read_text(encoding="utf-8")
    candidates = extract(text).candidates
    true = [c for c in candidates if any(_matches(c, e) for e in targets)]
    found = [e for e in targets if any(_matches(c, e) for c in candidates)]
    return candidates, true, found


def test_precision_and_recall_on_the_policies(app, capsys):
    totals = {"candidates": 0, "true": 0, "expected": 0, "found": 0}
    for entry in EXPECTED["files"]:
        candidates, true, found = _evaluate(entry["name"], entry["targets"])
        missing = [e["phrases"][0] for e in entry["targets"] if e not in found]
        assert not missing, (entry["name"], missing)
        totals["candidates"] += len(candidates)
        totals["true"] += len(true)
        totals["expected"] += len(entry["targets"])
        totals["found"] += len(found)
    precision = totals["true"] / totals["candidates"]
    recall = totals["found"] / totals["expected"]
    with capsys.disabled():
        print(f"\nextraction on the policies: precision {precision:.2f}, recall {recall:.2f}")
    assert recall == 1.0
    assert precision >= 0.9


def test_every_carrier_target_is_read_exactly(app):
    for entry in EXPECTED["files"]:
        text = (HERE / "policies" / entry["name"]).read_text(encoding="utf-8")
        candidates = extract(text).candidates
        for expected in entry["targets"]:
            if expected.get("metric", "manual") == "manual":
                continue
            readings = [c for c in candidates if _matches(c, expected)]
            assert any(_reading_is_right(c, expected) for c in readings), (
                expected["phrases"][0],
                [c.as_dict() for c in readings],
            )


@pytest.mark.parametrize(
    ("name", "title", "document_no", "region", "issued_on", "period"),
    [
        (
            "000_4f2b33db98301548.txt",
            "关于印发2016年四川省科技服务业发展重点工作安排的通知",
            "川办函〔2016〕67号",
            "510000",
            "2016-04-19",
            ("2016-01-01", "2016-12-31"),
        ),
        (
            "001_68959a4cbf730bcd.txt",
            "眉山市人民政府办公室关于印发眉山市促进科技成果转移转化行动方案(2017—2020年)的通知",
            "眉府办发〔2017〕36号",
            "511400",
            "2017-06-05",
            ("2017-01-01", "2020-12-31"),
        ),
        (
            "002_fbd02f46c29c1ba5.txt",
            "四川省人民政府办公厅关于加快县域创新驱动发展的实施意见",
            "川办发〔2018〕60号",
            "510000",
            "2018-07-31",
            ("2018-07-31", "2022-12-31"),
        ),
        (
            "003_9f1161ce61d31cf7.txt",
            None,
            "通政发〔2012〕26号",
            "320600",
            "2012-03-19",
            ("2011-01-01", "2015-12-31"),
        ),
        (
            "004_75a3b4f9891bcbd7.txt",
            "成都:深化科技体制改革 建设创新型城市",
            None,
            "510100",
            "2015-01-10",
            ("2015-01-10", "2015-12-31"),
        ),
    ],
)
def test_the_plan_itself_is_read(app, name, title, document_no, region, issued_on, period):
    plan = extract((HERE / "policies" / name).read_text(encoding="utf-8")).plan.as_dict()
    assert plan["title"] == title
    assert plan["document_no"] == document_no
    assert plan["region"]["code"] == region
    assert plan["issued_on"] == issued_on
    assert (plan["period_start"], plan["period_end"]) == period


def _one(text: str):
    candidates = extract(text).candidates
    assert len(candidates) == 1, [c.as_dict() for c in candidates]
    return candidates[0]


def test_chinese_numerals(app):
    c = _one("到2025年,全市建设十家省级以上众创空间。")
    assert (c.value, c.unit, c.year, c.metric) == (10, "家", 2025, "count_recognized")
    assert (c.types, c.min_level, c.max_level) == (["maker_space"], "provincial", None)
    c = _one("新增两家国家级科技企业孵化器。")
    assert (c.value, c.metric, c.min_level, c.max_level) == (2, "count_new", "national", "national")
    assert _one("力争培育二十个星创天地。").value == 20


def test_coverage_and_ranges(app):
    c = _one("每个县(市、区)至少建设1个以上星创天地。")
    assert (c.metric, c.subregion_level, c.types) == ("coverage", "county", ["star_space"])
    c = _one("新打造3—5个科技服务业集聚区。")
    assert (c.value, c.metric, c.number_text) == (3, "manual", "3—5")
    assert "3—5" in c.note


def test_words_that_only_look_like_targets(app):
    text = (
        "深入实施“千人计划”。加快建设一批建筑面积30万平方米以上的科技园区。召开第五届推进会。"
        "重点发展五个万亿级支柱产业。推荐使用IE8.0以上版本。"
    )
    assert extract(text).candidates == []
