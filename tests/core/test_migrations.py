"""The schema comes from the migrations, and the migrations agree with the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from registry import migrate
from registry.db import Base, make_engine
from tests import services


def _diff(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _roundtrip(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        assert _diff(engine) == []
        tables = set(inspect(engine).get_table_names())
        assert {"regions", "carriers", "recognitions", "audit_events", "users"} <= tables
        with engine.begin() as conn:
            versions = conn.execute(text("SELECT id, version FROM data_versions ORDER BY id"))
            # public data, the listing's standing, reports and grades
            assert versions.all() == [(1, 0), (2, 0), (3, 0)]
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_sqlite_empty_to_head_and_back(tmp_path):
    _roundtrip(f"sqlite:///{tmp_path / 'm.sqlite3'}")


@pytest.mark.postgres
def test_postgres_empty_to_head_and_back():
    reason = services.postgres_reachable()
    if reason:
        services.unavailable(reason)
    url = services.create_postgres_database("registry_migr")
    try:
        _roundtrip(url)
    finally:
        services.drop_postgres_database(url)


def test_audit_log_is_append_only(app):
    from registry import audit, db

    event = audit.record("test.event", "test", 1)
    db.session.flush()
    with pytest.raises(DBAPIError), db.session.begin_nested():
        db.session.execute(
            text("UPDATE audit_events SET action = 'x' WHERE id = :id"), {"id": event.id}
        )
    with pytest.raises(DBAPIError), db.session.begin_nested():
        db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": event.id})
