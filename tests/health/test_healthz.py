"""`GET /healthz`: 200 while the database answers, 503 when it does not; one query, no cookie."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event

from registry import db
from tests import factories
from tests.conftest import make_test_app
from tests.helpers import sign_in


def test_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Request-ID"]


def test_runs_one_select_1_and_loads_no_user_even_with_a_session(app, client):
    user = factories.user()
    sign_in(client, user)
    statements = []

    def _record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine_of(app)
    event.listen(engine, "before_cursor_execute", _record)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(engine, "before_cursor_execute", _record)
    assert response.status_code == 200
    # SQLite's engine emits its BEGIN as a statement; nothing else but the one query runs
    assert [s for s in statements if s != "BEGIN"] == ["SELECT 1"]
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://registry@127.0.0.1:1/registry",  # nothing listens on port 1
        "sqlite:////nonexistent-directory/registry.sqlite3",
    ],
    ids=["postgresql-closed-port", "sqlite-missing-directory"],
)
def test_503_when_the_database_does_not_answer(url, caplog):
    app = make_test_app(url)
    with caplog.at_level(logging.WARNING, logger="registry.health"):
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert any("does not answer" in r.getMessage() for r in caplog.records)
    db.engine_of(app).dispose()


def test_comes_back_when_the_database_does(tmp_path):
    folder = tmp_path / "later"
    app = make_test_app(f"sqlite:///{folder / 'registry.sqlite3'}")
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    folder.mkdir()
    assert client.get("/healthz").status_code == 200
    db.engine_of(app).dispose()
