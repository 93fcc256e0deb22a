"""Place names of published lists resolved to regions (regions.names)."""

from __future__ import annotations

import pytest

from registry.regions.names import Alias, RegionResolver


@pytest.fixture
def resolver(app):
    return RegionResolver()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("德阳市广汉市", "510681"),
        ("成都市郫都区", "510117"),
        ("四川省成都市郫都区", "510117"),
        ("成都 / 郫都区", "510117"),
        ("郫都区", "510117"),
        ("德阳广汉", "510681"),
        ("重庆市渝中区", "500103"),
        ("510117", "510117"),
        ("510117000000", "510117"),
        ("郫县", "510117"),  # a former name, from seeds/region_aliases.csv
    ],
)
def test_names_and_codes_resolve_to_county(resolver, text, code):
    match = resolver.resolve(text)
    assert match.error is None, match.error
    assert match.region.code == code
    assert match.is_precise


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("成都市", "510100"),
        ("达州高新区", "511700"),
        ("成都高新区", "510100"),
        ("眉山市某新区", "511400"),
    ],
)
def test_city_or_zone_resolves_imprecisely(resolver, text, code):
    match = resolver.resolve(text)
    assert match.error is None, match.error
    assert match.region.code == code
    assert not match.is_precise


def test_ambiguous_name_names_the_candidates(resolver):
    match = resolver.resolve("朝阳区")
    assert match.region is None
    assert "北京市朝阳区" in match.error and "长春市朝阳区" in match.error


def test_ambiguity_is_settled_by_the_importers_region(resolver):
    beijing = resolver.by_code["110000"]
    match = resolver.resolve("朝阳区", within=lambda r: r.path.startswith(beijing.path))
    assert match.region.code == "110105"


def test_unknown_name_and_code(resolver):
    assert "不是已知的地区名称" in resolver.resolve("火星市").error
    assert "没有区划代码为 999999" in resolver.resolve("999999").error


def test_aliases_are_data(app):
    resolver = RegionResolver(aliases=[Alias("某某园区", "510117", "zone")])
    assert resolver.resolve("某某园区").region.code == "510117"
