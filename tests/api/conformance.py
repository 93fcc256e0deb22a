"""Checking real API responses against the OpenAPI document, strictly.

OpenAPI 3.0 schemas become JSON Schema (`nullable` → or null, `$ref` resolved) and every
object with declared properties is closed (additionalProperties: false), so a field the
document does not declare fails as surely as a missing or mistyped one. An `allOf` of
objects is merged into one object first (closing each part would refuse the others' fields).
As OpenAPI 3.0 says, the siblings of a `$ref` are ignored: `{"$ref", "nullable"}` is not
nullable (write `{"allOf": [{"$ref"}], "nullable": true}`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jsonschema import Draft7Validator, FormatChecker


def json_schema(schema: Any, components: dict[str, Any]) -> Any:
    if isinstance(schema, list):
        return [json_schema(item, components) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return json_schema(_resolve(schema, components), components)
    if "allOf" in schema:
        schema = _merge_objects(schema, components)
    out = {}
    for key, value in schema.items():
        if key in ("properties", "patternProperties"):
            out[key] = {name: json_schema(sub, components) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not", "anyOf", "oneOf", "allOf"):
            out[key] = json_schema(value, components)
        elif key != "nullable":
            out[key] = value
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    if schema.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _merge_objects(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """`schema` with its allOf of object schemas merged into it (as it is when a part is not
    a plain object schema)."""
    parts = [_resolve(part, components) for part in schema["allOf"]]
    if not all(part.get("type") == "object" and set(part) <= _MERGEABLE for part in parts):
        return schema
    merged = {key: value for key, value in schema.items() if key != "allOf"}
    merged["type"] = "object"
    merged["properties"] = {k: v for part in parts for k, v in part.get("properties", {}).items()}
    merged["required"] = sorted({name for part in parts for name in part.get("required", [])})
    return merged


_MERGEABLE = {"type", "properties", "required", "description"}


class Conformance:
    """Checks responses against one OpenAPI document and remembers which operations it saw."""

    def __init__(self, document: dict[str, Any], prefix: str = "/api/v1") -> None:
        self.document = document
        self.prefix = prefix
        self.seen: set[tuple[str, str, str]] = set()

    def operation(self, method: str, template: str) -> dict[str, Any]:
        path = self.document["paths"].get(self.prefix + template)
        assert path is not None, f"{template} is not in the document"
        assert method.lower() in path, f"{method} {template} is not in the document"
        return path[method.lower()]

    def check(self, method: str, template: str, response: Any) -> Any:
        """Assert the response's status is documented for the operation and its body
        matches the documented schema; returns the JSON body."""
        return self.check_parts(
            method,
            template,
            response.status_code,
            response.mimetype,
            response.get_data(),
            lambda: response.get_json(),
        )

    def check_parts(
        self,
        method: str,
        template: str,
        status_code: int,
        mimetype: str,
        data: bytes,
        load: Callable[[], Any],
    ) -> Any:
        """`check` on a response's parts (status, media type, raw body, its JSON loader)."""
        responses = self.operation(method, template)["responses"]
        status = str(status_code)
        assert status in responses, (
            f"{method} {template}: {status} is not documented ({sorted(responses)}): "
            f"{data[:300].decode('utf-8', 'replace')}"
        )
        self.seen.add((method.upper(), template, status))
        content = responses[status].get("content")
        if content is None:
            assert data == b"", f"{method} {template}: {status} has a body"
            return None
        if "application/json" not in content:
            assert mimetype in content, f"{method} {template}: {mimetype} not in {sorted(content)}"
            return None
        assert mimetype == "application/json", mimetype
        schema = json_schema(content["application/json"]["schema"], self.components)
        body = load()
        errors = sorted(
            Draft7Validator(schema, format_checker=FormatChecker()).iter_errors(body),
            key=lambda e: list(e.absolute_path),
        )
        assert not errors, f"{method} {template} {status}: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
        )
        return body

    @property
    def components(self) -> dict[str, Any]:
        return self.document["components"]["schemas"]

    def operations(self, *prefixes: str) -> set[tuple[str, str]]:
        """(METHOD, template) of the documented operations under `prefixes`."""
        return {
            (method.upper(), path[len(self.prefix) :])
            for path, ops in self.document["paths"].items()
            if path[len(self.prefix) :].startswith(prefixes)
            for method in ops
        }
