"""Possible duplicates of a carrier: the same credit code and type, or a near-identical name
in the same county. Warnings only: two carriers may share an operator, and names repeat."""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from registry import db
from registry.carriers.models import Carrier

_STRIP = set(string.punctuation) | set("，。、；：？！…—·“”‘’（）【】《》「」")


@dataclass
class Duplicate:
    """An existing carrier that may be the same as the one being saved."""

    kind: str  # "credit_code" or "name"
    carrier: Carrier

    @property
    def message(self) -> str:
        if self.kind == "credit_code":
            return _("A carrier of this type with the same credit code is already registered.")
        return _("A carrier with a nearly identical name is already registered in this county.")


def normalized_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower()
    return "".join(ch for ch in text if not ch.isspace() and ch not in _STRIP)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def nearly_identical(a: str, b: str) -> bool:
    """Equal once spaces and punctuation are ignored, or one or two characters apart for
    names long enough that this is unlikely by chance."""
    na, nb = normalized_name(a), normalized_name(b)
    if na == nb:
        return True
    shorter = min(len(na), len(nb))
    allowed = 2 if shorter >= 12 else 1 if shorter >= 6 else 0
    return allowed > 0 and edit_distance(na, nb, allowed) <= allowed


def find_duplicates(carrier: Carrier) -> list[Duplicate]:
    """Other carriers that may be `carrier` (one query per rule, on indexed columns)."""
    found: list[Duplicate] = []
    if carrier.uscc:
        same_code = select(Carrier).where(
            Carrier.uscc == carrier.uscc,
            Carrier.type_id == carrier.type_id,
            Carrier.id != carrier.id,
        )
        found += [Duplicate("credit_code", c) for c in db.session.scalars(same_code.limit(20))]
    seen = {d.carrier.id for d in found}
    names = db.session.execute(
        select(Carrier.id, Carrier.name).where(
            Carrier.region_id == carrier.region_id, Carrier.id != carrier.id
        )
    )
    similar = [
        cid for cid, name in names if cid not in seen and nearly_identical(carrier.name, name)
    ]
    if similar:
        rows = db.session.scalars(select(Carrier).where(Carrier.id.in_(similar[:20])))
        found += [Duplicate("name", c) for c in rows]
    return found
