"""The workflow through the pages: apply, attach, submit, review up the chain, approve;
return with what to fix; refusals shown at their fields; the workspaces' panels."""

from __future__ import annotations

import io
import re

from registry import db
from registry.accounts.models import User
from registry.applications.models import Application
from tests import factories
from tests.applications.factories import PDF, full_figures, owned_carrier, submitted
from tests.applications.pages import post_forms, submit
from tests.helpers import field_errors, outbox, sign_in


def _client(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def _application_id(response) -> int:
    return int(re.search(r"/applications/(\d+)", response.headers["Location"]).group(1))


def test_apply_attach_submit_review_and_approve_through_the_pages(app):
    carrier = owned_carrier(name="东坡农业科技孵化器")
    owner = db.session.get(User, carrier.owner_id)
    county, city = factories.user("reviewer", "511402"), factories.user("reviewer", "511400")
    db.session.commit()
    me = _client(app, owner)

    page = me.get(f"/carriers/{carrier.id}").get_data(as_text=True)
    assert f"/carriers/{carrier.id}/apply" in page
    form_page = f"/carriers/{carrier.id}/apply"
    bad = submit(me, form_page, "", level="municipal", figure_incubated_firms="十")
    assert bad.status_code == 422
    assert field_errors(bad) == {"figure_incubated_firms": "必须是数字"}
    figures = {f"figure_{k}": str(v) for k, v in full_figures(carrier).items()}
    created = submit(me, form_page, "", level="municipal", **figures)
    assert created.status_code == 302
    app_id = _application_id(created)
    path = f"/applications/{app_id}"

    html = me.get(path).get_data(as_text=True)
    assert 'data-testid="eligibility"' in html and 'data-testid="chain-preview"' in html
    assert "眉山市科学技术局" in html
    uploaded = me.post(
        f"{path}/attachments",
        data={
            "csrf_token": post_forms(html)[f"{path}/attachments"]["csrf_token"],
            "file": (io.BytesIO(PDF), "营业执照.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    assert "营业执照.pdf" in me.get(path).get_data(as_text=True)
    assert submit(me, path, f"{path}/actions/submit").status_code == 302

    reviewer = _client(app, county)
    queue = reviewer.get("/review").get_data(as_text=True)
    assert "东坡农业科技孵化器" in queue
    assert submit(reviewer, path, f"{path}/actions/recommend").status_code == 302
    assert "东坡农业科技孵化器" not in reviewer.get("/review").get_data(as_text=True)

    deciding = _client(app, city)
    region = deciding.get("/my/region").get_data(as_text=True)
    assert 'data-testid="panel-applications_waiting"' in region and "东坡农业科技孵化器" in region
    refused = submit(deciding, path, f"{path}/actions/approve", document_no="")
    assert refused.status_code == 422
    assert "document_no" in " ".join(field_errors(refused))
    approved = submit(deciding, path, f"{path}/actions/approve", document_no="眉科发〔2026〕5号")
    assert approved.status_code == 302
    assert db.session.get(Application, app_id).status.value == "approved"
    public = app.test_client().get(f"/carriers/{carrier.id}").get_data(as_text=True)
    assert "眉科发〔2026〕5号" in public
    assert outbox("application_decision", to=owner.email)


def test_returned_application_tells_the_carrier_what_to_fix(app):
    application = submitted(level="county")
    owner = db.session.get(User, application.carrier.owner_id)
    county = factories.user("reviewer", "511402")
    db.session.commit()
    path = f"/applications/{application.id}"
    reviewer = _client(app, county)
    no_comment = submit(reviewer, path, f"{path}/actions/return", comment="")
    assert no_comment.status_code == 422
    assert (
        submit(reviewer, path, f"{path}/actions/return", comment="请补充场地租赁合同").status_code
        == 302
    )
    html = _client(app, owner).get(path).get_data(as_text=True)
    assert 'data-testid="what-to-fix"' in html and "请补充场地租赁合同" in html
    assert f"{path}/actions/submit" in html and f"{path}/edit" in html


def test_stale_form_gets_409_with_the_current_state(app):
    application = submitted(level="county")
    first, second = factories.user("reviewer", "511402"), factories.user("reviewer", "511402")
    db.session.commit()
    path = f"/applications/{application.id}"
    one, two = _client(app, first), _client(app, second)
    html = two.get(path).get_data(as_text=True)
    assert submit(one, path, f"{path}/actions/reject", comment="不符合条件").status_code == 302
    stale = dict(post_forms(html)[f"{path}/actions/approve"])
    stale["approve-document_no"] = "东科〔2026〕1号"
    answer = two.post(f"{path}/actions/approve", data=stale)
    assert answer.status_code == 409
    assert "未获通过" in answer.get_data(as_text=True) or "重新" in answer.get_data(as_text=True)


def test_workspace_panels_and_lists(app):
    application = submitted(level="county")
    owner = db.session.get(User, application.carrier.owner_id)
    db.session.commit()
    mine = _client(app, owner)
    html = mine.get("/my/carriers").get_data(as_text=True)
    assert 'data-testid="panel-own_applications"' in html
    assert application.carrier.name in mine.get("/my/applications").get_data(as_text=True)
    assert mine.get("/review").status_code == 403
