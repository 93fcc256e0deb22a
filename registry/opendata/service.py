"""Publishing the open data: a new dated version of every file, with its manifest (counts and
a SHA-256 per file), the data dictionary and the change file since the previous version."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from registry import audit, db
from registry.accounts.models import User
from registry.errors import NotFound
from registry.opendata import dictionary, files
from registry.opendata.changes import write_changes
from registry.opendata.models import OpenDataRelease
from registry.regions.models import Region

FORMATS = ("csv", "xlsx", "jsonl")
ProgressFn = Callable[[str, int, int], None]  # phase, done, total


def opendata_dir() -> Path:
    configured = current_app.config.get("OPENDATA_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "opendata"
    path.mkdir(parents=True, exist_ok=True)
    return path


def public_count(as_of: dt.date) -> int:
    from registry.carriers.models import Recognition

    stmt = select(func.count(func.distinct(Recognition.carrier_id))).where(
        Recognition.recognized_on <= as_of
    )
    return db.session.scalar(stmt) or 0


# --- one file ---------------------------------------------------------------------------


def export_file(
    fmt: str,
    output: Path,
    *,
    table: str = "carriers",
    as_of: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """The public registry in one file: csv (one table), xlsx (every table) or jsonl
    (carriers with their history nested). Returns rows written per table."""
    as_of = as_of or dt.date.today()
    if fmt == "jsonl":
        return {"carriers": files.write_jsonl(output, files.nested(as_of), progress)}
    if fmt == "xlsx":
        return files.write_xlsx(output, files.tables(as_of), progress)
    return {table: files.write_csv(output, table, files.tables(as_of)[table], progress)}


# --- a version --------------------------------------------------------------------------


def latest_release() -> OpenDataRelease | None:
    return db.session.scalar(select(OpenDataRelease).order_by(OpenDataRelease.version.desc()))


def list_releases() -> list[OpenDataRelease]:
    stmt = select(OpenDataRelease).order_by(OpenDataRelease.version.desc())
    return list(db.session.scalars(stmt))


def get_release(version: int) -> OpenDataRelease:
    """The version; raises NotFound."""
    release = db.session.scalar(select(OpenDataRelease).where(OpenDataRelease.version == version))
    if release is None:
        raise NotFound(_("No open data version %(v)s.", v=version))
    return release


def release_file(release: OpenDataRelease, name: str) -> Path:
    """The path of one of the version's files; raises NotFound for any other name."""
    if name != "manifest.json" and name not in {f["name"] for f in release.files}:
        raise NotFound(_("No such file in version %(v)s.", v=release.version))
    path = opendata_dir() / release.directory / name
    if not path.exists():
        raise NotFound(_("The file %(name)s is no longer stored.", name=name))
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _write_regions(path: Path) -> int:
    """The region code list (GB/T 2260) the files' codes refer to."""
    names = files.region_names()
    rows = db.session.execute(select(Region.id, Region.code, Region.level, Region.parent_id)).all()
    codes = {rid: code for rid, code, _level, _parent in rows}
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(["code", "name", "level", "parent_code"])
        for rid, code, level, parent_id in rows:
            full = names.full_name(rid) or "中华人民共和国"
            writer.writerow([code, full, level.value, codes.get(parent_id, "")])
    return len(rows)


def publish_release(
    *, as_of: dt.date | None = None, actor: User | None = None, progress: ProgressFn | None = None
) -> OpenDataRelease:
    """Write a new version of the open data and record it (the caller commits)."""
    as_of = as_of or dt.date.today()
    previous = latest_release()
    version = (previous.version if previous else 0) + 1
    stem = f"v{version}-{as_of.isoformat()}"
    base = opendata_dir()
    work = base / f".{stem}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    entries: list[dict[str, Any]] = []

    def add(name: str, table: str, fmt: str, rows: int | None, description: str) -> None:
        path = work / name
        entries.append(
            {
                "name": name,
                "table": table,
                "format": fmt,
                "rows": rows,
                "bytes": path.stat().st_size,
                "sha256": _sha256(path),
                "description": description,
            }
        )

    jsonl, xlsx = f"carriers-{stem}.jsonl", f"registry-{stem}.xlsx"
    csvs = {table: f"{table}-{stem}.csv" for table in files.TABLE_NAMES}
    paths = files.VersionFiles(
        work / jsonl, {table: work / name for table, name in csvs.items()}, work / xlsx
    )
    written = files.write_version(paths, as_of, _phase(progress, "carriers", as_of))
    counts: dict[str, Any] = dict(written.rows)
    nested = "carriers with their recognitions and evaluations"
    add(jsonl, "carriers", "jsonl", counts["carriers"], nested)
    for table, name in csvs.items():
        add(name, table, "csv", counts[table], f"{table} (CSV)")
    add(xlsx, "all", "xlsx", sum(written.rows.values()), "every table, one sheet each")
    previous_jsonl = _previous_jsonl(previous)
    changes = f"changes-{stem}.csv"
    counts["changes"] = write_changes(previous_jsonl, work / jsonl, work / changes)
    add(
        changes,
        "changes",
        "csv",
        sum(counts["changes"].values()),
        f"changes since v{previous.version}" if previous else "first version: every carrier added",
    )
    regions = _write_regions(work / "regions.csv")
    add("regions.csv", "regions", "csv", regions, "code list of regions (GB/T 2260)")
    data = dictionary.as_dict()
    (work / "dictionary.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    (work / "dictionary.md").write_text(dictionary.as_markdown(data), "utf-8")
    add("dictionary.json", "dictionary", "json", None, "data dictionary (machine-readable)")
    add("dictionary.md", "dictionary", "md", None, "data dictionary")
    counts.update(written.statuses)
    release = OpenDataRelease(
        version=version,
        as_of=as_of,
        published_by_id=actor.id if actor else None,
        directory=stem,
        previous_version=previous.version if previous else None,
        counts=counts,
        files=entries,
    )
    db.session.add(release)
    db.session.flush()
    manifest = manifest_of(release)
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    shutil.rmtree(base / stem, ignore_errors=True)
    work.rename(base / stem)
    audit.record(
        "opendata.publish",
        "open_data_release",
        release.id,
        actor_id=actor.id if actor else None,
        version=version,
        as_of=as_of,
        counts=counts,
    )
    return release


def _phase(progress: ProgressFn | None, phase: str, as_of: dt.date) -> files.ProgressFn | None:
    if progress is None:
        return None
    total = public_count(as_of)
    return lambda done: progress(phase, done, total)


def _previous_jsonl(previous: OpenDataRelease | None) -> Path | None:
    if previous is None:
        return None
    for entry in previous.files:
        if entry["format"] == "jsonl":
            return opendata_dir() / previous.directory / entry["name"]
    return None


def manifest_of(release: OpenDataRelease) -> dict[str, Any]:
    return {
        "version": release.version,
        "as_of": release.as_of.isoformat(),
        "published_at": release.published_at.isoformat(),
        "previous_version": release.previous_version,
        "counts": release.counts,
        "files": release.files,
    }
