"""Reminders through the outbox: as the due date nears, after it passed, once each."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from registry import db
from registry.reports.models import ReportReminder
from registry.reports.reminders import send_reminders
from tests import factories
from tests.helpers import outbox
from tests.reports.factories import report


@pytest.fixture
def owner(app):
    return factories.user(name="东坡运营机构")


@pytest.fixture
def carrier(owner):
    carrier = factories.create_carrier("东坡提醒孵化器", owner=owner)
    factories.recognize(carrier, "county", on="2020-05-01")
    return carrier


def _reminders():
    return db.session.scalar(select(func.count()).select_from(ReportReminder))


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        ("2025-02-28", None),  # 31 days before 31 March
        ("2025-03-01", "due_soon"),
        ("2025-03-31", "due_soon"),  # the due day itself
        ("2025-04-01", "overdue"),
        ("2025-12-31", "overdue"),
    ],
)
def test_the_stage_follows_the_due_date(carrier, owner, day, stage):
    sent = send_reminders(dt.date.fromisoformat(day), lead_days=30)
    assert [(r.carrier.id, r.year, r.stage.value) for r in sent] == (
        [(carrier.id, 2024, stage)] if stage else []
    )
    messages = outbox("report_reminder", to=owner.email)
    assert len(messages) == (1 if stage else 0)
    if stage == "overdue":
        assert "逾期" in messages[0].subject and "2025年3月31日" in messages[0].body
    if stage == "due_soon":
        assert "即将到期" in messages[0].subject
        assert f"/carriers/{carrier.id}/reports/2024" in messages[0].body


def test_no_duplicate_for_the_same_carrier_year_and_stage(carrier, owner):
    assert len(send_reminders(dt.date(2025, 3, 10))) == 1
    assert send_reminders(dt.date(2025, 3, 20)) == []
    assert len(send_reminders(dt.date(2025, 4, 2))) == 1  # the overdue stage, once
    assert send_reminders(dt.date(2025, 5, 2)) == []
    assert _reminders() == 2 and len(outbox("report_reminder")) == 2


def test_filed_reports_and_lost_titles_get_no_reminder(carrier, owner):
    other = factories.create_carrier("东坡已报送孵化器", owner=owner)
    factories.recognize(other, "county", on="2020-05-01")
    report(other, 2024, status="submitted")
    drafted = factories.create_carrier("东坡草稿孵化器", owner=owner)
    factories.recognize(drafted, "county", on="2020-05-01")
    report(drafted, 2024, status="draft")
    revoked = factories.create_carrier("东坡已撤销孵化器", owner=owner)
    factories.revoke(factories.recognize(revoked, "county", on="2020-05-01"), "2025-01-15")
    unowned = factories.create_carrier("东坡无主孵化器")
    factories.recognize(unowned, "county", on="2020-05-01")
    sent = send_reminders(dt.date(2025, 4, 10))
    assert sorted(r.carrier.name for r in sent) == ["东坡提醒孵化器", "东坡草稿孵化器"]


def test_the_cli_reminds_once(cli, carrier, owner):
    db.session.commit()
    first = cli.invoke(args=["reports", "remind", "--as-of", "2025-04-05"])
    assert first.exit_code == 0, first.output
    assert f"overdue: 东坡提醒孵化器 (2024) → {owner.email}" in first.output
    second = cli.invoke(args=["reports", "remind", "--as-of", "2025-04-05"])
    assert "reminders: 0 queued" in second.output
    assert len(outbox("report_reminder", to=owner.email)) == 1
