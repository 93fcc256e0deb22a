"""What an import did, or would do, row by row: the dry run's report (stored as JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# What a row does: create a carrier, update one, change nothing, or stop the import.
ACTIONS = ("create", "update", "unchanged", "error")


@dataclass
class RowOutcome:
    """One data row's outcome."""

    row: int
    action: str
    name: str = ""
    carrier_id: int | None = None
    type: str | None = None
    level: str | None = None
    region: str = ""
    recognized_on: str | None = None
    document_no: str = ""
    changes: list[str] = field(default_factory=list)
    messages: list[dict[str, str]] = field(default_factory=list)
    flagged: bool = False

    @property
    def errors(self) -> list[dict[str, str]]:
        return [m for m in self.messages if m["level"] == "error"]


@dataclass
class ImportReport:
    """The whole outcome: how the file was read, the counts, and every row."""

    filename: str
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    title: str = ""
    headers: list[str] = field(default_factory=list)
    mapping: list[str] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)
    hints: dict[str, Any] = field(default_factory=dict)
    rows: list[RowOutcome] = field(default_factory=list)
    file_errors: dict[str, str] = field(default_factory=dict)
    year_only_rows: int = 0
    import_id: int | None = None
    dry_run: bool = True

    @property
    def counts(self) -> dict[str, int]:
        out = {action: 0 for action in ACTIONS}
        for row in self.rows:
            out[row.action] += 1
        out["rows"] = len(self.rows)
        out["carriers_created"] = sum(1 for r in self.rows if "carrier" in r.changes)
        out["flagged"] = sum(1 for r in self.rows if r.flagged and r.action != "error")
        out["recognitions"] = sum(
            1 for r in self.rows if r.action != "error" and "recognition" in r.changes
        )
        out["warnings"] = sum(1 for r in self.rows for m in r.messages if m["level"] == "warning")
        return out

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.action == "error" for r in self.rows)

    def errors(self) -> list[tuple[int | None, str, str]]:
        """(row, column, message) of every error, the file's first."""
        out: list[tuple[int | None, str, str]] = [
            (None, key, text) for key, text in self.file_errors.items()
        ]
        for row in self.rows:
            out.extend((row.row, m["column"], m["text"]) for m in row.errors)
        return out

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        data = dict(data)
        rows = [RowOutcome(**r) for r in data.pop("rows", [])]
        return cls(**data, rows=rows)
