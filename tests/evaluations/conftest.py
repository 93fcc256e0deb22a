"""A carrier in 东坡区 (眉山市), county-level since 2019 and municipal since 2021, owned by a
carrier account; its highest title was granted by 眉山市."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def owner(app):
    return factories.user(name="东坡运营机构")


@pytest.fixture
def carrier(owner):
    carrier = factories.create_carrier("东坡考核孵化器", owner=owner, region_code="511402")
    factories.recognize(carrier, "county", on="2019-05-01")
    factories.recognize(carrier, "municipal", on="2021-04-01")
    return carrier


@pytest.fixture
def meishan(app):
    return factories.user("reviewer", "511400", name="眉山市科学技术局")
