"""Revocation rules at their boundaries: consecutive failing grades (when the grade is
recorded) and consecutive years without an accepted report (`registry rules apply`)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from registry import db
from registry.audit import AuditEvent
from registry.carriers.levels import Level
from registry.carriers.queries import carrier_standing
from registry.evaluations.models import RevocationRule, RuleApplication, RuleKind
from registry.evaluations.rules import apply_reporting_rules
from registry.evaluations.service import record_evaluation
from tests import factories
from tests.helpers import outbox
from tests.reports.factories import report

TODAY = dt.date(2026, 6, 1)


def _grade(carrier, year, grade, reviewer):
    return record_evaluation(carrier, year, {"grade": grade}, actor=reviewer, today=TODAY)


def _level(carrier, day=TODAY):
    return carrier_standing(carrier.id, day).level


def test_two_consecutive_fails_revoke_the_highest_title(carrier, meishan, owner):
    assert _grade(carrier, 2023, "fail", meishan).revoked is None
    result = _grade(carrier, 2024, "fail", meishan)
    assert result.revoked is not None and result.revoked.level == Level.municipal
    assert result.revoked.revoked_on == TODAY
    assert "连续2年年度考核不合格（2023、2024年）" in result.revoked.revocation_reason
    assert _level(carrier) == Level.county  # the county title stays
    events = {
        e.action: e
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.carrier_id == carrier.id))
    }
    assert events["recognition.revoke"].data["automatic"] is True
    assert events["rule.apply"].data["years"] == [2023, 2024]
    (notice,) = outbox("recognition_revoked_by_rule", to=owner.email)
    assert carrier.name in notice.subject and "2023、2024" in notice.body


@pytest.mark.parametrize(
    ("grades", "revocations"),
    [
        (["fail", "pass", "fail"], 0),
        (["fail", "good", "fail", "excellent"], 0),
        (["pass", "fail"], 0),
        (["fail", "fail", "fail"], 1),  # the third fail starts a new run
        (["fail", "fail", "fail", "fail"], 2),
    ],
)
def test_runs_of_failing_grades(carrier, meishan, grades, revocations):
    sichuan = factories.user("reviewer", "510000")  # grades whatever title is left
    for year, grade in zip(range(2022, 2022 + len(grades)), grades, strict=True):
        _grade(carrier, year, grade, sichuan if revocations else meishan)
    count = db.session.scalar(select(func.count()).select_from(RuleApplication))
    assert count == revocations
    expected = {0: Level.municipal, 1: Level.county, 2: None}[revocations]
    assert _level(carrier) == expected


def test_a_run_completed_by_an_earlier_year_recorded_later(carrier, meishan):
    _grade(carrier, 2024, "fail", meishan)
    assert _grade(carrier, 2023, "fail", meishan).revoked is not None


def test_changing_a_grade_to_fail_completes_a_run(carrier, meishan):
    _grade(carrier, 2023, "fail", meishan)
    _grade(carrier, 2024, "pass", meishan)
    assert _level(carrier) == Level.municipal
    assert _grade(carrier, 2024, "fail", meishan).revoked is not None


def test_an_inactive_rule_does_not_revoke(carrier, meishan):
    rule = db.session.scalar(
        select(RevocationRule).where(
            RevocationRule.type_id == carrier.type_id,
            RevocationRule.kind == RuleKind.consecutive_fails,
        )
    )
    rule.is_active = False
    _grade(carrier, 2023, "fail", meishan)
    assert _grade(carrier, 2024, "fail", meishan).revoked is None


# --- two consecutive years without an accepted report ------------------------------------


def _apply(as_of: str, today: str | None = None):
    day = dt.date.fromisoformat(as_of)
    return apply_reporting_rules(day, today=dt.date.fromisoformat(today) if today else day)


def test_two_years_without_an_accepted_report_revoke_after_the_second_due_date(carrier, owner):
    report(carrier, 2021)
    report(carrier, 2022)
    # 2023: nothing; 2024: a draft, not filed
    report(carrier, 2024, status="draft")
    assert _apply("2025-03-31").applications == []  # 2024's report is due that day
    (applied,) = _apply("2025-04-01").applications
    assert (applied.first_year, applied.year, applied.applied_on) == (
        2023,
        2024,
        dt.date(2025, 4, 1),
    )
    assert _level(carrier, dt.date(2025, 4, 1)) == Level.county
    assert _level(carrier, dt.date(2025, 3, 31)) == Level.municipal  # history kept
    assert "连续2年未报送经审核通过的年度报告（2023、2024年）" in applied_reason(carrier)
    assert len(outbox("recognition_revoked_by_rule", to=owner.email)) == 1
    # applying again changes nothing, nor does a later day with the same years
    assert _apply("2025-04-01").applications == []
    assert _apply("2025-09-30").applications == []
    assert len(outbox("recognition_revoked_by_rule")) == 1


def applied_reason(carrier) -> str:
    revoked = [r for r in carrier.recognitions if r.revoked_on]
    return revoked[0].revocation_reason


@pytest.mark.parametrize(
    ("statuses", "revoked"),
    [
        ({2021: "accepted", 2022: "accepted", 2023: "accepted", 2024: "accepted"}, False),
        ({2021: "accepted", 2022: "accepted", 2023: "accepted"}, False),  # one year missing
        ({2021: "accepted", 2023: "accepted"}, False),  # missing, filed, missing
        ({2021: "accepted", 2022: "accepted", 2023: "submitted"}, False),  # the bureau is late
        ({2021: "accepted", 2022: "accepted", 2023: "returned"}, True),  # returned: not accepted
        ({2023: "accepted", 2024: "accepted"}, True),  # 2021 and 2022
        ({2022: "accepted", 2024: "accepted"}, False),
    ],
)
def test_runs_of_missing_reports(carrier, statuses, revoked):
    for year, status in statuses.items():
        report(carrier, year, status=status)
    applications = _apply("2025-04-01").applications
    assert bool(applications) is revoked


def test_years_before_the_rule_s_first_year_do_not_count(carrier):
    # the seeded rule counts from 2021: 2019 and 2020 had no report in the registry
    report(carrier, 2022)
    report(carrier, 2023)
    report(carrier, 2024)
    assert _apply("2025-04-01").applications == []


def test_years_before_recognition_do_not_count(owner):
    late = factories.create_carrier("新认定孵化器", owner=owner)
    factories.recognize(late, "county", on="2024-03-01")
    assert _apply("2025-04-01").applications == []  # only 2024 was owed


def test_a_year_counts_once(carrier):
    report(carrier, 2021)
    report(carrier, 2022)
    (first,) = _apply("2025-04-01").applications  # 2023 and 2024
    report(carrier, 2025, status="draft")
    # 2025 missing too, but 2024 was counted already: one year is not a run
    assert _apply("2026-04-01", "2026-04-01").applications == []
    assert _level(carrier, dt.date(2026, 4, 1)) == Level.county
    # a second run after it revokes the county title as well
    (second,) = _apply("2027-04-01", "2027-04-01").applications
    assert (second.first_year, second.year) == (2025, 2026) and first.id != second.id
    assert _level(carrier, dt.date(2027, 4, 1)) is None


def test_the_cli_applies_the_rules_once(cli, carrier):
    report(carrier, 2021)
    report(carrier, 2022)
    report(carrier, 2025)
    db.session.commit()
    # 2023 and 2024 are missing; the 2024 report was due on 31 March 2025
    first = cli.invoke(args=["rules", "apply", "--as-of", "2025-06-01"])
    assert first.exit_code == 0, first.output
    assert "revoked: 东坡考核孵化器 municipal (no accepted report 2023–2024)" in first.output
    assert "rules: 1 titles revoked" in first.output
    second = cli.invoke(args=["rules", "apply", "--as-of", "2025-06-01"])
    assert "rules: 0 titles revoked" in second.output
    future = cli.invoke(args=["rules", "apply", "--as-of", "2999-01-01"])
    assert future.exit_code == 2 and "future" in future.output


def test_reading_pages_never_applies_a_rule(app, carrier, meishan, owner):
    from tests.helpers import sign_in

    report(carrier, 2021)
    report(carrier, 2022)
    db.session.commit()
    for user in (meishan, owner):
        client = app.test_client()
        sign_in(client, user)
        for path in (f"/carriers/{carrier.id}", f"/carriers/{carrier.id}/reports", "/my/region"):
            assert client.get(path).status_code in (200, 403)
    assert app.test_client().get(f"/api/v1/carriers/{carrier.id}").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(RuleApplication)) == 0
    assert _level(carrier, dt.date.today()) == Level.municipal


def test_a_past_as_of_leaves_a_title_revoked_since_alone(carrier):
    report(carrier, 2021)
    report(carrier, 2022)
    municipal = max(carrier.recognitions, key=lambda r: r.level)
    factories.revoke(municipal, "2025-05-01")
    (applied,) = _apply("2025-04-01", "2025-06-01").applications
    county = min(carrier.recognitions, key=lambda r: r.level)
    assert applied.recognition_id == county.id and county.revoked_on == dt.date(2025, 4, 1)
    assert municipal.revoked_on == dt.date(2025, 5, 1)
