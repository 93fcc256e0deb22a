"""The data dictionary of the open data: every table, field, code list and unit explained.

One definition serves the files (their columns come from here), the page and the
dictionary files shipped with each version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from registry import db
from registry.carriers.levels import Level
from registry.carriers.models import CarrierStatus, CarrierType, RecognitionSource
from registry.evaluations.models import Grade


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string | integer | date | decimal | code
    zh: str
    en: str
    codes: str = ""  # name of a code list
    unit: str = ""


TABLES: dict[str, dict[str, Any]] = {
    "carriers": {
        "zh": "载体: 每个已认定(或曾经认定、现已撤销)的载体一行, 含截至版本日期的当前级别与状态。",
        "en": "Carriers: one row per carrier that is or was recognised, with its current level "
        "and status as of the version's date.",
        "fields": [
            Field(
                "id", "integer", "载体编号(稳定, 跨版本不变)", "Carrier id (stable across versions)"
            ),
            Field("name", "string", "载体名称", "Name"),
            Field("type", "code", "载体类型代码", "Type code", codes="types"),
            Field("type_name", "string", "载体类型名称", "Type name"),
            Field(
                "level",
                "code",
                "当前级别(无有效认定时为空)",
                "Current level (empty if none is active)",
                codes="levels",
            ),
            Field(
                "highest_level", "code", "曾获最高级别", "Highest level ever held", codes="levels"
            ),
            Field("status", "code", "状态", "Status", codes="statuses"),
            Field(
                "region_code",
                "code",
                "所在地区代码(GB/T 2260 六位代码)",
                "Region code (GB/T 2260, six digits)",
                codes="regions",
            ),
            Field("region_name", "string", "所在地区全称", "Region, full name"),
            Field(
                "region_precise",
                "integer",
                "地区是否精确到县级(1 是; 0 仅到市州, 待核实)",
                "Whether the region is county-level (1) or only the prefecture, pending review (0)",
            ),
            Field("operator_name", "string", "运营主体", "Operating organisation"),
            Field(
                "uscc",
                "string",
                "运营主体统一社会信用代码(GB 32100-2015)",
                "Unified social credit code of the operator (GB 32100-2015)",
            ),
            Field("address", "string", "地址", "Address"),
            Field(
                "last_recognized_on",
                "date",
                "最近一次认定日期(YYYY-MM-DD)",
                "Date of the latest recognition (YYYY-MM-DD)",
            ),
        ],
    },
    "recognitions": {
        "zh": "认定记录: 每次认定(备案)一行, 撤销的保留并注明撤销日期; 历史从不删除。",
        "en": "Recognitions: one row per recognition (or filing); revoked ones stay, with the "
        "date of revocation. History is never deleted.",
        "fields": [
            Field("id", "integer", "认定记录编号", "Recognition id"),
            Field("carrier_id", "integer", "载体编号(见 carriers.id)", "Carrier id (carriers.id)"),
            Field("level", "code", "认定级别", "Level", codes="levels"),
            Field(
                "recognized_on",
                "date",
                "认定日期(YYYY-MM-DD; 名单仅给年份时记为该年1月1日)",
                "Date of recognition (YYYY-MM-DD; 1 January when a list gave only the year)",
            ),
            Field("document_no", "string", "认定文号", "Document number"),
            Field(
                "granted_by_code",
                "code",
                "认定部门所在地区代码",
                "Region code of the granting bureau",
                codes="regions",
            ),
            Field("granted_by_name", "string", "认定部门所在地区", "Region of the granting bureau"),
            Field(
                "revoked_on", "date", "撤销日期(未撤销为空)", "Date of revocation (empty if active)"
            ),
            Field("revocation_reason", "string", "撤销原因", "Reason for revocation"),
            Field(
                "revocation_document_no", "string", "撤销文号", "Document number of the revocation"
            ),
            Field("source", "code", "记录来源", "Source of the record", codes="sources"),
        ],
    },
    "evaluations": {
        "zh": "年度考核: 每个载体每年一行。",
        "en": "Annual evaluations: one row per carrier and year.",
        "fields": [
            Field("carrier_id", "integer", "载体编号(见 carriers.id)", "Carrier id (carriers.id)"),
            Field("year", "integer", "考核年度", "Year evaluated", unit="年 / year"),
            Field("grade", "code", "考核结果", "Grade", codes="grades"),
            Field(
                "score",
                "decimal",
                "考核得分(0–100, 可为空)",
                "Score (0–100, may be empty)",
                unit="分 / points",
            ),
        ],
    },
}

# What the files leave out, said once on the page and in the dictionary.
EXCLUDED = {
    "zh": "不公开的数据不在其中: 从未认定的载体、联系人及联系电话、未公开的年报数据、考核评语。",
    "en": "Private data are never included: carriers never recognised, contact persons and "
    "phones, unpublished report figures, evaluation comments.",
}


def columns(table: str) -> list[str]:
    return [f.name for f in TABLES[table]["fields"]]


def text_columns(table: str) -> list[int]:
    """Positions of the free-text (string) fields: the only ones that could hold what a
    spreadsheet takes for a formula (codes, dates and numbers come from fixed forms)."""
    return [i for i, f in enumerate(TABLES[table]["fields"]) if f.type == "string"]


def code_lists() -> dict[str, list[dict[str, str]]]:
    """Every code list a field refers to (regions: see regions.csv in each version)."""
    types = db.session.scalars(select(CarrierType).order_by(CarrierType.sort_order))
    return {
        "types": [{"code": t.code, "zh": t.name, "en": t.name_en} for t in types],
        "levels": [
            {"code": "county", "zh": "县级", "en": "county"},
            {"code": "municipal", "zh": "市级", "en": "municipal (prefecture)"},
            {"code": "provincial", "zh": "省级", "en": "provincial"},
            {"code": "national", "zh": "国家级", "en": "national"},
        ],
        "statuses": [
            {"code": CarrierStatus.recognized.value, "zh": "有效", "en": "recognised, active"},
            {"code": CarrierStatus.revoked.value, "zh": "已撤销", "en": "revoked (de-listed)"},
        ],
        "grades": [
            {"code": Grade.excellent.value, "zh": "优秀 (A)", "en": "excellent (A)"},
            {"code": Grade.good.value, "zh": "良好 (B)", "en": "good (B)"},
            {"code": Grade.passed.value, "zh": "合格 (C)", "en": "pass (C)"},
            {"code": Grade.fail.value, "zh": "不合格 (D)", "en": "fail (D)"},
        ],
        "sources": [
            {
                "code": RecognitionSource.workflow.value,
                "zh": "系统内申报认定",
                "en": "approved in the registry",
            },
            {
                "code": RecognitionSource.imported.value,
                "zh": "由公布名单导入",
                "en": "imported from a published list",
            },
            {
                "code": RecognitionSource.manual.value,
                "zh": "主管部门录入",
                "en": "entered by a bureau",
            },
            {"code": RecognitionSource.demo.value, "zh": "演示数据", "en": "demo data"},
        ],
        "regions": [
            {
                "code": "regions.csv",
                "zh": "见 regions.csv (GB/T 2260)",
                "en": "see regions.csv (GB/T 2260)",
            }
        ],
    }


def as_dict() -> dict[str, Any]:
    return {
        "tables": {
            name: {
                "zh": t["zh"],
                "en": t["en"],
                "fields": [f.__dict__ for f in t["fields"]],
            }
            for name, t in TABLES.items()
        },
        "code_lists": code_lists(),
        "excluded": EXCLUDED,
        "formats": {
            "csv": "UTF-8 with BOM, comma-separated, one file per table",
            "xlsx": "one workbook, one sheet per table",
            "jsonl": "one carrier per line, with its recognitions and evaluations nested",
        },
        "levels_order": [lv.code for lv in Level],
    }


def as_markdown(data: dict[str, Any]) -> str:
    lines = ["# 数据字典 · Data dictionary", "", EXCLUDED["zh"], "", EXCLUDED["en"], ""]
    for name, table in data["tables"].items():
        lines += [f"## {name}", "", table["zh"], "", table["en"], ""]
        lines += [
            "| field | type | 说明 | description | codes | unit |",
            "|---|---|---|---|---|---|",
        ]
        for f in table["fields"]:
            cells = [f[k] for k in ("name", "type", "zh", "en", "codes", "unit")]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    for name, codes in data["code_lists"].items():
        lines += [f"## code list: {name}", "", "| code | 中文 | English |", "|---|---|---|"]
        lines += [f"| {c['code']} | {c['zh']} | {c['en']} |" for c in codes]
        lines.append("")
    return "\n".join(lines)
