"""Schemathesis over /api/v1/openapi.json: every operation, on a database with demo data.

The document is loaded from the app (WSGI, no server). Each operation becomes one test that
sends generated requests, valid and invalid (schemathesis' examples, coverage and fuzzing
phases), as the public, a carrier organisation, a province's bureau or an admin, and checks
every response: no 5xx, a documented status code and content type, and a body that matches
the documented schema both by schemathesis' own check and by the suite's strict one
(tests/api/conformance.py: undeclared fields fail too).

Bounded for CI: a fixed seed and derandomized generation (the same requests every run), at
most MAX_EXAMPLES fuzzed requests per operation, no example database, no deadline. All of
it runs in one xdist group, since the operations share one database that they change.

Not among the checks: schemathesis' negative_data_rejection, which also wants unknown query
arguments refused, where the API ignores them as the web does (and it reads an empty
argument as left out, as the document says with allowEmptyValue).
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from registry import db
from registry.accounts.models import Role, User
from registry.accounts.service import create_user
from registry.applications.models import Application, ApplicationAttachment
from registry.cache import clear_all
from registry.carriers.models import Carrier, Recognition
from registry.db import MAX_INT
from registry.regions.models import Region
from registry.targets.models import Plan, Target
from tests import services
from tests.api.conformance import Conformance
from tests.conftest import build_database, make_test_app, suite_on_postgres

pytestmark = pytest.mark.xdist_group("schemathesis")

# Longer or other runs by hand: REGISTRY_SCHEMATHESIS_MAX_EXAMPLES=500 REGISTRY_SCHEMATHESIS_SEED=7
MAX_EXAMPLES = int(os.environ.get("REGISTRY_SCHEMATHESIS_MAX_EXAMPLES", "50"))
SEED = int(os.environ.get("REGISTRY_SCHEMATHESIS_SEED", "2016"))
DEMO_CARRIERS = 60
DEMO_PASSWORD = "Demo-pass-2016"
PREFIX = "/api/v1"

CONFIG = schemathesis.Config.from_dict(
    {"seed": SEED, "generation": {"deterministic": True, "database": "none"}}
)
# The document as the app serves it; requests go to the test database's app (st_app below).
schema = schemathesis.openapi.from_wsgi(
    f"{PREFIX}/openapi.json", make_test_app("sqlite://"), config=CONFIG
)
STRICT = Conformance(schema.raw_schema)

# Who sends an operation's requests (the public when it has no security). An operation
# with several roles spreads its requests over them (a hash of the request picks the role,
# so a failure replays as the same role).
ROLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", "/account"): ("own",),
    ("PATCH", "/account"): ("own",),
    ("PUT", "/account/password"): ("own",),
    ("DELETE", "/tokens/current"): ("own",),
    ("GET", "/account/carriers"): ("carrier", "reviewer"),
    ("POST", "/carriers"): ("carrier", "admin"),
    ("PATCH", "/carriers/{carrier_id}"): ("carrier", "admin"),
    ("POST", "/carriers/{carrier_id}/credit-code-review"): ("reviewer", "admin"),
    ("POST", "/applications"): ("carrier",),
    ("GET", "/applications"): ("carrier", "reviewer", "admin"),
    ("GET", "/applications/{application_id}"): ("carrier", "reviewer", "admin"),
    ("PATCH", "/applications/{application_id}"): ("carrier",),
    ("POST", "/applications/{application_id}/actions"): ("carrier", "reviewer", "admin"),
    ("POST", "/applications/{application_id}/attachments"): ("carrier",),
    ("GET", "/applications/{application_id}/attachments/{attachment_id}"): ("carrier", "admin"),
    ("DELETE", "/applications/{application_id}/attachments/{attachment_id}"): ("carrier",),
    ("GET", "/carriers/{carrier_id}/reports"): ("carrier", "reviewer"),
    ("GET", "/carriers/{carrier_id}/reports/{year}"): ("carrier", "reviewer"),
    ("PUT", "/carriers/{carrier_id}/reports/{year}"): ("carrier",),
    ("POST", "/carriers/{carrier_id}/reports/{year}/actions"): ("carrier", "reviewer"),
    ("GET", "/reports"): ("reviewer", "admin"),
}
SECURED_DEFAULT = ("reviewer", "admin")
# Public operations are also read by an admin, who sees private carriers and fields.
PUBLIC_DEFAULT = ("public", "admin")

# DELETE tried on the seed plans and targets would leave the operations after it nothing
# to read: these run on plans and targets made for them (Objects.disposable).
DISPOSABLE = {("DELETE", "/plans/{plan_id}"), ("DELETE", "/targets/{target_id}")}


@dataclass
class Objects:
    """What the test database holds, per role: real keys to put in generated paths."""

    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    disposable: dict[str, list[int]] = field(default_factory=dict)


def _sign_in(client, email: str, password: str = DEMO_PASSWORD) -> str:
    # From an address of its own: the fuzzed sign-ins of POST /tokens are throttled per
    # address and must not lock out the token the tests need.
    response = client.post(
        f"{PREFIX}/tokens",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": "127.0.0.9"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def _known_ids(user_email: str | None, region_prefix: str | None) -> dict[str, list[Any]]:
    carriers = select(Carrier.id).join(Region, Carrier.region_id == Region.id)
    if user_email:
        owner = select(User.id).where(User.email == user_email).scalar_subquery()
        carriers = carriers.where(Carrier.owner_id == owner)
    if region_prefix:
        carriers = carriers.where(Region.code.startswith(region_prefix))
    carrier_ids = sorted(db.session.scalars(carriers))
    applications = sorted(
        db.session.scalars(select(Application.id).where(Application.carrier_id.in_(carrier_ids)))
    )
    return {
        "carrier_id": carrier_ids,
        "application_id": applications,
        "attachment_id": sorted(
            db.session.scalars(
                select(ApplicationAttachment.id).where(
                    ApplicationAttachment.application_id.in_(applications)
                )
            )
        ),
        "recognition_id": sorted(
            db.session.scalars(
                select(Recognition.id).where(Recognition.carrier_id.in_(carrier_ids))
            )
        ),
        "plan_id": sorted(db.session.scalars(select(Plan.id))),
        "target_id": sorted(db.session.scalars(select(Target.id))),
        "year": list(range(2020, 2027)),
        "code": ["000000", "510000", "511400", "511402", "500000"],
    }


def _disposable_plans(client, token: str) -> dict[str, list[int]]:
    """Plans (each with a target) for the DELETE operations to delete."""
    plans, targets = [], []
    headers = {"Authorization": f"Bearer {token}"}
    for n in range(3):
        response = client.post(
            f"{PREFIX}/plans",
            headers=headers,
            json={
                "title": f"可删除的测试规划{n}",
                "region": "510000",
                "issued_on": "2020-01-01",
                "period_end": "2025-12-31",
                "targets": [{"phrase": "新增孵化器10家", "metric": "manual", "value": 10}],
            },
        )
        assert response.status_code == 201, response.get_json()
        plan = response.get_json()
        plans.append(plan["id"])
        targets.extend(target["id"] for target in plan["targets"])
    return {"plan_id": plans, "target_id": targets}


@pytest.fixture(scope="module")
def st_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Objects]]:
    """The registry on its own database with the demo data, and what the tests need of it."""
    if suite_on_postgres():
        url = services.create_postgres_database("registry_schemathesis")
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("schemathesis") / "registry.sqlite3")
    app = build_database(url, demo=DEMO_CARRIERS)
    objects = Objects()
    client = app.test_client()
    accounts = {
        "admin": "admin@registry.example",
        "reviewer": "sichuan@registry.example",
        "carrier": "carrier1@registry.example",
    }
    for role, email in accounts.items():
        objects.tokens[role] = _sign_in(client, email)
    objects.disposable = _disposable_plans(client, objects.tokens["admin"])
    with app.app_context():
        objects.ids = {
            "admin": _known_ids(None, None),
            "reviewer": _known_ids(None, "51"),
            "carrier": _known_ids(accounts["carrier"], None),
        }
        objects.ids["public"] = objects.ids["admin"]
        db.session.remove()
    # Caches are per process and keyed by data version, which the suite's database numbers
    # too: none may outlive its database.
    clear_all()
    try:
        yield app, objects
    finally:
        clear_all()
        db.engine_of(app).dispose()
        if suite_on_postgres():
            services.drop_postgres_database(url)


def _own_token(app: Flask, case: Any) -> str:
    """A fresh account per operation for the ones that change or end their own account and
    token; a new token for each request, since one of them may have revoked the last."""
    email = f"own-{case.method.lower()}-{zlib.crc32(case.path.encode())}@example.org"
    with app.app_context():
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            create_user(email=email, password=DEMO_PASSWORD, role=Role.carrier, confirmed=True)
            db.session.commit()
        db.session.remove()
    return _sign_in(app.test_client(), email)


def _fingerprint(case: Any) -> int:
    parts = [case.method, case.path, case.path_parameters, case.query, case.body]
    return zlib.crc32(json.dumps(parts, sort_keys=True, default=repr).encode())


def _role(case: Any) -> str:
    key = (case.method.upper(), case.path.removeprefix(PREFIX))
    roles = ROLES.get(key) or (
        SECURED_DEFAULT if case.operation.definition.raw.get("security") else PUBLIC_DEFAULT
    )
    return roles[_fingerprint(case) % len(roles)]


def _use_real_ids(case: Any, role: str, objects: Objects) -> None:
    """Most generated keys become keys of objects the role may see (the rest stay as drawn,
    mostly unknown, for the 404s); keys that are no key (text, out of range) stay, for the
    4xx. A disposable operation gets only its own objects' keys, so it never deletes one the
    others read (an out-of-range one is no key at all)."""
    key = (case.method.upper(), case.path.removeprefix(PREFIX))
    disposable = key in DISPOSABLE
    known = objects.disposable if disposable else objects.ids.get(role, {})
    for name, value in list(case.path_parameters.items()):
        choices = known.get(name)
        if not choices:
            continue
        if isinstance(value, str) and name == "code":
            seed = zlib.crc32(value.encode())
        elif re.fullmatch(r"[0-9]+", str(value)) and 1 <= int(value) <= MAX_INT:
            seed = int(value)  # the coverage phase sends numbers as text
        else:
            continue  # out of range or no number: generated to be refused
        if disposable or seed % 5:
            case.path_parameters[name] = choices[seed % len(choices)]


def strict_conformance(ctx: Any, response: Any, case: Any) -> bool | None:
    """The suite's strict reading of the document (closed objects, formats)."""
    template = case.path.removeprefix(PREFIX)
    if case.method.lower() not in schema.raw_schema["paths"].get(case.path, {}):
        return None  # a method the path does not have: schemathesis' own checks judge it
    STRICT.check_parts(
        case.method.upper(),
        template,
        response.status_code,
        response.headers.get("content-type", [""])[0].split(";")[0].strip(),
        response.content,
        response.json,
    )
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    strict_conformance,
]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # requests are slow and their data large next to hypothesis' defaults; not a problem here
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
def test_operation(case, st_app):
    app, objects = st_app
    role = _role(case)
    _use_real_ids(case, role, objects)
    headers = {}
    if role == "own":
        headers["Authorization"] = f"Bearer {_own_token(app, case)}"
    elif role != "public":
        headers["Authorization"] = f"Bearer {objects.tokens[role]}"
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)
