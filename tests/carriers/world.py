"""A small hand-made registry whose every count is known (used by the listing tests).

Carriers (as of 2026-11-23 unless said):
  A 成都天府软件园孵化器        incubator   武侯区  municipal 2015 → provincial 2018 → national 2021
  B 成都菁蓉众创空间            maker_space 锦江区  provincial 2017
  C 眉山东坡科技孵化器          incubator   东坡区  county 2016, municipal 2019 (revoked 2023)
  D 眉山彭山星创天地            star_space  彭山区  municipal 2020, revoked 2022-08-01 → revoked
  E 仁寿技术转移中心            tech_transfer 仁寿县 provincial 2022-12-01
  F 重庆两江<script>…孵化器     incubator   渝北区  provincial 2019-01-01
  G 东坡未认定众创空间          maker_space 东坡区  no recognition (private)
  H 成都先进材料工程技术研究中心 eng_center  武侯区  provincial 2016-04-01
Grades: A 2022 excellent, 2023 good; B 2023 fail; E 2023 pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.carriers.models import Carrier
from tests import factories as f

HTML_NAME = "重庆两江<script>alert('x')</script>&孵化器"


@dataclass
class World:
    a: Carrier
    b: Carrier
    c: Carrier
    d: Carrier
    e: Carrier
    f: Carrier
    g: Carrier
    h: Carrier

    def by_name(self, name: str) -> Carrier:
        return next(c for c in vars(self).values() if c.name == name)


def build_world() -> World:
    a = f.create_carrier(
        "成都天府软件园孵化器",
        type_code="incubator",
        region_code="510107",
        operator_name="成都天府软件园有限公司",
        address="成都市武侯区天府大道1号",
    )
    f.recognize(a, "municipal", "2015-03-01")
    f.recognize(a, "provincial", "2018-06-01")
    f.recognize(a, "national", "2021-09-01", document_no="国科火字〔2021〕200号")
    b = f.create_carrier("成都菁蓉众创空间", type_code="maker_space", region_code="510104")
    f.recognize(b, "provincial", "2017-05-01")
    c = f.create_carrier("眉山东坡科技孵化器", type_code="incubator", region_code="511402")
    f.recognize(c, "county", "2016-01-10")
    c_municipal = f.recognize(c, "municipal", "2019-02-01")
    f.revoke(c_municipal, "2023-04-01")
    d = f.create_carrier("眉山彭山星创天地", type_code="star_space", region_code="511403")
    f.revoke(f.recognize(d, "municipal", "2020-07-01"), "2022-08-01")
    e = f.create_carrier("仁寿技术转移中心", type_code="tech_transfer", region_code="511421")
    f.recognize(e, "provincial", "2022-12-01")
    f_ = f.create_carrier(HTML_NAME, type_code="incubator", region_code="500112")
    f.recognize(f_, "provincial", "2019-01-01")
    g = f.create_carrier(
        "东坡未认定众创空间",
        type_code="maker_space",
        region_code="511402",
        contact_phone="13800000000",
    )
    h = f.create_carrier(
        "成都先进材料工程技术研究中心", type_code="eng_center", region_code="510107"
    )
    f.recognize(h, "provincial", "2016-04-01")
    f.grade(a, 2022, "excellent")
    f.grade(a, 2023, "good")
    f.grade(b, 2023, "fail")
    f.grade(e, 2023, "pass")
    from registry import db

    db.session.commit()
    return World(a, b, c, d, e, f_, g, h)
