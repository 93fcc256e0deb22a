"""The counter itself: one upsert per request, shared by every worker: concurrent requests
(real threads, each its own connection and transaction, as gunicorn workers are) each get
their own count, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select

from registry import db, migrate
from registry.limits.models import RateCounter
from registry.limits.service import (
    RateLimit,
    address_key,
    count_request,
    prune,
    window_start,
)
from tests import services
from tests.conftest import make_test_app

NOON = dt.datetime(2026, 12, 1, 12, 0, 30, tzinfo=dt.UTC)
RULE = RateLimit("address", 10, 60)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def committed_app(request, tmp_path_factory) -> Iterator:
    """A migrated database (no seed data needed) whose writes are committed for real."""
    with services.committed_database(
        request.param, tmp_path_factory.mktemp("limits"), "registry_limits"
    ) as url:
        application = make_test_app(url)
        migrate.upgrade(db.engine_of(application))
        yield application
        db.engine_of(application).dispose()


def _count_at_once(app, bucket: str, n: int) -> list[object]:
    barrier = threading.Barrier(n, timeout=30)
    results: list[object] = [None] * n

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                results[index] = count_request(bucket, RULE, NOON).hits
                db.session.commit()
            except Exception as exc:
                db.session.rollback()
                results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_concurrent_requests_are_each_counted_once(committed_app):
    results = _count_at_once(committed_app, "address:198.51.100.20", 8)
    assert sorted(results) == list(range(1, 9)), results  # no lost update, no duplicate
    with committed_app.app_context():
        row = db.session.scalar(select(RateCounter))
        assert (row.bucket, row.window_start, row.hits) == (
            "address:198.51.100.20",
            dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC),
            8,
        )
        db.session.execute(delete(RateCounter))
        db.session.commit()


def test_the_first_request_of_a_window_prunes_the_earlier_windows(app):
    earlier = NOON - dt.timedelta(minutes=5)
    count_request("address:198.51.100.1", RULE, earlier)
    count_request("address:198.51.100.2", RULE, earlier)
    state = count_request("address:198.51.100.3", RULE, NOON)
    assert (state.hits, state.limit, state.remaining, state.exceeded) == (1, 10, 9, False)
    assert state.reset_at == dt.datetime(2026, 12, 1, 12, 1, tzinfo=dt.UTC)
    assert state.retry_after(NOON) == 30
    assert db.session.scalars(select(RateCounter.bucket)).all() == ["address:198.51.100.3"]
    count_request("address:198.51.100.3", RULE, NOON)  # not the window's first: no prune
    assert prune(before=dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)) == 0
    assert prune(before=dt.datetime(2026, 12, 1, 12, 1, tzinfo=dt.UTC)) == 1


def test_over_the_limit_the_count_goes_on(app):
    for _ in range(11):
        state = count_request("user:1", RULE, NOON)
    assert (state.hits, state.remaining, state.exceeded) == (11, 0, True)


def test_windows_are_aligned_on_the_clock_for_every_server():
    assert window_start(NOON, 60) == dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    assert window_start(NOON, 3600) == dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    odd = window_start(NOON, 7)
    assert int(odd.timestamp()) % 7 == 0 and odd <= NOON < odd + dt.timedelta(seconds=7)


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("203.0.113.7", "address:203.0.113.7"),
        ("2001:db8:abcd:12:1:2:3:4", "address:2001:db8:abcd:12::/64"),
        ("::ffff:203.0.113.7", "address:203.0.113.7"),
        ("", "address:unknown"),
        (None, "address:unknown"),
    ],
)
def test_address_buckets(address, bucket):
    assert address_key(address) == bucket
