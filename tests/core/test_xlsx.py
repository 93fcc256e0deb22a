"""The streaming XLSX writer: what is written reads back the same, sheets written side by
side land in their order, and the sheets are those openpyxl's write-only mode writes."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl import load_workbook

from registry import xlsx

ROWS = [
    ["id", "名称", "score", "flag"],
    [1, "成都孵化器", 88.5, True],
    [2, " edge spaces ", None, False, "after a gap"],
    [3, "a & b < c > d \"quoted\" 'single'", 1e-7, None],
    [4, "line\nbreak\tand tab", -3, None, None, None, "far"],
    [5, "\u3000全角空格\u3000", 10**15, None],
    [],
    [7, "x" * 10, 0.1],
]


def read(content: bytes, read_only: bool = False) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content), read_only=read_only)
    sheets = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    book.close()
    return sheets


def written(rows: list[list], title: str = "carriers") -> bytes:
    out = io.BytesIO()
    with xlsx.Workbook(out) as book:
        book.create_sheet(title).extend(rows)
    return out.getvalue()


def padded(rows: list[list]) -> list[tuple]:
    width = max(len(r) for r in rows)
    return [tuple(r) + (None,) * (width - len(r)) for r in rows]


@pytest.mark.parametrize("read_only", [False, True])
def test_cells_read_back_as_written(read_only):
    sheets = read(written(ROWS), read_only)
    rows = sheets["carriers"]
    if read_only:  # the read-only reader gives each row only up to its last cell
        rows = padded([list(r) for r in rows])
    assert rows == padded(ROWS)


def test_the_sheets_are_those_openpyxl_writes():
    if openpyxl.LXML:
        pytest.skip("openpyxl with lxml serialises empty elements differently")
    out = io.BytesIO()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("carriers")
    for row in ROWS:
        sheet.append(row)
    book.save(out)
    ours = zipfile.ZipFile(io.BytesIO(written(ROWS)))
    theirs = zipfile.ZipFile(out)
    name = "xl/worksheets/sheet1.xml"
    assert ours.read(name) == theirs.read(name)


def test_sheets_written_side_by_side_keep_their_order():
    out = io.BytesIO()
    with xlsx.Workbook(out) as book:
        first = book.create_sheet("carriers")
        second = book.create_sheet("recognitions")
        third = book.create_sheet("R&D <1>")
        for i in range(1, 2001):  # enough rows for several flushes of each sheet
            third.append([i])
            second.append([i, "二"])
            first.append([i, "一"])
        second.close()
    sheets = read(out.getvalue())
    assert list(sheets) == ["carriers", "recognitions", "R&D <1>"]
    assert sheets["carriers"][1999] == (2000, "一")
    assert sheets["recognitions"][0] == (1, "二") and len(sheets["recognitions"]) == 2000
    assert [r[0] for r in sheets["R&D <1>"]] == list(range(1, 2001))


def test_text_a_spreadsheet_cannot_hold_is_made_fit():
    """Control characters XML cannot carry are left out (openpyxl refused the whole file),
    a carriage return survives, and text is cut at Excel's limit of 32,767 characters."""
    rows = [["bell\x07 and\x00 nul", "cr\r\nlf", "y" * 40_000, "", "   "]]
    (row,) = read(written(rows))["carriers"]
    assert row[0] == "bell and nul"
    assert row[1] == "cr\r\nlf"
    assert len(row[2]) == xlsx.MAX_TEXT
    assert row[3] is None and row[4] == "   "


def test_an_empty_workbook_is_still_a_workbook():
    out = io.BytesIO()
    with xlsx.Workbook(out) as book:
        book.create_sheet("empty")
    assert read(out.getvalue()) == {"empty": []}
