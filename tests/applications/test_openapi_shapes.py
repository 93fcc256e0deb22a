"""The workflow's API answers match the schemas the OpenAPI document gives for them (a small
checker of the OpenAPI 3.0 subset the document uses: types, nullable, enum, required,
properties, items, additionalProperties, allOf, $ref)."""

from __future__ import annotations

import datetime as dt
import io

from registry import db
from registry.accounts.models import User
from tests import factories
from tests.applications.factories import PDF, full_figures, owned_carrier

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}


def check(value, schema: dict, doc: dict, where: str = "$") -> list[str]:
    if "$ref" in schema:
        resolved = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return check(
            value, {**resolved, **{k: v for k, v in schema.items() if k != "$ref"}}, doc, where
        )
    if value is None and schema.get("nullable"):
        return []  # {"allOf": [...], "nullable": true} too
    if "allOf" in schema:
        return [p for part in schema["allOf"] for p in check(value, part, doc, where)]
    if value is None:
        return [f"{where}: null"]
    problems = []
    kind = schema.get("type")
    if kind and (
        not isinstance(value, TYPES[kind]) or (kind != "boolean" and isinstance(value, bool))
    ):
        return [f"{where}: {value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{where}: {name} missing")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if name in properties:
                problems += check(item, properties[name], doc, f"{where}.{name}")
            elif isinstance(extra, dict):
                problems += check(item, extra, doc, f"{where}.{name}")
            elif extra is False:
                problems.append(f"{where}: {name} not allowed")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += check(item, schema["items"], doc, f"{where}[{i}]")
    return problems


def response_schema(doc: dict, path: str, method: str, status: int) -> dict:
    content = doc["paths"]["/api/v1" + path][method]["responses"][str(status)]["content"]
    return content["application/json"]["schema"]


def test_answers_match_the_document(app, api):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    carrier = owned_carrier()
    owner = db.session.get(User, carrier.owner_id)
    county, province = factories.user("reviewer", "511402"), factories.user("reviewer", "510000")
    db.session.commit()
    me = api(owner)
    created = me.post(
        "/applications",
        {"carrier_id": carrier.id, "level": "county", "figures": full_figures(carrier)},
    )
    app_id = created.get_json()["id"]
    answers = [("/applications", "post", created)]
    uploaded = me.client.post(
        f"/api/v1/applications/{app_id}/attachments",
        data={"file": (io.BytesIO(PDF), "a.pdf")},
        headers=me.headers,
        content_type="multipart/form-data",
    )
    answers.append(("/applications/{application_id}/attachments", "post", uploaded))
    answers.append(("/applications/{application_id}/actions", "post", me.act(app_id, "submit")))
    approved = api(county).act(app_id, "approve", document_no="东科〔2026〕1号")
    answers.append(("/applications/{application_id}/actions", "post", approved))
    answers.append(("/applications/{application_id}", "get", me.get(f"/applications/{app_id}")))
    answers.append(("/applications", "get", me.get("/applications")))
    answers.append(("/applications", "get", api(county).get("/applications?queue=review")))
    revoke = f"/recognitions/{approved.get_json()['recognition_id']}/revoke"
    refused = api(province).post(revoke, {"reason": "运营主体注销"})
    assert refused.status_code == 422
    today = dt.date.today().isoformat()
    body = {"revoked_on": today, "reason": "运营主体注销", "document_no": "川科高〔2026〕4号"}
    answers.append(
        ("/recognitions/{recognition_id}/revoke", "post", api(province).post(revoke, body))
    )
    for path, method, response in answers:
        assert response.status_code in (200, 201), (path, response.get_json())
        schema = response_schema(doc, path, method, response.status_code)
        assert check(response.get_json(), schema, doc) == [], path
    error = doc["components"]["schemas"]["Error"]
    assert check(refused.get_json(), error, doc) == []
