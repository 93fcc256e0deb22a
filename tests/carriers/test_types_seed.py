"""Carrier types, indicators and criteria from seeds/carrier_types.toml."""

from __future__ import annotations

from registry.carriers.seed import load_carrier_types, read_types
from registry.seeding import SEEDS_DIR


def test_the_five_types_with_names_in_both_languages(client, app):
    types = {t["code"]: t for t in client.get("/api/v1/carrier-types").json}
    assert list(types) == ["incubator", "maker_space", "star_space", "tech_transfer", "eng_center"]
    assert types["incubator"]["name"] == "科技企业孵化器"
    assert types["maker_space"]["name_en"] == "Maker space"
    assert types["maker_space"]["kind"] == "filing"  # 众创空间 are filed (备案)
    assert types["incubator"]["kind"] == "recognition"


def test_indicators_carry_units_in_the_official_form(client, app):
    types = {t["code"]: t for t in client.get("/api/v1/carrier-types").json}
    units = {i["code"]: i["unit"] for i in types["incubator"]["indicators"]}
    assert units["incubation_area"] == "m²" and units["fund_total"] == "千元"
    tt = {i["code"]: i["unit"] for i in types["tech_transfer"]["indicators"]}
    assert tt["contract_value"] == "万元"


def test_national_incubator_and_maker_space_criteria(client, app):
    types = {t["code"]: t for t in client.get("/api/v1/carrier-types").json}
    national = types["incubator"]["criteria"]["national"]
    simple = {(c["indicator"], c["min"]) for c in national if "per" not in c}
    assert simple == {
        ("operating_months", 36),
        ("incubation_area", 10000),
        ("incubated_firms", 50),
        ("graduated_firms_total", 20),
        ("fund_total", 5000),
    }
    density = next(c for c in national if "per" in c)
    assert (density["indicator"], density["per"], density["per_amount"], density["min"]) == (
        "incubated_firms",
        "incubation_area",
        1000,
        3,
    )
    assert not any(c["configurable"] for c in national)

    maker = types["maker_space"]["criteria"]["national"]
    space = {c["indicator"]: c["min"] for c in maker if c.get("any_of") == "space"}
    assert space == {"space_area": 500, "workstations": 30}
    plain = {c["indicator"]: c["min"] for c in maker if "any_of" not in c}
    assert plain == {
        "operating_months": 18,
        "teams_served": 20,
        "typical_cases": 3,
        "events": 10,
        "full_time_staff": 3,
        "mentors": 3,
    }


def test_lower_levels_are_marked_configurable(client, app):
    types = {t["code"]: t for t in client.get("/api/v1/carrier-types").json}
    for carrier_type in types.values():
        assert set(carrier_type["criteria"]) == {"county", "municipal", "provincial", "national"}
    assert all(c["configurable"] for c in types["incubator"]["criteria"]["county"])


def test_reloading_the_seed_writes_nothing(app):
    counts = load_carrier_types(read_types(SEEDS_DIR / "carrier_types.toml"))
    assert counts == {"types": 0, "indicators": 0, "criteria": 0}


def test_changed_criterion_is_updated(app, client):
    types = read_types(SEEDS_DIR / "carrier_types.toml")
    types[0]["criteria"]["national"][1]["min"] = 12000
    counts = load_carrier_types(types)
    assert counts["criteria"] > 0
    incubator = client.get("/api/v1/carrier-types").json[0]
    area = [c for c in incubator["criteria"]["national"] if c["indicator"] == "incubation_area"]
    assert area[0]["min"] == 12000
