"""Two reviewers acting at once: exactly one succeeds, the other gets 409, on SQLite and on
PostgreSQL, with real threads on a committed database (each thread its own app context and
session, as two requests are)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from registry import db
from registry.applications.models import Application, ApplicationEvent
from registry.applications.queries import get_application
from registry.applications.service import StaleApplication, apply_action
from registry.errors import Conflict
from tests import factories, services
from tests.applications.factories import submitted
from tests.conftest import build_database
from tests.helpers import api_token, bearer


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def committed_app(request, tmp_path_factory) -> Iterator:
    """A migrated, seeded database whose writes are committed for real."""
    with services.committed_database(
        request.param, tmp_path_factory.mktemp("race"), "registry_race"
    ) as url:
        application = build_database(url)
        yield application
        db.engine_of(application).dispose()


def _world(app, level: str = "county") -> tuple[int, int, int]:
    """A submitted application and two reviewers of its first step (ids)."""
    with app.app_context():
        application = submitted(level=level)
        first = factories.user("reviewer", "511402", name="东坡区科技局甲")
        second = factories.user("reviewer", "511402", name="东坡区科技局乙")
        db.session.commit()
        return application.id, first.id, second.id


def _race(app, app_id: int, moves: list[tuple[int, str, dict]]) -> list[object]:
    """Run each (user id, action, fields) in its own thread; all load the application, wait
    for each other, then act and commit. Returns what each got: "ok" or the exception."""
    from registry.accounts.models import User

    barrier = threading.Barrier(len(moves), timeout=30)
    results: list[object] = [None] * len(moves)

    def run(index: int, user_id: int, action: str, fields: dict) -> None:
        with app.app_context():
            try:
                application = get_application(app_id)
                actor = db.session.get(User, user_id)
                seen = application.version
                barrier.wait()
                apply_action(application, action, actor, version=seen, **fields)
                db.session.commit()
                results[index] = "ok"
            except Exception as exc:  # what the request would have answered
                db.session.rollback()
                results[index] = exc

    threads = [threading.Thread(target=run, args=(i, *move)) for i, move in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _events(app, app_id: int) -> list[ApplicationEvent]:
    with app.app_context():
        stmt = select(ApplicationEvent).where(ApplicationEvent.application_id == app_id)
        return list(db.session.scalars(stmt.order_by(ApplicationEvent.id)))


def test_two_reviewers_deciding_at_once(committed_app):
    app_id, first, second = _world(committed_app)
    results = _race(
        committed_app,
        app_id,
        [
            (first, "approve", {"document_no": "东科〔2026〕11号"}),
            (second, "reject", {"comment": "材料不全"}),
        ],
    )
    assert sorted(r if r == "ok" else type(r).__name__ for r in results) == [
        "StaleApplication",
        "ok",
    ], results
    refused = next(r for r in results if r != "ok")
    assert isinstance(refused, Conflict) and refused.status == 409
    winner = "approve" if results[0] == "ok" else "reject"
    events = _events(committed_app, app_id)
    assert [e.action.value for e in events] == ["submit", winner]
    with committed_app.app_context():
        application = db.session.get(Application, app_id)
        assert application.status.value == ("approved" if winner == "approve" else "rejected")
        assert application.version == 3


def test_many_concurrent_recommendations_move_one_step(committed_app):
    app_id, first, second = _world(committed_app, "provincial")
    with committed_app.app_context():
        more = [factories.user("reviewer", "511402").id for _ in range(2)]
        db.session.commit()
    results = _race(committed_app, app_id, [(u, "recommend", {}) for u in (first, second, *more)])
    assert results.count("ok") == 1, results
    assert all(isinstance(r, StaleApplication) for r in results if r != "ok")
    events = _events(committed_app, app_id)
    assert [e.action.value for e in events] == ["submit", "recommend"]
    assert events[-1].to_step.region.code == "511400"


def test_two_requests_at_once_get_200_and_409(committed_app):
    app_id, first, second = _world(committed_app)
    with committed_app.app_context():
        from registry.accounts.models import User

        tokens = [
            api_token(committed_app.test_client(), db.session.get(User, uid), factories.PASSWORD)
            for uid in (first, second)
        ]
        version = db.session.get(Application, app_id).version
    barrier = threading.Barrier(2, timeout=30)
    answers: list = [None, None]

    def post(index: int, body: dict) -> None:
        client = committed_app.test_client()
        barrier.wait()
        answers[index] = client.post(
            f"/api/v1/applications/{app_id}/actions",
            json={**body, "version": version},
            headers=bearer(tokens[index]),
        )

    bodies = [
        {"action": "approve", "document_no": "东科〔2026〕12号"},
        {"action": "return", "comment": "补充场地证明"},
    ]
    threads = [threading.Thread(target=post, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409).get_json()["error"]
    assert refused["code"] == "stale" and "重新" in refused["message"]
    assert len(_events(committed_app, app_id)) == 2
