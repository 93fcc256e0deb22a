"""The demo generator: deterministic, realistic, every type and level, histories."""

from __future__ import annotations

from sqlalchemy import func, select

from registry import db
from registry.carriers import uscc
from registry.carriers.models import Carrier, CarrierType, CreditCodeReview, Recognition
from registry.demo import generate_demo
from registry.evaluations.models import Evaluation
from registry.regions.models import Region
from registry.reports.models import AnnualReport


def snapshot() -> list[tuple]:
    rows = db.session.execute(
        select(
            Carrier.name,
            Carrier.uscc,
            Recognition.level,
            Recognition.recognized_on,
            Recognition.revoked_on,
        )
        .join(Recognition, Recognition.carrier_id == Carrier.id, isouter=True)
        .order_by(Carrier.id, Recognition.id)
    )
    return [tuple(r) for r in rows]


def test_same_seed_same_data(app):
    with db.session.begin_nested() as first:
        generate_demo(n_carriers=150, seed=7)
        one = snapshot()
        first.rollback()
    with db.session.begin_nested() as second:
        generate_demo(n_carriers=150, seed=7)
        two = snapshot()
        second.rollback()
    with db.session.begin_nested() as third:
        generate_demo(n_carriers=150, seed=8)
        other = snapshot()
        third.rollback()
    assert one == two
    assert one != other


def test_demo_covers_every_type_level_and_history(app):
    result = generate_demo(n_carriers=600, seed=2016)
    assert result.carriers == 600 and result.revoked > 0 and result.reports > 0
    per_type = dict(
        db.session.execute(
            select(CarrierType.code, func.count()).join(Carrier).group_by(CarrierType.code)
        ).all()
    )
    assert set(per_type) == {
        "incubator",
        "maker_space",
        "star_space",
        "tech_transfer",
        "eng_center",
    }
    levels = set(db.session.scalars(select(Recognition.level).distinct()))
    assert {int(lv) for lv in levels} == {1, 2, 3, 4}
    upgraded = db.session.scalar(
        select(func.count()).select_from(
            select(Recognition.carrier_id)
            .group_by(Recognition.carrier_id)
            .having(func.count() > 1)
            .subquery()
        )
    )
    assert upgraded > 20
    sichuan = db.session.scalar(
        select(func.count())
        .select_from(Carrier)
        .join(Region)
        .where(Region.path.like("000000/510000/%"))
    )
    assert sichuan > 600 * 0.6
    # every code passes its check but the one kept for a bureau to verify (the demo of it)
    kept = select(CreditCodeReview.carrier_id)
    credit_codes = list(db.session.scalars(select(Carrier.uscc).where(Carrier.id.not_in(kept))))
    assert all(uscc.is_valid(code) for code in credit_codes)
    pending = db.session.scalars(select(CreditCodeReview)).all()
    assert len(pending) == 1 and not uscc.is_valid(pending[0].uscc)
    assert db.session.scalar(select(func.count()).select_from(AnnualReport)) == result.reports
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == result.evaluations


def test_reports_and_grades_only_while_recognised(app):
    generate_demo(n_carriers=300, seed=3)
    first_recognition = (
        select(Recognition.carrier_id, func.min(Recognition.recognized_on).label("first"))
        .group_by(Recognition.carrier_id)
        .subquery()
    )
    too_early = db.session.scalar(
        select(func.count())
        .select_from(AnnualReport)
        .join(first_recognition, first_recognition.c.carrier_id == AnnualReport.carrier_id)
        .where(AnnualReport.year < func.extract("year", first_recognition.c.first))
    )
    assert too_early == 0
