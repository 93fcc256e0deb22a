"""Importing bureau lists of recognised carriers: checking (dry run) and importing, all or
nothing, with every import recorded and every carrier linked back to it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import audit, db
from registry.accounts.models import User
from registry.carriers.levels import Level
from registry.carriers.models import CarrierType
from registry.db import utcnow
from registry.errors import NotFound, ValidationError
from registry.imports.models import CarrierImport, ImportStatus
from registry.imports.parsing import Source, Table, file_format, open_table
from registry.imports.plan import Planned, Planner, row_messages
from registry.imports.report import ImportReport, RowOutcome
from registry.imports.rows import Defaults, RowReader, RowRecord, auto_mapping, check_mapping
from registry.imports.vocabulary import FIELDS, Day, TypeWords, parse_day, title_hints
from registry.imports.writing import write_plan
from registry.regions.models import Region
from registry.regions.names import RegionResolver

PROGRESS_EVERY = 500
# Imports of more rows than this show a progress bar (the page and the CLI).
PROGRESS_THRESHOLD = 2000

Within = Callable[[Region], bool]
ProgressFn = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Progress:
    """How far an import is: a phase (reading, matching, writing) and rows done of total."""

    phase: str
    done: int
    total: int | None


class ImportFailed(ValidationError):
    """The file has errors: nothing was written; `report` says which rows and columns."""

    def __init__(self, report: ImportReport) -> None:
        n = len(report.errors())
        super().__init__(
            {"file": _("%(n)d errors: nothing was imported", n=n)},
            _("The file has %(n)d errors: nothing was imported.", n=n),
        )
        self.report = report


def everywhere(_region: Region) -> bool:
    return True


# --- options ----------------------------------------------------------------------------


def parse_defaults(values: dict[str, Any]) -> Defaults:
    """Defaults for all rows from a form or the CLI ({type, level, recognized_on, document_no,
    region_code}); raises ValidationError naming each bad one."""
    errors: dict[str, str] = {}
    out = Defaults(document_no=(values.get("document_no") or "").strip())
    type_code = (values.get("type") or "").strip()
    if type_code:
        known = set(db.session.scalars(select(CarrierType.code)))
        if type_code not in known:
            errors["type"] = _("unknown carrier type %(code)s", code=type_code)
        out.type_code = type_code
    level = (values.get("level") or "").strip()
    if level:
        try:
            out.level = Level.parse(level)
        except ValueError as exc:
            errors["level"] = str(exc)
    day = values.get("recognized_on")
    if day not in (None, ""):
        try:
            out.recognized_on = parse_day(day)
        except ValueError as exc:
            errors["recognized_on"] = str(exc)
    out.region_code = (values.get("region_code") or "").strip()
    if errors:
        raise ValidationError(errors)
    return out


def _merge_hints(defaults: Defaults, table: Table, types: TypeWords) -> tuple[Defaults, dict]:
    """The user's defaults, completed by what the list's title says."""
    hints = title_hints(table.title, types)
    merged = Defaults(
        type_code=defaults.type_code or hints.type_code,
        level=defaults.level or hints.level,
        recognized_on=defaults.recognized_on
        or (Day(dt.date(hints.year, 1, 1), "year") if hints.year else None),
        document_no=defaults.document_no or hints.document_no,
        region_code=defaults.region_code,
    )
    return merged, hints.as_dict()


# --- the job ----------------------------------------------------------------------------


class ImportJob:
    """One pass over a file: read, check, match and (unless a dry run) write."""

    def __init__(
        self,
        source: Source,
        *,
        sheet: str | None = None,
        mapping: list[str] | None = None,
        defaults: Defaults | None = None,
        within: Within = everywhere,
        actor_id: int | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.source = source
        self.sheet = sheet
        self.mapping = mapping
        self.defaults = defaults or Defaults()
        self.within = within
        self.actor_id = actor_id
        self.today = today or dt.date.today()
        self.report = ImportReport(filename=source.filename)
        self.entities: list[Planned] = []

    def steps(self, record: CarrierImport | None = None, write: bool = False) -> Iterator[Progress]:
        """Run the job, yielding progress; raises ImportFailed when writing a file with errors."""
        table = open_table(self.source, self.sheet)
        types = {t.code: t for t in db.session.scalars(select(CarrierType))}
        words = TypeWords.build([(t.code, t.name, t.name_en) for t in types.values()])
        defaults, hints = _merge_hints(self.defaults, table, words)
        mapping = self._mapping(table)
        self.report = ImportReport(
            filename=self.source.filename,
            sheet=table.sheet,
            sheets=table.sheets,
            title=table.title,
            headers=table.headers,
            mapping=mapping,
            defaults=defaults.as_dict(),
            hints=hints,
            file_errors=check_mapping(mapping),
            dry_run=not write,
        )
        if self.report.file_errors:
            if write:
                raise ImportFailed(self.report)
            return
        reader = RowReader(
            table.headers, mapping, defaults, words, RegionResolver(), self.within, self.today
        )
        records = yield from self._read(table, reader)
        yield Progress("matching", len(records), len(records))
        planner = Planner(
            records, {c: t.id for c, t in types.items()}, reader.resolver, self.within
        )
        self.entities = planner.plan()
        self._outcomes(records)
        if not write:
            return
        if self.report.has_errors:
            raise ImportFailed(self.report)
        assert record is not None
        for done, total in write_plan(self.entities, record, self.actor_id):
            yield Progress("writing", done, total)
        self._fill_ids()
        self.report.import_id = record.id

    def run(
        self,
        record: CarrierImport | None = None,
        write: bool = False,
        progress: ProgressFn | None = None,
    ) -> ImportReport:
        for step in self.steps(record, write):
            if progress is not None:
                progress(step.phase, step.done, step.total)
        return self.report

    def _mapping(self, table: Table) -> list[str]:
        auto = auto_mapping(table.headers)
        if not self.mapping:
            return auto
        given = list(self.mapping)[: len(auto)]
        return given + auto[len(given) :]

    def _read(self, table: Table, reader: RowReader) -> Iterator[Progress]:
        records: list[RowRecord] = []
        total = table.total_rows
        try:
            for i, (number, values) in enumerate(table.rows(), 1):
                if reader.is_section(values):
                    reader.enter_section(values)
                    continue
                records.append(reader.read(number, values))
                if i % PROGRESS_EVERY == 0:
                    yield Progress("reading", i, total)
        except UnicodeDecodeError as exc:
            raise ValidationError(
                {"file": _("is not readable as %(enc)s: %(error)s", enc=table.encoding, error=exc)}
            ) from None
        return records

    def _outcomes(self, records: list[RowRecord]) -> None:
        by_row: dict[int, Planned] = {}
        for entity in self.entities:
            for rec in entity.rows:
                by_row[rec.number] = entity
        rows = []
        for rec in records:
            entity = by_row.get(rec.number)
            rows.append(self._outcome(rec, entity))
            if rec.precision == "year" and not rec.has_errors:
                self.report.year_only_rows += 1
        self.report.rows = rows

    def _outcome(self, rec: RowRecord, entity: Planned | None) -> RowOutcome:
        out = RowOutcome(
            row=rec.number,
            action="error",
            name=rec.name,
            type=rec.type_code,
            level=rec.level.code if rec.level else None,
            region=rec.region.full_name if rec.region else "",
            recognized_on=rec.recognized_on.isoformat() if rec.recognized_on else None,
            document_no=rec.document_no,
            flagged=rec.is_flagged,
        )
        if entity is not None and not rec.has_errors:
            adds = any(p.row == rec.number for p in entity.recognitions)
            if adds:
                out.changes.append("recognition")
            if entity.existing is None:
                out.action = "create" if adds or rec is entity.first else "unchanged"
                if rec is entity.first:
                    out.changes.insert(0, "carrier")
            else:
                out.carrier_id = entity.existing.id
                if rec is entity.first:
                    out.changes.extend(str(FIELDS.get(k, k)) for k in entity.updates if k in FIELDS)
                    if "region_id" in entity.updates:
                        out.changes.append("region")
                out.action = "update" if out.changes else "unchanged"
        out.messages = row_messages(rec)
        return out

    def _fill_ids(self) -> None:
        ids = {rec.number: e.carrier_id for e in self.entities for rec in e.rows}
        for row in self.report.rows:
            row.carrier_id = ids.get(row.row, row.carrier_id)


# --- records ----------------------------------------------------------------------------


def get_import(import_id: int) -> CarrierImport:
    """The import with this id; raises NotFound."""
    record = db.session.get(CarrierImport, import_id)
    if record is None:
        raise NotFound(_("No import has the id %(id)s.", id=import_id))
    return record


def new_import(source: Source, user: User | None) -> CarrierImport:
    """Record an uploaded file (not yet imported); raises ValidationError for an empty file or
    one that is neither XLSX nor CSV."""
    fmt = file_format(source.filename)
    content = source.content if source.content is not None else source.open().read()
    if not content:
        raise ValidationError({"file": _("is empty")})
    record = CarrierImport(
        filename=source.filename[-255:],
        file_format=fmt,
        file_size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        user_id=user.id if user else None,
        scope_region_id=user.region_id if user else None,
        status=ImportStatus.staged,
        options={},
    )
    db.session.add(record)
    db.session.flush()
    return record


def source_of(record: CarrierImport) -> Source:
    return Source(record.filename, content=record.content)


def job_for(record: CarrierImport, within: Within, actor_id: int | None) -> ImportJob:
    """A job with the options last saved on the import (mapping, defaults, sheet)."""
    options = record.options or {}
    return ImportJob(
        source_of(record),
        sheet=record.sheet or None,
        mapping=options.get("mapping"),
        defaults=parse_defaults(options.get("defaults") or {}),
        within=within,
        actor_id=actor_id,
    )


def check_steps(
    record: CarrierImport, *, within: Within = everywhere, options: dict[str, Any] | None = None
) -> Iterator[Progress]:
    """Dry run, step by step: the report of what importing would do is saved on the record.
    `options` (mapping, defaults, sheet) replace the saved ones. Raises Conflict for a
    completed import, ValidationError for unreadable files or bad options."""
    _require_staged(record)
    if options is not None:
        parse_defaults(options.get("defaults") or {})
        record.options = {k: v for k, v in options.items() if k != "sheet"}
        record.sheet = options.get("sheet") or ""
    job = job_for(record, within, None)
    yield from job.steps()
    _save_report(record, job.report)


def check_import(
    record: CarrierImport,
    *,
    within: Within = everywhere,
    options: dict[str, Any] | None = None,
    progress: ProgressFn | None = None,
) -> ImportReport:
    """check_steps() run to its end; returns the report."""
    for step in check_steps(record, within=within, options=options):
        if progress is not None:
            progress(step.phase, step.done, step.total)
    return ImportReport.from_dict(record.report or {})


def import_steps(
    record: CarrierImport, *, within: Within = everywhere, actor: User | None = None
) -> Iterator[Progress]:
    """The real import, step by step (for a progress bar); all or nothing: raises
    ImportFailed (nothing written) when any row has an error. The caller commits."""
    _require_staged(record)
    job = job_for(record, within, actor.id if actor else None)
    try:
        yield from job.steps(record, write=True)
    except ImportFailed as exc:
        _save_report(record, exc.report)
        raise
    _save_report(record, job.report)
    _complete(record, job.report, actor)


def run_import(
    record: CarrierImport,
    *,
    within: Within = everywhere,
    actor: User | None = None,
    progress: ProgressFn | None = None,
) -> ImportReport:
    """import_steps() run to its end; returns the report."""
    for step in import_steps(record, within=within, actor=actor):
        if progress is not None:
            progress(step.phase, step.done, step.total)
    return ImportReport.from_dict(record.report or {})


def _require_staged(record: CarrierImport) -> None:
    from registry.errors import Conflict

    if record.status != ImportStatus.staged:
        raise Conflict(_("This file was already imported."))


def _save_report(record: CarrierImport, report: ImportReport) -> None:
    counts = report.counts
    record.report = report.as_dict()
    record.rows_total = counts["rows"]
    record.error_count = counts["error"]
    record.flagged_count = counts["flagged"]
    db.session.flush()


def _complete(record: CarrierImport, report: ImportReport, actor: User | None) -> None:
    counts = report.counts
    created = {r.carrier_id for r in report.rows if r.action == "create"}
    updated = {r.carrier_id for r in report.rows if r.action == "update"} - created
    record.status = ImportStatus.completed
    record.completed_at = utcnow()
    record.created_count = len(created)
    record.updated_count = len(updated)
    record.unchanged_count = counts["unchanged"]
    record.recognitions_count = counts["recognitions"]
    db.session.flush()
    audit.record(
        "import.complete",
        "import",
        record.id,
        actor_id=actor.id if actor else None,
        filename=record.filename,
        sha256=record.sha256,
        rows=counts["rows"],
        created=record.created_count,
        updated=record.updated_count,
        unchanged=record.unchanged_count,
        recognitions=record.recognitions_count,
        flagged=record.flagged_count,
    )


def previous_imports_of(record: CarrierImport) -> list[CarrierImport]:
    """Completed imports of the same file (same SHA-256), newest first."""
    stmt = (
        select(CarrierImport)
        .where(
            CarrierImport.sha256 == record.sha256,
            CarrierImport.id != record.id,
            CarrierImport.status == ImportStatus.completed,
        )
        .order_by(CarrierImport.id.desc())
    )
    return list(db.session.scalars(stmt))
