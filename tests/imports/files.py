"""Spreadsheets shaped like the lists bureaus publish, built in the tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from registry.carriers import uscc

HEADER = ["序号", "名称", "类型", "级别", "所在地区", "统一社会信用代码", "认定日期", "认定文号"]


def credit_code(n: int, region_code: str = "510117") -> str:
    """A valid 统一社会信用代码 (distinct for each n)."""
    org8 = f"{n:08d}".replace("0", "A", 1) if n % 2 else f"{n:08d}"
    return uscc.make("91", region_code, org8)


def xlsx(
    rows: Sequence[Sequence[Any]],
    header: Sequence[str] = HEADER,
    title: str | None = None,
    merges: Sequence[str] = (),
) -> bytes:
    """An XLSX workbook: optional title row, the header, the rows; `merges` like "A1:H1"."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    if title:
        ws.append([title])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, encoding: str = "utf-8-sig"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def bureau_list() -> bytes:
    """A provincial list as published: a merged title, a two-row header with merged cells, a
    city merged down its rows, a blank row, full-width characters, Excel and text dates."""
    header_top = [
        "序号",
        "孵化器名称",
        "类型",
        "级别",
        "所在地区",
        None,
        "统一社会信用代码",
        "认定时间",
        "认定文号",
    ]
    header_sub = [None, None, None, None, "市州", "区县", None, None, None]
    rows = [
        [
            1,
            "成都天府 创新 孵化器",
            "科技企业孵化器",
            "省级",
            "成都市",
            "郫都区",
            credit_code(1),
            dt.datetime(2019, 5, 10),
            "川科高〔2019〕18号",
        ],
        [
            2,
            "菁蓉（ＡＩ）众创空间",
            "众创空间",
            "省级备案",
            None,
            "双流区",
            "",
            "2019年5月10日",
            "川科高〔2019〕18号",
        ],
        [None] * 9,
        [
            3,
            "德阳广汉科创孵化器",
            "孵化器",
            "国家级",
            "德阳市",
            "广汉市",
            credit_code(3, "510681"),
            43586,
            "国科火字〔2019〕100号",
        ],
        [4, "达州高新孵化器", "孵化器", "省级", "达州高新区", None, "", "2019/5/10", ""],
    ]
    wb = Workbook()
    ws = wb.active
    ws.append(["2019年四川省省级科技企业孵化器和众创空间名单"])
    ws.append(header_top)
    ws.append(header_sub)
    for row in rows:
        ws.append(row)
    for ref in (
        "A1:I1",
        "A2:A3",
        "B2:B3",
        "C2:C3",
        "D2:D3",
        "E2:F2",
        "G2:G3",
        "H2:H3",
        "I2:I3",
        "E4:E5",
    ):
        ws.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
