"""The OpenAPI document lists every /api/v1 operation with the spec's error shape."""

from __future__ import annotations


def test_document_lists_every_api_route(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    operations = {
        (path, method) for path, methods in document["paths"].items() for method in methods
    }
    assert ("/accounts", "post") in operations
    assert ("/carriers/{carrier_id}", "patch") in operations
    assert ("/tokens/current", "delete") in operations
    api_rules = [
        r
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and "openapi" not in r.rule
    ]
    expected = sum(len(r.methods - {"HEAD", "OPTIONS"}) for r in api_rules)
    assert len(operations) == expected
    error = document["components"]["schemas"]["Error"]
    assert set(error["properties"]["error"]["properties"]) == {"code", "message", "fields"}
