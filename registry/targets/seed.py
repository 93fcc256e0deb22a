"""Loading the plans of seeds/plans.toml (idempotent: plans already present are kept)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import select

from registry import db
from registry.targets import service
from registry.targets.models import Plan


def read_plans(path: Path) -> list[dict[str, Any]]:
    """The plans of a seed file, each with its full text read from the file it names."""
    with open(path, "rb") as f:
        plans = tomllib.load(f)["plans"]
    for plan in plans:
        name = plan.pop("text", None)
        plan["text"] = (path.parent / "plans" / name).read_text(encoding="utf-8") if name else ""
    return plans


def _existing(data: dict[str, Any]) -> Plan | None:
    if data.get("document_no"):
        return service.find_plan_by_document_no(data["document_no"])
    return db.session.scalar(select(Plan).where(Plan.title == data["title"]))


def _payload(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def load_plans(plans: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Create the plans not present yet; returns (plans created, targets created, kept)."""
    created = targets = kept = 0
    for data in plans:
        if _existing(data) is not None:
            kept += 1
            continue
        fields = {k: _payload(v) for k, v in data.items() if k != "targets"}
        rows = [{k: _payload(v) for k, v in t.items()} for t in data.get("targets", [])]
        service.create_plan(fields, targets=rows)
        created += 1
        targets += len(rows)
    db.session.flush()
    return created, targets, kept
