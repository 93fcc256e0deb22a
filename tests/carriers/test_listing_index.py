"""The in-memory listing index and the SQL path give the same answers."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import replace

import pytest
from sqlalchemy import select

from registry import db
from registry.carriers.index import holder
from registry.carriers.params import parse_listing_args
from registry.carriers.queries import (
    SORTS,
    carrier_rows,
    facet_cube,
    facets_from_cube,
    public_carriers,
)
from registry.demo import generate_demo
from tests.carriers.world import build_world

ARGS = [
    {},
    {"status": "revoked"},
    {"status": "all"},
    {"type": "incubator"},
    {"type": "maker_space,star_space"},
    {"level": "provincial"},
    {"min_level": "municipal"},
    {"region": "510000"},
    {"region": "511400", "status": "all"},
    {"region": "510107"},
    {"q": "成都"},
    {"q": "孵化", "type": "incubator", "min_level": "provincial"},
    {"year": "2019"},
    {"recognized_from": "2016", "recognized_to": "2020-06-30"},
    {"grade": "good"},
    {"grade": "fail", "status": "all"},
]


def via_sql(args: dict, sort: str) -> tuple:
    f = replace(parse_listing_args(args), sort=sort)
    facets = facets_from_cube(f, facet_cube(f))
    return facets, [row.id for row in carrier_rows(f, 0, 1000)]


def via_index(args: dict, sort: str) -> tuple:
    f = replace(parse_listing_args(args), sort=sort)
    listing = public_carriers(f, 1, 100)
    ids = [row.id for row in listing.items]
    for page in range(2, listing.total // 100 + 2):
        ids += [row.id for row in public_carriers(f, page, 100).items]
    return listing.facets, ids


def assert_same(args: dict) -> None:
    for sort in SORTS:
        sql_facets, sql_ids = via_sql(args, sort)
        index_facets, index_ids = via_index(args, sort)
        assert index_facets == sql_facets, (args, sort)
        assert index_ids == sql_ids, (args, sort)


@pytest.mark.parametrize("args", ARGS, ids=lambda a: "&".join(f"{k}={v}" for k, v in a.items()))
def test_index_agrees_with_sql_on_the_known_world(app, args):
    build_world()
    assert_same(args)
    assert holder.builds >= 1


def test_index_agrees_with_sql_on_demo_data(app):
    generate_demo(n_carriers=400, seed=11)
    db.session.commit()
    rng = random.Random(5)
    names = ["q", "type", "level", "min_level", "region", "status", "year", "grade"]
    values = {
        "q": ["成都", "孵化", "天府", "众创"],
        "type": ["incubator", "eng_center"],
        "level": ["county", "national"],
        "min_level": ["provincial"],
        "region": ["510000", "510100", "500000", "511400"],
        "status": ["all", "revoked"],
        "year": ["2015", "2021"],
        "grade": ["excellent", "pass"],
    }
    combos = [{}] + [
        {k: rng.choice(values[k]) for k in keys}
        for keys in itertools.chain.from_iterable(
            itertools.combinations(names, r) for r in (1, 2, 3)
        )
    ]
    for args in rng.sample(combos, 40):
        assert_same(args)


def test_index_follows_writes_at_once(app, client):
    from tests import factories as f

    build_world()
    assert client.get("/api/v1/carriers").json["total"] == 6
    carrier = f.create_carrier("新认定的孵化器", region_code="511402")
    f.recognize(carrier, "county", dt.date(2024, 1, 1))
    db.session.commit()
    data = client.get("/api/v1/carriers?q=新认定").json
    assert data["total"] == 1 and data["items"][0]["level"] == "county"
    assert client.get("/api/v1/carriers").json["total"] == 7


def test_only_what_the_listing_reads_updates_its_index(app, client):
    """A carrier's address or contacts move the public version (ETags) but not the listing's
    standing: the index of every worker stays as it is; a name, a recognition or a grade
    update it in place, from the log of the carriers each version changed."""
    from registry.cache import current_version
    from tests import factories as f

    build_world()
    listed = f.create_carrier("版本测试孵化器", region_code="511402", address="旧地址1号")
    f.recognize(listed, "county", dt.date(2024, 1, 1))
    db.session.commit()
    assert client.get("/api/v1/carriers?q=版本测试").json["total"] == 1
    builds, patches = holder.builds, holder.patches
    public, standing = current_version(), current_version("standing")

    listed.address, listed.contact_phone = "新地址2号", "028-85550001"
    db.session.commit()
    assert current_version() == public + 1 and current_version("standing") == standing
    assert client.get(f"/api/v1/carriers/{listed.id}").json["address"] == "新地址2号"
    assert client.get("/api/v1/carriers?q=版本测试").json["total"] == 1
    assert (holder.builds, holder.patches) == (builds, patches)  # the same index answered

    listed.name = "版本测试更名孵化器"
    db.session.commit()
    assert current_version("standing") == standing + 1
    assert client.get("/api/v1/carriers?q=更名").json["total"] == 1
    assert client.get("/api/v1/carriers?q=版本测试孵化器").json["total"] == 0
    f.grade(listed, 2024, "excellent")
    db.session.commit()
    assert client.get("/api/v1/carriers?q=更名&grade=excellent").json["total"] == 1
    assert (holder.builds, holder.patches) == (builds, patches + 2)


def test_a_patched_index_agrees_with_sql_after_every_kind_of_write(app, client):
    """Random writes to the standing of a demo world, each committed; after each the index
    (patched, never rebuilt) answers every filter and order as SQL does."""
    from registry.carriers.models import Carrier, Recognition
    from registry.evaluations.models import Evaluation, Grade
    from tests import factories as f

    generate_demo(n_carriers=300, seed=3)
    db.session.commit()
    via_index({}, "name")
    builds = holder.builds
    rng = random.Random(17)
    carriers = list(db.session.scalars(select(Carrier).order_by(Carrier.id)))
    regions = ["511402", "510104", "500101", "510781"]
    for step in range(24):
        carrier = rng.choice(carriers)
        kind = step % 6
        if kind == 0:  # renamed, to the front, the back or among equal names
            carrier.name = rng.choice(["阿坝新名孵化器", "龙泉驿新名众创空间", carriers[0].name])
        elif kind == 1:  # moved to another county
            carrier.region_id = f.region(rng.choice(regions)).id
        elif kind == 2:  # recognised for the first time or again
            fresh = f.create_carrier(f"新认定载体{step}", region_code=rng.choice(regions))
            carriers.append(fresh)
            f.recognize(fresh, rng.choice(["county", "municipal"]), dt.date(2023, 5, 1))
        elif kind == 3:  # a title revoked
            active = db.session.scalars(
                select(Recognition).where(Recognition.revoked_on.is_(None))
            ).first()
            f.revoke(active, dt.date(2025, 1, 2))
        elif kind == 4:  # a grade changed
            evaluation = rng.choice(db.session.scalars(select(Evaluation)).all())
            evaluation.grade = Grade.fail if evaluation.grade != Grade.fail else Grade.excellent
        else:  # a credit code to search by
            carrier.uscc = f.valid_uscc(900 + step)
        db.session.commit()
        for args in ({}, {"q": "新"}, {"region": "510100"}, {"status": "all", "grade": "fail"}):
            assert_same(args)
    assert holder.builds == builds and holder.patches >= 24


def test_a_change_the_log_cannot_place_rebuilds_the_index(app, client):
    """A bulk write (an import) may touch any carrier: the index is built again."""
    from registry.cache import bump

    build_world()
    via_index({}, "name")
    builds = holder.builds
    bump()
    db.session.commit()
    via_index({}, "name")
    assert holder.builds == builds + 1


def test_the_index_logs_each_build_and_patch_with_its_size_and_time(app, client, caplog):
    """Operators see in the log when a worker builds its index (info) or patches it (debug),
    for how many carriers and how long it took."""
    import logging

    from tests import factories as f

    build_world()
    holder.clear()
    caplog.set_level(logging.DEBUG, logger="registry.carriers.index")
    total = client.get("/api/v1/carriers").json["total"]
    built = [r for r in caplog.records if r.getMessage() == "listing index built"]
    assert len(built) == 1 and built[0].levelno == logging.INFO
    assert built[0].fields["carriers"] >= total > 0
    assert built[0].fields["duration_ms"] >= 0

    carrier = f.create_carrier("日志测试孵化器", region_code="511402")
    f.recognize(carrier, "county", dt.date(2024, 1, 1))
    db.session.commit()
    assert client.get("/api/v1/carriers").json["total"] == total + 1
    patched = [r for r in caplog.records if r.getMessage() == "listing index patched"]
    assert len(patched) == 1 and patched[0].levelno == logging.DEBUG
    assert patched[0].fields["carriers"] == 1


def test_warming_builds_todays_index_once_and_survives_a_database_that_is_down(
    app, client, caplog, tmp_path
):
    """gunicorn's master warms the index before forking (deploy/gunicorn.conf.py): the
    first search then builds nothing; a database that does not answer leaves serving to
    start anyway, with a warning in the log."""
    from registry import create_app
    from registry.carriers.index import warm

    build_world()
    holder.clear()
    builds = holder.builds
    total = warm(app)
    assert holder.builds == builds + 1
    assert client.get("/api/v1/carriers?status=all").json["total"] == total > 0
    assert holder.builds == builds + 1

    holder.clear()
    down = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/registry.db", "TESTING": True}
    )
    assert warm(down) is None
    assert "listing index not built ahead of the workers" in caplog.text
    holder.clear()
