"""Candidate targets from a policy text, by rules written for the language of these documents.

A candidate is a number with a unit (570家, 1.2%, 240亿元, 1—2个, 十家) in a clause that sets a
target (达到, 超过, 建设, 新增, 培育, 实现 ...). Around it the rules read the deadline year
(到2020年, 2016年, “十二五”), the carrier types (孵化器, 众创空间, 技术转移 ...), the level
bounds (省级以上 ...), whether it counts new ones (新增, 新建) and, for 各县(市、区)…1个以上,
a coverage target. A reviewer confirms, edits and saves them (nothing is saved here).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from registry.regions.models import Region
from registry.targets import wording
from registry.targets.numerals import NUMBER, normalize, parse_number

MAX_TEXT = 200_000
# Longest first (万平方米 before 平方米, 人次 before 人).
UNITS = [
    *("万平方米", "平方米", "亿元", "万元", "千元", "元", "个百分点", "%"),
    *(
        "家",
        "个",
        "项",
        "所",
        "只",
        "名",
        "人次",
        "人",
        "件",
        "亩",
        "座",
        "处",
        "支",
        "户",
        "套",
        "台",
    ),
]
COUNT_UNITS = {"家", "个", "所", "座", "处"}
TARGET_RE = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>{'|'.join(map(re.escape, UNITS))})(?P<above>以上|及以上|左右)?"
)
SENTENCE_END = "。！？!?\n"
CLAUSE_END = "，,；;：:"


@dataclass
class Candidate:
    """A possible target: what the text says, and the reading of it the rules propose."""

    phrase: str
    value: Decimal
    unit: str
    year: int | None
    metric: str
    types: list[str] = field(default_factory=list)
    min_level: str | None = None
    max_level: str | None = None
    is_new: bool = False
    region: Region | None = None
    subregion_level: str | None = None
    indicator: str | None = None
    note: str = ""
    number_text: str = ""
    position: int = 0

    @property
    def deadline(self) -> dt.date | None:
        return dt.date(self.year, 12, 31) if self.year else None

    def as_dict(self) -> dict[str, Any]:
        value = (
            int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        )
        return {
            "phrase": self.phrase,
            "value": value,
            "unit": self.unit,
            "number": self.number_text,
            "year": self.year,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "metric": self.metric,
            "types": self.types,
            "min_level": self.min_level,
            "max_level": self.max_level,
            "new": self.is_new,
            "region": {"code": self.region.code, "name": self.region.name} if self.region else None,
            "subregion_level": self.subregion_level,
            "indicator": self.indicator,
            "note": self.note,
            "position": self.position,
        }

    def payload(self) -> dict[str, Any]:
        """What create_target takes (the plan supplies the period start)."""
        return {
            "phrase": self.phrase,
            "metric": self.metric,
            "region": self.region.code if self.region else "",
            "types": self.types,
            "min_level": self.min_level or "",
            "max_level": self.max_level or "",
            "deadline": self.deadline.isoformat() if self.deadline else "",
            "value": str(self.value),
            "unit": self.unit,
            "indicator": self.indicator or "",
            "subregion_level": self.subregion_level or "",
            "note": self.note,
        }


@dataclass
class PlanGuess:
    """What the text says about the plan itself."""

    title: str | None = None
    document_no: str | None = None
    region: Region | None = None
    issued_on: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "title": self.title,
            "document_no": self.document_no,
            "region": {"code": self.region.code, "name": self.region.name} if self.region else None,
            "issued_on": day(self.issued_on),
            "period_start": day(self.period_start),
            "period_end": day(self.period_end),
        }


@dataclass
class Extraction:
    plan: PlanGuess
    candidates: list[Candidate]

    def as_dict(self) -> dict[str, Any]:
        return {"plan": self.plan.as_dict(), "candidates": [c.as_dict() for c in self.candidates]}


def extract(text: str, region: Region | None = None) -> Extraction:
    """Candidate targets of `text`, in the order they appear (repeats merged)."""
    norm = normalize(text)
    plan = wording.guess_plan(text, norm)
    if region is not None:
        plan.region = region
    default_year = wording.default_year(norm)
    if plan.period_end is None and default_year:
        plan.period_end = dt.date(default_year, 12, 31)
    matches = [m for m in TARGET_RE.finditer(norm) if _is_quantity(norm, m)]
    candidates = []
    for i, m in enumerate(matches):
        candidate = _read(text, norm, m, matches, i, plan, default_year)
        if candidate is not None:
            candidates.append(candidate)
    return Extraction(plan, _merge_repeats(candidates))


def _is_quantity(norm: str, m: re.Match) -> bool:
    """Not part of a code, an ordinal or a size qualifying something (…30万平方米以上的园区)."""
    before = norm[m.start() - 1] if m.start() else ""
    if (before.isascii() and (before.isalnum() or before in ".-/*+")) or before == "第":
        return False
    after = norm[m.end() : m.end() + 1]
    return after != "的"


def _bounds(norm: str, start: int, end: int, stops: str) -> tuple[int, int]:
    left = max(norm.rfind(c, 0, start) for c in stops) + 1
    rights = [p for p in (norm.find(c, end) for c in stops) if p != -1]
    return left, min(rights) if rights else len(norm)


def _segment(norm: str, m: re.Match, matches: list, i: int) -> tuple[int, int, int, int]:
    """(clause start, clause end, segment start, segment end): a segment is this number's
    part of a clause listing several (…达570家、在孵…达9000家)."""
    c_start, c_end = _bounds(norm, m.start(), m.end(), SENTENCE_END + CLAUSE_END)
    s_start, s_end = c_start, c_end
    if i > 0 and matches[i - 1].end() > c_start:
        sep = norm.find("、", matches[i - 1].end(), m.start())
        if sep != -1:
            s_start = sep + 1
    if i + 1 < len(matches) and matches[i + 1].start() < c_end:
        sep = norm.find("、", m.end(), matches[i + 1].start())
        if sep != -1:
            s_end = sep
    return c_start, c_end, s_start, s_end


def _read(
    text: str,
    norm: str,
    m: re.Match,
    matches: list,
    i: int,
    plan: PlanGuess,
    default_year: int | None,
) -> Candidate | None:
    c_start, _c_end, s_start, s_end = _segment(norm, m, matches, i)
    left = norm[c_start : m.start()]
    if not any(marker in left for marker in wording.MARKERS):
        return None
    sentence_start, _end = _bounds(norm, m.start(), m.end(), SENTENCE_END.replace("\n", ""))
    value, range_text = parse_number(m.group("num"))
    if value <= 0:
        return None
    unit = m.group("unit")
    right = norm[m.end() : s_end]
    segment_left = norm[s_start : m.start()]
    candidate = Candidate(
        phrase=text[s_start:s_end].strip(" ,，、　"),
        value=value,
        unit=unit,
        year=wording.year_for(norm, m.start(), c_start, sentence_start) or default_year,
        metric="manual",
        is_new=any(word in left for word in wording.NEW_WORDS),
        region=plan.region,
        number_text=m.group("num"),
        position=m.start(),
    )
    _classify(candidate, norm, segment_left, right, sentence_start, m)
    if candidate.metric == "coverage":  # the subject (各县…) opens the sentence
        candidate.phrase = text[sentence_start:s_end].strip(" ,，、　")
    if range_text:
        candidate.note = _("The text gives %(range)s; the lower bound is taken.", range=range_text)
    return candidate


def _classify(
    c: Candidate, norm: str, left: str, right: str, sentence_start: int, m: re.Match
) -> None:
    """Metric, types, levels, indicator and subregion level of a candidate."""
    if c.unit not in COUNT_UNITS:
        return
    if "在孵" in left and "企业" in left:
        c.metric, c.types, c.indicator = "sum_indicator", ["incubator"], "incubated_firms"
        return
    types = wording.types_in(right) or wording.types_in(left)
    if not types:
        return
    c.types = types
    c.min_level, c.max_level = wording.levels_in(right) or wording.levels_in(left) or (None, None)
    before = norm[sentence_start : m.start()]
    subregion = wording.subregion_in(before)
    if subregion and c.value == 1:
        c.metric, c.subregion_level = "coverage", subregion
        return
    c.metric = "count_new" if c.is_new else "count_recognized"


def _merge_repeats(candidates: list[Candidate]) -> list[Candidate]:
    """A plan often restates a target (总体目标, then a section, then a table): keep the first."""
    seen: set[tuple] = set()
    out = []
    for c in candidates:
        if c.types:
            key: tuple = (c.metric, c.value, c.unit, tuple(c.types), c.min_level, c.max_level)
        else:
            key = (c.value, c.unit, wording.core(c.phrase))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
