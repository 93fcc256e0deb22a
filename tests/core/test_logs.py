"""Request logs: one line per request with its id, method, path, user, status and duration;
the id in the X-Request-ID header, and the only detail of an unhandled error users see."""

from __future__ import annotations

import json
import re

import pytest

from registry import db, migrate
from registry.logs import configure_logging
from tests import factories
from tests.conftest import make_test_app
from tests.helpers import api_token, bearer, sign_in

TEXT_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO registry\.request request "
    r"method=(?P<method>\S+) path=(?P<path>\S+) status=(?P<status>\d+) "
    r"user_id=(?P<user_id>\S+) remote_addr=\S+ duration_ms=(?P<ms>\d+\.\d+) "
    r'request_id=(?P<request_id>"[^"]*"|\S+)$'
)


@pytest.fixture(autouse=True)
def _restore_logging(app):
    """Tests here change the process's log set-up; put the suite's back afterwards."""
    yield
    configure_logging(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])


def request_lines(capsys) -> list[dict]:
    """The request log lines written to stderr so far, parsed."""
    lines = [line for line in capsys.readouterr().err.splitlines() if "registry.request" in line]
    parsed = []
    for line in lines:
        match = TEXT_LINE.match(line)
        assert match, f"not a request line: {line!r}"
        fields = match.groupdict()
        if fields["request_id"].startswith('"'):  # values with = or spaces are quoted
            fields["request_id"] = json.loads(fields["request_id"])
        parsed.append(fields)
    return parsed


def test_one_text_line_per_request_with_the_id_of_the_header(client, capsys):
    capsys.readouterr()
    response = client.get("/api/v1/regions?parent=511400")
    assert response.status_code == 200
    [line] = request_lines(capsys)
    assert line["method"] == "GET" and line["path"] == "/api/v1/regions"
    assert line["status"] == "200" and line["user_id"] == "-"
    assert float(line["ms"]) > 0
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert response.headers["X-Request-ID"] == line["request_id"]
    other = client.get("/api/v1/regions?parent=511400")
    assert other.headers["X-Request-ID"] != line["request_id"]


def test_the_user_of_a_page_session_and_of_an_api_token(client, capsys):
    user = factories.user()
    sign_in(client, user)
    token = api_token(client, user)
    capsys.readouterr()
    client.get("/account")
    client.get("/api/v1/account", headers=bearer(token))
    client.get("/api/v1/account", headers=bearer("not-a-token"))
    lines = request_lines(capsys)
    assert [(x["path"], x["status"], x["user_id"]) for x in lines] == [
        ("/account", "200", str(user.id)),
        ("/api/v1/account", "200", str(user.id)),
        ("/api/v1/account", "401", "-"),
    ]


@pytest.mark.parametrize(
    "incoming",
    ["5f0c6d2e-8a1b-4c3d-9e8f-001122334455", "Root=1-67891233-abcdef012345678912345678"],
)
def test_a_sane_incoming_request_id_is_kept(client, capsys, incoming):
    capsys.readouterr()
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert response.headers["X-Request-ID"] == incoming
    assert request_lines(capsys)[0]["request_id"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["", "two words", 'quote"d', "x" * 129, "-starts-with-a-dash", "tab\there", "名字"],
)
def test_an_odd_incoming_request_id_is_replaced(client, capsys, incoming):
    capsys.readouterr()
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    generated = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert request_lines(capsys)[0]["request_id"] == generated


def test_a_path_cannot_forge_a_log_line(client, capsys):
    capsys.readouterr()
    response = client.get("/carriers%0A2026-01-01T00:00:00.000Z%20INFO%20forged")
    assert response.status_code == 404
    err = [line for line in capsys.readouterr().err.splitlines() if "forged" in line]
    assert len(err) == 1 and err[0].startswith(("20", "{"))
    assert 'path="/carriers\\n2026-01-01T00:00:00.000Z INFO forged"' in err[0]


def test_json_lines_by_environment(database_url, monkeypatch, capsys):
    monkeypatch.setenv("REGISTRY_LOG_FORMAT", "json")
    app = make_test_app(database_url)
    capsys.readouterr()
    response = app.test_client().get("/healthz", headers={"X-Request-ID": "probe-1"})
    db.engine_of(app).dispose()
    [line] = [x for x in capsys.readouterr().err.splitlines() if "registry.request" in x]
    entry = json.loads(line)
    assert entry.pop("duration_ms") >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry.pop("time"))
    assert entry == {
        "level": "INFO",
        "logger": "registry.request",
        "message": "request",
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "user_id": None,
        "remote_addr": "127.0.0.1",
        "request_id": "probe-1",
    }
    assert response.headers["X-Request-ID"] == "probe-1"


def test_the_level_by_environment(database_url, monkeypatch, capsys):
    monkeypatch.setenv("REGISTRY_LOG_LEVEL", "warning")
    app = make_test_app(database_url)
    capsys.readouterr()
    assert app.test_client().get("/healthz").status_code == 200
    assert "registry.request" not in capsys.readouterr().err
    db.engine_of(app).dispose()


def _boom(*_args, **_kwargs):
    raise RuntimeError("boom: the secret detail")


def test_an_unhandled_error_page_shows_only_the_request_id(app, client, monkeypatch, capsys):
    monkeypatch.setitem(app.view_functions, "public.show_region", _boom)
    capsys.readouterr()
    response = client.get("/regions/511400", headers={"X-Request-ID": "trace-500-page"})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "trace-500-page" in html and "请求编号" in html
    assert "secret detail" not in html and "Traceback" not in html
    assert response.headers["X-Request-ID"] == "trace-500-page"
    err = capsys.readouterr().err
    error_line = next(x for x in err.splitlines() if "unhandled error" in x)
    assert "ERROR registry" in error_line and "request_id=trace-500-page" in error_line
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: boom: the secret detail" in err
    assert re.search(r"path=/regions/511400 status=500 .* request_id=trace-500-page", err)


def test_an_unhandled_api_error_returns_the_request_id(app, client, monkeypatch, capsys):
    monkeypatch.setitem(app.view_functions, "regions_api.list_regions", _boom)
    configure_logging("INFO", "json")
    capsys.readouterr()
    response = client.get("/api/v1/regions")
    assert response.status_code == 500
    rid = response.headers["X-Request-ID"]
    assert response.get_json() == {
        "error": {"code": "server_error", "message": "服务器内部错误。", "request_id": rid}
    }
    entries = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    [error] = [e for e in entries if e["level"] == "ERROR"]
    assert error["request_id"] == rid and error["logger"] == "registry"
    assert "RuntimeError: boom" in error["traceback"]
    [request] = [e for e in entries if e["logger"] == "registry.request"]
    assert request["status"] == 500 and request["request_id"] == rid


def test_when_the_database_goes_away_a_signed_in_user_still_gets_the_request_id(tmp_path, capsys):
    """The error page's layout needs the database (the signed-in user) too: a bare page with
    the request id is served, and the request still gets its header and log line."""
    folder = tmp_path / "data"
    folder.mkdir()
    # as in production: an error raised while handling an error is answered, not re-raised
    app = make_test_app(f"sqlite:///{folder / 'registry.sqlite3'}", PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        migrate.upgrade(db.engine_of(app))
        user = factories.user()
        db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    token = api_token(client, user)
    db.engine_of(app).dispose()
    folder.rename(tmp_path / "gone")
    capsys.readouterr()

    page = client.get("/account", headers={"X-Request-ID": "db-down-page"})
    assert page.status_code == 500 and page.headers["X-Request-ID"] == "db-down-page"
    html = page.get_data(as_text=True)
    assert "请求编号: <code>db-down-page</code>" in html and "sqlite" not in html.lower()
    api = client.get("/api/v1/account", headers={"X-Request-ID": "db-down-api", **bearer(token)})
    assert api.status_code == 500
    assert api.get_json()["error"]["request_id"] == "db-down-api"
    err = capsys.readouterr().err
    assert re.search(r"path=/account status=500 .*request_id=db-down-page", err)
    assert re.search(r"path=/api/v1/account status=500 .*request_id=db-down-api", err)
    assert "OperationalError" in err
