"""The change file of a version: carriers added, changed (which fields) or removed since the
previous version, found by walking both versions' JSONL files (sorted by id) side by side."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from registry.carriers.export import table_csv_chunks

CHANGE_COLUMNS = ["change", "id", "name", "fields"]


def _records(path: Path | None) -> Iterator[dict[str, Any]]:
    if path is None or not path.exists():
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def diff(previous: Path | None, current: Path) -> Iterator[list[Any]]:
    """Rows of the change file: (change, id, name, changed fields separated by ';')."""
    old_iter, new_iter = _records(previous), _records(current)
    old, new = next(old_iter, None), next(new_iter, None)
    while old is not None or new is not None:
        if new is None or (old is not None and old["id"] < new["id"]):
            assert old is not None
            yield ["removed", old["id"], old["name"], ""]
            old = next(old_iter, None)
        elif old is None or new["id"] < old["id"]:
            yield ["added", new["id"], new["name"], ""]
            new = next(new_iter, None)
        else:
            fields = _changed_fields(old, new)
            if fields:
                yield ["changed", new["id"], new["name"], ";".join(fields)]
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
