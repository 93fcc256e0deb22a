"""The evaluation seed (rubrics, bands, rules) and the report checks load idempotently, and
the demo's reports respect the checks."""

from __future__ import annotations

from sqlalchemy import func, select

from registry import db
from registry.evaluations.models import GradeBand, RevocationRule, RubricItem, RuleKind
from registry.evaluations.seed import load_evaluation_seed
from registry.reports.figures import consistency_errors
from registry.reports.models import AnnualReport, FigureCheck
from registry.reports.service import figure_values
from registry.seeding import run_seeders
from tests import factories


def test_seeding_twice_writes_nothing(app):
    lines = run_seeders()
    assert "report checks: 0 written" in lines
    assert "evaluation: 0 rubric items written, 0 grade bands written, 0 rules written" in lines
    assert db.session.scalar(select(func.count()).select_from(FigureCheck)) >= 10
    kinds = set(db.session.scalars(select(RevocationRule.kind)))
    assert kinds == {RuleKind.consecutive_fails, RuleKind.consecutive_missing_reports}


def test_a_changed_seed_replaces_the_type_s_rubric_bands_and_rules(app):
    seed = {
        "rubrics": [
            {
                "type": "star_space",
                "bands": {"excellent": 80, "pass": 50},
                "items": [
                    {
                        "code": "mentors",
                        "section": "服务能力",
                        "indicator": "mentors",
                        "target": 4,
                        "weight": 60,
                    },
                    {"code": "judged", "section": "规范管理", "weight": 40},
                ],
            }
        ],
        "rules": [{"type": "star_space", "kind": "consecutive_fails", "years": 3}],
    }
    counts = load_evaluation_seed(seed)
    assert counts == {"rubric items": 2, "grade bands": 2, "rules": 1}
    star = factories.carrier_type("star_space")
    items = db.session.scalars(select(RubricItem).where(RubricItem.type_id == star.id)).all()
    assert sorted(i.code for i in items) == ["judged", "mentors"]
    bands = db.session.scalars(select(GradeBand).where(GradeBand.type_id == star.id)).all()
    assert len(bands) == 2
    (rule,) = db.session.scalars(select(RevocationRule).where(RevocationRule.type_id == star.id))
    assert rule.years == 3 and rule.kind == RuleKind.consecutive_fails
    assert load_evaluation_seed(seed) == {"rubric items": 0, "grade bands": 0, "rules": 0}


def test_demo_reports_keep_the_checks(app):
    from registry.demo import generate_demo

    generate_demo(n_carriers=150, seed=11)
    reports = db.session.scalars(select(AnnualReport).limit(300)).all()
    assert reports
    for report in reports:
        carrier_type = report.carrier.carrier_type
        assert consistency_errors(carrier_type, figure_values(report)) == {}, report
