"""Writing a listing result as CSV (UTF-8 with BOM, opens in Excel) or XLSX, streamed."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import xlsx
from registry.carriers.levels import Level
from registry.carriers.models import CarrierStatus
from registry.carriers.queries import ListingFilters, listing_rows, region_names, type_names

# a cell starting with one of these is a formula to a spreadsheet (CSV injection)
_FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))
_CSV_CHUNK_ROWS = 1000


_COLUMNS = [
    ("id", _l("ID")),
    ("name", _l("Name")),
    ("type", _l("Type")),
    ("level", _l("Level")),
    ("status", _l("Status")),
    ("region_code", _l("Region code")),
    ("region", _l("Region")),
    ("operator_name", _l("Operating organisation")),
    ("uscc", _l("Unified social credit code")),
    ("last_recognized_on", _l("Latest recognition")),
    ("address", _l("Address")),
]
# the only free text of a row: the rest are numbers, dates and names from the seed data
_FREE_TEXT = ("name", "operator_name", "uscc", "address")


def columns() -> list[tuple[str, str]]:
    return [(code, str(title)) for code, title in _COLUMNS]


def listing_values(f: ListingFilters) -> Iterator[list]:
    """The listing's rows as the export's cells, in the current language, streamed: plain
    rows from SQL, every label looked up once."""
    types = type_names()
    regions = region_names()
    levels = {int(level): level.label for level in Level}
    recognized, revoked = CarrierStatus.recognized.label, CarrierStatus.revoked.label
    for cid, name, type_id, region_id, address, operator, uscc, level, top, last in listing_rows(f):
        yield [
            cid,
            name,
            types[type_id][1],
            levels[level or top],
            recognized if level else revoked,
            regions.code(region_id),
            regions.full_name(region_id),
            operator,
            uscc or "",
            last.isoformat(),
            address,
        ]


def neutralised(values: Sequence[object]) -> list:
    """The values with spreadsheet formulas in text cells neutralised (CSV injection)."""
    return ["'" + v if v.__class__ is str and v[:1] in _FORMULA_STARTS else v for v in values]


def neutraliser(text_columns: Sequence[int]) -> Callable[[Sequence[object]], Sequence[object]]:
    """neutralised() for rows whose other columns hold no formula (numbers, codes, dates,
    names from the seed data): only the text columns are looked at, and a row that needs
    nothing is passed on as it is (no copy of every row)."""

    def cells(values: Sequence[object]) -> Sequence[object]:
        for i in text_columns:
            value = values[i]
            if value and value[:1] in _FORMULA_STARTS:
                return neutralised(values)
        return values

    return cells


_listing_cells = neutraliser([i for i, (code, _t) in enumerate(_COLUMNS) if code in _FREE_TEXT])


def csv_chunks(rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    titles = [title for _code, title in columns()]
    return table_csv_chunks(titles, rows, _listing_cells)


def table_csv_chunks(
    header: list[str],
    rows: Iterable[Sequence[object]],
    cells: Callable[[Sequence[object]], Sequence[object]] = neutralised,
) -> Iterator[bytes]:
    """Any table as CSV bytes (UTF-8 with BOM, CRLF, None empty, formulas neutralised by
    `cells`), in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for i, values in enumerate(rows, 1):
        writer.writerow(cells(values))
        if i % _CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(rows: Iterable[Sequence[object]]) -> tempfile.SpooledTemporaryFile:
    """The rows as an XLSX workbook in a temporary file (streamed, low memory)."""
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (sent, then closed by Flask)
    with xlsx.Workbook(out) as workbook:
        sheet = workbook.create_sheet(_("Carriers"))
        sheet.append([title for _code, title in columns()])
        for values in rows:
            sheet.append(_listing_cells(values))
    out.seek(0)
    return out
