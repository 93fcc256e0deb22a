"""Numbers as Chinese policy documents write them: 570, 1.2, 1—2, 十, 两, 一百, 3—5."""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
MAGNITUDES = {"十": 10, "百": 100, "千": 1000}
CN = "零〇一二两三四五六七八九十百千"
# A Chinese numeral starts with a digit or 十: a bare 千 or 万 is a word (千人计划, 万人计划).
CN_NUMBER = rf"[零〇一二两三四五六七八九十][{CN}]*"
ARABIC = r"\d+(?:\.\d+)?"
RANGE_SEP = r"\s*[—–\-~～至到]\s*"
NUMBER = rf"(?:{ARABIC}(?:{RANGE_SEP}{ARABIC})?|{CN_NUMBER}(?:{RANGE_SEP}{CN_NUMBER})?)"

# Same-length replacements, so positions in the normalised text are positions in the original.
_FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {
    "．": ".",
    "％": "%",
    "（": "(",
    "）": ")",
    "\u00a0": " ",
    "\u3000": " ",
}
_TABLE = str.maketrans(_FULL_WIDTH)


def normalize(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one."""
    return text.translate(_TABLE)


def chinese_to_int(text: str) -> int:
    """十 → 10, 十二 → 12, 二十 → 20, 一百零五 → 105, 两千 → 2000, 三 → 3."""
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char in MAGNITUDES:
            total += (current or 1) * MAGNITUDES[char]
            current = 0
    return total + current


def parse_number(text: str) -> tuple[Decimal, str | None]:
    """The value of a number as written (a range gives its lower bound) and the range as
    written, if it was one."""
    parts = [p for p in re.split(RANGE_SEP, text.strip()) if p]
    values = [_one(p) for p in parts]
    return values[0], (text.strip() if len(values) > 1 else None)


def _one(part: str) -> Decimal:
    if part[0].isdigit():
        return Decimal(part)
    return Decimal(chinese_to_int(part))
