"""Near-identical carrier names."""

from __future__ import annotations

import pytest

from registry.carriers.duplicates import edit_distance, nearly_identical


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("眉山天府科创孵化器", "眉山天府科创孵化器"),
        ("眉山天府科创孵化器", "眉山 天府·科创孵化器"),
        ("眉山天府科创孵化器", "眉山天府科技孵化器"),  # one character apart
        ("ＡＢＣ众创空间", "abc众创空间"),  # full-width, case
        (
            "四川省眉山市东坡区农业科技企业孵化器",
            "四川省眉山市东坡区农业科学企业孵化园",
        ),  # two, long
    ],
)
def test_near_identical(a, b):
    assert nearly_identical(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("眉山天府科创孵化器", "眉山天府众创空间"),
        ("星创天地", "星创天池"),  # short names: one character matters
        ("眉山天府科创孵化器", "成都天府科技孵化园"),
    ],
)
def test_different(a, b):
    assert not nearly_identical(a, b)


def test_edit_distance_gives_up_past_the_limit():
    assert edit_distance("abcdef", "abcdef", 1) == 0
    assert edit_distance("abcdef", "abcxef", 1) == 1
    assert edit_distance("abcdef", "uvwxyz", 2) == 3
