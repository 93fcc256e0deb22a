"""Test set-up: one database per test session built by the migrations, a savepoint per test.

REGISTRY_TEST_DATABASE=postgres runs the whole suite on PostgreSQL (a fresh database per
session at REGISTRY_TEST_POSTGRES_URL); the default is a SQLite file.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from registry import create_app, db, migrate
from registry.cache import clear_all
from registry.config import TEST_OVERRIDES
from registry.seeding import run_seeders
from tests import services

os.environ.setdefault("REGISTRY_INSTANCE_PATH", "/tmp/registry-test-instance")


def suite_on_postgres() -> bool:
    return os.environ.get("REGISTRY_TEST_DATABASE") == "postgres"


def make_test_app(url: str, **overrides) -> Flask:
    app = create_app({**TEST_OVERRIDES, "DATABASE_URL": url, **overrides})
    app.test_client_class = IsolatedClient  # every client, not only the fixture's
    return app


def build_database(url: str, *, demo: int | None = None) -> Flask:
    """A migrated database with the reference data (and demo data when asked)."""
    app = make_test_app(url)
    with app.app_context():
        migrate.upgrade(db.engine_of(app))
        run_seeders()
        db.session.commit()
        if demo:
            from registry.demo import generate_demo

            generate_demo(n_carriers=demo)
            db.session.commit()
    return app


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if suite_on_postgres():
        reason = services.postgres_reachable()
        if reason:
            pytest.exit(reason, returncode=3)
        url = services.create_postgres_database()
        yield url
        services.drop_postgres_database(url)
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "registry.sqlite3")


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    application = build_database(database_url)
    yield application
    db.engine_of(application).dispose()


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test that uses the app runs inside a transaction rolled back at its end."""
    if "app" not in request.fixturenames:
        yield
        return
    application: Flask = request.getfixturevalue("app")
    # Caches are per process and keyed by data version, which every database numbers from
    # the start: what a test on another database (browser, schemathesis) left must go.
    clear_all()
    state = application.extensions["registry.db"]
    conn = state.engine.connect()
    outer = conn.begin()
    original = state.sessionmaker
    state.sessionmaker = sessionmaker(
        bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    ctx = application.app_context()
    ctx.push()
    try:
        yield
    finally:
        db.session.remove()
        ctx.pop()
        state.sessionmaker = original
        if outer.is_active:
            outer.rollback()
        conn.close()
        clear_all()


class IsolatedClient(FlaskClient):
    """Each request runs in its own application context, as in production: its own `g`, its
    own session (on the test's connection, so it sees the test's data), its own locale."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)  # streamed bodies are read inside that context
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app: Flask):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def client_en(app: Flask):
    """A client that reads the English interface (messages are Chinese by default)."""
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def cli(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app: Flask):
    """Counts the SQL statements run inside a `with count_queries() as n:` block."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        box = [0]

        def _count(*_args):
            box[0] += 1

        engine = db.engine_of(app)
        event.listen(engine, "before_cursor_execute", _count)
        try:
            yield box
        finally:
            event.remove(engine, "before_cursor_execute", _count)

    return counter
