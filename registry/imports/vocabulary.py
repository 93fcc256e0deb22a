"""The words of bureau spreadsheets: column headers, types, levels, dates, cleaned text.

The wordings live in seeds/import_vocabulary.toml (editable data); this module only applies
them. Every parser returns a value or raises ValueError with a message for the user.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.carriers.levels import Level

VOCABULARY_FILE = Path(__file__).resolve().parents[2] / "seeds" / "import_vocabulary.toml"

# The fields a column can hold, in the order the mapping form lists them.
FIELDS: dict[str, Any] = {
    "name": _l("Name"),
    "type": _l("Type"),
    "level": _l("Level"),
    "region": _l("Region (name)"),
    "region_code": _l("Region code"),
    "uscc": _l("Unified social credit code"),
    "recognized_on": _l("Recognition date or year"),
    "document_no": _l("Document number"),
    "operator_name": _l("Operating organisation"),
    "address": _l("Address"),
    "contact_name": _l("Contact person"),
    "contact_phone": _l("Contact phone"),
    "founded_on": _l("Founded on"),
    "website": _l("Website"),
    "ignore": _l("(not imported)"),
}
# Fields several columns may feed (市州 and 区县 in two columns make one place name).
MULTI_FIELDS = {"region", "ignore"}
MAX_LENGTHS = {
    "name": 200,
    "operator_name": 200,
    "address": 300,
    "document_no": 100,
    "contact_name": 64,
    "contact_phone": 32,
    "website": 300,
}

_SPACES = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_BRACKETED_TAIL = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_GAP = re.compile(r"([\u4e00-\u9fff（）]) ([\u4e00-\u9fff（）])")


def clean_text(value: Any) -> str:
    """A cell as text: full-width letters, digits and spaces made half-width, spaces
    collapsed, invisible characters dropped; Chinese punctuation kept as written."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).translate(_INVISIBLE)
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\u3000" or (0xFF10 <= code <= 0xFF5A and ch.isalnum()):
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
    return _SPACES.sub(" ", "".join(out)).strip()


def clean_name(value: Any) -> str:
    """A carrier or organisation name: clean_text, with the full-width brackets of Chinese."""
    text = clean_text(value)
    if _CJK.search(text):
        # "成都 天府 孵化器": spaces between Chinese characters are typing slips
        text = _CJK_GAP.sub(r"\1\2", _CJK_GAP.sub(r"\1\2", text))
        text = text.replace("(", "（").replace(")", "）")
        text = re.sub(r"\s*（\s*", "（", re.sub(r"\s*）", "）", text))
    return text


def name_key(name: str) -> str:
    """What two names must share to be the same carrier's: NFKC, no spaces, case folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or "")).casefold()


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\s*:：]+", "", text)
    return text


@cache
def vocabulary() -> dict[str, dict[str, list[str]]]:
    with open(VOCABULARY_FILE, "rb") as f:
        return tomllib.load(f)


# --- headers ----------------------------------------------------------------------------


@cache
def _header_aliases() -> list[tuple[str, str]]:
    """(alias key, field), longest alias first."""
    pairs = [(_key(a), fld) for fld, aliases in vocabulary()["headers"].items() for a in aliases]
    return sorted(pairs, key=lambda p: -len(p[0]))


def field_for_header(header: str, exact: bool = False) -> str | None:
    """The field a column header names, or None; `exact` ignores headers that only contain
    a known header (孵化器名称（全称）)."""
    key = _key(header or "")
    if not key:
        return None
    stripped = _BRACKETED_TAIL.sub("", key) or key
    for candidate in (key, stripped):
        for alias, fld in _header_aliases():
            if candidate == alias:
                return fld
    if exact:
        return None
    for alias, fld in _header_aliases():
        if len(alias) >= 2 and alias in stripped and fld != "ignore":
            return fld
    return None


# --- levels and types -------------------------------------------------------------------


def _level_key(text: str) -> str:
    key = _key(text)
    key = (
        re.sub(r"[(（][^)）]*[)）]", "", key) if not key.startswith(("县(", "市(", "区(")) else key
    )
    return key.replace("认定", "").replace("备案", "") or key


@cache
def _level_words() -> list[tuple[str, Level]]:
    pairs = []
    for code, words in vocabulary()["levels"].items():
        for word in [*words, code]:
            pairs.append((_level_key(word) or _key(word), Level[code]))
    return sorted(set(pairs), key=lambda p: -len(p[0]))


LEVEL_HINT = "国家级, 省级, 市级, 县级"


def parse_level(text: str) -> Level:
    """The level a cell names (国家级, 省级备案, national ...); raises ValueError."""
    key = _level_key(text)
    for word, level in _level_words():
        if key == word:
            return level
    raise ValueError(_("%(value)s is not a level (use %(levels)s)", value=text, levels=LEVEL_HINT))


def find_level(text: str) -> Level | None:
    """A level word at the start of a longer text (国家级科技企业孵化器), or None."""
    key = _key(text)
    for word, level in _level_words():
        if len(word) >= 2 and key.startswith(word):
            return level
    for word, level in _level_words():
        if len(word) >= 3 and word in key:
            return level
    return None


@dataclass(frozen=True)
class TypeWords:
    """Every wording of every carrier type, longest first: (key, type code)."""

    words: tuple[tuple[str, str], ...]

    @classmethod
    def build(cls, types: list[tuple[str, str, str]]) -> TypeWords:
        """From (code, name, name_en) of the types in the database."""
        extra = vocabulary()["types"]
        pairs = set()
        for code, name, name_en in types:
            for word in (code, name, name_en, *extra.get(code, [])):
                if word:
                    pairs.add((_key(word), code))
        return cls(tuple(sorted(pairs, key=lambda p: -len(p[0]))))

    def parse(self, text: str) -> str:
        """The type code a cell names; raises ValueError."""
        key = _key(text)
        for word, code in self.words:
            if key == word:
                return code
        found = self.find(text)
        if found:
            return found
        raise ValueError(_("%(value)s is not a known carrier type", value=text))

    def find(self, text: str) -> str | None:
        """A type word inside a longer text (国家级科技企业孵化器), or None."""
        key = _key(text)
        for word, code in self.words:
            if len(word) >= 3 and word in key:
                return code
        return None


# --- dates ------------------------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"), "day"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), "month"),
    (re.compile(r"^(\d{4})年?(度)?$"), "year"),
)


@dataclass(frozen=True)
class Day:
    """A date read from a cell, with how precise the cell was (day, month or year)."""

    value: dt.date
    precision: str = "day"


def parse_day(value: Any) -> Day:
    """A date from a cell: an Excel date or serial number, 2019-05-01, 2019/5/1,
    2019年5月1日, 20190501, 2019年5月 or a year; raises ValueError."""
    if isinstance(value, dt.datetime):
        return Day(value.date())
    if isinstance(value, dt.date):
        return Day(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        if 1949 <= number <= 2200:
            return Day(dt.date(number, 1, 1), "year")
        if 10000 <= number <= 80000:  # an Excel serial day number
            return Day(EXCEL_EPOCH + dt.timedelta(days=number))
        value = str(number)
    text = unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "")
    for pattern, precision in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            year = int(m.group(1))
            month = int(m.group(2)) if precision in ("day", "month") else 1
            day = int(m.group(3)) if precision == "day" else 1
            try:
                return Day(dt.date(year, month, day), precision)
            except ValueError:
                break
    raise ValueError(_("%(value)s is not a date (e.g. 2019-05-01, 2019年5月 or 2019)", value=text))


_DOC_YEAR = re.compile(r"[〔\[［(（](\d{4})[〕\]］)）]")
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{2,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")
_TITLE_YEAR = re.compile(r"(19[89]\d|20\d\d)\s*年")


def year_of_document(document_no: str) -> int | None:
    """The year in a document number such as 川科高〔2019〕18号."""
    m = _DOC_YEAR.search(document_no or "")
    return int(m.group(1)) if m else None


@dataclass
class TitleHints:
    """What a list's title says for all its rows (2023年度四川省省级科技企业孵化器名单)."""

    level: Level | None = None
    type_code: str | None = None
    year: int | None = None
    document_no: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.code if self.level else None,
            "type": self.type_code,
            "year": self.year,
            "document_no": self.document_no,
        }


def title_hints(title: str, types: TypeWords) -> TitleHints:
    hints = TitleHints()
    text = clean_text(title)
    if not text:
        return hints
    doc = _DOC_NO.search(text)
    if doc:
        hints.document_no = doc.group(0).replace(" ", "")
    year = _TITLE_YEAR.search(text)
    if year:
        hints.year = int(year.group(1))
    elif hints.document_no:
        hints.year = year_of_document(hints.document_no)
    for word, level in _level_words():
        if len(word) >= 2 and word.endswith("级") and word in _key(text):
            hints.level = level
            break
    hints.type_code = types.find(text)
    return hints
