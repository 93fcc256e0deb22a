"""The workspaces: "my carriers" for a carrier account, "my region" for a reviewer."""

from __future__ import annotations

from registry import db
from registry.carriers.models import CreditCodeReview
from tests import factories
from tests.helpers import api_token, bearer, sign_in


def _client(app, user):
    client = app.test_client()
    client.set_cookie("lang", "en")
    sign_in(client, user)
    return client


def test_my_carriers_lists_only_ones_own(app):
    owner, other = factories.user(), factories.user()
    mine = factories.create_carrier("我的孵化器", owner=owner)
    recognised = factories.create_carrier("我的众创空间", owner=owner, type_code="maker_space")
    factories.recognize(recognised, "municipal")
    factories.create_carrier("别人的孵化器", owner=other)
    db.session.commit()
    html = _client(app, owner).get("/my/carriers").get_data(as_text=True)
    assert "我的孵化器" in html and "我的众创空间" in html and "别人的孵化器" not in html
    assert "Municipal level" in html and "Not recognised" in html
    api = app.test_client().get(
        "/api/v1/account/carriers", headers=bearer(api_token(app.test_client(), owner))
    )
    items = api.get_json()["items"]
    assert {i["name"]: i["status"] for i in items} == {
        "我的孵化器": "unrecognized",
        "我的众创空间": "recognized",
    }
    assert api.get_json()["total"] == 2 and mine.id in [i["id"] for i in items]


def test_my_region_counts_and_panels(app):
    owner = factories.user()
    in_dongpo = factories.create_carrier("东坡待认定", owner=owner, region_code="511402")
    flagged = factories.create_carrier("眉山待定县", region_code="511400", needs_region_review=True)
    coded = factories.create_carrier("东坡校验码", region_code="511402", uscc="91350100M000100Y44")
    db.session.add(CreditCodeReview(carrier_id=coded.id, uscc=coded.uscc))
    recognised = factories.create_carrier("东坡已认定", region_code="511402")
    factories.recognize(recognised, "county")
    factories.create_carrier("成都待认定", region_code="510104")
    db.session.commit()
    reviewer = factories.user("reviewer", "511400", name="眉山市科学技术局")
    client = _client(app, reviewer)
    page = client.get("/my/region")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "四川省眉山市" in html
    for name in ("东坡待认定", "眉山待定县", "东坡校验码"):
        assert name in html
    assert "成都待认定" not in html
    assert in_dongpo.name in html and flagged.name in html
    assert (
        'data-testid="panel-credit_code"' in html
        and 'data-testid="panel-needs_region_review"' in html
    )
    listing = client.get("/my/region/carriers?which=recognized").get_data(as_text=True)
    assert "东坡已认定" in listing and "东坡待认定" not in listing
    drill = client.get("/my/region?region=511402")
    assert drill.status_code == 200 and "眉山待定县" not in drill.get_data(as_text=True)


def test_my_region_stays_inside_the_subtree(app):
    reviewer = factories.user("reviewer", "511402")
    client = _client(app, reviewer)
    assert client.get("/my/region?region=511400").status_code == 403
    assert client.get("/my/region?region=510104").status_code == 403
    assert client.get("/my/region?region=123456").status_code == 404
    assert client.get("/my/region/carriers?which=everything").status_code == 422
    admin_client = _client(app, factories.user("admin"))
    country = admin_client.get("/my/region").get_data(as_text=True)
    assert "中华人民共和国" in country and "四川省" in country
    carrier_client = _client(app, factories.user())
    assert carrier_client.get("/my/region").status_code == 403
    assert _client(app, reviewer).get("/my/carriers").status_code == 403


def test_header_menu_follows_the_role(app):
    owner_menu = _client(app, factories.user()).get("/").get_data(as_text=True)
    assert "/my/carriers" in owner_menu and "/admin/users" not in owner_menu
    reviewer_menu = (
        _client(app, factories.user("reviewer", "510000")).get("/").get_data(as_text=True)
    )
    assert "/my/region" in reviewer_menu and "/my/carriers" not in reviewer_menu
    assert "Reviewer · 四川省" in reviewer_menu
    admin_menu = _client(app, factories.user("admin")).get("/").get_data(as_text=True)
    assert "/admin/users" in admin_menu and "Administrator" in admin_menu
