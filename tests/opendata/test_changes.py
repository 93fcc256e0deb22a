"""The change file: added, changed (which fields) and removed carriers between two versions."""

from __future__ import annotations

import json

from registry.opendata.changes import diff


def write(path, records) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records),
        "utf-8",
    )


def test_changes_between_two_versions(tmp_path):
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    same = {"id": 1, "name": "不变的孵化器", "level": "municipal"}
    write(
        old,
        [
            same,
            {"id": 2, "name": '引号"与\\斜杠', "level": "municipal", "recognitions": []},
            {"id": 3, "name": "撤销了的", "level": "county"},
            {"level": "national", "id": 5, "name": "键序不同"},  # an older file's key order
        ],
    )
    write(
        new,
        [
            same,
            {"id": 2, "name": '引号"与\\斜杠', "level": "provincial", "recognitions": [{"id": 9}]},
            {"id": 4, "name": "新增的", "level": "county"},
            {"id": 5, "name": "键序不同", "level": "national"},
        ],
    )
    assert list(diff(old, new)) == [
        ["changed", 2, '引号"与\\斜杠', "level;recognitions"],
        ["removed", 3, "撤销了的", ""],
        ["added", 4, "新增的", ""],
    ]


def test_the_first_version_adds_every_carrier(tmp_path):
    new = tmp_path / "new.jsonl"
    write(new, [{"id": 1, "name": "甲"}, {"id": 10, "name": "乙"}])
    assert list(diff(None, new)) == [["added", 1, "甲", ""], ["added", 10, "乙", ""]]
