"""The seeded plans: every numeric target of the five policies, phrases verbatim."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from registry import db
from registry.seeding import SEEDS_DIR, seed_plans
from registry.targets.extraction import extract
from registry.targets.models import Metric, Plan, Target
from registry.targets.seed import read_plans
from registry.targets.wording import core


def _target(phrase_part: str, value: int | str) -> Target:
    stmt = select(Target).where(Target.phrase.contains(phrase_part), Target.value == Decimal(value))
    return db.session.scalars(stmt).one()


def test_five_plans_with_their_targets(app):
    plans = {p.document_no or p.title: p for p in db.session.scalars(select(Plan))}
    assert set(plans) == {
        "川办函〔2016〕67号",
        "眉府办发〔2017〕36号",
        "川办发〔2018〕60号",
        "通政发〔2012〕26号",
        "成都:深化科技体制改革 建设创新型城市",
    }
    counts = {key: len(plan.targets) for key, plan in plans.items()}
    assert counts["川办函〔2016〕67号"] == 15 and counts["眉府办发〔2017〕36号"] == 11
    assert plans["通政发〔2012〕26号"].region.code == "320600"
    assert plans["成都:深化科技体制改革 建设创新型城市"].region.code == "510100"


def test_each_phrase_is_quoted_verbatim_from_its_plan(app):
    for plan in db.session.scalars(select(Plan)):
        assert plan.text, plan.title
        for target in plan.targets:
            assert target.phrase in plan.text, target.phrase


def test_the_measurable_targets_have_their_metrics(app):
    incubation = _target("各类孵化载体达570家", 570)
    assert incubation.metric is Metric.count_recognized
    assert incubation.type_codes == ["incubator", "maker_space", "star_space"]
    assert "近似" in incubation.note
    firms = _target("在孵科技型中小微企业", 9000)
    assert (firms.metric, firms.indicator) == (Metric.sum_indicator, "incubated_firms")
    assert _target("省级以上技术转移示范机构20家", 20).min_level.code == "provincial"
    national = _target("新增2家国家级", 2)
    provincial = _target("新增2家国家级", 5)
    assert national.metric is provincial.metric is Metric.count_new
    assert (national.min_level.code, national.max_level.code) == ("national", "national")
    assert (provincial.min_level.code, provincial.max_level.code) == ("provincial", "provincial")
    assert _target("服务机构8家", 8).type_codes == ["tech_transfer"]
    assert _target("10家市级以上创新创业载体", 10).min_level.code == "municipal"
    assert _target("工程技术研究中心达到50家", 50).type_codes == ["eng_center"]
    coverage = _target("建设1个以上", 1)
    assert (coverage.metric, coverage.subregion_level.value) == (Metric.coverage, "county")
    assert _target("R&D支出", "1.2").metric is Metric.manual
    assert _target("科技进步贡献率", 55).metric is Metric.manual


def test_seeding_again_changes_nothing(app):
    before = db.session.scalar(select(func.count()).select_from(Target))
    assert "0 created" in seed_plans()
    assert db.session.scalar(select(func.count()).select_from(Target)) == before


def _found(target: dict, candidates) -> bool:
    value = Decimal(str(target["value"]))
    if target["metric"] != "manual":  # the same reading (restatements are merged)
        reading = (
            target["metric"],
            value,
            target["types"],
            target.get("min_level", "county"),
            target.get("max_level"),
        )
        return any(
            (c.metric, c.value, c.types, c.min_level or "county", c.max_level) == reading
            for c in candidates
        )
    phrase = target["phrase"]
    return any(
        c.value == value
        and (c.phrase in phrase or phrase in c.phrase or core(c.phrase) == core(phrase))
        for c in candidates
    )


def test_extraction_finds_every_seeded_numeric_target(app):
    for data in read_plans(SEEDS_DIR / "plans.toml"):
        candidates = extract(data["text"]).candidates
        for target in data["targets"]:
            if any(ch.isdigit() for ch in target["phrase"]):  # not 全覆盖
                assert _found(target, candidates), target["phrase"]
