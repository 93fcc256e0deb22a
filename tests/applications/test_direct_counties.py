"""Marking 扩权县: by the province's bureau or an admin (page) and by command; applications
submitted afterwards skip the city."""

from __future__ import annotations

from registry import db
from registry.regions.service import get_region
from tests import factories
from tests.applications.pages import submit
from tests.helpers import sign_in


def test_province_bureau_marks_and_unmarks_a_county(app):
    province = factories.user("reviewer", "510000")
    city = factories.user("reviewer", "511400")
    chengdu_county = factories.user("reviewer", "510104")
    db.session.commit()
    client = app.test_client()
    sign_in(client, province)
    page = "/admin/direct-counties/"
    refused = submit(client, page, "", region="511400")
    assert refused.status_code == 422 and "不是县级" in refused.get_data(as_text=True)
    assert submit(client, page, "", region="511421").status_code == 302
    assert get_region("511421").is_direct_to_province
    assert "仁寿县" in client.get(page).get_data(as_text=True)
    assert submit(client, page, f"{page}511421/remove").status_code == 302
    assert not get_region("511421").is_direct_to_province
    for user in (city, chengdu_county):
        other = app.test_client()
        sign_in(other, user)
        assert other.get(page).status_code == 403


def test_region_direct_command(app, cli):
    result = cli.invoke(args=["region", "direct", "511421", "510681"])
    assert result.exit_code == 0, result.output
    assert "仁寿县" in result.output
    listed = cli.invoke(args=["region", "direct", "--within", "511400"])
    assert listed.output.split() == ["511421", "四川省眉山市仁寿县"]
    off = cli.invoke(args=["region", "direct", "--off", "511421"])
    assert off.exit_code == 0
    db.session.expire_all()
    assert not get_region("511421").is_direct_to_province
    bad = cli.invoke(args=["region", "direct", "511400"])
    assert bad.exit_code == 2 and "不是县级" in bad.output
