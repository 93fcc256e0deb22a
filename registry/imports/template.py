"""A blank list with the headers the import reads best, and an example row."""

from __future__ import annotations

import io

from flask import send_file
from openpyxl import Workbook

HEADERS = [
    "序号",
    "名称",
    "类型",
    "级别",
    "所在地区",
    "统一社会信用代码",
    "认定日期",
    "认定文号",
    "运营主体",
    "地址",
]
EXAMPLE = [
    1,
    "示例科技企业孵化器",
    "科技企业孵化器",
    "省级",
    "成都市郫都区",
    "91350100M000100Y43",
    "2019-05-10",
    "川科高〔2019〕18号",
    "示例科技有限公司",
    "成都市郫都区示例路1号",
]


def template_response():
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(HEADERS)
    ws.append(EXAMPLE)
    for column, width in zip("ABCDEFGHIJ", (6, 32, 16, 8, 18, 22, 12, 20, 28, 32), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return send_file(
        out,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name="carriers-import-template.xlsx",
    )
