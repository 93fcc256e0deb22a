"""统一社会信用代码 check characters (GB 32100-2015) on known valid and invalid codes."""

from __future__ import annotations

import pytest

from registry.carriers import uscc

VALID = [
    "91350100M000100Y43",  # the standard's example
    "91110000600037341L",  # published business licences
    "91440300708461136T",
    "12100000400010275N",  # a public institution (事业单位)
]


@pytest.mark.parametrize("code", VALID)
def test_known_codes_pass(code):
    assert uscc.problem(code) is None
    assert uscc.is_valid(code)
    assert uscc.check_char(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y44", "check"),  # last character changed
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("", "length"),
        ("91350100M00O100Y43", "characters"),  # the letter O is not used
        ("91350100I000100Y43", "characters"),
        ("9135010OM000100Y4Z", "characters"),
    ],
)
def test_invalid_codes_name_their_problem(code, problem):
    assert uscc.problem(code) == problem
    assert not uscc.is_valid(code)


def test_any_single_character_change_is_caught():
    code = "91350100M000100Y43"
    for position in range(17):
        for ch in uscc.ALPHABET:
            if ch == code[position]:
                continue
            changed = code[:position] + ch + code[position + 1 :]
            assert not uscc.is_valid(changed), changed


def test_lower_case_and_spaces_are_read_as_the_code():
    assert uscc.problem(" 91350100m000100y43 ") is None


def test_make_builds_valid_codes():
    code = uscc.make("91", "511402", "12345678")
    assert len(code) == 18 and uscc.is_valid(code)
