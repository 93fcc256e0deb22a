"""The import pages: upload, the dry run's report, the mapping, the import, and who may."""

from __future__ import annotations

import io
import json
import re

from flask import g
from sqlalchemy import select

from registry import db
from registry.carriers.models import Carrier
from registry.imports.models import CarrierImport, ImportStatus
from tests import factories
from tests.imports.files import bureau_list, xlsx


def csrf(client, path: str) -> str:
    # the test's app context (and so `g`, where Flask-WTF caches the token) outlives each
    # request: forget the cached token so the page stores a fresh one in this session
    g.pop("csrf_token", None)
    g.pop("_login_user", None)
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def sign_in(client, user) -> None:
    token = csrf(client, "/login")
    response = client.post(
        "/login",
        data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def upload(client, content: bytes, filename: str = "名单.xlsx", headers=None):
    token = csrf(client, "/imports/new")
    data = {"csrf_token": token, "file": (io.BytesIO(content), filename)}
    return client.post(
        "/imports/new", data=data, headers=headers or {}, content_type="multipart/form-data"
    )


def test_public_and_carrier_accounts_may_not_import(client):
    anonymous = client.get("/imports/")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    sign_in(client, factories.user("carrier"))
    assert client.get("/imports/new").status_code == 403


def test_upload_check_then_import(client):
    sign_in(client, factories.user("admin"))
    response = upload(client, bureau_list())
    assert response.status_code == 302
    page = client.get(response.headers["Location"] + "?show=all").get_data(as_text=True)
    assert "成都天府创新孵化器" in page and "四川省达州市" in page
    record = db.session.scalar(select(CarrierImport).order_by(CarrierImport.id.desc()))
    assert record.status == ImportStatus.staged
    assert db.session.scalar(select(Carrier).where(Carrier.name == "成都天府创新孵化器")) is None
    token = csrf(client, f"/imports/{record.id}")
    response = client.post(f"/imports/{record.id}/run", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(record)
    assert record.status == ImportStatus.completed and record.created_count == 4
    assert db.session.scalar(select(Carrier).where(Carrier.name == "成都天府创新孵化器"))


def test_a_file_with_errors_cannot_be_imported(client):
    sign_in(client, factories.user("admin"))
    rows = [[1, "坏孵化器", "孵化器", "优秀", "成都市郫都区", "", "2019-05-10", ""]]
    location = upload(client, xlsx(rows)).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert 'data-testid="import-blocked"' in page and "D 级别" in page
    assert 'data-testid="run-import"' not in page


def test_mapping_can_be_adjusted(client):
    sign_in(client, factories.user("admin"))
    header = ["载体", "种类", "层次", "地方", "时间"]
    content = xlsx([["乐山孵化器", "孵化器", "省级", "乐山市市中区", "2019"]], header=header)
    location = upload(client, content).headers["Location"]
    record_id = int(location.rstrip("/").rsplit("/", 1)[1])
    token = csrf(client, location)
    form = {
        "csrf_token": token,
        "col_0": "name",
        "col_1": "type",
        "col_2": "level",
        "col_3": "region",
        "col_4": "recognized_on",
        "default_type": "",
        "default_level": "",
        "default_recognized_on": "",
        "default_document_no": "",
        "sheet": "名单",
    }
    assert client.post(f"/imports/{record_id}/check", data=form).status_code == 302
    record = db.session.get(CarrierImport, record_id)
    assert record.report["mapping"] == ["name", "type", "level", "region", "recognized_on"]
    assert record.error_count == 0


def test_progress_is_streamed_to_the_page_script(client):
    sign_in(client, factories.user("admin"))
    rows = [
        [i, f"进度孵化器{i}", "孵化器", "市级", "成都市郫都区", "", "2019", ""] for i in range(600)
    ]
    response = upload(client, xlsx(rows), headers={"X-Progress": "ndjson"})
    lines = [json.loads(x) for x in response.get_data(as_text=True).splitlines()]
    assert lines[0] == {"phase": "reading", "done": 500, "total": 600}
    assert lines[-1]["location"].startswith("/imports/")


def test_reviewer_sees_only_imports_of_its_region(client, app):
    chengdu = factories.user("reviewer", "510100")
    meishan = factories.user("reviewer", "511400")
    sign_in(client, chengdu)
    location = upload(client, bureau_list()).headers["Location"]
    assert client.get(location).status_code == 200
    g.pop("_login_user", None)
    other = app.test_client()
    sign_in(other, meishan)
    assert other.get(location).status_code == 404


def test_template_download(client):
    sign_in(client, factories.user("admin"))
    response = client.get("/imports/template.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
