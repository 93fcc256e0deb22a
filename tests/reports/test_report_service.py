"""Annual reports' rules: figures, consistency checks, years, the state machine, lateness."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from registry import db
from registry.carriers.models import CarrierType
from registry.errors import Conflict, ValidationError
from registry.reports.deadlines import deadline, due_date, is_late
from registry.reports.models import (
    AnnualReport,
    FigureCheck,
    ReportAction,
    ReportEvent,
    ReportFigure,
    ReportStatus,
)
from registry.reports.service import TRANSITIONS, apply_report_action, figure_values, save_report
from tests import factories
from tests.reports.factories import INCUBATOR, report, utc

TODAY = dt.date(2026, 5, 1)


@pytest.fixture
def owner(app):
    return factories.user()


@pytest.fixture
def carrier(owner):
    carrier = factories.create_carrier("东坡报告孵化器", owner=owner)
    factories.recognize(carrier, "county", on="2021-06-01")
    return carrier


def _counts():
    return (
        db.session.scalar(select(func.count()).select_from(AnnualReport)),
        db.session.scalar(select(func.count()).select_from(ReportFigure)),
    )


def test_a_draft_keeps_the_figures_given_and_clears_the_others(carrier, owner):
    first = save_report(
        carrier, 2024, {"incubation_area": "1,200.5", "staff": 9}, actor=owner, today=TODAY
    )
    assert first.created and first.report.status == ReportStatus.draft
    assert figure_values(first.report) == {"incubation_area": 1200.5, "staff": 9}
    again = save_report(carrier, 2024, {"staff": "10", "mentors": ""}, actor=owner, today=TODAY)
    assert not again.created and again.report.id == first.report.id
    assert figure_values(again.report) == {"staff": 10}


@pytest.mark.parametrize(
    ("figures", "field", "words"),
    [
        ({"staff": -1}, "figures.staff", "负"),
        ({"staff": "十二"}, "figures.staff", "数字"),
        ({"staff": True}, "figures.staff", "数字"),
        ({"staff": "NaN"}, "figures.staff", "数字"),
        ({"staff": 2.5}, "figures.staff", "整数"),
        ({"fund_total": 1.255}, "figures.fund_total", "两位小数"),
        ({"staff": 1e20}, "figures.staff", "过大"),
        ({"rd_staff": 3}, "figures.rd_staff", "不是"),
        (
            {"incubation_area": 1000, "incubated_area_used": 1000.01},
            "figures.incubated_area_used",
            "孵化场地面积",
        ),
        (
            {"graduated_firms_year": 6, "graduated_firms_total": 5},
            "figures.graduated_firms_year",
            "累计毕业企业数",
        ),
        ({"incubated_firms": 10, "financed_firms": 11}, "figures.financed_firms", "在孵企业数"),
    ],
)
def test_bad_figures_are_refused_naming_the_field_and_nothing_is_written(
    carrier, owner, figures, field, words
):
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        save_report(carrier, 2024, figures, actor=owner, today=TODAY)
    assert list(caught.value.fields) == [field]
    assert words in caught.value.fields[field]
    assert _counts() == before


def test_figures_must_be_an_object(carrier, owner):
    with pytest.raises(ValidationError) as caught:
        save_report(carrier, 2024, [1, 2], actor=owner, today=TODAY)
    assert "figures" in caught.value.fields


def test_a_check_may_bound_by_a_sum_of_two_figures(carrier, owner):
    incubator = factories.carrier_type("incubator")
    ids = {i.code: i.id for i in incubator.indicators}
    db.session.add(
        FigureCheck(
            type_id=incubator.id,
            indicator_id=ids["graduate_hires"],
            bound_id=ids["staff"],
            bound2_id=ids["mentors"],
        )
    )
    db.session.flush()
    save_report(
        carrier, 2024, {"graduate_hires": 5, "staff": 3, "mentors": 2}, actor=owner, today=TODAY
    )
    with pytest.raises(ValidationError) as caught:
        save_report(
            carrier, 2024, {"graduate_hires": 6, "staff": 3, "mentors": 2}, actor=owner, today=TODAY
        )
    assert "孵化器从业人员 + 创业导师" in caught.value.fields["figures.graduate_hires"]


@pytest.mark.parametrize(
    ("year", "words"), [(2020, "首次认定"), (2027, "未来"), (1990, "首次认定")]
)
def test_a_report_for_a_year_before_recognition_or_in_the_future_is_refused(
    carrier, owner, year, words
):
    with pytest.raises(ValidationError) as caught:
        save_report(carrier, year, {"staff": 1}, actor=owner, today=TODAY)
    assert words in caught.value.fields["year"]
    assert _counts() == (0, 0)


def test_an_unrecognised_carrier_files_no_report(owner):
    private = factories.create_carrier(owner=owner)
    with pytest.raises(ValidationError) as caught:
        save_report(private, 2024, {}, actor=owner, today=TODAY)
    assert "year" in caught.value.fields


def test_submitting_needs_every_required_figure(carrier, owner):
    partial = {k: v for k, v in INCUBATOR.items() if k not in ("staff", "mentors")}
    with pytest.raises(ValidationError) as caught:
        save_report(carrier, 2024, partial, actor=owner, submit=True, today=TODAY)
    assert set(caught.value.fields) == {"figures.staff", "figures.mentors"}
    result = save_report(carrier, 2024, INCUBATOR, actor=owner, submit=True, today=TODAY)
    assert result.report.status == ReportStatus.submitted
    assert result.report.submitted_by_id == owner.id


ALL_PAIRS = [(s, a) for s in ReportStatus for a in ReportAction]


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS, ids=lambda x: x.value)
def test_every_status_and_action(carrier, owner, status, action):
    reviewer = factories.user("reviewer", "511400")
    row = report(carrier, 2024, status=status.value)
    actor = owner if action == ReportAction.submit else reviewer
    target = TRANSITIONS.get((status, action))
    if target is None:
        with pytest.raises(Conflict):
            apply_report_action(row, action, actor=actor, comment="补充说明")
        assert row.status == status and row.events == []
        return
    apply_report_action(row, action, actor=actor, comment="补充说明")
    assert row.status == target
    (event,) = db.session.scalars(select(ReportEvent).where(ReportEvent.report_id == row.id))
    assert (event.from_status, event.to_status, event.actor_id) == (status, target, actor.id)


def test_returning_needs_a_comment_and_the_owner_edits_and_resubmits(carrier, owner):
    reviewer = factories.user("reviewer", "511402")
    filed = save_report(carrier, 2024, INCUBATOR, actor=owner, submit=True, today=TODAY).report
    first_submission = filed.submitted_at
    with pytest.raises(ValidationError) as caught:
        apply_report_action(filed, ReportAction.return_, actor=reviewer, comment="  ")
    assert "comment" in caught.value.fields and filed.status == ReportStatus.submitted
    apply_report_action(filed, ReportAction.return_, actor=reviewer, comment="在孵企业数有误")
    assert filed.status == ReportStatus.returned and filed.comment == "在孵企业数有误"
    assert filed.decided_by_id == reviewer.id
    changed = {**INCUBATOR, "incubated_firms": 61}
    again = save_report(carrier, 2024, changed, actor=owner, submit=True, today=TODAY).report
    assert again.status == ReportStatus.submitted and again.decided_at is None
    assert again.submitted_at == first_submission  # lateness counts from the first submission
    apply_report_action(again, ReportAction.accept, actor=reviewer)
    assert again.status == ReportStatus.accepted
    with pytest.raises(Conflict):
        save_report(carrier, 2024, INCUBATOR, actor=owner, today=TODAY)
    actions = [e.action for e in again.events]
    assert actions == [
        ReportAction.submit,
        ReportAction.return_,
        ReportAction.submit,
        ReportAction.accept,
    ]


def test_a_decision_on_a_report_changed_meanwhile_is_a_conflict(carrier, owner):
    reviewer = factories.user("reviewer", "511400")
    row = report(carrier, 2024, status="submitted")
    db.session.execute(
        AnnualReport.__table__.update()
        .where(AnnualReport.id == row.id)
        .values(status="accepted", decided_at=utc("2025-03-02"))
    )
    with pytest.raises(Conflict):
        apply_report_action(row, ReportAction.return_, actor=reviewer, comment="迟到的退回")


def test_late_is_derived_from_the_first_submission_and_the_type_due_date(carrier):
    incubator = factories.carrier_type("incubator")
    assert due_date(incubator, 2024) == dt.date(2025, 3, 31)
    # the due day ends at midnight in China (UTC+8): 31 March 15:59 UTC is still on time
    on_time = report(
        carrier,
        2024,
        status="submitted",
        submitted_at=dt.datetime(2025, 3, 31, 15, 59, tzinfo=dt.UTC),
    )
    assert not is_late(on_time, incubator)
    on_time.submitted_at = dt.datetime(2025, 3, 31, 16, 0, tzinfo=dt.UTC)
    assert is_late(on_time, incubator)
    assert deadline(incubator, 2024) == dt.datetime(2025, 3, 31, 16, 0, tzinfo=dt.UTC)


def test_a_type_with_its_own_due_date(carrier):
    maker = db.session.scalar(select(CarrierType).where(CarrierType.code == "maker_space"))
    maker.report_due_month, maker.report_due_day = 2, 30
    assert due_date(maker, 2023) == dt.date(2024, 2, 29)  # clamped to the month
    assert due_date(maker, 2024) == dt.date(2025, 2, 28)
