"""Resolving the place names of published lists ("德阳市广汉市", "成都市郫都区", "达州高新区",
"510117") to regions of the GB/T 2260 tree.

A name is read as a chain of division names from any level down (province, prefecture,
county; each part optional, with or without its suffix 省/市/区/县). Development zones and
former names are not divisions: seeds/region_aliases.csv maps the known ones, and a zone of a
named city ("XX高新区") falls back to that city. A result that is not a county-level region
is imprecise: an import places the row there and flags it for a bureau to complete.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from registry import db
from registry.regions.models import PLACEHOLDER_NAMES, Region, RegionLevel

ALIASES_FILE = Path(__file__).resolve().parents[2] / "seeds" / "region_aliases.csv"

# Longest first: the suffix stripped to get a division's short name (成都市 -> 成都).
_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "藏族羌族自治州",
    "彝族自治州",
    "藏族自治州",
    "土家族苗族自治州",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "地区",
    "新区",
    "盟",
    "省",
    "市",
    "区",
    "县",
    "旗",
)
# Common abbreviations of zone names in published lists.
_ZONE_WORDS = (
    ("高新技术产业开发区", "高新区"),
    ("高新技术开发区", "高新区"),
    ("经济技术开发区", "经开区"),
    ("经济开发区", "经开区"),
)
# A trailing word that marks a zone inside a named place ("达州高新区", "宜宾临港经开区").
_ZONE_TAIL = re.compile(r"(高新区|经开区|开发区|新区|园区|产业园|科技城|工业园|自贸区|片区)$")
_SEPARATORS = re.compile(r"[\s/\\|,，、·\-—–>＞>()（）\[\]【】]+")


def normalize_place(text: str) -> str:
    """NFKC, no spaces or separators: the form names are compared in."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SEPARATORS.sub("", text)


def short_name(name: str) -> str:
    """成都市 -> 成都, 郫都区 -> 郫都; names of two characters keep their suffix (郫县)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _zone_variants(name: str) -> set[str]:
    out = {name}
    for long, short in _ZONE_WORDS:
        if long in name:
            out.add(name.replace(long, short))
    return out


@dataclass
class RegionMatch:
    """The outcome of resolving one place name: a region, or an error naming the problem."""

    region: Region | None = None
    via: str = "name"  # code | name | alias | zone
    error: str | None = None
    candidates: list[str] = field(default_factory=list)

    @property
    def is_precise(self) -> bool:
        """Whether the region is a county-level division (where a carrier sits)."""
        return self.region is not None and self.region.level == RegionLevel.county


@dataclass(frozen=True)
class Alias:
    name: str
    code: str
    kind: str  # zone | former
    note: str = ""


def read_aliases(path: Path = ALIASES_FILE) -> list[Alias]:
    """The editable list of development zones and former names (alias,code,kind,note)."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [
            Alias(
                normalize_place(r["alias"]), r["code"].strip(), r["kind"].strip(), r.get("note", "")
            )
            for r in rows
            if r.get("alias")
        ]


class RegionResolver:
    """Every region and alias loaded once, for resolving many names (an import's rows)."""

    def __init__(self, aliases: Iterable[Alias] | None = None) -> None:
        regions = list(db.session.scalars(select(Region)))
        self.by_code = {r.code: r for r in regions}
        self.by_id = {r.id: r for r in regions}
        self.names: dict[str, list[Region]] = defaultdict(list)
        for region in regions:
            if region.level == RegionLevel.country or region.name in PLACEHOLDER_NAMES:
                continue
            for variant in _zone_variants(region.name):
                for key in {variant, short_name(variant)}:
                    if len(key) >= 2 and region not in self.names[key]:
                        self.names[key].append(region)
        self.aliases: dict[str, tuple[Region, str]] = {}
        for alias in read_aliases() if aliases is None else aliases:
            region = self.by_code.get(alias.code)
            if region is not None:
                self.aliases[alias.name] = (region, alias.kind)
        self._cache: dict[tuple[str, str | None], RegionMatch] = {}
        self._max_len = max((len(k) for k in self.names), default=0)

    # -- codes ---------------------------------------------------------------------------

    def by_code_text(self, text: str) -> RegionMatch:
        """A six-digit code (or a twelve-digit statistical code, whose first six count)."""
        code = normalize_place(str(text))
        if code.endswith(".0"):  # a number cell read as float
            code = code[:-2]
        if len(code) == 12 and code.isdigit():
            code = code[:6]
        if len(code) != 6 or not code.isdigit():
            return RegionMatch(error=_("%(code)s is not a six-digit region code", code=text))
        region = self.by_code.get(code)
        if region is None:
            return RegionMatch(
                error=_(
                    "no region has the code %(code)s (codes change over the years: check the "
                    "current GB/T 2260 list)",
                    code=code,
                )
            )
        return RegionMatch(region=region, via="code")

    # -- names ---------------------------------------------------------------------------

    def resolve(self, text: str, within: Callable[[Region], bool] | None = None) -> RegionMatch:
        """The region a place name means; `within` prefers regions a user may act on when
        the name alone is ambiguous (朝阳区 is in Beijing and in Changchun)."""
        key = normalize_place(text)
        if not key:
            return RegionMatch(error=_("is empty"))
        cache_key = (key, None if within is None else str(id(within)))
        if cache_key not in self._cache:
            self._cache[cache_key] = self._resolve(key, text, within)
        return self._cache[cache_key]

    def _resolve(self, key: str, text: str, within: Callable[[Region], bool] | None) -> RegionMatch:
        if key.isdigit():
            return self.by_code_text(key)
        if key in self.aliases:
            region, kind = self.aliases[key]
            return RegionMatch(region=region, via="alias" if kind == "former" else "zone")
        found = self._parses(key)
        if not found:
            return self._zone_fallback(key, text, within)
        if len(found) > 1 and within is not None:
            inside = [r for r in found if within(r)]
            found = inside or found
        if len(found) > 1:
            names = sorted(r.full_name for r in found)
            return RegionMatch(
                error=_(
                    "%(name)s is ambiguous: it may be %(candidates)s; give the city too "
                    "(e.g. 德阳市广汉市) or the region code",
                    name=text,
                    candidates="、".join(names[:6]),
                ),
                candidates=names,
            )
        return RegionMatch(region=found[0])

    def _parses(self, key: str) -> list[Region]:
        """Regions whose chain of names (each below the previous) spells out `key`."""
        results: dict[int, Region] = {}

        def walk(pos: int, parent: Region | None) -> None:
            if pos == len(key):
                if parent is not None:
                    results[parent.id] = parent
                return
            for end in range(min(len(key), pos + self._max_len), pos + 1, -1):
                for region in self.names.get(key[pos:end], ()):
                    if parent is None or (
                        region.path.startswith(parent.path) and region.id != parent.id
                    ):
                        walk(end, region)

        walk(0, None)
        return list(results.values())

    def _zone_fallback(
        self, key: str, text: str, within: Callable[[Region], bool] | None
    ) -> RegionMatch:
        """ "达州高新区": a zone of a named place sits (imprecisely) at that place."""
        match = _ZONE_TAIL.search(key)
        head = key[: match.start()] if match else ""
        for cut in range(len(head), 1, -1):
            found = self._parses(head[:cut])
            if len(found) > 1 and within is not None:
                found = [r for r in found if within(r)] or found
            if len(found) == 1:
                return RegionMatch(region=found[0], via="zone")
        return RegionMatch(
            error=_(
                "%(name)s is not a known region name (use a name like 成都市郫都区 or a "
                "six-digit region code)",
                name=text,
            )
        )


def resolve_region_name(text: str) -> RegionMatch:
    """Resolve one place name (for many, build one RegionResolver and reuse it)."""
    return RegionResolver().resolve(text)
