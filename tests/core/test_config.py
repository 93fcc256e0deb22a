"""Settings checked when the app is made: each refusal through create_app and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from registry import create_app, db
from registry.config import ConfigError
from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parents[2]
SECRET = "5d4c0b0e7f3a8e2b9c1d6f4a0e7b3c5d"  # 32 characters
UNREACHABLE_PG = "postgresql+psycopg://registry@127.0.0.1:1/registry"  # never connected here
PRODUCTION = {
    "REGISTRY_ENV": "production",
    "REGISTRY_SECRET_KEY": SECRET,
    "REGISTRY_DATABASE_URL": UNREACHABLE_PG,
}

REFUSALS = [
    pytest.param(
        {**PRODUCTION, "REGISTRY_SECRET_KEY": None},
        "REGISTRY_SECRET_KEY must be set to a random value",
        id="default-secret",
    ),
    pytest.param(
        {**PRODUCTION, "REGISTRY_SECRET_KEY": "not-the-default-but-short"},
        "at least 32 characters",
        id="short-secret",
    ),
    pytest.param(
        {**PRODUCTION, "REGISTRY_DATABASE_URL": None},
        "production needs PostgreSQL",
        id="sqlite",
    ),
    pytest.param({**PRODUCTION, "REGISTRY_DEBUG": "1"}, "REGISTRY_DEBUG must be off", id="debug"),
    pytest.param(
        {"REGISTRY_ENV": "prod"}, "REGISTRY_ENV must be development or production", id="mode"
    ),
    pytest.param({"REGISTRY_LOG_FORMAT": "xml"}, "REGISTRY_LOG_FORMAT must be", id="log-format"),
    pytest.param({"REGISTRY_LOG_LEVEL": "chatty"}, "REGISTRY_LOG_LEVEL must be", id="log-level"),
    pytest.param({"REGISTRY_PROXY_FIX": "yes"}, "REGISTRY_PROXY_FIX must be", id="proxy-fix"),
]


def _environment(monkeypatch, settings: dict[str, str | None]) -> None:
    for name in list(os.environ):
        if name.startswith("REGISTRY_") and name != "REGISTRY_INSTANCE_PATH":
            monkeypatch.delenv(name)
    for name, value in settings.items():
        if value is not None:
            monkeypatch.setenv(name, value)


@pytest.mark.parametrize(("settings", "message"), REFUSALS)
def test_create_app_refuses(monkeypatch, settings, message):
    _environment(monkeypatch, settings)
    with pytest.raises(ConfigError, match=message):
        create_app()


def test_every_problem_is_named_at_once(monkeypatch):
    _environment(monkeypatch, {"REGISTRY_ENV": "production", "REGISTRY_DEBUG": "yes"})
    with pytest.raises(ConfigError) as refused:
        create_app()
    for message in ("REGISTRY_SECRET_KEY", "needs PostgreSQL", "REGISTRY_DEBUG"):
        assert message in str(refused.value)


@pytest.mark.parametrize(
    "settings",
    [PRODUCTION, {**PRODUCTION, "REGISTRY_DATABASE_URL": None, "REGISTRY_ALLOW_SQLITE": "1"}],
    ids=["postgresql", "sqlite-allowed"],
)
def test_a_sound_production_configuration_is_accepted(monkeypatch, settings):
    _environment(monkeypatch, settings)
    app = create_app()
    assert app.config["ENV"] == "production" and not app.debug
    assert app.config["SESSION_COOKIE_SECURE"] is True
    db.engine_of(app).dispose()


def run_cli(env: dict[str, str | None], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    clean["REGISTRY_INSTANCE_PATH"] = os.environ["REGISTRY_INSTANCE_PATH"]
    clean.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-m", "registry.cli", *args],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("settings", "message"), [p for p in REFUSALS if p.id in ("default-secret", "sqlite", "debug")]
)
def test_the_cli_refuses_with_a_message_not_a_traceback(settings, message):
    result = run_cli(settings, "db", "current")
    assert result.returncode == 2
    assert result.stderr.startswith("error: refusing to start: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_cli_runs_in_production_with_sqlite_allowed(tmp_path):
    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    env = {**PRODUCTION, "REGISTRY_DATABASE_URL": url, "REGISTRY_ALLOW_SQLITE": "1"}
    result = run_cli(env, "db", "current")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("database: None  head: ")


def test_proxy_fix_trusts_the_configured_number_of_proxies(database_url):
    """REGISTRY_PROXY_FIX=1: the client's address, scheme, host and prefix come from the one
    proxy in front; by default X-Forwarded-* headers are ignored (anyone can send them)."""
    forwarded = {
        "X-Forwarded-For": "198.51.100.9, 203.0.113.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "registry.example.org",
        "X-Forwarded-Prefix": "/registry",
    }
    seen = {}
    for proxies in ("1", "0"):
        app = make_test_app(database_url, PROXY_FIX=proxies)

        @app.get("/_probe")
        def _probe():
            from flask import request, url_for

            return {"addr": request.remote_addr, "url": url_for("public.home", _external=True)}

        seen[proxies] = app.test_client().get("/_probe", headers=forwarded).get_json()
        db.engine_of(app).dispose()
    assert seen["1"] == {"addr": "203.0.113.7", "url": "https://registry.example.org/registry/"}
    assert seen["0"] == {"addr": "127.0.0.1", "url": "http://localhost/"}
