"""Revocation rules as data per type: `years` consecutive failing grades (applied when the
grade completing the run is recorded) or `years` consecutive years without an accepted
report (applied by `registry rules apply`, a daily cron job; never by reading a page).

A rule that fires revokes the carrier's highest active recognition through
registry.carriers.service.revoke_recognition (automatic=True), records a RuleApplication and
tells the carrier. Years up to the end of a run that fired never count again for that rule,
so applying the rules twice changes nothing, and fail, fail, fail revokes once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select

from registry import audit, db
from registry.accounts.models import User
from registry.carriers.models import Carrier, CarrierType, Recognition
from registry.carriers.service import revoke_recognition
from registry.evaluations.models import (
    Evaluation,
    Grade,
    RevocationRule,
    RuleApplication,
    RuleKind,
)
from registry.reports.deadlines import due_date, held_at_year_end
from registry.reports.models import AnnualReport, ReportStatus


def active_rule(carrier_type_id: int, kind: RuleKind) -> RevocationRule | None:
    return db.session.scalar(
        select(RevocationRule).where(
            RevocationRule.type_id == carrier_type_id,
            RevocationRule.kind == kind,
            RevocationRule.is_active.is_(True),
        )
    )


def last_applied_year(carrier_id: int, kind: RuleKind) -> int | None:
    return db.session.scalar(
        select(func.max(RuleApplication.year)).where(
            RuleApplication.carrier_id == carrier_id, RuleApplication.kind == kind
        )
    )


# --- the fail rule ------------------------------------------------------------------------


def fail_run(fails: set[int], year: int, length: int, after: int | None) -> range | None:
    """A run of `length` consecutive failing years that contains `year`, all after `after`
    (the end of a run that already fired), or None."""
    for start in range(year - length + 1, year + 1):
        run = range(start, start + length)
        if all(y in fails and (after is None or y > after) for y in run):
            return run
    return None


def apply_fail_rule(
    carrier: Carrier, year: int, *, today: dt.date, actor: User | None = None
) -> Recognition | None:
    """After a grade for `year` is recorded: revoke when it completes a run of failing
    grades. Returns the revoked recognition, or None."""
    rule = active_rule(carrier.type_id, RuleKind.consecutive_fails)
    if rule is None:
        return None
    fails = set(
        db.session.scalars(
            select(Evaluation.year).where(
                Evaluation.carrier_id == carrier.id, Evaluation.grade == Grade.fail
            )
        )
    )
    if rule.first_year:
        fails = {y for y in fails if y >= rule.first_year}
    after = last_applied_year(carrier.id, RuleKind.consecutive_fails)
    run = fail_run(fails, year, rule.years, after)
    if run is None:
        return None
    application = _fire(carrier, rule, run, on=today, actor=actor)
    return application and db.session.get(Recognition, application.recognition_id)


# --- the reporting rule -------------------------------------------------------------------


@dataclass
class RulesOutcome:
    checked_types: int
    applications: list[RuleApplication]


def last_due_year(carrier_type: CarrierType, as_of: dt.date) -> int:
    """The latest year whose report was due before `as_of`."""
    year = as_of.year - 1
    return year if as_of > due_date(carrier_type, year) else year - 1


def _accepted_by(year: int, as_of: dt.date) -> ColumnElement[bool]:
    """SQL: the carrier's report for `year` is accepted (by the end of `as_of`) or awaits the
    bureau's decision: a bureau's slowness does not count against the carrier."""
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), dt.UTC)
    return exists().where(
        AnnualReport.carrier_id == Carrier.id,
        AnnualReport.year == year,
        or_(
            and_(
                AnnualReport.status == ReportStatus.accepted,
                # an accepted report without a decision time (imported) counts as accepted
                or_(AnnualReport.decided_at.is_(None), AnnualReport.decided_at < end),
            ),
            AnnualReport.status == ReportStatus.submitted,
        ),
    )


def _missing_run_ends(carrier_type: CarrierType, rule: RevocationRule, last: int, as_of: dt.date):
    """Carriers of the type (recognised on `as_of`) whose `rule.years` years ending at `last`
    all lacked an accepted report, none of them counted by an earlier application."""
    first = last - rule.years + 1
    active_now = exists().where(
        Recognition.carrier_id == Carrier.id,
        Recognition.recognized_on <= as_of,
        or_(Recognition.revoked_on.is_(None), Recognition.revoked_on > as_of),
    )
    counted = exists().where(
        RuleApplication.carrier_id == Carrier.id,
        RuleApplication.kind == RuleKind.consecutive_missing_reports,
        RuleApplication.year >= first,
    )
    conditions = [Carrier.type_id == carrier_type.id, active_now, not_(counted)]
    for year in range(first, last + 1):
        conditions += [held_at_year_end(year), not_(_accepted_by(year, as_of))]
    stmt = select(Carrier).where(*conditions).order_by(Carrier.id)
    return list(db.session.scalars(stmt))


def apply_reporting_rules(as_of: dt.date, *, today: dt.date | None = None) -> RulesOutcome:
    """Revoke the highest active recognition of every carrier whose type's reporting rule
    it breaks as of `as_of`. Idempotent. Raises ValidationError for a future `as_of`."""
    today = today or dt.date.today()
    rules = db.session.scalars(
        select(RevocationRule).where(
            RevocationRule.kind == RuleKind.consecutive_missing_reports,
            RevocationRule.is_active.is_(True),
        )
    ).all()
    applications = []
    for rule in rules:
        carrier_type = rule.carrier_type
        last = last_due_year(carrier_type, as_of)
        start = (rule.first_year or last - rule.years + 1) + rule.years - 1
        for end in range(start, last + 1):
            for carrier in _missing_run_ends(carrier_type, rule, end, as_of):
                run = range(end - rule.years + 1, end + 1)
                applied = _fire(carrier, rule, run, on=as_of, actor=None, today=today)
                if applied is not None:
                    applications.append(applied)
    return RulesOutcome(len(rules), applications)


# --- firing a rule --------------------------------------------------------------------------


def _reason(rule: RevocationRule, run: range) -> str:
    years = "、".join(str(y) for y in run)
    with force_locale("zh"):  # a revocation reason is an official record, in Chinese
        if rule.kind == RuleKind.consecutive_fails:
            return _(
                "Failed the annual evaluation %(n)d years in a row (%(years)s)",
                n=len(run),
                years=years,
            )
        return _(
            "No accepted annual report for %(n)d years in a row (%(years)s)",
            n=len(run),
            years=years,
        )


def _fire(
    carrier: Carrier,
    rule: RevocationRule,
    run: range,
    *,
    on: dt.date,
    actor: User | None,
    today: dt.date | None = None,
) -> RuleApplication | None:
    recognition = _highest_active_on(carrier, on)
    if recognition is None:
        return None
    reason = _reason(rule, run)
    revoke_recognition(
        recognition,
        revoked_on=on,
        reason=reason,
        actor_id=actor.id if actor else None,
        today=today or on,
        automatic=True,
    )
    application = RuleApplication(
        carrier_id=carrier.id,
        kind=rule.kind,
        year=run[-1],
        first_year=run[0],
        recognition_id=recognition.id,
        applied_on=on,
    )
    db.session.add(application)
    db.session.flush()
    audit.record(
        "rule.apply",
        "carrier",
        carrier.id,
        actor_id=actor.id if actor else None,
        carrier_id=carrier.id,
        rule=rule.kind,
        years=list(run),
        recognition_id=recognition.id,
        level=recognition.level.code,
        source=rule.source,
    )
    _notify(carrier, recognition, reason)
    return application


def _highest_active_on(carrier: Carrier, on: dt.date) -> Recognition | None:
    """The highest recognition held on `on` that is not revoked since (a past `--as-of` must
    not touch a title a bureau revoked later)."""
    db.session.refresh(carrier, ["recognitions"])
    active = [r for r in carrier.recognitions if r.recognized_on <= on and r.revoked_on is None]
    return max(active, key=lambda r: (int(r.level), r.recognized_on, r.id), default=None)


def _notify(carrier: Carrier, recognition: Recognition, reason: str) -> None:
    owner = db.session.get(User, carrier.owner_id) if carrier.owner_id else None
    if owner is None or not owner.is_active:
        return
    from registry.notifications.service import queue_templated
    from registry.web import external_url

    with force_locale("zh"):
        queue_templated(
            owner.email,
            kind="recognition_revoked_by_rule",
            subject=_("%(name)s: title revoked", name=carrier.name),
            user_id=owner.id,
            user=owner,
            carrier=carrier,
            recognition=recognition,
            reason=reason,
            link=external_url("public.show_carrier", carrier_id=carrier.id),
        )
