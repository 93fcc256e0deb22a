"""`registry backup` and `registry restore`: every table's rows survive the round trip, on
SQLite and PostgreSQL; a backup taken while a write is open is consistent; a restore never
overwrites a database that holds data unless forced; failures leave nothing behind."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from registry import db, migrate
from registry.backups.service import BackupError, backup_database, libpq_target
from registry.db import Base
from tests import services
from tests.conftest import build_database, make_test_app

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
# tables the world below fills (among others): the check must compare real rows
FILLED = {
    "alembic_version",
    "regions",
    "carriers",
    "recognitions",
    "applications",
    "application_attachments",
    "annual_reports",
    "report_figures",
    "evaluations",
    "plans",
    "targets",
    "imports",
    "users",
    "api_tokens",
    "audit_events",
    "outbox_messages",
}


class Databases:
    """Fresh databases of one kind, dropped at the end."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder, self.made = kind, folder, []

    def new(self, name: str) -> str:
        if self.kind == "postgresql":
            url = services.create_postgres_database("registry_backup")
            self.made.append(url)
            return url
        return f"sqlite:///{self.folder / name}.sqlite3"

    def drop_all(self) -> None:
        for url in self.made:
            services.drop_postgres_database(url)


@pytest.fixture(scope="module", params=BACKENDS)
def kind(request) -> str:
    if request.param == "postgresql":
        reason = services.postgres_reachable()
        if reason:
            services.unavailable(reason)
    return request.param


@pytest.fixture(scope="module")
def source(kind, tmp_path_factory) -> Iterator[tuple]:
    """A committed database with the demo data and a row in the tables the demo leaves empty."""
    databases = Databases(kind, tmp_path_factory.mktemp("backups"))
    url = databases.new("source")
    app = build_database(url, demo=40)
    app.config["UPLOAD_DIR"] = str(tmp_path_factory.mktemp("uploads"))
    with app.app_context():
        _fill_the_rest()
    yield app, databases
    db.engine_of(app).dispose()
    databases.drop_all()


def _fill_the_rest() -> None:
    from registry.accounts.tokens import issue_token
    from registry.notifications.service import queue_email
    from tests.security.access_rules import build_world

    world = build_world()  # an import, an application with a document, a plan's figures …
    issue_token(world.users["owner"])
    queue_email("bureau@example.org", "主题", "正文", kind="test")
    db.session.commit()


@pytest.fixture
def databases(kind, tmp_path) -> Iterator[Databases]:
    made = Databases(kind, tmp_path)
    yield made
    made.drop_all()


def contents(url: str) -> dict[str, tuple[int, str]]:
    """Every table: its row count and a SHA-256 of its rows (order-independent)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = {}
            for table in sorted(inspect(conn).get_table_names()):
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                lines = sorted(repr(tuple(row)) for row in rows)
                digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
                found[table] = (len(rows), digest)
            return found
    finally:
        engine.dispose()


def invoke(url: str, *args: str):
    app = make_test_app(url)
    try:
        return app.test_cli_runner().invoke(args=list(args))
    finally:
        db.engine_of(app).dispose()


def test_every_table_survives_the_round_trip(source, databases, tmp_path):
    app, _ = source
    url = str(db.engine_of(app).url.render_as_string(hide_password=False))
    before = contents(url)
    assert set(before) == set(Base.metadata.tables) | {"alembic_version"}
    assert {t for t, (n, _) in before.items() if n} >= FILLED

    file = tmp_path / "registry.backup"
    made = invoke(url, "backup", str(file))
    assert made.exit_code == 0, made.output
    assert made.output.startswith(f"backup: {file} (") and migrate.head() in made.output
    assert file.stat().st_size > 0 and list(tmp_path.iterdir()) == [file]

    target = databases.new("restored")
    restored = invoke(target, "restore", str(file))
    assert restored.exit_code == 0, restored.output
    assert f"schema {migrate.head()} (current)" in restored.output
    assert contents(target) == before

    # the restored database works: new rows get fresh ids (sequences came along)
    created = invoke(
        target, "user", "create", "--email", "ops@example.org", "--password", "Strong-pass-99",
        "--role", "admin",
    )  # fmt: skip
    assert created.exit_code == 0, created.output


def test_a_backup_during_an_open_write_holds_the_committed_data(source, databases, tmp_path):
    app, _ = source
    engine = db.engine_of(app)
    url = engine.url.render_as_string(hide_password=False)
    before = contents(url)
    file = tmp_path / "during-write.backup"
    with engine.connect() as writer:
        writer.begin()
        writer.execute(text("UPDATE regions SET name = name || '（改）' WHERE code = '511402'"))
        writer.execute(text("DELETE FROM outbox_messages"))
        backup_database(engine, file)  # the app keeps running: no lock is waited for
        writer.rollback()
    target = databases.new("during-write")
    assert invoke(target, "restore", str(file)).exit_code == 0
    assert contents(target) == before


def test_restore_refuses_a_database_with_data_unless_forced(source, databases, tmp_path):
    app, _ = source
    url = db.engine_of(app).url.render_as_string(hide_password=False)
    file = tmp_path / "registry.backup"
    assert invoke(url, "backup", str(file)).exit_code == 0

    other = databases.new("other")
    build_database(other)  # the reference data only: different contents
    db_before = contents(other)
    refused = invoke(other, "restore", str(file))
    assert refused.exit_code == 2
    assert "already holds" in refused.output and "--force" in refused.output
    assert contents(other) == db_before

    forced = invoke(other, "restore", "--force", str(file))
    assert forced.exit_code == 0, forced.output
    assert "its former contents replaced" in forced.output
    assert contents(other) == contents(url)


# --- without a database server --------------------------------------------------------------


def test_a_backup_of_the_other_kind_or_no_backup_is_refused(tmp_path):
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    dump = tmp_path / "registry.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
    result = invoke(target, "restore", str(dump))
    assert result.exit_code == 2
    assert "is a postgresql backup but the database is sqlite" in result.output

    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    result = invoke(target, "restore", str(notes))
    assert result.exit_code == 2 and "is not a registry backup" in result.output

    stranger = tmp_path / "stranger.sqlite3"
    engine = create_engine(f"sqlite:///{stranger}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE things (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    result = invoke(target, "restore", str(stranger))
    assert result.exit_code == 2 and "not a registry backup" in result.output
    assert not (tmp_path / "target.sqlite3").exists()


def test_sqlite_backup_refuses_its_own_file_and_a_missing_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    missing = invoke(url, "backup", str(tmp_path / "b.backup"))
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert not (tmp_path / "registry.sqlite3").exists()  # not created by the attempt
    build_database(url)
    itself = invoke(url, "backup", str(tmp_path / "registry.sqlite3"))
    assert itself.exit_code == 2 and "cannot be the database file itself" in itself.output
    nowhere = invoke(url, "backup", str(tmp_path / "no-such-dir" / "b.backup"))
    assert nowhere.exit_code == 2 and "does not exist" in nowhere.output


def test_postgresql_tools_must_be_on_the_path(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing there
    url = "postgresql+psycopg://registry@127.0.0.1:1/registry"  # never reached
    result = invoke(url, "backup", str(tmp_path / "registry.dump"))
    assert result.exit_code == 2
    assert "pg_dump not found on PATH" in result.output and "postgresql-client" in result.output
    dump = tmp_path / "registry.dump"
    dump.write_bytes(b"PGDMP" + b"\x00" * 64)
    result = invoke(url, "restore", str(dump))
    assert result.exit_code == 2 and "pg_restore not found on PATH" in result.output


def test_the_password_goes_to_the_environment_not_the_command_line():
    url = make_url("postgresql+psycopg://registry:p%40ss%2Fw@db.internal:5433/reg?sslmode=require")
    target, env = libpq_target(url)
    assert target == "postgresql://registry@db.internal:5433/reg?sslmode=require"
    assert env == {"PGPASSWORD": "p@ss/w"}
    assert libpq_target(make_url("postgresql+psycopg://postgres@/reg")) == (
        "postgresql://postgres@/reg",
        {},
    )


@pytest.mark.postgres
def test_a_failed_pg_dump_keeps_the_previous_backup(tmp_path, monkeypatch):
    reason = services.postgres_reachable()
    if reason:
        services.unavailable(reason)
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "pg_dump"
    # writes half a file, then fails as pg_dump does when the server goes away mid-dump
    fake.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in --file=*) printf PGDMP-half > "${a#--file=}";; esac; done\n'
        'echo "pg_dump: error: connection to server lost" >&2\nexit 1\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    backups = tmp_path / "backups"
    backups.mkdir()
    previous = backups / "registry.dump"
    previous.write_bytes(b"yesterday's backup")
    engine = create_engine(services.postgres_admin_url())
    try:
        with pytest.raises(BackupError, match="pg_dump failed: pg_dump: error: connection"):
            backup_database(engine, previous)
    finally:
        engine.dispose()
    assert previous.read_bytes() == b"yesterday's backup"
    assert list(backups.iterdir()) == [previous]
