"""Every route of the app × every role: the expected allow or deny (rules in access_rules.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from registry.accounts.tokens import issue_token
from tests.helpers import bearer, csrf_token, sign_in
from tests.security.access_rules import (
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    OK,
    ROLES,
    RULES,
    build_world,
)

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - IGNORED_METHODS
    }


def test_every_route_has_access_rules(app):
    missing = sorted(_routes(app) - set(RULES))
    assert not missing, f"routes without access rules (add them to access_rules.py): {missing}"
    stale = sorted(set(RULES) - _routes(app))
    assert not stale, f"rules for routes that do not exist: {stale}"
    for key, cases in RULES.items():
        for case in cases:
            assert set(case.expect) == set(ROLES), key


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        raise AssertionError(f"server error {status}")
    if status == 401:
        return LOGIN
    if status in (301, 302, 303) and urlsplit(response.headers["Location"]).path == "/login":
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return HIDDEN
    return OK


CASES = [
    pytest.param(endpoint, method, index, role, id=f"{endpoint}-{method}-{index}-{role}")
    for (endpoint, method), cases in sorted(RULES.items())
    for index in range(len(cases))
    for role in ROLES
]


@pytest.mark.parametrize(("endpoint", "method", "index", "role"), CASES)
def test_access(app, endpoint, method, index, role, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "OPENDATA_DIR", str(tmp_path / "opendata"))
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    world = build_world()
    case = RULES[(endpoint, method)][index]
    target = case.url(world)
    data = case.body(world) if case.body else {}
    client = app.test_client()
    if target.startswith("/api/"):
        headers = {}
        if role != "anonymous":
            secret, _record = issue_token(world.users[role])
            headers = bearer(secret)
        response = client.open(target, method=method, json=data or None, headers=headers)
    else:
        if role != "anonymous":
            sign_in(client, world.users[role])
        if method != "GET":
            data = {"csrf_token": csrf_token(client), **data}
        response = client.open(target, method=method, data=data or None)
    assert outcome(response) == case.expect[role], (
        f"{role} {method} {target}: {response.status_code} {response.headers.get('Location', '')}"
    )
