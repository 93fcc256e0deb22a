"""Production serving: gunicorn with deploy/gunicorn.conf.py and `make serve`."""

from __future__ import annotations

import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from registry import migrate

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def settings(monkeypatch, **env: str) -> dict:
    for name in list(os.environ):
        if name.startswith("REGISTRY_") and name != "REGISTRY_INSTANCE_PATH":
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_workers_follow_the_cores_up_to_a_cap(monkeypatch):
    conf = settings(monkeypatch)
    assert [conf["default_workers"](n) for n in (1, 2, 4, 5, 6, 32)] == [3, 5, 9, 11, 12, 12]
    assert conf["workers"] == min(2 * os.cpu_count() + 1, 12)
    assert conf["wsgi_app"] == "registry.wsgi:app" and conf["preload_app"] is True
    assert conf["bind"] == ["127.0.0.1:8000"] and conf["threads"] == 1
    assert conf["accesslog"] is None and conf["control_socket_disable"] is True


def test_the_environment_overrides(monkeypatch):
    conf = settings(
        monkeypatch,
        REGISTRY_WORKERS="3",
        REGISTRY_THREADS="4",
        REGISTRY_TIMEOUT="300",
        REGISTRY_BIND="0.0.0.0:8000,unix:/run/registry/registry.sock",
        REGISTRY_ACCESS_LOG="-",
        REGISTRY_LOG_LEVEL="WARNING",
    )
    assert (conf["workers"], conf["threads"], conf["timeout"]) == (3, 4, 300)
    assert conf["bind"] == ["0.0.0.0:8000", "unix:/run/registry/registry.sock"]
    assert conf["accesslog"] == "-" and conf["loglevel"] == "warning"


@pytest.mark.parametrize("value", ["0", "many", "-2"])
def test_a_bad_worker_count_is_refused(monkeypatch, value):
    with pytest.raises(SystemExit, match="REGISTRY_WORKERS must be a whole number >= 1"):
        settings(monkeypatch, REGISTRY_WORKERS=value)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(**env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    return {**clean, **env}


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {process.communicate()[1]}")
        try:
            if _get(base + "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not answer within 90 s")


def test_gunicorn_serves_the_app_in_production_mode(app, database_url, tmp_path):
    """The real server: two workers, JSON logs, one proxy trusted, on the suite's database."""
    port = _free_port()
    env = _environment(
        REGISTRY_ENV="production",
        REGISTRY_SECRET_KEY=SECRET,
        REGISTRY_DATABASE_URL=database_url,
        REGISTRY_ALLOW_SQLITE="1" if database_url.startswith("sqlite") else "0",
        REGISTRY_BIND=f"127.0.0.1:{port}",
        REGISTRY_WORKERS="2",
        REGISTRY_LOG_FORMAT="json",
        REGISTRY_PROXY_FIX="1",
        REGISTRY_INSTANCE_PATH=str(tmp_path),
    )
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(GUNICORN_CONF)],
        env=env,
        cwd=tmp_path,  # the config's chdir finds the project
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        status, headers, body = _get(
            base + "/regions/511400",
            {"X-Forwarded-For": "203.0.113.7", "X-Request-ID": "through-nginx-1"},
        )
        assert status == 200 and "眉山市" in body.decode()
        assert headers["X-Request-ID"] == "through-nginx-1"
        assert "Strict-Transport-Security" in headers  # production: secure cookies, HSTS
        status, _headers, body = _get(base + "/api/v1/regions?parent=511400")
        assert status == 200 and json.loads(body)["items"]
        for _ in range(4):  # both workers search the listing
            assert _get(base + "/api/v1/carriers?q=%E5%AD%B5%E5%8C%96")[0] == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    entries = [json.loads(line) for line in err.splitlines()]  # gunicorn's lines too
    assert sum(e["message"].startswith("Booting worker") for e in entries) == 2
    assert {e["logger"] for e in entries} == {
        "gunicorn.error",
        "registry.request",
        "registry.carriers.index",
    }
    # the master built the listing's index before forking; no worker built it again
    messages = [e["message"] for e in entries]
    assert messages.count("listing index built") == 1
    assert messages.index("listing index built") < next(
        i for i, m in enumerate(messages) if m.startswith("Booting worker")
    )
    [page] = [e for e in entries if e.get("path") == "/regions/511400"]
    assert page["status"] == 200 and page["remote_addr"] == "203.0.113.7"
    assert page["request_id"] == "through-nginx-1" and page["logger"] == "registry.request"


def test_gunicorn_refuses_to_start_with_a_bad_configuration(tmp_path):
    env = _environment(
        REGISTRY_ENV="production",
        REGISTRY_BIND=f"127.0.0.1:{_free_port()}",
        REGISTRY_INSTANCE_PATH=str(tmp_path),
    )
    result = subprocess.run(
        [str(GUNICORN), "-c", str(GUNICORN_CONF)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "registry: refusing to start: REGISTRY_SECRET_KEY must be set" in result.stderr
    assert "Booting worker" not in result.stderr


def _make_serve(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "serve"],
        env=_environment(REGISTRY_INSTANCE_PATH=os.environ["REGISTRY_INSTANCE_PATH"], **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_serve_needs_a_database_url():
    result = _make_serve()
    assert result.returncode != 0
    assert "error: make serve runs in production mode on PostgreSQL" in result.stderr
    assert "REGISTRY_DATABASE_URL" in result.stderr


def test_make_serve_runs_in_production_mode(tmp_path):
    """SQLite without REGISTRY_ALLOW_SQLITE and no secret key: production refuses both."""
    result = _make_serve(
        REGISTRY_DATABASE_URL=f"sqlite:///{tmp_path / 'registry.sqlite3'}",
        REGISTRY_BIND=f"127.0.0.1:{_free_port()}",
    )
    assert result.returncode != 0
    assert "refusing to start: REGISTRY_SECRET_KEY must be set" in result.stderr
    assert "production needs PostgreSQL" in result.stderr


def test_with_env_runs_a_command_with_the_service_settings(tmp_path):
    """deploy/with-env (for cron): the settings file's variables reach the command."""
    env_file = tmp_path / "registry.env"
    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    env_file.write_text(
        f"# a comment\nREGISTRY_ENV=production\nREGISTRY_SECRET_KEY={SECRET}\n"
        f"REGISTRY_DATABASE_URL={url}\nREGISTRY_ALLOW_SQLITE=1\n"
    )
    script = str(ROOT / "deploy" / "with-env")
    venv = str(Path(sys.executable).parent.parent)
    env = _environment(REGISTRY_ENV_FILE=str(env_file), REGISTRY_VENV=venv)
    result = subprocess.run(
        [script, "registry", "db", "upgrade"], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(f"database at {migrate.head()}")
    missing = subprocess.run(
        [script, "registry", "db", "current"],
        env={**env, "REGISTRY_ENV_FILE": str(tmp_path / "absent.env")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2 and "cannot read the settings file" in missing.stderr
