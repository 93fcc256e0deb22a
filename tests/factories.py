"""Factories for the suite's own small, hand-made data (Indico's create_x style)."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from registry import db
from registry.accounts.models import Role, User
from registry.accounts.service import create_user
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, CarrierType, Recognition, RecognitionSource
from registry.carriers.service import grant_recognition, revoke_recognition
from registry.evaluations.models import Evaluation, Grade
from registry.regions.models import Region, RegionLevel
from registry.regions.service import get_region

_seq = itertools.count(1)
PASSWORD = "Correct-horse-42"


def region(code: str) -> Region:
    return get_region(code)


def carrier_type(code: str) -> CarrierType:
    return db.session.scalar(select(CarrierType).where(CarrierType.code == code))


def create_carrier(
    name: str | None = None,
    *,
    type_code: str = "incubator",
    region_code: str = "511402",
    owner: User | None = None,
    uscc: str | None = None,
    **fields,
) -> Carrier:
    carrier = Carrier(
        name=name or f"测试载体{next(_seq)}",
        type_id=carrier_type(type_code).id,
        region_id=region(region_code).id,
        owner_id=owner.id if owner else None,
        uscc=uscc,
        **fields,
    )
    db.session.add(carrier)
    db.session.flush()
    return carrier


def granting_region(carrier: Carrier, level: Level) -> Region:
    node = carrier.region
    target = level.region_level
    while node.level != target:
        node = node.parent
    return node


def recognize(
    carrier: Carrier,
    level: Level | str = Level.provincial,
    on: dt.date | str = dt.date(2019, 5, 1),
    document_no: str | None = None,
) -> Recognition:
    level = Level.parse(level) if isinstance(level, str) else level
    on = dt.date.fromisoformat(on) if isinstance(on, str) else on
    recognition = grant_recognition(
        carrier,
        level=level,
        recognized_on=on,
        document_no=document_no or f"测试〔{on.year}〕{next(_seq)}号",
        granted_by=granting_region(carrier, level),
        source=RecognitionSource.manual,
    )
    db.session.refresh(carrier)
    return recognition


def revoke(recognition: Recognition, on: dt.date | str, reason: str = "连续两年考核不合格"):
    on = dt.date.fromisoformat(on) if isinstance(on, str) else on
    return revoke_recognition(recognition, revoked_on=on, reason=reason, document_no="撤〔1〕1号")


def grade(carrier: Carrier, year: int, value: Grade | str) -> Evaluation:
    evaluation = Evaluation(
        carrier_id=carrier.id, year=year, grade=Grade(value) if isinstance(value, str) else value
    )
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def user(role: Role | str = Role.carrier, region_code: str | None = None, **kw) -> User:
    """An account (email confirmed unless confirmed=False)."""
    role = Role(role)
    account = create_user(
        email=kw.pop("email", f"user{next(_seq)}@example.org"),
        password=kw.pop("password", PASSWORD),
        role=role,
        region=region(region_code) if region_code else None,
        confirmed=kw.pop("confirmed", True),
        **kw,
    )
    db.session.flush()  # its audit event too, so events stay in order
    return account


def valid_uscc(n: int | None = None) -> str:
    """A credit code with a correct check character, different for each call."""
    from registry.carriers import uscc

    n = next(_seq) if n is None else n
    return uscc.make("91", "511402", f"{n:08d}"[-8:])


def profile(**changes) -> dict:
    """A complete, valid carrier profile payload for the API."""
    data = {
        "name": f"眉山东坡科创孵化器{next(_seq)}号",
        "type": "incubator",
        "region": "511402",
        "uscc": valid_uscc(),
        "address": "眉山市东坡区科创大道1号",
        "contact_name": "王芳",
        "contact_phone": "028-38123456",
        "founded_on": "2016-05-01",
        "website": "https://example.org",
        "description": "面向农业科技企业的综合孵化器。",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


__all__ = [
    "PASSWORD",
    "RegionLevel",
    "carrier_type",
    "create_carrier",
    "grade",
    "profile",
    "recognize",
    "region",
    "revoke",
    "user",
    "valid_uscc",
]
