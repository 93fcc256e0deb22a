"""Fixtures of the workflow tests: the API as a given user, uploads in a temporary folder."""

from __future__ import annotations

import pytest

from registry.accounts.tokens import issue_token
from tests.helpers import bearer


class Api:
    """The JSON API as one user (a bearer token issued directly)."""

    def __init__(self, app, user) -> None:
        self.client = app.test_client()
        secret, _record = issue_token(user)
        self.headers = bearer(secret)
        self.user = user

    def get(self, path: str, **kw):
        return self.client.get("/api/v1" + path, headers=self.headers, **kw)

    def post(self, path: str, json=None, **kw):
        return self.client.post("/api/v1" + path, json=json, headers=self.headers, **kw)

    def patch(self, path: str, json=None):
        return self.client.patch("/api/v1" + path, json=json, headers=self.headers)

    def delete(self, path: str):
        return self.client.delete("/api/v1" + path, headers=self.headers)

    def act(self, application_id: int, action: str, **fields):
        return self.post(f"/applications/{application_id}/actions", {"action": action, **fields})


@pytest.fixture
def api(app):
    return lambda user: Api(app, user)


@pytest.fixture(autouse=True)
def _uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
