"""Backups of a running database and restores into an empty one: SQLite through its online
backup API (a consistent copy while the app keeps writing), PostgreSQL through `pg_dump
--format=custom` (one snapshot) and `pg_restore` (one transaction).

A backup is written next to its final name and renamed when complete, so a failed backup never
leaves a truncated file; a restore refuses a database that already holds tables unless forced.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from registry import migrate

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
CLIENT_HINT = "install the PostgreSQL client tools of the server's version (postgresql-client)"


class BackupError(Exception):
    """A backup or restore cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    dialect: str
    revision: str | None


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    dialect: str
    revision: str | None
    replaced: bool  # the database held tables, replaced under --force


def backup_database(engine: Engine, path: Path) -> BackupResult:
    """Write a consistent backup of the database at `engine` to `path` (replacing an older
    file only once the new one is complete); raises BackupError."""
    path = Path(path).resolve()
    if not path.parent.is_dir():
        raise BackupError(f"directory {path.parent} does not exist")
    if engine.dialect.name == "sqlite":
        database = _sqlite_file(engine.url)
        if not database.exists():
            raise BackupError(f"the database file {database} does not exist")
        if path == database:
            raise BackupError("the backup file cannot be the database file itself")
    elif engine.dialect.name == "postgresql":
        _tool("pg_dump")
    else:
        raise BackupError(f"no backup method for {engine.dialect.name}")
    revision = _revision(engine)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(database, partial)
        else:
            _pg_dump(engine.url, partial)
        os.replace(partial, path)
    finally:
        _remove(partial)
    return BackupResult(path, path.stat().st_size, engine.dialect.name, revision)


def restore_database(engine: Engine, path: Path, *, force: bool = False) -> RestoreResult:
    """Restore the backup at `path` into the database at `engine`, which must be empty unless
    `force` (then its contents are replaced, all or nothing); raises BackupError."""
    path = Path(path).resolve()
    kind = backup_kind(path)
    if kind != engine.dialect.name:
        raise BackupError(
            f"{path} is a {kind} backup but the database is {engine.dialect.name}: restore it "
            f"into a {kind} database"
        )
    if kind == "postgresql":
        _tool("pg_restore")
    tables = existing_tables(engine)
    if tables and not force:
        raise BackupError(_not_empty(tables))
    engine.dispose()  # this process's own connections must not hold the old database
    if kind == "sqlite":
        _sqlite_restore(path, _sqlite_file(engine.url))
    else:
        _pg_restore(engine.url, path, clean=bool(tables))
    engine.dispose()
    return RestoreResult(path, kind, _revision(engine), replaced=bool(tables))


def _revision(engine: Engine) -> str | None:
    try:
        return migrate.current(engine)
    except SQLAlchemyError as exc:
        raise BackupError(f"cannot reach the database: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def backup_kind(path: Path) -> str:
    """`sqlite` or `postgresql`, from the file's first bytes; raises BackupError."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a registry backup (neither SQLite nor pg_dump's format)")


def existing_tables(engine: Engine) -> list[str]:
    """The tables the database already holds (in its default schema)."""
    if engine.dialect.name == "sqlite":
        database = _sqlite_file(engine.url)
        if not database.exists():
            return []
        with _sqlite(database, readonly=True) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return sorted(name for (name,) in rows if not name.startswith("sqlite_"))
    try:
        with engine.connect() as conn:
            return sorted(inspect(conn).get_table_names())
    except SQLAlchemyError as exc:
        raise BackupError(f"cannot reach the database: {_first_line(exc)}") from None


def _not_empty(tables: list[str]) -> str:
    shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
    return (
        f"the database already holds {len(tables)} tables ({shown}); restore only into an "
        f"empty database (create a new one and point REGISTRY_DATABASE_URL at it), or pass "
        f"--force to replace all of this database's contents"
    )


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with suppress(FileNotFoundError):
            leftover.unlink()


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_file(url: URL) -> Path:
    database = url.database or ""
    if database in ("", ":memory:") or "mode=memory" in str(url):
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database).resolve()


@contextmanager
def _sqlite(path: Path, *, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"file:{quote(str(path))}" + ("?mode=ro" if readonly else "")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}") from None
    try:
        yield conn
    finally:
        conn.close()


def _sqlite_backup(database: Path, partial: Path) -> None:
    with _sqlite(database, readonly=True) as source, _sqlite(partial) as copy:
        try:
            source.backup(copy)  # one step: a consistent snapshot, writers carry on (WAL)
            copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            _check_sqlite(copy, partial)
        except sqlite3.Error as exc:
            raise BackupError(f"the SQLite backup failed: {exc}") from None


def _check_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    (verdict,) = conn.execute("PRAGMA quick_check").fetchone()
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")


def _sqlite_restore(backup: Path, database: Path) -> None:
    if not database.parent.is_dir():
        raise BackupError(f"directory {database.parent} does not exist")
    existed = database.exists()
    with _sqlite(backup, readonly=True) as source:
        try:
            _check_sqlite(source, backup)
            if not source.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone():
                raise BackupError(f"{backup} is a SQLite file but not a registry backup")
            with _sqlite(database) as target:
                source.backup(target)  # the target's pages replaced in one write transaction
        except sqlite3.Error as exc:
            if not existed:
                _remove(database)
            raise BackupError(f"the SQLite restore failed, nothing was changed: {exc}") from None


# --- PostgreSQL -----------------------------------------------------------------------------


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """The URL as libpq reads it (postgresql://, no password) and the environment that carries
    the password (PGPASSWORD), so it never shows in the process list."""
    env = {"PGPASSWORD": url.password} if url.password else {}
    plain = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found on PATH: {CLIENT_HINT}")
    return found


def _run(args: list[str], url: URL) -> subprocess.CompletedProcess:
    target, env = libpq_target(url)
    args = [*args, "--no-password", f"--dbname={target}"]
    return subprocess.run(
        args, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )


def _pg_dump(url: URL, partial: Path) -> None:
    result = _run([_tool("pg_dump"), "--format=custom", f"--file={partial}"], url)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def _pg_restore(url: URL, backup: Path, *, clean: bool) -> None:
    tool = _tool("pg_restore")
    listing = subprocess.run([tool, "--list", str(backup)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise BackupError(f"{backup} cannot be read by pg_restore: {listing.stderr.strip()}")
    args = [tool, "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"]
    if clean:
        args += ["--clean", "--if-exists"]
    result = _run([*args, str(backup)], url)
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed, nothing was changed (one transaction): {result.stderr.strip()}"
        )
