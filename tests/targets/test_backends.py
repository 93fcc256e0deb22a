"""The engine gives identical results on SQLite and PostgreSQL (same fixture, both databases)."""

from __future__ import annotations

import pytest

from registry import db
from tests import services
from tests.conftest import build_database
from tests.targets import fixture


def _results_on(url: str) -> dict:
    app = build_database(url)
    try:
        with app.app_context():
            try:
                fixture.build()
                return fixture.compute_all(fixture.targets())
            finally:
                db.session.rollback()
    finally:
        db.engine_of(app).dispose()


@pytest.mark.postgres
def test_sqlite_and_postgresql_agree(tmp_path):
    reason = services.postgres_reachable()
    if reason:
        services.unavailable(reason)
    url = services.create_postgres_database("registry_targets")
    try:
        on_postgres = _results_on(url)
    finally:
        services.drop_postgres_database(url)
    on_sqlite = _results_on(f"sqlite:///{tmp_path / 'targets.sqlite3'}")
    assert on_postgres == on_sqlite
    for key, expected in fixture.EXPECTED.items():
        assert on_postgres[key] == expected, key
    for name, expected in fixture.EXPECTED_BREAKDOWNS.items():
        assert on_postgres[(name, "breakdown")] == expected, name
