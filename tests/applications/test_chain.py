"""The review chain: county → city → province (→ the ministry), 扩权县 skipping the city,
municipalities without a city tier."""

from __future__ import annotations

import pytest

from registry import db
from registry.applications.chain import review_chain
from registry.carriers.levels import Level
from registry.errors import ValidationError
from tests import factories
from tests.applications.factories import CHAIN_CODES


def codes(region_code: str, level: str) -> list[str]:
    return [r.code for r in review_chain(factories.region(region_code), Level.parse(level))]


@pytest.mark.parametrize("level", ["county", "municipal", "provincial", "national"])
def test_chain_runs_from_the_county_up_to_the_granting_region(app, level):
    assert codes("511402", level) == CHAIN_CODES[level]


def test_direct_county_skips_its_city_except_when_the_city_decides(app):
    renshou = factories.region("511421")  # 仁寿县
    renshou.is_direct_to_province = True
    db.session.flush()
    assert codes("511421", "provincial") == ["511421", "510000"]
    assert codes("511421", "national") == ["511421", "510000", "000000"]
    assert codes("511421", "municipal") == ["511421", "511400"]
    assert codes("511403", "provincial") == ["511403", "511400", "510000"]  # 彭山区: not marked


def test_municipality_has_no_city_bureau(app):
    assert codes("500103", "provincial") == ["500103", "500000"]  # 渝中区 → 重庆市
    with pytest.raises(ValidationError) as refused:
        review_chain(factories.region("500103"), Level.municipal)
    assert "level" in refused.value.fields


def test_no_county_bureau_for_a_carrier_placed_at_its_city(app):
    with pytest.raises(ValidationError):
        review_chain(factories.region("511400"), Level.county)
    assert codes("511400", "provincial") == ["511400", "510000"]
