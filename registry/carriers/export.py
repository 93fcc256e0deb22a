"""Writing a listing result as CSV (UTF-8 with BOM, opens in Excel) or XLSX, streamed."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator

from flask_babel import gettext as _
from openpyxl import Workbook

from registry.carriers.queries import ListedCarrier


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


def _values(row: ListedCarrier) -> list:
    return [
        row.id,
        row.name,
        row.type_label,
        row.listed_level.label,
        row.status.label,
        row.region_code,
        row.region_name,
        row.operator_name,
        row.uscc or "",
        row.last_recognized_on.isoformat(),
        row.address,
    ]


def _safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_chunks(rows: Iterable[ListedCarrier]) -> Iterator[bytes]:
    titles = [title for _code, title in columns()]
    return table_csv_chunks(titles, (_values(row) for row in rows))


def table_csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """Any table as CSV bytes (UTF-8 with BOM, CRLF, formulas neutralised), in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for i, values in enumerate(rows, 1):
        writer.writerow([_safe_cell(v) for v in values])
        if i % 1000 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def safe_cell(value: object) -> object:
    """A cell value that no spreadsheet runs as a formula."""
    return _safe_cell(value)


def xlsx_file(rows: Iterable[ListedCarrier]) -> tempfile.SpooledTemporaryFile:
    """The rows as an XLSX workbook in a temporary file (write-only, low memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Carriers"))
    sheet.append([title for _code, title in columns()])
    for row in rows:
        sheet.append([_safe_cell(v) for v in _values(row)])
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (sent, then closed by Flask)
    workbook.save(out)
    out.seek(0)
    return out
