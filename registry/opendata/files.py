"""The public registry as rows of the open-data tables (plain tuples in the data dictionary's
column order) and the files they are written to (CSV, XLSX, JSONL), streamed: memory stays
flat however many carriers there are.

Carriers come from the public listing's own query (carriers.queries.listing_rows), so
"public" has one definition; recognitions and evaluations are those of the listed carriers.
Rows are read as plain values in batches, every code and name looked up once.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, Select, String, and_, exists, select, type_coerce

from registry import db, xlsx
from registry.carriers.export import neutraliser
from registry.carriers.levels import Level
from registry.carriers.models import CarrierStatus, Recognition
from registry.carriers.queries import ListingFilters, listing_rows, region_names, type_names
from registry.evaluations.models import Evaluation
from registry.opendata.dictionary import columns, text_columns

BATCH = 2000
LEVEL_CODES = {int(level): level.code for level in Level}
RECOGNIZED, REVOKED = CarrierStatus.recognized.value, CarrierStatus.revoked.value
ProgressFn = Callable[[int], None]
Record = tuple[Any, ...]


def _stream(stmt: Select) -> Iterator[Any]:
    """The statement's rows as plain tuples, fetched in batches (no ORM objects)."""
    return iter(db.session.connection().execute(stmt.execution_options(yield_per=BATCH)))


def carriers(as_of: dt.date) -> Iterator[Record]:
    """Every public carrier as of `as_of`, by id."""
    types = type_names()
    regions = region_names()
    filters = ListingFilters(status="all", sort="id", as_of=as_of)
    for cid, name, type_id, region_id, address, operator, uscc, level, top, last in listing_rows(
        filters, batch=BATCH
    ):
        type_code, type_label = types[type_id]
        region_code = regions.code(region_id)
        yield (
            cid,
            name,
            type_code,
            type_label,
            LEVEL_CODES[level] if level else None,
            LEVEL_CODES[top],
            RECOGNIZED if level else REVOKED,
            region_code,
            regions.full_name(region_id),
            0 if region_code.endswith("00") else 1,
            operator,
            uscc or None,
            address,
            last.isoformat(),
        )


def _is_listed(carrier_id_column: Any, as_of: dt.date) -> Any:
    return exists().where(
        Recognition.carrier_id == carrier_id_column, Recognition.recognized_on <= as_of
    )


def recognitions(as_of: dt.date) -> Iterator[Record]:
    """Recognitions known on `as_of` (a revocation after that date is not yet shown), by
    carrier."""
    regions = region_names()
    r = Recognition
    stmt = (
        select(
            r.id,
            r.carrier_id,
            type_coerce(r.level, Integer),
            r.recognized_on,
            r.document_no,
            r.granted_by_id,
            r.revoked_on,
            r.revocation_reason,
            r.revocation_document_no,
            type_coerce(r.source, String),
        )
        .where(r.recognized_on <= as_of)
        .order_by(r.carrier_id, r.recognized_on, r.id)
    )
    for (
        rid,
        carrier_id,
        level,
        recognized_on,
        document_no,
        granted_by_id,
        revoked_on,
        reason,
        revocation_no,
        source,
    ) in _stream(stmt):
        revoked = revoked_on is not None and revoked_on <= as_of
        yield (
            rid,
            carrier_id,
            LEVEL_CODES[level],
            recognized_on.isoformat(),
            document_no,
            regions.code(granted_by_id),
            regions.full_name(granted_by_id) or "中华人民共和国",
            revoked_on.isoformat() if revoked else None,
            reason if revoked else None,
            (revocation_no or None) if revoked else None,
            source,
        )


def evaluations(as_of: dt.date) -> Iterator[Record]:
    """Grades of public carriers, for years up to `as_of`'s, by carrier."""
    e = Evaluation
    stmt = (
        select(e.carrier_id, e.year, type_coerce(e.grade, String), e.score)
        .where(and_(e.year <= as_of.year, _is_listed(e.carrier_id, as_of)))
        .order_by(e.carrier_id, e.year)
    )
    for carrier_id, year, grade, score in _stream(stmt):
        yield (carrier_id, year, grade, _number(score))


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


TABLE_NAMES = ("carriers", "recognitions", "evaluations")


def tables(as_of: dt.date) -> dict[str, Iterator[Record]]:
    """Every table's rows (lazily: each query runs when its rows are first read)."""
    return {
        "carriers": carriers(as_of),
        "recognitions": recognitions(as_of),
        "evaluations": evaluations(as_of),
    }


# --- JSONL: carriers with their history --------------------------------------------------


def nested(as_of: dt.date) -> Iterator[dict[str, Any]]:
    """Carriers with their recognitions and evaluations (the JSONL records), by id."""
    return nest(carriers(as_of), recognitions(as_of), evaluations(as_of))


def nest(
    carrier_rows: Iterable[Record],
    recognition_rows: Iterable[Record],
    evaluation_rows: Iterable[Record],
) -> Iterator[dict[str, Any]]:
    """The JSONL records from the three tables' rows, read side by side (each is sorted by
    carrier)."""
    carrier_names = columns("carriers")
    recognition_names = [n for n in columns("recognitions") if n != "carrier_id"]
    evaluation_names = [n for n in columns("evaluations") if n != "carrier_id"]
    recs = _ByCarrier(recognition_rows, 1)
    grades = _ByCarrier(evaluation_rows, 0)
    for row in carrier_rows:
        record = dict(zip(carrier_names, row, strict=True))
        record["recognitions"] = [
            dict(zip(recognition_names, r[:1] + r[2:], strict=True)) for r in recs.take(row[0])
        ]
        record["evaluations"] = [
            dict(zip(evaluation_names, g[1:], strict=True)) for g in grades.take(row[0])
        ]
        yield record


class _ByCarrier:
    """Rows sorted by carrier, handed out one carrier at a time in increasing carrier order."""

    def __init__(self, rows: Iterable[Record], key: int) -> None:
        self._groups = groupby(rows, itemgetter(key))
        self._next = next(self._groups, None)

    def take(self, carrier_id: int) -> list[Record]:
        while self._next is not None and self._next[0] < carrier_id:
            self._next = next(self._groups, None)  # a carrier not listed
        if self._next is None or self._next[0] != carrier_id:
            return []
        rows = list(self._next[1])
        self._next = next(self._groups, None)
        return rows


# --- writers ----------------------------------------------------------------------------


def _counting(rows: Iterable[Any], progress: ProgressFn | None, box: list[int]) -> Iterator:
    for row in rows:
        box[0] += 1
        if progress is not None and box[0] % 1000 == 0:
            progress(box[0])
        yield row


class CsvFile:
    """One table as a CSV file (UTF-8 with BOM, CRLF: opens in Excel), written row by row
    (a context manager)."""

    def __init__(self, path: Path, table: str) -> None:
        self._file = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._file.write("\ufeff")  # the BOM by hand: the utf-8-sig codec encodes in Python
        self._writer = csv.writer(self._file, lineterminator="\r\n")
        self._writer.writerow(columns(table))
        self.rows = 0

    def extend(self, rows: list[Sequence[Any]]) -> None:
        """Rows, already neutralised (see carriers.export.neutraliser)."""
        self._writer.writerows(rows)
        self.rows += len(rows)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_csv(
    path: Path, table: str, rows: Iterable[Sequence[Any]], progress: ProgressFn | None = None
) -> int:
    """One table as CSV; returns the number of rows."""
    cells = neutraliser(text_columns(table))
    with CsvFile(path, table) as out:
        for batch in _batches(_counting(rows, progress, [0])):
            out.extend([cells(row) for row in batch])
    return out.rows


def _batches(rows: Iterable[Any]) -> Iterator[list[Any]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    yield batch


def write_jsonl(path: Path, records: Iterable[dict], progress: ProgressFn | None = None) -> int:
    box = [0]
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    lines = []
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        # each record is encoded as it comes, so it dies young (the garbage collector would
        # otherwise walk whole batches of them), and written in batches of lines
        for record in _counting(records, progress, box):
            lines.append(encode(record))
            if len(lines) == BATCH:
                out.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            out.write("\n".join(lines) + "\n")
    return box[0]


def write_xlsx(
    path: Path, sheets: dict[str, Iterable[Sequence[Any]]], progress: ProgressFn | None = None
) -> dict[str, int]:
    """Tables as sheets of one workbook (streamed: rows go straight into the file)."""
    counts = {}
    with xlsx.Workbook(path) as workbook:
        for table, rows in sheets.items():
            cells = neutraliser(text_columns(table))
            with workbook.create_sheet(table) as sheet:
                sheet.append(columns(table))
                box = [0]
                for row in _counting(rows, progress if table == "carriers" else None, box):
                    sheet.append(cells(row))
            counts[table] = box[0]
    return counts


@dataclass
class VersionFiles:
    """Where a version's data files go."""

    jsonl: Path
    csv: dict[str, Path]  # per table
    xlsx: Path


@dataclass
class VersionCounts:
    rows: dict[str, int]  # per table
    statuses: dict[str, int]  # carriers per status


def write_version(
    paths: VersionFiles, as_of: dt.date, progress: ProgressFn | None = None
) -> VersionCounts:
    """A version's data files in one pass over the tables: the JSONL (carriers with their
    history), a CSV per table and the workbook; each row is read and formatted once."""
    statuses = {RECOGNIZED: 0, REVOKED: 0}
    with ExitStack() as stack:
        book = stack.enter_context(xlsx.Workbook(paths.xlsx))
        outputs = {}
        for table in TABLE_NAMES:
            sheet = book.create_sheet(table)
            sheet.append(columns(table))
            outputs[table] = (stack.enter_context(CsvFile(paths.csv[table], table)), sheet)
        streams = {t: _written(t, rows, *outputs[t]) for t, rows in tables(as_of).items()}
        records = nest(streams["carriers"], streams["recognitions"], streams["evaluations"])
        write_jsonl(paths.jsonl, _by_status(records, statuses), progress)
        for rows in streams.values():
            deque(rows, maxlen=0)  # rows of no listed carrier (none expected): still written
    return VersionCounts({t: out.rows for t, (out, _sheet) in outputs.items()}, statuses)


def _written(
    table: str, rows: Iterable[Record], out: CsvFile, sheet: xlsx.Sheet
) -> Iterator[Record]:
    """The rows, also written to the table's CSV file and sheet as they pass (in batches)."""
    cells = neutraliser(text_columns(table))
    for batch in _batches(rows):
        neutral = [cells(row) for row in batch]
        out.extend(neutral)
        sheet.extend(neutral)
        yield from batch


def _by_status(records: Iterable[dict], counts: dict[str, int]) -> Iterator[dict]:
    for record in records:
        counts[record["status"]] += 1
        yield record
