"""From a spreadsheet row to a checked record: each cell parsed, each problem named with its
column. Matching against the registry is the service's job, not this module's."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from openpyxl.utils.cell import get_column_letter

from registry.carriers import uscc as uscc_mod
from registry.carriers.levels import Level
from registry.carriers.service import recognition_problems
from registry.imports.vocabulary import (
    FIELDS,
    MAX_LENGTHS,
    MULTI_FIELDS,
    Day,
    TypeWords,
    clean_name,
    clean_text,
    field_for_header,
    find_level,
    parse_day,
    parse_level,
    year_of_document,
)
from registry.regions.models import Region
from registry.regions.names import RegionMatch, RegionResolver

_SECTION_NUMBER = re.compile(
    r"^([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])"
)
_SECTION_COUNT = re.compile(r"[(（]\s*(共)?\s*\d+\s*(家|个)?\s*[)）]$")


@dataclass
class Message:
    """A problem or remark about one cell (or the whole row when `column` is empty)."""

    text: str
    column: str = ""
    level: str = "error"  # error | warning | note

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "column": self.column, "level": self.level}


@dataclass
class Defaults:
    """Values for every row whose cells do not give them (from the title or the user)."""

    type_code: str | None = None
    level: Level | None = None
    recognized_on: Day | None = None
    document_no: str = ""
    region_code: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type_code,
            "level": self.level.code if self.level else None,
            "recognized_on": self.recognized_on.value.isoformat() if self.recognized_on else None,
            "recognized_precision": self.recognized_on.precision if self.recognized_on else None,
            "document_no": self.document_no,
            "region_code": self.region_code,
        }


@dataclass
class Column:
    index: int
    header: str
    field: str

    @property
    def label(self) -> str:
        return f"{get_column_letter(self.index + 1)} {self.header}".strip()


def auto_mapping(headers: list[str]) -> list[str]:
    """A field per column from its header; a field found twice keeps its first column."""
    seen: set[str] = set()
    out = []
    for header in headers:
        fld = field_for_header(header) or "ignore"
        if fld in seen and fld not in MULTI_FIELDS:
            fld = "ignore"
        seen.add(fld)
        out.append(fld)
    return out


def check_mapping(mapping: list[str]) -> dict[str, str]:
    """Errors of a user's mapping (unknown field, a field on two columns, no name column)."""
    errors: dict[str, str] = {}
    seen: dict[str, int] = {}
    for i, fld in enumerate(mapping):
        if fld not in FIELDS:
            errors[f"column_{i}"] = _("unknown field %(field)s", field=fld)
        elif fld in seen and fld not in MULTI_FIELDS:
            errors[f"column_{i}"] = _(
                "%(field)s is already read from column %(col)s",
                field=str(FIELDS[fld]),
                col=get_column_letter(seen[fld] + 1),
            )
        seen.setdefault(fld, i)
    if "name" not in seen:
        errors["mapping"] = _("one column must hold the carriers' names")
    return errors


@dataclass
class RowRecord:
    """One data row, parsed: what it says, and what is wrong with it."""

    number: int
    name: str = ""
    type_code: str | None = None
    level: Level | None = None
    region: Region | None = None
    granted_by: Region | None = None
    uscc: str | None = None
    recognized_on: dt.date | None = None
    precision: str = "day"
    document_no: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    is_flagged: bool = False

    @property
    def has_errors(self) -> bool:
        return any(m.level == "error" for m in self.messages)

    def error(self, text: str, column: str = "") -> None:
        self.messages.append(Message(text, column, "error"))

    def warn(self, text: str, column: str = "") -> None:
        self.messages.append(Message(text, column, "warning"))

    def note(self, text: str, column: str = "") -> None:
        self.messages.append(Message(text, column, "note"))


@dataclass
class Section:
    """What a section row (一、国家级 / 成都市（12家）) says for the rows below it."""

    level: Level | None = None
    type_code: str | None = None
    region: Region | None = None


class RowReader:
    """Turns raw rows into RowRecords for one mapping, defaults and importer's scope."""

    def __init__(
        self,
        headers: list[str],
        mapping: list[str],
        defaults: Defaults,
        types: TypeWords,
        resolver: RegionResolver,
        within: Callable[[Region], bool],
        today: dt.date,
    ) -> None:
        self.columns = [
            Column(i, headers[i] if i < len(headers) else "", fld)
            for i, fld in enumerate(mapping)
            if fld != "ignore"
        ]
        self.by_field: dict[str, list[Column]] = {}
        for col in self.columns:
            self.by_field.setdefault(col.field, []).append(col)
        self.defaults = defaults
        self.types = types
        self.resolver = resolver
        self.within = within
        self.today = today
        self.section = Section()
        self.default_region = (
            resolver.by_code.get(defaults.region_code) if defaults.region_code else None
        )

    # -- cells ---------------------------------------------------------------------------

    def _cell(self, values: list[Any], fld: str) -> tuple[Any, str]:
        """The raw value of `fld` and its column label ("" when no column holds it)."""
        cols = self.by_field.get(fld, [])
        if not cols:
            return None, ""
        if fld == "region" and len(cols) > 1:
            parts: list[str] = []
            for col in cols:
                text = clean_text(values[col.index] if col.index < len(values) else "")
                if text and text not in parts:
                    parts.append(text)
            return "".join(parts), " + ".join(c.label for c in cols)
        col = cols[0]
        value = values[col.index] if col.index < len(values) else None
        return (None if value == "" else value), col.label

    def _text(self, values: list[Any], fld: str) -> tuple[str, str]:
        value, label = self._cell(values, fld)
        return clean_text(value), label

    # -- sections ------------------------------------------------------------------------

    def is_section(self, values: list[Any]) -> bool:
        texts = [clean_text(v) for v in values if clean_text(v)]
        if not texts or len(set(texts)) != 1:
            return False
        text = texts[0]
        name_cols = self.by_field.get("name", [])
        in_name = any(c.index < len(values) and clean_text(values[c.index]) for c in name_cols)
        return (
            len(texts) >= 2
            or not in_name
            or bool(_SECTION_NUMBER.match(text) or _SECTION_COUNT.search(text))
        )

    def enter_section(self, values: list[Any]) -> None:
        text = next(clean_text(v) for v in values if clean_text(v))
        text = _SECTION_COUNT.sub("", _SECTION_NUMBER.sub("", text)).strip()
        level, type_code = find_level(text), self.types.find(text)
        region = None
        if level is None and type_code is None:
            match = self.resolver.resolve(text, self.within)
            region = match.region if match.error is None else None
        self.section = Section(level, type_code, region)

    # -- a row ---------------------------------------------------------------------------

    def read(self, number: int, values: list[Any]) -> RowRecord:
        rec = RowRecord(number)
        self._name(values, rec)
        self._type_and_level(values, rec)
        self._region(values, rec)
        self._recognition(values, rec)
        self._uscc(values, rec)
        self._details(values, rec)
        return rec

    def _name(self, values: list[Any], rec: RowRecord) -> None:
        value, label = self._cell(values, "name")
        rec.name = clean_name(value)
        if not rec.name:
            rec.error(_("the name is missing"), label or str(FIELDS["name"]))
        elif len(rec.name) > MAX_LENGTHS["name"]:
            rec.error(_("is longer than %(n)d characters", n=MAX_LENGTHS["name"]), label)

    def _type_and_level(self, values: list[Any], rec: RowRecord) -> None:
        type_text, type_label = self._text(values, "type")
        level_text, level_label = self._text(values, "level")
        if type_text:
            try:
                rec.type_code = self.types.parse(type_text)
            except ValueError as exc:
                rec.error(str(exc), type_label)
        rec.type_code = rec.type_code or self.section.type_code or self.defaults.type_code
        if not rec.type_code and not type_text:
            rec.error(
                _("the carrier type is missing: add a 类型 column or choose a type for all rows")
            )
        if level_text:
            try:
                rec.level = parse_level(level_text)
            except ValueError as exc:
                rec.error(str(exc), level_label)
                return
        else:
            rec.level = (type_text and find_level(type_text)) or None
        rec.level = rec.level or self.section.level or self.defaults.level
        if rec.level is None and not level_text:
            rec.error(_("the level is missing: add a 级别 column or choose a level for all rows"))

    def _region(self, values: list[Any], rec: RowRecord) -> None:
        code, code_label = self._text(values, "region_code")
        text, text_label = self._text(values, "region")
        label = code_label if code else text_label
        if code:
            match = self.resolver.by_code_text(code)
        elif text:
            match = self.resolver.resolve(text, self.within)
        elif self.section.region or self.default_region:
            match = RegionMatch(region=self.section.region or self.default_region, via="default")
        else:
            rec.error(_("the region is missing: add a 所在地区 or 区划代码 column"))
            return
        if match.error:
            rec.error(match.error, label)
            return
        region = match.region
        assert region is not None
        if not self.within(region):
            rec.error(_("%(region)s is outside your region", region=region.full_name), label)
            return
        rec.region = region
        if not match.is_precise:
            rec.is_flagged = True
            rec.warn(
                _(
                    "placed at %(region)s: the list does not name the county; flagged for a "
                    "bureau to complete",
                    region=region.full_name,
                ),
                label,
            )
        elif match.via == "zone":
            rec.note(_("%(text)s placed at %(region)s", text=text, region=region.full_name), label)

    def _recognition(self, values: list[Any], rec: RowRecord) -> None:
        doc, doc_label = self._text(values, "document_no")
        rec.document_no = doc or self.defaults.document_no
        if len(rec.document_no) > MAX_LENGTHS["document_no"]:
            rec.error(_("is longer than %(n)d characters", n=MAX_LENGTHS["document_no"]), doc_label)
        raw, label = self._cell(values, "recognized_on")
        day: Day | None = None
        if raw not in (None, ""):
            try:
                day = parse_day(raw)
            except ValueError as exc:
                rec.error(str(exc), label)
                return
        elif self.defaults.recognized_on:
            day = self.defaults.recognized_on
        elif year_of_document(rec.document_no):
            day = Day(dt.date(year_of_document(rec.document_no) or 1, 1, 1), "year")
            rec.note(_("year taken from the document number"), doc_label)
        if day is None:
            rec.error(_("the recognition date is missing: add a 认定年份 column or give the year"))
            return
        rec.recognized_on, rec.precision = day.value, day.precision
        self._granting(rec, label)

    def _granting(self, rec: RowRecord, date_label: str) -> None:
        """The bureau at the level's depth above the carrier, checked by the carriers'
        own rule for recognitions."""
        if rec.region is None or rec.level is None or rec.recognized_on is None:
            return
        depth = rec.level.region_level.depth
        if rec.region.depth < depth:
            rec.error(
                _(
                    "a %(level)s recognition needs the region that granted it: the row names "
                    "only %(region)s",
                    level=rec.level.label,
                    region=rec.region.full_name,
                )
            )
            return
        node = rec.region
        while node.depth > depth:
            node = self.resolver.by_id[node.parent_id]  # type: ignore[index]
        problems = recognition_problems(rec.level, rec.recognized_on, node, self.today)
        if "recognized_on" in problems:
            rec.error(f"{rec.recognized_on.isoformat()}: {problems['recognized_on']}", date_label)
        if "granted_by" in problems:
            rec.error(problems["granted_by"])
        if not problems:
            rec.granted_by = node

    def _uscc(self, values: list[Any], rec: RowRecord) -> None:
        text, label = self._text(values, "uscc")
        code = re.sub(r"[\s\-]", "", text).upper()
        if not code:
            return
        problem = uscc_mod.problem(code)
        if problem in ("length", "characters"):
            rec.error(
                _("%(code)s is not an 18-character unified social credit code", code=text), label
            )
            return
        if problem == "check":
            rec.warn(_("the check character does not match (kept as published)"), label)
        rec.uscc = code

    def _details(self, values: list[Any], rec: RowRecord) -> None:
        for fld in ("operator_name", "address", "contact_name", "contact_phone", "website"):
            value, label = self._cell(values, fld)
            text = clean_name(value) if fld == "operator_name" else clean_text(value)
            if len(text) > MAX_LENGTHS[fld]:
                rec.error(_("is longer than %(n)d characters", n=MAX_LENGTHS[fld]), label)
            elif text:
                rec.details[fld] = text
        raw, label = self._cell(values, "founded_on")
        if raw not in (None, ""):
            try:
                rec.details["founded_on"] = parse_day(raw).value
            except ValueError as exc:
                rec.error(str(exc), label)
