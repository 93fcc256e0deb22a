"""Matching an import's rows to the registry and to each other, and deciding each row's action.

A row is the carrier already in the registry with the same credit code and type, or with the
same name and type in the same region (a carrier placed only at its city matches one in a
county of that city). Existing carriers keep their details: an import fills empty fields,
completes a region flagged for review, and adds the recognitions they do not hold yet.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import db
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, Recognition
from registry.imports.rows import Message, RowRecord
from registry.imports.vocabulary import FIELDS, name_key
from registry.regions.models import Region, RegionLevel
from registry.regions.names import RegionResolver

DETAIL_FIELDS = (
    "uscc",
    "operator_name",
    "address",
    "contact_name",
    "contact_phone",
    "founded_on",
    "website",
)
CHUNK = 500


@dataclass
class Existing:
    """A carrier already in the registry, with what an import compares."""

    id: int
    name: str
    type_id: int
    region_id: int
    needs_region_review: bool
    values: dict[str, Any]
    recognitions: list[tuple[Level, dt.date, str, dt.date | None]] = field(default_factory=list)


@dataclass
class PlannedRecognition:
    row: int
    level: Level
    recognized_on: dt.date
    document_no: str
    granted_by: Region


@dataclass
class Planned:
    """A carrier the import creates or touches, and the rows that speak of it."""

    first: RowRecord
    type_id: int
    existing: Existing | None = None
    rows: list[RowRecord] = field(default_factory=list)
    recognitions: list[PlannedRecognition] = field(default_factory=list)
    updates: dict[str, Any] = field(default_factory=dict)
    carrier_id: int | None = None

    @property
    def region(self) -> Region:
        assert self.first.region is not None
        return self.first.region


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _variants(name: str) -> set[str]:
    """Spellings of a name the registry may hold (brackets full- or half-width)."""
    nfkc = unicodedata.normalize("NFKC", name)
    return {name, nfkc, name.replace("（", "(").replace("）", ")")}


class Planner:
    """Matches checked rows to carriers; `plan()` gives every entity and row action."""

    def __init__(
        self,
        records: list[RowRecord],
        type_ids: dict[str, int],
        resolver: RegionResolver,
        within: Callable[[Region], bool],
    ) -> None:
        self.records = records
        self.type_ids = type_ids
        self.resolver = resolver
        self.within = within
        self.by_uscc: dict[tuple[str, int], list[Existing]] = defaultdict(list)
        self.by_name: dict[tuple[str, int], list[Existing]] = defaultdict(list)

    # -- loading the registry's candidates -----------------------------------------------

    def load_existing(self) -> None:
        valid = [r for r in self.records if not r.has_errors]
        codes = sorted({r.uscc for r in valid if r.uscc})
        names = sorted({v for r in valid for v in _variants(r.name)})
        found: dict[int, Existing] = {}
        columns = [Carrier.id, Carrier.name, Carrier.type_id, Carrier.region_id]
        columns += [Carrier.needs_region_review] + [getattr(Carrier, f) for f in DETAIL_FIELDS]
        for column, values in ((Carrier.uscc, codes), (Carrier.name, names)):
            for chunk in _chunks(values):
                for row in db.session.execute(select(*columns).where(column.in_(chunk))):
                    if row.id not in found:
                        found[row.id] = Existing(
                            row.id,
                            row.name,
                            row.type_id,
                            row.region_id,
                            row.needs_region_review,
                            {f: getattr(row, f) for f in DETAIL_FIELDS},
                        )
        self._load_recognitions(found)
        for ex in found.values():
            if ex.values["uscc"]:
                self.by_uscc[(ex.values["uscc"], ex.type_id)].append(ex)
            self.by_name[(name_key(ex.name), ex.type_id)].append(ex)

    def _load_recognitions(self, found: dict[int, Existing]) -> None:
        ids = sorted(found)
        for chunk in _chunks(ids):
            stmt = select(
                Recognition.carrier_id,
                Recognition.level,
                Recognition.recognized_on,
                Recognition.document_no,
                Recognition.revoked_on,
            ).where(Recognition.carrier_id.in_(chunk))
            for cid, level, day, doc, revoked in db.session.execute(stmt):
                found[cid].recognitions.append((level, day, doc, revoked))

    # -- matching ------------------------------------------------------------------------

    def _related(self, row_region: Region, existing_region: Region) -> bool:
        """Same region, or one holds the other and the holder is not a county (flagged)."""
        if row_region.id == existing_region.id:
            return True
        if existing_region.level != RegionLevel.county and row_region.path.startswith(
            existing_region.path
        ):
            return True
        return row_region.level != RegionLevel.county and existing_region.path.startswith(
            row_region.path
        )

    def match(self, rec: RowRecord, type_id: int) -> Existing | None:
        """The registry's carrier for a row, or None; an ambiguous match is a row error."""
        assert rec.region is not None
        by_code = self.by_uscc.get((rec.uscc, type_id), []) if rec.uscc else []
        by_name = [
            ex
            for ex in self.by_name.get((name_key(rec.name), type_id), [])
            if self._related(rec.region, self.resolver.by_id[ex.region_id])
        ]
        candidates = by_code or by_name
        if len({ex.id for ex in candidates}) > 1:
            rec.error(
                _(
                    "matches several carriers of the registry (%(ids)s): give the credit code "
                    "or the county",
                    ids=", ".join(f"#{ex.id}" for ex in candidates),
                )
            )
            return None
        if by_code and by_name and by_name[0].id != by_code[0].id:
            rec.error(
                _(
                    "the credit code is carrier #%(a)s's but the name is carrier #%(b)s's",
                    a=by_code[0].id,
                    b=by_name[0].id,
                )
            )
            return None
        if not candidates:
            return None
        existing = candidates[0]
        region = self.resolver.by_id[existing.region_id]
        if not self.within(region):
            rec.error(
                _(
                    "matches carrier #%(id)s in %(region)s, outside your region",
                    id=existing.id,
                    region=region.full_name,
                )
            )
            return None
        return existing

    # -- planning ------------------------------------------------------------------------

    def plan(self) -> list[Planned]:
        """Group rows into carriers (several rows may speak of one) and decide changes."""
        self.load_existing()
        entities: list[Planned] = []
        file_keys: dict[tuple, Planned] = {}
        for rec in self.records:
            if rec.has_errors:
                continue
            type_id = self.type_ids[rec.type_code or ""]
            keys = [("name", name_key(rec.name), type_id, rec.region.id)]  # type: ignore[union-attr]
            if rec.uscc:
                keys.insert(0, ("uscc", rec.uscc, type_id))
            entity = next((file_keys[k] for k in keys if k in file_keys), None)
            if entity is None:
                existing = self.match(rec, type_id)
                if rec.has_errors:
                    continue
                entity = Planned(rec, type_id, existing)
                entities.append(entity)
            elif entity.first is not rec:
                self._same_as(entity, rec)
            for k in keys:
                file_keys.setdefault(k, entity)
            entity.rows.append(rec)
            self._recognition(entity, rec)
        for entity in entities:
            if entity.existing is not None:
                self._updates(entity)
        return entities

    def _same_as(self, entity: Planned, rec: RowRecord) -> None:
        first = entity.first
        rec.note(_("same carrier as row %(row)d", row=first.number))
        for fld in DETAIL_FIELDS[1:]:
            a, b = first.details.get(fld), rec.details.get(fld)
            if a and b and a != b:
                rec.warn(
                    _("differs from row %(row)d (its value is kept)", row=first.number),
                    str(FIELDS[fld]),
                )

    def _recognition(self, entity: Planned, rec: RowRecord) -> None:
        assert rec.level and rec.recognized_on and rec.granted_by
        held = [(lv, day, doc, rv) for lv, day, doc, rv in self._held(entity) if lv == rec.level]
        for _lv, day, doc, _revoked in held:
            if day == rec.recognized_on or (doc and doc == rec.document_no):
                return  # already recorded
        for _lv, day, _doc, revoked in held:
            if revoked is None:
                rec.warn(
                    _(
                        "already holds a %(level)s recognition since %(day)s: not added again",
                        level=rec.level.label,
                        day=day.isoformat(),
                    ),
                    str(FIELDS["level"]),
                )
                return
        entity.recognitions.append(
            PlannedRecognition(
                rec.number, rec.level, rec.recognized_on, rec.document_no, rec.granted_by
            )
        )

    def _held(self, entity: Planned) -> list[tuple[Level, dt.date, str, dt.date | None]]:
        held = list(entity.existing.recognitions) if entity.existing else []
        held += [(p.level, p.recognized_on, p.document_no, None) for p in entity.recognitions]
        return held

    def _updates(self, entity: Planned) -> None:
        """Fill the existing carrier's empty fields; keep (and mention) different values."""
        existing = entity.existing
        assert existing is not None
        rec = entity.first
        given = {**rec.details, "uscc": rec.uscc}
        for fld in DETAIL_FIELDS:
            value, current = given.get(fld), existing.values.get(fld)
            if value in (None, ""):
                continue
            if current in (None, ""):
                entity.updates[fld] = value
            elif current != value:
                rec.note(_("the registry's value is kept: %(value)s", value=current), fld)
        region = self.resolver.by_id[existing.region_id]
        if (
            existing.needs_region_review
            and rec.region is not None
            and rec.region.level == RegionLevel.county
            and rec.region.path.startswith(region.path)
        ):
            entity.updates["region_id"] = rec.region.id
            entity.updates["needs_region_review"] = False


def row_messages(rec: RowRecord) -> list[dict[str, str]]:
    return [m.as_dict() for m in rec.messages]


__all__ = ["Message", "Planned", "Planner", "row_messages"]
