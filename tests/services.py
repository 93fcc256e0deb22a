"""Where the suite finds PostgreSQL and Chromium, and what to do when they are absent."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHROMIUM = "/usr/bin/chromium"


def required() -> bool:
    """In CI (REGISTRY_REQUIRE_SERVICES=1) a missing service fails instead of skipping."""
    return os.environ.get("REGISTRY_REQUIRE_SERVICES") == "1"


def unavailable(reason: str) -> None:
    if required():
        pytest.fail(f"{reason} (REGISTRY_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def postgres_admin_url() -> str:
    return os.environ.get("REGISTRY_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(_plain(postgres_admin_url()), connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL not reachable at {postgres_admin_url()}: {exc.__class__.__name__}"


def create_postgres_database(prefix: str = "registry_test") -> str:
    """A new empty database; returns its SQLAlchemy URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_plain(postgres_admin_url()), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_admin_url().rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(_plain(postgres_admin_url()), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def committed_database(backend: str, tmp_dir: Path, name: str) -> Iterator[str]:
    """The URL of an empty database on `backend` ("sqlite" or "postgres") whose writes are
    committed for real (tests with threads or processes); a PostgreSQL one is dropped
    afterwards, and skipped (failed in CI) when PostgreSQL is not there."""
    if backend == "postgres":
        reason = postgres_reachable()
        if reason:
            unavailable(reason)
        url = create_postgres_database(name)
        try:
            yield url
        finally:
            drop_postgres_database(url)
    else:
        yield "sqlite:///" + str(tmp_dir / f"{name}.sqlite3")


def chromium_missing() -> str | None:
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        return (
            f"Chromium not installed at {CHROMIUM} (apt-get install -y chromium fonts-wqy-microhei)"
        )
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Python Playwright not installed"
    return None
