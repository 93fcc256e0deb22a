"""The public registry as rows of the open-data tables, and the files they are written to
(CSV, XLSX, JSONL), streamed: memory stays flat however many carriers there are.

Carriers come from the public listing's own query (carriers.queries.iter_carrier_rows), so
"public" has one definition; recognitions and evaluations are those of the listed carriers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Integer, String, and_, exists, select, type_coerce

from registry import db
from registry.carriers.export import safe_cell, table_csv_chunks
from registry.carriers.levels import Level
from registry.carriers.models import Recognition
from registry.carriers.queries import ListedCarrier, ListingFilters, iter_carrier_rows, region_names
from registry.evaluations.models import Evaluation
from registry.opendata.dictionary import columns

BATCH = 2000
LEVEL_CODES = {int(level): level.code for level in Level}
ProgressFn = Callable[[int], None]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def carrier_record(row: ListedCarrier) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "type": row.type_code,
        "type_name": row.type_label,
        "level": row.level.code if row.level else None,
        "highest_level": row.top_level.code,
        "status": row.status.value,
        "region_code": row.region_code,
        "region_name": row.region_name,
        "region_precise": 0 if row.region_code.endswith("00") else 1,
        "operator_name": row.operator_name,
        "uscc": row.uscc or None,
        "address": row.address,
        "last_recognized_on": _iso(row.last_recognized_on),
    }


def carriers(as_of: dt.date) -> Iterator[dict[str, Any]]:
    """Every public carrier as of `as_of`, by id."""
    filters = ListingFilters(status="all", sort="id", as_of=as_of)
    for row in iter_carrier_rows(filters, batch=BATCH):
        yield carrier_record(row)


def _is_listed(carrier_id_column: Any, as_of: dt.date) -> Any:
    return exists().where(
        Recognition.carrier_id == carrier_id_column, Recognition.recognized_on <= as_of
    )


def recognitions(
    as_of: dt.date, carrier_ids: tuple[int, int] | None = None
) -> Iterator[dict[str, Any]]:
    """Recognitions known on `as_of` (a revocation after that date is not yet shown)."""
    names = region_names()
    r = Recognition
    # plain values (no enum or date objects): this runs over every recognition
    stmt = select(
        r.id,
        r.carrier_id,
        type_coerce(r.level, Integer).label("level"),
        r.recognized_on,
        r.document_no,
        r.granted_by_id,
        r.revoked_on,
        r.revocation_reason,
        r.revocation_document_no,
        type_coerce(r.source, String).label("source"),
    ).where(r.recognized_on <= as_of)
    if carrier_ids:
        stmt = stmt.where(r.carrier_id.between(*carrier_ids))
    stmt = stmt.order_by(r.carrier_id, r.recognized_on, r.id)
    # plain columns, not entities: no per-row objects or joined regions on 100,000 rows
    for row in db.session.execute(stmt.execution_options(yield_per=BATCH)):
        revoked = row.revoked_on is not None and row.revoked_on <= as_of
        yield {
            "id": row.id,
            "carrier_id": row.carrier_id,
            "level": LEVEL_CODES[row.level],
            "recognized_on": row.recognized_on.isoformat(),
            "document_no": row.document_no,
            "granted_by_code": names.code(row.granted_by_id),
            "granted_by_name": names.full_name(row.granted_by_id) or "中华人民共和国",
            "revoked_on": _iso(row.revoked_on) if revoked else None,
            "revocation_reason": row.revocation_reason if revoked else None,
            "revocation_document_no": (row.revocation_document_no or None) if revoked else None,
            "source": row.source,
        }


def evaluations(
    as_of: dt.date, carrier_ids: tuple[int, int] | None = None
) -> Iterator[dict[str, Any]]:
    """Grades of public carriers, for years up to `as_of`'s."""
    grade = type_coerce(Evaluation.grade, String).label("grade")
    stmt = select(Evaluation.carrier_id, Evaluation.year, grade, Evaluation.score)
    stmt = stmt.where(and_(Evaluation.year <= as_of.year, _is_listed(Evaluation.carrier_id, as_of)))
    if carrier_ids:
        stmt = stmt.where(Evaluation.carrier_id.between(*carrier_ids))
    stmt = stmt.order_by(Evaluation.carrier_id, Evaluation.year)
    for carrier_id, year, grade, score in db.session.execute(
        stmt.execution_options(yield_per=BATCH)
    ):
        yield {
            "carrier_id": carrier_id,
            "year": year,
            "grade": grade,
            "score": _number(score),
        }


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def nested(as_of: dt.date) -> Iterator[dict[str, Any]]:
    """Carriers with their recognitions and evaluations (the JSONL records), by id."""
    batch: list[dict[str, Any]] = []
    for record in carriers(as_of):
        batch.append(record)
        if len(batch) >= BATCH:
            yield from _with_history(batch, as_of)
            batch = []
    yield from _with_history(batch, as_of)


def _with_history(batch: list[dict[str, Any]], as_of: dt.date) -> Iterator[dict[str, Any]]:
    if not batch:
        return
    span = (batch[0]["id"], batch[-1]["id"])
    recs: dict[int, list] = {}
    for r in recognitions(as_of, span):
        recs.setdefault(r.pop("carrier_id"), []).append(r)
    grades: dict[int, list] = {}
    for e in evaluations(as_of, span):
        grades.setdefault(e.pop("carrier_id"), []).append(e)
    for record in batch:
        record["recognitions"] = recs.get(record["id"], [])
        record["evaluations"] = grades.get(record["id"], [])
        yield record


# --- writers ----------------------------------------------------------------------------


def _counting(records: Iterable[dict], progress: ProgressFn | None, box: list[int]) -> Iterator:
    for record in records:
        box[0] += 1
        if progress is not None and box[0] % 1000 == 0:
            progress(box[0])
        yield record


def write_csv(
    path: Path, table: str, records: Iterable[dict], progress: ProgressFn | None = None
) -> int:
    """One table as CSV (UTF-8 with BOM); returns the number of rows."""
    names = columns(table)
    box = [0]
    rows = ([_cell(r.get(n)) for n in names] for r in _counting(records, progress, box))
    with open(path, "wb") as out:
        for chunk in table_csv_chunks(names, rows):
            out.write(chunk)
    return box[0]


def _cell(value: Any) -> Any:
    return "" if value is None else value


def write_jsonl(path: Path, records: Iterable[dict], progress: ProgressFn | None = None) -> int:
    box = [0]
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for record in _counting(records, progress, box):
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
    return box[0]


def write_xlsx(
    path: Path, tables: dict[str, Iterable[dict]], progress: ProgressFn | None = None
) -> dict[str, int]:
    """Tables as sheets of one workbook (write-only: rows go straight to disk)."""
    workbook = Workbook(write_only=True)
    counts = {}
    for table, records in tables.items():
        sheet = workbook.create_sheet(table)
        names = columns(table)
        sheet.append(names)
        box = [0]
        for record in _counting(records, progress if table == "carriers" else None, box):
            sheet.append([safe_cell(record.get(n)) for n in names])
        counts[table] = box[0]
    workbook.save(path)
    return counts
