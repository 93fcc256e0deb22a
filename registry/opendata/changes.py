"""The change file of a version: carriers added, changed (which fields) or removed since the
previous version, found by walking both versions' JSONL files (sorted by id) side by side."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.decoder import scanstring
from pathlib import Path
from typing import Any

from registry.carriers.export import table_csv_chunks

CHANGE_COLUMNS = ["change", "id", "name", "fields"]
_ID_PREFIX, _NAME_KEY = '{"id":', '"name":"'


def _lines(path: Path | None) -> Iterator[tuple[int, str]]:
    """(carrier id, line) of each record; the id is read without parsing the line (the files
    are ours: every record starts with its id)."""
    if path is None or not path.exists():
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield _id_of(line), line


def _id_of(line: str) -> int:
    if line.startswith(_ID_PREFIX):
        digits = line[len(_ID_PREFIX) : line.find(",")]
        if digits.isdigit():
            return int(digits)
    return json.loads(line)["id"]


def _name_of(line: str) -> str:
    start = line.find(",") + 1  # the name follows the id
    if line.startswith(_NAME_KEY, start):
        return scanstring(line, start + len(_NAME_KEY))[0]
    return json.loads(line)["name"]


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def diff(previous: Path | None, current: Path) -> Iterator[list[Any]]:
    """Rows of the change file: (change, id, name, changed fields separated by ';'). Records
    are parsed only when their lines differ: most carriers do not change between versions."""
    old_iter, new_iter = _lines(previous), _lines(current)
    old, new = next(old_iter, None), next(new_iter, None)
    while old is not None or new is not None:
        if new is None or (old is not None and old[0] < new[0]):
            assert old is not None
            yield ["removed", old[0], _name_of(old[1]), ""]
            old = next(old_iter, None)
        elif old is None or new[0] < old[0]:
            yield ["added", new[0], _name_of(new[1]), ""]
            new = next(new_iter, None)
        else:
            if old[1] != new[1]:
                record = json.loads(new[1])
                fields = _changed_fields(json.loads(old[1]), record)
                if fields:
                    yield ["changed", new[0], record["name"], ";".join(fields)]
            old, new = next(old_iter, None), next(new_iter, None)


def write_changes(previous: Path | None, current: Path, out: Path) -> dict[str, int]:
    """Write the change file as CSV; returns counts of added, changed and removed carriers."""
    counts = {"added": 0, "changed": 0, "removed": 0}

    def rows() -> Iterator[list[Any]]:
        for row in diff(previous, current):
            counts[row[0]] += 1
            yield row

    with open(out, "wb") as f:
        for chunk in table_csv_chunks(CHANGE_COLUMNS, rows()):
            f.write(chunk)
    return counts
