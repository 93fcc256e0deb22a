"""GET /api/v1/carriers: every filter and facet on a registry whose counts are known."""

from __future__ import annotations

import pytest

from tests.carriers.world import HTML_NAME, build_world


@pytest.fixture
def world(app):
    return build_world()


def names(client, **params) -> set[str]:
    response = client.get("/api/v1/carriers", query_string={"per_page": 100, **params})
    assert response.status_code == 200, response.json
    return {item["name"] for item in response.json["items"]}


def facet(response, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in response.json["facets"][name]}


def test_default_lists_recognised_carriers_only(client, world):
    expected = {world.a.name, world.b.name, world.c.name, world.e.name, world.f.name, world.h.name}
    response = client.get("/api/v1/carriers")
    assert {i["name"] for i in response.json["items"]} == expected
    assert response.json["total"] == 6
    assert response.json["page"] == 1 and response.json["per_page"] == 20


def test_unrecognised_carrier_is_never_listed(client, world):
    assert world.g.name not in names(client, status="all")
    assert world.g.name not in names(client, q="未认定")


@pytest.mark.parametrize(
    ("status", "expected"),
    [("revoked", {"d"}), ("all", {"a", "b", "c", "d", "e", "f", "h"})],
)
def test_status_filter(client, world, status, expected):
    assert names(client, status=status) == {getattr(world, k).name for k in expected}


def test_level_and_min_level(client, world):
    assert names(client, level="national") == {world.a.name}
    assert names(client, level="county") == {world.c.name}  # its municipal title was revoked
    assert names(client, min_level="provincial") == {
        world.a.name,
        world.b.name,
        world.e.name,
        world.f.name,
        world.h.name,
    }
    assert names(client, min_level="municipal", level="provincial") == {
        world.b.name,
        world.e.name,
        world.f.name,
        world.h.name,
    }


def test_region_filter_includes_the_whole_subtree(client, world):
    assert names(client, region="511400") == {world.c.name, world.e.name}
    assert names(client, region="510000") == {
        world.a.name,
        world.b.name,
        world.c.name,
        world.e.name,
        world.h.name,
    }
    assert names(client, region="510107") == {world.a.name, world.h.name}
    assert names(client, region="500000") == {world.f.name}
    assert names(client, region="511403", status="all") == {world.d.name}


def test_type_filter_one_or_several(client, world):
    assert names(client, type="incubator") == {world.a.name, world.c.name, world.f.name}
    assert names(client, type="incubator,maker_space") == {
        world.a.name,
        world.b.name,
        world.c.name,
        world.f.name,
    }
    multi = client.get("/api/v1/carriers?type=star_space&type=tech_transfer&status=all")
    assert {i["name"] for i in multi.json["items"]} == {world.d.name, world.e.name}


def test_name_search_is_a_chinese_substring(client, world):
    assert names(client, q="成都") == {world.a.name, world.b.name, world.h.name}
    assert names(client, q="孵化") == {world.a.name, world.c.name, world.f.name}
    assert names(client, q="　成都　") == {world.a.name, world.b.name, world.h.name}  # full-width
    assert names(client, q="%") == set()  # LIKE wildcards are escaped
    assert names(client, q="_") == set()


def test_recognition_year_and_date_range(client, world):
    assert names(client, year=2019) == {world.c.name, world.f.name}
    assert names(client, recognized_from="2022", recognized_to="2022") == {world.e.name}
    assert names(client, recognized_from="2021-09-01", recognized_to="2021-09-01") == {world.a.name}


def test_latest_grade_filter(client, world):
    assert names(client, grade="good") == {world.a.name}  # 2023 good replaces 2022 excellent
    assert names(client, grade="excellent") == set()
    assert names(client, grade="fail") == {world.b.name}


def test_as_of_a_past_date(client, world):
    response = client.get("/api/v1/carriers", query_string={"as_of": "2018-01-01"})
    levels = {i["name"]: i["level"] for i in response.json["items"]}
    assert levels == {
        world.a.name: "municipal",
        world.b.name: "provincial",
        world.c.name: "county",
        world.h.name: "provincial",
    }
    revoked_then = names(client, as_of="2022-09-01", status="revoked")
    assert revoked_then == {world.d.name}
    assert world.d.name in names(client, as_of="2022-07-31")


def test_facets_are_disjunctive_counts(client, world):
    response = client.get("/api/v1/carriers")
    assert facet(response, "type") == {
        "incubator": 3,
        "maker_space": 1,
        "star_space": 0,
        "tech_transfer": 1,
        "eng_center": 1,
    }
    assert facet(response, "level") == {"national": 1, "provincial": 4, "municipal": 0, "county": 1}
    assert facet(response, "region") == {"510000": 5, "500000": 1}

    filtered = client.get("/api/v1/carriers?type=incubator")
    assert filtered.json["total"] == 3
    assert facet(filtered, "type")["maker_space"] == 1  # other types still counted
    assert facet(filtered, "level") == {"national": 1, "provincial": 1, "municipal": 0, "county": 1}
    assert facet(filtered, "region") == {"510000": 2, "500000": 1}


def test_region_facet_drills_down_to_children(client, world):
    sichuan = client.get("/api/v1/carriers?region=510000")
    assert facet(sichuan, "region") == {"510100": 3, "511400": 2}
    labels = {v["value"]: v["label"] for v in sichuan.json["facets"]["region"]}
    assert labels == {"510100": "成都市", "511400": "眉山市"}
    meishan = client.get("/api/v1/carriers?region=511400&status=all")
    assert facet(meishan, "region") == {"511402": 1, "511403": 1, "511421": 1}


def test_sort_orders(client, world):
    def order(sort):
        response = client.get("/api/v1/carriers", query_string={"sort": sort})
        return [i["name"] for i in response.json["items"]]

    assert order("-level")[0] == world.a.name
    assert order("level")[0] == world.c.name
    assert order("name") == sorted(order("name"))
    assert order("-name") == sorted(order("name"), reverse=True)
    assert order("-recognized")[0] == world.e.name  # 2022-12-01 is the newest
    assert order("recognized")[0] == world.h.name  # its only recognition is from 2016


def test_pagination(client, world):
    first = client.get("/api/v1/carriers?per_page=4&sort=name").json
    second = client.get("/api/v1/carriers?per_page=4&sort=name&page=2").json
    assert first["total"] == second["total"] == 6
    assert len(first["items"]) == 4 and len(second["items"]) == 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    beyond = client.get("/api/v1/carriers?per_page=4&page=9").json
    assert beyond["items"] == [] and beyond["total"] == 6


def test_item_shape_and_no_private_fields(client, world):
    item = next(i for i in client.get("/api/v1/carriers?q=天府").json["items"])
    assert item["type"] == "incubator" and item["level"] == "national"
    assert item["status"] == "recognized"
    assert item["region"] == {"code": "510107", "name": "四川省成都市武侯区"}
    assert item["last_recognized_on"] == "2021-09-01"
    assert "contact_phone" not in item and "contact_name" not in item


def test_html_in_names_is_returned_verbatim_as_json(client, world):
    assert HTML_NAME in names(client, region="500000")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("type=rocket", "type"),
        ("level=galactic", "level"),
        ("min_level=1", "min_level"),
        ("region=999999", "region"),
        ("region=abc", "region"),
        ("status=unrecognized", "status"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("as_of=2024-02-30", "as_of"),
        ("as_of=yesterday", "as_of"),
        ("recognized_from=2020-13-01", "recognized_from"),
        ("recognized_from=2021&recognized_to=2020", "recognized_to"),
        ("year=20x", "year"),
        ("grade=A", "grade"),
        ("sort=price", "sort"),
    ],
)
def test_bad_parameters_are_named_in_a_422(client, world, query, field):
    response = client.get("/api/v1/carriers?" + query)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid"
    assert field in response.json["error"]["fields"]


def test_every_bad_parameter_is_named_at_once(client, app):
    response = client.get("/api/v1/carriers?type=x&page=0&per_page=500&level=y")
    assert set(response.json["error"]["fields"]) == {"type", "page", "per_page", "level"}


def test_listing_uses_a_bounded_number_of_queries(client, world, count_queries):
    client.get("/api/v1/carriers")  # warm the lookups
    with count_queries() as n:
        client.get("/api/v1/carriers?region=510000&type=incubator&sort=name")
    assert n[0] <= 7
