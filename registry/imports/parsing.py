"""Reading bureau spreadsheets (XLSX, or CSV in UTF-8 or GBK) as a header and rows, streamed.

Real lists have a title above the header, headers over two rows with merged cells, cells
merged down a column (one 市州 for many rows), blank rows and section rows (一、国家级).
Merged cells are filled with their top-left value; the header is the row (or pair of rows)
that names the most known fields.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from registry.errors import ValidationError
from registry.imports.vocabulary import clean_text, field_for_header

HEADER_SCAN_ROWS = 15
SUPPORTED = ("xlsx", "csv")
_MERGE_RE = re.compile(rb'<mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


def file_format(filename: str) -> str:
    """xlsx or csv from a file name; raises ValidationError for anything else."""
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    if suffix not in SUPPORTED:
        raise ValidationError({"file": _("must be an Excel workbook (.xlsx) or a CSV file (.csv)")})
    return suffix


@dataclass
class Source:
    """An uploaded or local file: its name and bytes (or path)."""

    filename: str
    content: bytes | None = None
    path: Path | None = None

    def open(self) -> io.BufferedIOBase:
        if self.content is not None:
            return io.BytesIO(self.content)
        assert self.path is not None
        return open(self.path, "rb")

    @property
    def format(self) -> str:
        return file_format(self.filename)


@dataclass
class Table:
    """A sheet read so far as its header; `rows()` streams the data rows again each call."""

    source: Source
    sheet: str
    encoding: str
    title: str
    headers: list[str]
    first_data_row: int
    total_rows: int | None
    sheets: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(spreadsheet row number, cell values) of every non-blank data row."""
        for number, values in _raw_rows(self.source, self.sheet, self.encoding):
            if number < self.first_data_row:
                continue
            if any(v not in (None, "") for v in values):
                yield number, values


def open_table(source: Source, sheet: str | None = None) -> Table:
    """Read the header of `source`; raises ValidationError when the file cannot be read."""
    fmt = source.format
    try:
        if fmt == "xlsx":
            sheet, sheets, total = _xlsx_sheet(source, sheet)
            encoding = ""
        else:
            encoding = _csv_encoding(source)
            sheets, sheet, total = [], "", None
        head = []
        for number, values in _raw_rows(source, sheet, encoding):
            head.append((number, values))
            if len(head) >= HEADER_SCAN_ROWS:
                break
    except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValidationError(
            {"file": _("could not be read as %(format)s: %(error)s", format=fmt, error=exc)}
        ) from None
    title, headers, first = _find_header(head)
    if fmt == "csv":
        total = _count_csv_rows(source, encoding)
    rows_left = None if total is None else max(0, total - first + 1)
    return Table(source, sheet, encoding, title, headers, first, rows_left, sheets)


# --- header -----------------------------------------------------------------------------


def _score(headers: list[str]) -> int:
    fields = {field_for_header(h) for h in headers if h}
    fields.discard(None)
    fields.discard("ignore")
    return len(fields)


def _combine(top: list[Any], bottom: list[Any]) -> list[str]:
    """Two header rows as one: the lower cell where it names a field, else the upper."""
    out = []
    for i in range(max(len(top), len(bottom))):
        upper = clean_text(top[i] if i < len(top) else "")
        lower = clean_text(bottom[i] if i < len(bottom) else "")
        if lower and (field_for_header(lower) or not field_for_header(upper)):
            out.append(lower)
        else:
            out.append(upper or lower)
    return out


def _has_subheaders(upper: list[str], lower: list[Any]) -> bool:
    """Whether `lower` holds sub-headers of `upper` (which is not a merged title row)."""
    if len({v for v in upper if v}) < 2:
        return False
    for i, value in enumerate(lower):
        text = clean_text(value)
        above = upper[i] if i < len(upper) else ""
        if text and text != above and field_for_header(text, exact=True):
            return True
    return False


def _find_header(head: list[tuple[int, list[Any]]]) -> tuple[str, list[str], int]:
    """(title text above the header, column headers, first data row number)."""
    best = (0, -1, [], 0)  # score, index, headers, rows used
    for i, (_number, values) in enumerate(head):
        single = [clean_text(v) for v in values]
        candidates = [(single, 1)]
        if i + 1 < len(head) and _has_subheaders(single, head[i + 1][1]):
            candidates.append((_combine(values, head[i + 1][1]), 2))
        for headers, used in candidates:
            score = _score(headers)
            # on a tie, two header rows (a group header over sub-headers) win
            if (score, used) > (best[0], best[3]) and score >= best[0]:
                best = (score, i, headers, used)
    score, index, headers, used = best
    if score < 2:  # unknown headers: the first row of several cells, for the user to map
        index = next(
            (i for i, (_n, v) in enumerate(head) if len(set(map(clean_text, v)) - {""}) >= 2), -1
        )
        headers, used = ([clean_text(v) for v in head[index][1]], 1) if index >= 0 else ([], 0)
    if index < 0:
        raise ValidationError(
            {
                "file": _(
                    "no header row found in the first %(n)d rows: name the columns, e.g. "
                    "名称, 类型, 级别, 所在地区, 认定年份",
                    n=HEADER_SCAN_ROWS,
                )
            }
        )
    title_cells = []
    for _number, values in head[:index]:
        for v in values:
            text = clean_text(v)
            if text and text not in title_cells:
                title_cells.append(text)
    while headers and not headers[-1]:
        headers.pop()
    return " ".join(title_cells), headers, head[index + used - 1][0] + 1


# --- XLSX -------------------------------------------------------------------------------


def _xlsx_sheet(source: Source, wanted: str | None) -> tuple[str, list[str], int | None]:
    with source.open() as f:
        wb = load_workbook(f, read_only=True, data_only=True)
        try:
            names = list(wb.sheetnames)
            if wanted and wanted not in names:
                raise ValidationError(
                    {"sheet": _("the workbook has no sheet %(name)s", name=wanted)}
                )
            ws = wb[wanted] if wanted else wb[_first_visible(wb)]
            return ws.title, names, ws.max_row
        finally:
            wb.close()


def _first_visible(wb: Any) -> str:
    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") == "visible":
            return ws.title
    return wb.sheetnames[0]


def _merged_ranges(archive_file: Any, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_col, min_row, max_col, max_row) of a sheet, read from its XML
    (read-only openpyxl does not report them); streamed in chunks."""
    ranges = []
    with zipfile.ZipFile(archive_file) as archive, archive.open(sheet_path) as xml:
        tail = b""
        while chunk := xml.read(1 << 20):
            data = tail + chunk
            for ref in _MERGE_RE.findall(data):
                ranges.append(range_boundaries(ref.decode()))
            tail = data[-200:]  # a reference cut by the chunk boundary is found next time
    return [r for r in dict.fromkeys(ranges) if r[0] != r[2] or r[1] != r[3]]


class _MergeFiller:
    """Fills the cells of merged ranges with the range's top-left value while rows stream."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        self.by_row: dict[int, list[tuple[int, int, int, int]]] = {}
        for rng in ranges:
            _min_col, min_row, _max_col, max_row = rng
            for row in range(min_row, max_row + 1):
                self.by_row.setdefault(row, []).append(rng)
        self.values: dict[tuple[int, int, int, int], Any] = {}

    def fill(self, number: int, values: list[Any]) -> list[Any]:
        for rng in self.by_row.get(number, ()):
            min_col, min_row, max_col, _max_row = rng
            if number == min_row:
                self.values[rng] = values[min_col - 1] if min_col - 1 < len(values) else None
            value = self.values.get(rng)
            if len(values) < max_col:
                values.extend([None] * (max_col - len(values)))
            for col in range(min_col, max_col + 1):
                if values[col - 1] in (None, ""):
                    values[col - 1] = value
        return values


def _xlsx_rows(source: Source, sheet: str) -> Iterator[tuple[int, list[Any]]]:
    with source.open() as f:
        wb = load_workbook(f, read_only=True, data_only=True)
        try:
            ws = wb[sheet]
            f.seek(0)
            filler = _MergeFiller(_merged_ranges(f, ws._worksheet_path))  # type: ignore[union-attr]
            number = 0
            for row in ws.iter_rows():
                cells = [c for c in row if getattr(c, "row", None) is not None]
                if cells:
                    number = cells[0].row
                else:
                    number += 1
                values = [c.value for c in row]
                yield number, filler.fill(number, values)
        finally:
            wb.close()


# --- CSV --------------------------------------------------------------------------------


def _csv_encoding(source: Source) -> str:
    """utf-8-sig when the start decodes as UTF-8, else GB18030 (a superset of GBK)."""
    with source.open() as f:
        sample = f.read(64 * 1024)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def _csv_dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        return csv.excel


def _csv_rows(source: Source, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    with source.open() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")  # type: ignore[arg-type]
        sample = text.read(16 * 1024)
        text.seek(0)
        reader = csv.reader(text, _csv_dialect(sample))
        for number, values in enumerate(reader, 1):
            yield number, list(values)


def _count_csv_rows(source: Source, encoding: str) -> int:
    return sum(1 for _ in _csv_rows(source, encoding))


def _raw_rows(source: Source, sheet: str, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    if source.format == "xlsx":
        return _xlsx_rows(source, sheet)
    return _csv_rows(source, encoding)
