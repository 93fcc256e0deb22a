"""统一社会信用代码 (GB 32100-2015): format and check character."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}

# GB 11714 organisation code (characters 9-17): weights and check digit
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_char(first17: str) -> str:
    """The 18th character for the first 17; raises ValueError on a bad character."""
    total = 0
    for ch, weight in zip(first17, WEIGHTS, strict=True):
        if ch not in _VALUE:
            raise ValueError(f"invalid character {ch!r}")
        total += _VALUE[ch] * weight
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why `code` is not a valid credit code (English key phrase), or None."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return "length"
    bad = [ch for ch in code if ch not in _VALUE]
    if bad:
        return "characters"
    if check_char(code[:17]) != code[17]:
        return "check"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def org_code_check(first8: str) -> str:
    """GB 11714 check character of an eight-character organisation code."""
    total = sum(_ORG_ALPHABET.index(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make(registration: str, region_code: str, org8: str) -> str:
    """A valid code from its parts (used by the demo generator and tests)."""
    body = registration + region_code + org8 + org_code_check(org8)
    return body + check_char(body)
