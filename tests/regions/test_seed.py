"""The official division list: counts, tree shape, idempotent seeding."""

from __future__ import annotations

from sqlalchemy import func, select

from registry import db
from registry.regions.models import Region, RegionLevel
from registry.regions.service import get_region, load_regions, read_division_csv
from registry.seeding import SEEDS_DIR


def count(level: RegionLevel, under: str | None = None) -> int:
    stmt = select(func.count()).select_from(Region).where(Region.level == level)
    if under:
        stmt = stmt.where(Region.path.like(get_region(under).path + "/%"))
    return db.session.scalar(stmt)


def test_all_of_china_is_seeded(app):
    assert count(RegionLevel.country) == 1
    assert count(RegionLevel.province) == 31
    assert count(RegionLevel.prefecture) == 342
    assert count(RegionLevel.county) == 2975


def test_sichuan_has_21_prefectures_and_183_county_level_divisions(app):
    assert count(RegionLevel.prefecture, "510000") == 21
    assert count(RegionLevel.county, "510000") == 183
    assert count(RegionLevel.county, "511400") == 6  # 眉山: 东坡 彭山 仁寿 洪雅 丹棱 青神


def test_paths_and_full_names(app):
    dongpo = get_region("511402")
    assert dongpo.path == "000000/510000/511400/511402"
    assert dongpo.full_name == "四川省眉山市东坡区"
    assert [r.code for r in dongpo.ancestors()] == ["000000", "510000", "511400"]
    assert get_region("110101").full_name == "北京市东城区"  # the 市辖区 tier is left out
    assert get_region("441900").level == RegionLevel.prefecture  # 东莞: a leaf prefecture


def test_loading_again_changes_nothing(app):
    rows = read_division_csv(SEEDS_DIR / "regions.csv")
    assert load_regions(rows) == (0, 0)


def test_renamed_region_is_updated(app):
    rows = read_division_csv(SEEDS_DIR / "regions.csv")
    renamed = [dict(r, name="东坡新区") if r["code"] == "511402" else r for r in rows]
    assert load_regions(renamed) == (0, 1)
    assert get_region("511402").name == "东坡新区"


def test_seed_command_is_idempotent(cli):
    first = cli.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "regions: 0 created, 0 updated" in first.output
    assert (
        "carrier types: 0 types written, 0 indicators written, 0 criteria written" in first.output
    )


def test_regions_api(client, app):
    provinces = client.get("/api/v1/regions").json
    assert provinces["total"] == 31
    sichuan = client.get("/api/v1/regions?parent=510000").json
    assert sichuan["total"] == 21
    assert sichuan["items"][0] == {
        "code": "510100",
        "name": "成都市",
        "full_name": "四川省成都市",
        "level": "prefecture",
        "parent": "510000",
    }
    found = client.get("/api/v1/regions?q=东坡").json["items"]
    assert [r["code"] for r in found] == ["511402"]
    detail = client.get("/api/v1/regions/511402").json
    assert [p["code"] for p in detail["path"]] == ["000000", "510000", "511400", "511402"]
    assert client.get("/api/v1/regions?parent=999999").status_code == 422
    assert client.get("/api/v1/regions/999999").status_code == 404
