"""Revocation by a bureau of the granting region or above (API and page): date, reason and
文号 required; the carrier leaves the default listing; the history stays."""

from __future__ import annotations

from registry import db
from tests import factories
from tests.applications.factories import owned_carrier
from tests.applications.pages import submit
from tests.helpers import outbox, sign_in


def _recognised():
    carrier = owned_carrier(name="东坡星火众创空间", type_code="maker_space")
    recognition = factories.recognize(carrier, "municipal", on="2019-05-01")  # 眉山市 grants
    db.session.commit()
    return carrier, recognition


def test_revoke_through_the_api(app, api):
    carrier, recognition = _recognised()
    county = factories.user("reviewer", "511402")  # below the granting city
    province = factories.user("reviewer", "510000")  # above it
    db.session.commit()
    path = f"/recognitions/{recognition.id}/revoke"
    assert api(county).post(path, {"revoked_on": "2026-01-01"}).status_code == 403
    missing = api(province).post(path, {"revoked_on": "2018-01-01", "reason": ""})
    assert missing.status_code == 422
    assert set(missing.get_json()["error"]["fields"]) == {"revoked_on", "reason", "document_no"}
    done = api(province).post(
        path,
        {
            "revoked_on": "2026-01-01",
            "reason": "连续两年考核不合格",
            "document_no": "川科高〔2026〕2号",
        },
    )
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert (
        body["revoked_on"] == "2026-01-01" and body["revocation_document_no"] == "川科高〔2026〕2号"
    )
    again = api(province).post(
        path, {"revoked_on": "2026-01-02", "reason": "重复", "document_no": "川科高〔2026〕3号"}
    )
    assert again.status_code == 409
    listing = app.test_client().get("/api/v1/carriers?q=东坡星火").get_json()
    assert listing["total"] == 0
    revoked = app.test_client().get("/api/v1/carriers?q=东坡星火&status=revoked").get_json()
    assert [i["id"] for i in revoked["items"]] == [carrier.id]
    detail = app.test_client().get(f"/api/v1/carriers/{carrier.id}").get_json()
    assert detail["recognitions"][0]["revocation_reason"] == "连续两年考核不合格"
    assert outbox("recognition_revoked")


def test_revoke_through_the_page(app):
    carrier, recognition = _recognised()
    city = factories.user("reviewer", "511400")
    db.session.commit()
    client = app.test_client()
    sign_in(client, city)
    page = client.get(f"/carriers/{carrier.id}").get_data(as_text=True)
    path = f"/recognitions/{recognition.id}/revoke"
    assert path in page
    refused = submit(client, path, "", revoked_on="", reason="", document_no="")
    assert refused.status_code == 422
    done = submit(
        client,
        path,
        "",
        revoked_on="2025-12-31",
        reason="运营主体注销",
        document_no="眉科发〔2025〕9号",
    )
    assert done.status_code == 302
    html = app.test_client().get(f"/carriers/{carrier.id}").get_data(as_text=True)
    assert "眉科发〔2025〕9号" in html and "已撤销" in html
