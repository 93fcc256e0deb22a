"""The `registry` commands on a fresh database: db upgrade, seed, seed --demo, user create."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry import db
from registry.accounts.models import Role, User
from registry.carriers.models import Carrier, Recognition
from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "registry.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def fresh_db(tmp_path_factory) -> str:
    url = "sqlite:///" + str(tmp_path_factory.mktemp("cli") / "fresh.sqlite3")
    for args in (("db", "upgrade"), ("seed",), ("seed", "--demo", "--carriers", "300")):
        result = run(*args, url=url)
        assert result.returncode == 0, result.stderr
    return url


def test_upgrade_seed_and_demo_on_an_empty_database(fresh_db):
    app = make_test_app(fresh_db)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Carrier)) == 300
        assert db.session.scalar(select(func.count()).select_from(Recognition)) > 250
        roles = set(db.session.scalars(select(User.role)))
        assert roles == {Role.admin, Role.reviewer, Role.carrier}
    db.engine_of(app).dispose()


def test_demo_twice_leaves_the_data_alone(fresh_db):
    result = run("seed", "--demo", url=fresh_db)
    assert result.returncode == 0 and "skipped" in result.stdout


def test_user_create(fresh_db):
    ok = run(
        "user",
        "create",
        "--email",
        "Bureau@Example.org",
        "--password",
        "Strong-pass-99",
        "--role",
        "reviewer",
        "--region",
        "511400",
        url=fresh_db,
    )
    assert ok.returncode == 0, ok.stderr
    assert "created reviewer bureau@example.org for 511400 眉山市" in ok.stdout
    taken = run(
        "user",
        "create",
        "--email",
        "bureau@example.org",
        "--password",
        "Strong-pass-99",
        "--role",
        "admin",
        url=fresh_db,
    )
    assert taken.returncode == 2 and "--email" in taken.stderr
    weak = run(
        "user",
        "create",
        "--email",
        "x@example.org",
        "--password",
        "12345678901",
        "--role",
        "admin",
        url=fresh_db,
    )
    assert weak.returncode == 2 and "--password" in weak.stderr
    no_region = run(
        "user",
        "create",
        "--email",
        "y@example.org",
        "--password",
        "Strong-pass-99",
        "--role",
        "reviewer",
        url=fresh_db,
    )
    assert no_region.returncode == 2 and "--region" in no_region.stderr
    bad_region = run(
        "user",
        "create",
        "--email",
        "z@example.org",
        "--password",
        "Strong-pass-99",
        "--role",
        "reviewer",
        "--region",
        "999999",
        url=fresh_db,
    )
    assert bad_region.returncode == 2 and "999999" in bad_region.stderr


def test_db_current_reports_head(fresh_db):
    result = run("db", "current", url=fresh_db)
    assert result.returncode == 0
    database, head = result.stdout.split("head:")
    assert database.split("database:")[1].strip() == head.strip()
