"""Writing a listing result as CSV (UTF-8 with BOM, opens in Excel) or XLSX, streamed."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from flask_babel import gettext as _

from registry import xlsx
from registry.carriers.levels import Level
from registry.carriers.models import CarrierStatus
from registry.carriers.queries import ListingFilters, listing_rows, region_names, type_names

# a cell starting with one of these is a formula to a spreadsheet (CSV injection)
_FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))
_CSV_CHUNK_ROWS = 1000


def columns() -> list[tuple[str, str]]:
    return [
        ("id", _("ID")),
        ("name", _("Name")),
        ("type", _("Type")),
        ("level", _("Level")),
        ("status", _("Status")),
        ("region_code", _("Region code")),
        ("region", _("Region")),
        ("operator_name", _("Operating organisation")),
        ("uscc", _("Unified social credit code")),
        ("last_recognized_on", _("Latest recognition")),
        ("address", _("Address")),
    ]


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


def safe_cell(value: object) -> object:
    """A cell value that no spreadsheet runs as a formula."""
    return neutralised((value,))[0]


def csv_chunks(rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    titles = [title for _code, title in columns()]
    return table_csv_chunks(titles, rows)


def table_csv_chunks(header: list[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """Any table as CSV bytes (UTF-8 with BOM, CRLF, None empty, formulas neutralised), in
    chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for i, values in enumerate(rows, 1):
        writer.writerow(neutralised(values))
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
            sheet.append(neutralised(values))
    out.seek(0)
    return out
