"""Every write to public data moves the data version, also writes that bypass the ORM's
flush (bulk statements, guarded status changes); writes to private data do not."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from registry import db
from registry.cache import current_version


def test_a_bulk_update_of_public_data_moves_the_version_and_of_private_data_not(app):
    from registry.accounts.models import ApiToken
    from registry.carriers.models import Carrier
    from tests import factories as f

    carrier = f.create_carrier("版本孵化器", region_code="511402")
    db.session.commit()
    public, standing = current_version(), current_version("standing")

    db.session.execute(update(ApiToken).where(ApiToken.id < 0).values(revoked_at=None))
    db.session.commit()
    assert (current_version(), current_version("standing")) == (public, standing)

    db.session.execute(update(Carrier).where(Carrier.id == carrier.id).values(address="新址"))
    assert current_version() is None  # uncommitted: nothing read now may be cached
    db.session.commit()
    assert current_version() == public + 1
    assert current_version("standing") == standing + 1  # a carrier's row: read again


def test_a_bureau_accepting_a_report_moves_the_version_and_the_counts_follow(app, client):
    """Accepting or returning a report is a guarded UPDATE (one of two bureaus wins): the
    year's counts a reviewer sees, cached per version, follow it at once."""
    from registry.accounts.models import User
    from registry.demo import generate_demo
    from registry.regions.models import Region
    from registry.reports import queries
    from registry.reports.models import AnnualReport, ReportStatus
    from registry.reports.service import ReportAction, apply_report_action

    generate_demo(n_carriers=60, seed=1)
    db.session.commit()
    report = db.session.scalars(
        select(AnnualReport)
        .where(AnnualReport.status == ReportStatus.submitted)
        .order_by(AnnualReport.year.desc(), AnnualReport.id)
    ).first()
    assert report is not None
    country = db.session.scalars(select(Region).where(Region.level == "country")).one()
    today = dt.date(report.year + 1, 6, 30)

    def counts():
        c = queries.year_counts(country, report.year, today)
        return c.accepted, c.submitted

    accepted, submitted = counts()
    assert counts() == (accepted, submitted)  # cached
    version = current_version()
    actor = db.session.scalars(select(User).order_by(User.id)).first()
    apply_report_action(report, ReportAction.accept, actor=actor)
    db.session.commit()
    assert current_version() == version + 1
    assert counts() == (accepted + 1, submitted - 1)
