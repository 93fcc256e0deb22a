"""The words of Chinese policy documents the extraction rules read: target verbs, carrier
types, levels, years, the plan's title, 文号, issuing region and dates."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from sqlalchemy import select

from registry import db
from registry.regions.models import PLACEHOLDER_NAMES, Region, RegionLevel

# Verbs and phrases that make a number a target (a clause without one is description).
MARKERS = [
    *("达到", "达", "超过", "突破", "建设", "建成", "新建", "新增", "培育", "打造", "实施"),
    *("实现", "设立", "引进", "争取", "推广", "优选", "选择", "募集", "增长", "提高", "提升"),
    *("累计", "不少于", "不低于", "力争", "抓好", "创建", "认定", "扶持"),
]
NEW_WORDS = ("新增", "新建", "新培育", "新打造", "新设", "新认定")
INCUBATION = ["incubator", "maker_space", "star_space"]
# Longest first: 创新创业载体 before 孵化器 …
TYPE_WORDS: list[tuple[str, list[str]]] = [
    ("孵化载体", INCUBATION),
    ("创新创业载体", INCUBATION),
    ("众创载体", INCUBATION),
    ("孵化器", ["incubator"]),
    ("众创空间", ["maker_space"]),
    ("创客空间", ["maker_space"]),
    ("星创天地", ["star_space"]),
    ("技术转移", ["tech_transfer"]),
    ("成果转移转化服务机构", ["tech_transfer"]),
    ("工程技术研究中心", ["eng_center"]),
    ("工程(技术)研究中心", ["eng_center"]),
    ("工程技术(研究)中心", ["eng_center"]),
]
TYPE_ORDER = ["incubator", "maker_space", "star_space", "tech_transfer", "eng_center"]
LEVEL_RE = re.compile(r"(国家级|省级|市级|县级)(以上)?")
LEVEL_CODES = {"国家级": "national", "省级": "provincial", "市级": "municipal", "县级": "county"}
SUBREGIONS = [
    ("各县", "county"),
    ("每个县", "county"),
    ("县(市、区)", "county"),
    ("各市(州)", "prefecture"),
    ("各市州", "prefecture"),
]
YEAR_RE = re.compile(r"(?:到|至)?(20\d\d)年(?![0-9]{1,2}月|\d)")
DEADLINE_RE = re.compile(r"到(20\d\d)年")
FIVE_YEAR = {"十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
DOC_NO_RE = re.compile(r"[\u4e00-\u9fa5]{1,10}〔(?:19|20)\d\d〕\d+号")
DATE_RE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")
PERIOD_RE = re.compile(r"((?:19|20)\d\d)\s*[—–\-~至]\s*((?:19|20)\d\d)年")
TITLE_ENDINGS = ("通知", "意见", "方案", "安排", "办法", "规划", "决定", "计划", "纲要")
ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（]|\d)")
SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "省",
    "市",
    "地区",
    "盟",
)
GENERIC = r"全省|全市|全县|全区|争取|累计|重点|其中|以上|到|年|等|各类|\s"


def types_in(text: str) -> list[str]:
    found: set[str] = set()
    for word, codes in TYPE_WORDS:
        if word in text:
            found.update(codes)
    return [code for code in TYPE_ORDER if code in found]


def levels_in(text: str) -> tuple[str, str | None] | None:
    """(min_level, max_level) of the first level named: 省级以上 → (provincial, None)."""
    for m in LEVEL_RE.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] == "部":  # 省部级 is no level of ours
            continue
        code = LEVEL_CODES[m.group(1)]
        return (code, None) if m.group(2) else (code, code)
    return None


def subregion_in(text: str) -> str | None:
    for word, level in SUBREGIONS:
        if word in text:
            return level
    return None


def year_for(norm: str, position: int, clause_start: int, sentence_start: int) -> int | None:
    """The deadline year said before a number: in its clause, its sentence, its paragraph."""
    paragraph_start = norm.rfind("\n", 0, position) + 1
    for start in (clause_start, sentence_start, paragraph_start):
        before = norm[start:position]
        years = YEAR_RE.findall(before)
        if years:
            return int(years[-1])
        for words, year in FIVE_YEAR.items():
            if words in before:
                return year
    return None


def default_year(norm: str) -> int | None:
    """The year a document aims at: its most frequent 到YYYY年, a five-year plan, or its
    most frequent year."""
    deadlines = Counter(int(y) for y in DEADLINE_RE.findall(norm))
    if deadlines:
        return deadlines.most_common(1)[0][0]
    for words, year in FIVE_YEAR.items():
        if words in norm:
            return year
    years = Counter(int(y) for y in re.findall(r"(20\d\d)年", norm))
    return years.most_common(1)[0][0] if years else None


def core(phrase: str) -> str:
    """What a phrase counts, without numbers, verbs and filler (to merge restatements)."""
    text = re.sub(r"[\d.—\-~%]+|[零〇一二两三四五六七八九十百千]+(?=[家个项所只])", "", phrase)
    for marker in sorted(MARKERS, key=len, reverse=True):
        text = text.replace(marker, "")
    text = re.sub(GENERIC, "", text)
    return re.sub(r"[^\u4e00-\u9fa5A-Za-z]", "", text)


# --- the plan itself --------------------------------------------------------------------


def guess_plan(text: str, norm: str):
    from registry.targets.extraction import PlanGuess

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = _title(lines)
    doc_no = DOC_NO_RE.search(norm[:1500])
    issued = _first_date(norm)
    plan = PlanGuess(
        title=title,
        document_no=doc_no.group(0) if doc_no else None,
        region=_region(norm, title),
        issued_on=issued,
    )
    period = PERIOD_RE.search(title or "")
    one_year = re.search(r"((?:19|20)\d\d)年", title or "")
    if period:
        plan.period_start = dt.date(int(period.group(1)), 1, 1)
        plan.period_end = dt.date(int(period.group(2)), 12, 31)
    elif one_year:  # an annual work plan (2016年…工作安排)
        plan.period_start = dt.date(int(one_year.group(1)), 1, 1)
        plan.period_end = dt.date(int(one_year.group(1)), 12, 31)
    elif "十二五" in norm:
        plan.period_start, plan.period_end = dt.date(2011, 1, 1), dt.date(2015, 12, 31)
    else:
        plan.period_start = issued
    return plan


def _title(lines: list[str]) -> str | None:
    for line in lines[:40]:
        if "关于" in line and line.endswith(TITLE_ENDINGS) and len(line) <= 100:
            return line
    for line in lines[:15]:
        chinese = re.findall(r"[\u4e00-\u9fa5]", line)
        if (
            len(chinese) >= 8
            and len(line) <= 60
            and "〔" not in line
            and not line.startswith(("日期", "来源", "索", "各"))
            and not ORDINAL_RE.match(line)
            and not line.endswith((":", "："))
        ):
            return line
    return None


def _first_date(norm: str) -> dt.date | None:
    for m in DATE_RE.finditer(norm):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def _short(name: str) -> str:
    for suffix in (
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "自治州",
        "省",
        "市",
        "地区",
        "盟",
    ):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _region(norm: str, title: str | None) -> Region | None:
    """The issuing region: the most specific one the title names, else the first one the
    head of the text names, else the province or city the text names most often."""
    names = _region_names()
    in_title = [region for name, region in names if title and name in title]
    if in_title:
        return max(in_title, key=lambda r: r.depth)
    head = norm[:600]
    found = [(head.find(name), region) for name, region in names if name in head]
    if found:
        return min(found, key=lambda pair: pair[0])[1]
    counts: Counter = Counter()
    by_id = {}
    for name, region in names:
        if region.level is not RegionLevel.county and name in norm:
            counts[region.id] += norm.count(name)
            by_id[region.id] = region
    return by_id[counts.most_common(1)[0][0]] if counts else None


def _region_names() -> list[tuple[str, Region]]:
    """Provinces and prefectures by full and short name, counties by full name (three
    characters or more: 城区 or 郊区 are words too)."""
    levels = (RegionLevel.province, RegionLevel.prefecture, RegionLevel.county)
    regions = db.session.scalars(select(Region).where(Region.level.in_(levels)))
    out = []
    for region in regions:
        if region.name in PLACEHOLDER_NAMES:
            continue
        if region.level is RegionLevel.county:
            if len(region.name) >= 3:
                out.append((region.name, region))
            continue
        out.append((region.name, region))
        if _short(region.name) != region.name:
            out.append((_short(region.name), region))
    out.sort(key=lambda pair: len(pair[0]), reverse=True)
    return out
