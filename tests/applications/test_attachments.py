"""Attachments: PDF and images only (by content), a size limit, random names outside the
web root, served only to those who may see the application, always as downloads."""

from __future__ import annotations

import io
from pathlib import Path

from registry import PROJECT_ROOT, db
from registry.accounts.models import User
from registry.applications.models import ApplicationAttachment
from tests import factories
from tests.applications.factories import PDF, PNG, draft, owned_carrier


def _upload(client_api, app_id, name, content):
    return client_api.client.post(
        f"/api/v1/applications/{app_id}/attachments",
        data={"file": (io.BytesIO(content), name)},
        headers=client_api.headers,
        content_type="multipart/form-data",
    )


def _world():
    carrier = owned_carrier()
    application = draft(carrier)
    owner = db.session.get(User, carrier.owner_id)
    county = factories.user("reviewer", "511402")
    stranger = factories.user()
    db.session.commit()
    return application, owner, county, stranger


def test_pdf_and_image_are_kept_under_random_names_and_served_as_downloads(app, api):
    application, owner, county, stranger = _world()
    response = _upload(api(owner), application.id, "营业执照.pdf", PDF)
    assert response.status_code == 201, response.get_json()
    pdf = response.get_json()
    assert pdf["filename"] == "营业执照.pdf" and pdf["content_type"] == "application/pdf"
    assert _upload(api(owner), application.id, "场地照片.PNG", PNG).status_code == 201

    stored = db.session.get(ApplicationAttachment, pdf["id"])
    path = Path(app.config["UPLOAD_DIR"]) / "applications" / stored.stored_name
    assert path.read_bytes() == PDF
    assert "营业执照" not in stored.stored_name and len(stored.stored_name) == 32
    assert not str(path.resolve()).startswith(str((PROJECT_ROOT / "static").resolve()))

    download = api(owner).get(f"/applications/{application.id}/attachments/{pdf['id']}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    # a draft is the carrier's own; once submitted, the bureaus over it see the files
    url = f"/applications/{application.id}/attachments/{pdf['id']}"
    assert api(county).get(url).status_code == 404
    api(owner).act(application.id, "submit")
    assert api(county).get(url).status_code == 200
    assert api(stranger).get(url).status_code == 404
    assert app.test_client().get("/api/v1" + url).status_code == 401


def test_wrong_content_extension_or_size_is_refused(app, api):
    application, owner, *_ = _world()
    client = api(owner)
    disguised = _upload(client, application.id, "清单.pdf", b"<html><script>alert(1)</script>")
    assert disguised.status_code == 422 and "file" in disguised.get_json()["error"]["fields"]
    assert _upload(client, application.id, "setup.exe", PDF).status_code == 422
    assert _upload(client, application.id, "图.png", PDF).status_code == 422  # PDF named .png
    assert _upload(client, application.id, "空.pdf", b"").status_code == 422
    app.config["ATTACHMENT_MAX_BYTES"] = 40
    try:
        too_big = _upload(client, application.id, "大.pdf", PDF + b"0" * 100)
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = 10 * 1024 * 1024
    assert too_big.status_code == 422
    assert "MB" in too_big.get_json()["error"]["fields"]["file"]
    assert client.get(f"/applications/{application.id}").get_json()["attachments"] == []


def test_files_change_only_while_the_carrier_may_edit_and_are_never_deleted(app, api):
    application, owner, *_ = _world()
    client = api(owner)
    first = _upload(client, application.id, "a.pdf", PDF).get_json()
    removed = client.delete(f"/applications/{application.id}/attachments/{first['id']}")
    assert removed.status_code == 200 and removed.get_json()["attachments"] == []
    record = db.session.get(ApplicationAttachment, first["id"])
    assert record.removed_at is not None
    assert (Path(app.config["UPLOAD_DIR"]) / "applications" / record.stored_name).exists()
    assert (
        client.delete(f"/applications/{application.id}/attachments/{first['id']}").status_code
        == 409
    )
    _upload(client, application.id, "b.pdf", PDF)
    client.act(application.id, "submit")
    assert _upload(client, application.id, "c.pdf", PDF).status_code == 409
