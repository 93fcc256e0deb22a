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


def test_each_scope_moves_with_its_own_data(app):
    """A profile edit moves only `public`; a report only `public` and `reports`; a grade
    also the listing's `standing`; a recognition `public` and `standing`."""
    from registry.reports.models import AnnualReport, ReportStatus
    from tests import factories as f

    def now() -> tuple:
        return tuple(current_version(s) for s in ("public", "standing", "reports"))

    carrier = f.create_carrier("三域孵化器", region_code="511402")
    f.recognize(carrier, "county", dt.date(2023, 1, 1))
    db.session.commit()
    p, s, r = now()

    carrier.address, carrier.contact_phone = "新地址8号", "028-85550002"
    db.session.commit()
    assert now() == (p + 1, s, r)

    db.session.add(AnnualReport(carrier_id=carrier.id, year=2024, status=ReportStatus.draft))
    db.session.commit()
    assert now() == (p + 2, s, r + 1)

    f.grade(carrier, 2024, "good")
    db.session.commit()
    assert now() == (p + 3, s + 1, r + 2)

    f.recognize(carrier, "municipal", dt.date(2025, 1, 1))
    db.session.commit()
    assert now() == (p + 4, s + 2, r + 2)


def test_a_bureau_workspace_stays_cached_while_carriers_edit_their_profiles(app, client):
    """The year's report counts and the region's status counts are reused across profile
    edits (nothing they show changed) and recomputed after a report is filed."""
    from registry.carriers.models import Carrier
    from registry.dashboard import queries as dashboard
    from registry.demo import generate_demo
    from registry.regions.models import Region
    from registry.reports import queries as reports
    from registry.reports.models import AnnualReport, ReportStatus

    generate_demo(n_carriers=60, seed=2)
    db.session.commit()
    country = db.session.scalars(select(Region).where(Region.level == "country")).one()
    day = dt.date(2026, 6, 30)
    counts = reports.year_counts(country, 2025, day)
    statuses = dashboard.status_counts(country, day)
    hits = reports._cache.hits, dashboard._ids_cache.hits

    carrier = db.session.scalars(select(Carrier).order_by(Carrier.id)).first()
    carrier.address = "编辑后的地址"
    db.session.commit()
    assert reports.year_counts(country, 2025, day) == counts
    assert dashboard.status_counts(country, day) == statuses
    assert (reports._cache.hits, dashboard._ids_cache.hits) == (hits[0] + 1, hits[1] + 1)

    filed = select(AnnualReport.carrier_id).where(AnnualReport.year == 2025)
    owed = db.session.scalars(select(Carrier).where(Carrier.id.not_in(filed))).first()
    db.session.add(AnnualReport(carrier_id=owed.id, year=2025, status=ReportStatus.draft))
    db.session.commit()
    misses = reports._cache.misses
    reports.year_counts(country, 2025, day)
    assert reports._cache.misses == misses + 1  # recounted
