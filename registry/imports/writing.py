"""Writing a checked import plan in bulk: carriers, recognitions (source `imported`, no
workflow), links back to the import, and an audit event for each carrier and recognition."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, update

from registry import audit, db
from registry.carriers.models import Carrier, Recognition, RecognitionSource
from registry.db import utcnow
from registry.imports.models import CarrierImport, ImportItem, ItemAction
from registry.imports.plan import DETAIL_FIELDS, Planned

BATCH = 1000


def _carrier_row(entity: Planned, now: Any) -> dict[str, Any]:
    rec = entity.first
    return {
        "name": rec.name,
        "type_id": entity.type_id,
        "region_id": entity.region.id,
        "operator_name": rec.details.get("operator_name", ""),
        "uscc": rec.uscc,
        "address": rec.details.get("address", ""),
        "contact_name": rec.details.get("contact_name", ""),
        "contact_phone": rec.details.get("contact_phone", ""),
        "founded_on": rec.details.get("founded_on"),
        "website": rec.details.get("website", ""),
        "description": "",
        "owner_id": None,
        "needs_region_review": rec.is_flagged,
        "created_at": now,
        "updated_at": now,
    }


def _insert_returning_ids(model: type, rows: list[dict[str, Any]]) -> list[int]:
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)  # type: ignore[attr-defined]
    return list(db.session.scalars(stmt, rows))


def write_plan(
    entities: list[Planned], record: CarrierImport, actor_id: int | None
) -> Iterator[tuple[int, int]]:
    """Write everything the plan decided; yields (done, total) entities as it goes."""
    now = utcnow()
    total = len(entities)
    new = [e for e in entities if e.existing is None]
    for start in range(0, len(new), BATCH):
        chunk = new[start : start + BATCH]
        ids = _insert_returning_ids(Carrier, [_carrier_row(e, now) for e in chunk])
        for entity, carrier_id in zip(chunk, ids, strict=True):
            entity.carrier_id = carrier_id
        yield min(start + BATCH, len(new)), total
    for entity in entities:
        if entity.existing is not None:
            entity.carrier_id = entity.existing.id
    _update_existing([e for e in entities if e.existing is not None and e.updates], now)
    links = _write_recognitions(entities, record, actor_id, now)
    _write_items(entities, record, links)
    _audit_carriers(entities, record, actor_id)
    db.session.flush()
    yield total, total


def _update_existing(entities: list[Planned], now: Any) -> None:
    """Bulk UPDATE by primary key, one statement per set of changed columns."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for entity in entities:
        row = {"id": entity.carrier_id, **entity.updates, "updated_at": now}
        groups[frozenset(row)].append(row)
    for rows in groups.values():
        db.session.execute(update(Carrier), rows)


def _write_recognitions(
    entities: list[Planned], record: CarrierImport, actor_id: int | None, now: Any
) -> dict[tuple[int, int], int]:
    """Insert the new recognitions; returns {(carrier id, row): recognition id}."""
    rows, keys = [], []
    for entity in entities:
        for p in entity.recognitions:
            rows.append(
                {
                    "carrier_id": entity.carrier_id,
                    "level": p.level,
                    "recognized_on": p.recognized_on,
                    "document_no": p.document_no,
                    "granted_by_id": p.granted_by.id,
                    "revoked_on": None,
                    "revocation_reason": None,
                    "revocation_document_no": "",
                    "source": RecognitionSource.imported,
                    "created_at": now,
                }
            )
            keys.append((entity.carrier_id, p))
    links: dict[tuple[int, int], int] = {}
    events = []
    for start in range(0, len(rows), BATCH):
        ids = _insert_returning_ids(Recognition, rows[start : start + BATCH])
        for (carrier_id, p), rid in zip(keys[start : start + BATCH], ids, strict=True):
            links[(carrier_id, p.row)] = rid
            events.append(
                {
                    "action": "recognition.grant",
                    "object_type": "recognition",
                    "object_id": rid,
                    "actor_id": actor_id,
                    "carrier_id": carrier_id,
                    "data": {
                        "level": p.level.code,
                        "recognized_on": p.recognized_on,
                        "document_no": p.document_no,
                        "granted_by": p.granted_by.code,
                        "source": RecognitionSource.imported,
                        "import_id": record.id,
                        "row": p.row,
                    },
                }
            )
    audit.record_many(events)
    return links


def _write_items(
    entities: list[Planned], record: CarrierImport, links: dict[tuple[int, int], int]
) -> None:
    rows = []
    for entity in entities:
        action = ItemAction.created if entity.existing is None else ItemAction.updated
        for rec in entity.rows:
            rid = links.get((entity.carrier_id, rec.number))  # type: ignore[arg-type]
            if rid is None and not (
                rec is entity.first and (action == "created" or entity.updates)
            ):
                continue  # a row that changed nothing is not linked
            rows.append(
                {
                    "import_id": record.id,
                    "row_no": rec.number,
                    "carrier_id": entity.carrier_id,
                    "recognition_id": rid,
                    "action": action,
                }
            )
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(ImportItem), rows[start : start + BATCH])


def _audit_carriers(entities: list[Planned], record: CarrierImport, actor_id: int | None) -> None:
    events = []
    for entity in entities:
        if entity.existing is not None and not entity.updates:
            continue
        fields = (
            ["name", "type", "region", *[f for f in DETAIL_FIELDS if _given(entity, f)]]
            if entity.existing is None
            else sorted(entity.updates)
        )
        events.append(
            {
                "action": "carrier.import",
                "object_type": "carrier",
                "object_id": entity.carrier_id,
                "actor_id": actor_id,
                "carrier_id": entity.carrier_id,
                "data": {
                    "import_id": record.id,
                    "row": entity.first.number,
                    "change": "created" if entity.existing is None else "updated",
                    "fields": fields,
                    "needs_region_review": entity.first.is_flagged,
                },
            }
        )
    audit.record_many(events)


def _given(entity: Planned, fld: str) -> bool:
    if fld == "uscc":
        return bool(entity.first.uscc)
    return bool(entity.first.details.get(fld))
