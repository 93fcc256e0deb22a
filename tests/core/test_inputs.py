"""Control characters are refused at the door, naming the field, on every route."""

from __future__ import annotations


def test_nul_in_a_query_argument(client, app):
    response = client.get("/api/v1/carriers?q=成都\x00")
    assert response.status_code == 422 and response.json["error"]["fields"] == {
        "q": "包含空字符（NUL）"
    }


def test_nul_in_a_json_member(client, app):
    response = client.post("/api/v1/tokens", json={"email": "a@b.cn", "password": "x\x00y"})
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["password"]


def test_nul_in_a_nested_json_member(client, app):
    response = client.post("/api/v1/plans/extract", json={"text": ["ok", "b\x00"]})
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["text[1]"]


def test_nul_in_a_page_form(client, app):
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": "a\x00@b.cn", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 422
    assert "email" in response.get_data(as_text=True)


def test_a_multipart_part_without_a_readable_name(client, app):
    """Werkzeug names such a part None; the guard passes over it (it was a 500)."""
    body = (
        b'--BB\r\nContent-Disposition: form-data; name="a\nb"\r\n\r\nx\r\n'
        b'--BB\r\nContent-Disposition: form-data; name="c\nd"\r\n\r\nx\x00y\r\n--BB--\r\n'
    )
    response = client.post(
        "/api/v1/plans/extract", data=body, content_type="multipart/form-data; boundary=BB"
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"body": "包含空字符（NUL）"}
    response = client.post(
        "/api/v1/applications/1/attachments",
        data=body.replace(b"x\x00y", b"xy"),
        content_type="multipart/form-data; boundary=BB",
    )
    assert response.status_code == 401
