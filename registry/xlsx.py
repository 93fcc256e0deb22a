"""A streaming XLSX writer: each row goes straight into the zip as sheet XML, so memory stays
flat and 100,000 rows take a second (openpyxl's write-only mode spends ~10 µs per cell
building and serialising an element; the exports write millions of cells).

Cells are written as openpyxl's write-only mode writes them (inline strings, `t="n"`
numbers, empty cells left out: the same sheet XML byte for byte), so the sheets read back the
same; plain values only: text, numbers, booleans and None. Two differences: characters XML
cannot carry (control characters) are left out, where openpyxl refused the whole file, and a
carriage return is written as `&#13;`, so that it is read back.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

from openpyxl.utils.cell import get_column_letter

MAX_TEXT = 32767  # Excel's limit for a cell's text (openpyxl truncates too)
# characters XML 1.0 cannot carry (a spreadsheet cannot hold them either): left out
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]")
_FLUSH_ROWS = 500
_PENDING_CHUNKS = 4
# zlib level 3: half the CPU of the default (6), files about 12% larger
COMPRESSION = 3

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_HEAD = (
    f'<worksheet xmlns="{_MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1" />'
    '<pageSetUpPr /></sheetPr><sheetViews><sheetView workbookViewId="0">'
    '<selection activeCell="A1" sqref="A1" /></sheetView></sheetViews>'
    '<sheetFormatPr baseColWidth="8" defaultRowHeight="15" /><sheetData>'
)
_SHEET_TAIL = (
    '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
    'footer="0.5" /></worksheet>'
)
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11" /><name val="Calibri" />'
    '<family val="2" /></font></fonts><fills count="2"><fill><patternFill patternType="none" />'
    '</fill><fill><patternFill patternType="gray125" /></fill></fills><borders count="1">'
    "<border><left /><right /><top /><bottom /><diagonal /></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" />'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0" /></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0" /></cellStyles></styleSheet>'
)


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")  # a bare CR would be read back as LF


def _attr(text: str) -> str:
    return _escape(_ILLEGAL.sub("", text)).replace('"', "&quot;")


def _text_cell(ref: str, value: str) -> str:
    special = _SPECIAL.search(value) is not None
    if special:
        value = _ILLEGAL.sub("", value)
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT]
    if not value:
        return f'<c r="{ref}" t="inlineStr" />'
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    if special:
        value = _escape(value)
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _cell(ref: str, value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _text_cell(ref, value)
    if kind is int:
        return f'<c r="{ref}" t="n"><v>{value}</v></c>'
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            return f'<c r="{ref}" t="n"><v></v></c>'
        return f'<c r="{ref}" t="n"><v>{value:.16g}</v></c>'
    return _text_cell(ref, str(value))


class Sheet:
    """One sheet being written: rows are appended in order, then the sheet is closed (or
    closes with its workbook)."""

    def __init__(
        self, stream: IO[bytes] | _CompressingPart, on_close: Callable[[Sheet], None]
    ) -> None:
        self._stream = stream
        self._on_close = on_close
        self._columns: list[str] = []
        self._buffer: list[str] = []
        self.rows = 0
        self.closed = False
        stream.write(_SHEET_HEAD.encode("utf-8"))

    def append(self, values: Sequence[Any]) -> None:
        self.rows += 1
        n = str(self.rows)
        columns = self._columns
        if len(values) > len(columns):
            columns.extend(get_column_letter(i + 1) for i in range(len(columns), len(values)))
        cells = []
        for column, value in zip(columns, values, strict=False):
            if value is None:
                continue
            kind = value.__class__
            # the common cases inline: this runs for every cell
            # (strip() returns the string itself when there is no edge whitespace)
            if (
                kind is str
                and value
                and value.strip() is value
                and len(value) <= MAX_TEXT
                and not _SPECIAL.search(value)
            ):
                cells.append(f'<c r="{column}{n}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif kind is int:
                cells.append(f'<c r="{column}{n}" t="n"><v>{value}</v></c>')
            else:
                cells.append(_cell(column + n, value))
        self._buffer.append(f'<row r="{n}">{"".join(cells)}</row>')
        if len(self._buffer) >= _FLUSH_ROWS:
            self._flush()

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.append(values)

    def _flush(self) -> None:
        self._stream.write("".join(self._buffer).encode("utf-8"))
        self._buffer.clear()

    def close(self) -> None:
        if self.closed:
            return
        self._flush()
        self._stream.write(_SHEET_TAIL.encode("utf-8"))
        self.closed = True
        self._on_close(self)

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _CompressingPart:
    """A zip entry being written, compressed on a second thread (zlib and the file release
    the GIL), so the next rows' XML is built meanwhile; at most a few chunks wait."""

    def __init__(self, part: IO[bytes]) -> None:
        self._part = part
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xlsx")
        self._pending: deque[Future] = deque()

    def write(self, data: bytes) -> None:
        while len(self._pending) >= _PENDING_CHUNKS:
            self._pending.popleft().result()  # also raises the thread's error
        self._pending.append(self._pool.submit(self._part.write, data))

    def close(self) -> None:
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._pool.shutdown()
            self._part.close()


class Workbook:
    """An XLSX file written as a stream (a context manager: the file is complete once closed).

    A sheet goes straight into the file while no other sheet is being written; sheets written
    side by side with it are spooled to temporary files and copied in at the end.
    """

    def __init__(self, target: str | Path | IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION)
        # title, sheet, and the temporary file of a spooled sheet
        self._sheets: list[tuple[str, Sheet, IO[bytes] | None]] = []
        self._direct: Sheet | None = None  # the sheet being written straight into the file
        self._direct_part: _CompressingPart | None = None

    def create_sheet(self, title: str) -> Sheet:
        """A new sheet, placed after the others."""
        part = self._part(len(self._sheets) + 1)
        spool = None
        if self._direct is None:
            self._direct_part = _CompressingPart(self._zip.open(part, "w"))
            sheet = self._direct = Sheet(self._direct_part, self._sheet_closed)
        else:
            spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed when copied in)
            sheet = Sheet(spool, self._sheet_closed)
        self._sheets.append((title, sheet, spool))
        return sheet

    @staticmethod
    def _part(number: int) -> str:
        return f"xl/worksheets/sheet{number}.xml"

    def _sheet_closed(self, sheet: Sheet) -> None:
        if sheet is self._direct and self._direct_part is not None:
            self._direct_part.close()
            self._direct, self._direct_part = None, None

    def close(self) -> None:
        for _title, sheet, _spool in self._sheets:
            sheet.close()
        for number, (_title, _sheet, spool) in enumerate(self._sheets, 1):
            if spool is not None:
                spool.seek(0)
                with self._zip.open(self._part(number), "w") as part:
                    shutil.copyfileobj(spool, part, 1 << 20)
                spool.close()
        for name, xml in self._package_parts():
            self._zip.writestr(name, xml)
        self._zip.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _package_parts(self) -> list[tuple[str, str]]:
        titles = [title for title, _sheet, _spool in self._sheets]
        n = len(titles)
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}" />'
            for i in range(1, n + 1)
        )
        content_types = (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml" />'
            '<Default Extension="xml" ContentType="application/xml" />'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml" />'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml" />'
            '<Override PartName="/docProps/app.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.extended-properties+xml" />'
            f'{overrides}<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" /></Types>'
        )
        root_rels = (
            f'<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Type="{_REL}/officeDocument" Target="xl/workbook.xml" Id="rId1" />'
            f'<Relationship Type="{_PKG_REL}/metadata/core-properties" '
            'Target="docProps/core.xml" Id="rId2" />'
            f'<Relationship Type="{_REL}/extended-properties" Target="docProps/app.xml" '
            'Id="rId3" /></Relationships>'
        )
        sheets = "".join(
            f'<sheet name="{_attr(title)}" sheetId="{i}" state="visible" r:id="rId{i}" />'
            for i, title in enumerate(titles, 1)
        )
        workbook = (
            f'<workbook xmlns:r="{_REL}" xmlns="{_MAIN}"><workbookPr /><bookViews>'
            '<workbookView visibility="visible" minimized="0" showHorizontalScroll="1" '
            'showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" '
            f'activeTab="0" autoFilterDateGrouping="1" /></bookViews><sheets>{sheets}</sheets>'
            '<calcPr calcId="124519" fullCalcOnLoad="1" /></workbook>'
        )
        sheet_rels = "".join(
            f'<Relationship Type="{_REL}/worksheet" Target="/xl/worksheets/sheet{i}.xml" '
            f'Id="rId{i}" />'
            for i in range(1, n + 1)
        )
        workbook_rels = (
            f'<Relationships xmlns="{_PKG_REL}">{sheet_rels}'
            f'<Relationship Type="{_REL}/styles" Target="styles.xml" Id="rId{n + 1}" />'
            "</Relationships>"
        )
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        core = (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:creator>innovation-carrier-registry</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )
        app = (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>innovation-carrier-registry</Application></Properties>'
        )
        return [
            ("docProps/app.xml", app),
            ("docProps/core.xml", core),
            ("xl/styles.xml", _STYLES),
            ("_rels/.rels", root_rels),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbook_rels),
            ("[Content_Types].xml", content_types),
        ]
