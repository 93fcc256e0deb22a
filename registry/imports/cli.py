"""`registry import FILE.xlsx|csv [--dry-run]`: a bureau list into the registry, or its report."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from openpyxl.utils.cell import column_index_from_string

from registry import db
from registry.errors import RegistryError

ACTION_WORDS = {"create": "create", "update": "update", "unchanged": "unchanged", "error": "ERROR"}


class _Bar:
    """A click progress bar on stderr, shown only for files past the threshold."""

    def __init__(self) -> None:
        self.bar = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        from registry.imports.service import PROGRESS_THRESHOLD

        if not total or total < PROGRESS_THRESHOLD:
            return
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = click.progressbar(length=total, label=f"{phase:9}", file=sys.stderr)
            self.bar.__enter__()
        assert self.bar is not None
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _column_overrides(specs: tuple[str, ...], headers: list[str], mapping: list[str]) -> list[str]:
    """Apply --column HEADER=FIELD or LETTER=FIELD to the detected mapping."""
    out = list(mapping)
    for spec in specs:
        key, sep, fld = spec.partition("=")
        if not sep:
            raise click.BadParameter(
                f"{spec!r}: use HEADER=FIELD or C=FIELD", param_hint="--column"
            )
        key = key.strip()
        if key in headers:
            index = headers.index(key)
        elif key.isalpha() and key.isascii():
            index = column_index_from_string(key.upper()) - 1
        else:
            raise click.BadParameter(f"no column {key!r} (headers: {', '.join(headers)})")
        while len(out) <= index:
            out.append("ignore")
        out[index] = fld.strip()
    return out


def _print_report(report, verbose: bool) -> None:
    click.echo(f"file: {report.filename}" + (f"  sheet: {report.sheet}" if report.sheet else ""))
    if report.title:
        click.echo(f"title: {report.title}")
    columns = [f"{h or '?'} -> {f}" for h, f in zip(report.headers, report.mapping, strict=False)]
    click.echo("columns: " + "; ".join(columns))
    defaults = {k: v for k, v in report.defaults.items() if v and k != "recognized_precision"}
    if defaults:
        click.echo("for all rows: " + ", ".join(f"{k}={v}" for k, v in defaults.items()))
    for row in report.rows:
        if verbose or row.action == "error" or row.flagged:
            tail = f" -> #{row.carrier_id}" if row.carrier_id else ""
            changes = f" [{', '.join(row.changes)}]" if row.changes else ""
            click.echo(f"row {row.row}: {ACTION_WORDS[row.action]} {row.name}{tail}{changes}")
            for m in row.messages:
                if verbose or m["level"] != "note":
                    column = f"{m['column']}: " if m["column"] else ""
                    click.echo(f"    {m['level']}: {column}{m['text']}")
    for key, text in report.file_errors.items():
        click.echo(f"error: {key}: {text}")
    c = report.counts
    click.echo(
        f"{c['rows']} rows: {c['create']} to create, {c['update']} to update, "
        f"{c['unchanged']} unchanged, {c['error']} with errors; {c['recognitions']} "
        f"recognitions, {c['flagged']} flagged for region review"
    )
    if report.year_only_rows:
        click.echo(f"note: {report.year_only_rows} rows give only a year: dated 1 January")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--sheet", help="Sheet of the workbook (default: the first visible one).")
@click.option("--column", "columns", multiple=True, help="HEADER=FIELD or C=FIELD (repeatable).")
@click.option("--type", "type_code", help="Carrier type of rows that do not say.")
@click.option("--level", help="Level of rows that do not say (county … national).")
@click.option("--recognized-on", help="Date or year of rows that do not say.")
@click.option("--document-no", help="Document number of rows that do not say.")
@click.option("--region", "region_code", help="Region code of rows that do not say.")
@click.option("--user", "email", help="Import as this reviewer (its region's subtree only).")
@click.option("--verbose", "-v", is_flag=True, help="Every row, not only errors and flags.")
@with_appcontext
def import_command(
    file: Path,
    dry_run: bool,
    sheet: str | None,
    columns: tuple[str, ...],
    type_code: str | None,
    level: str | None,
    recognized_on: str | None,
    document_no: str | None,
    region_code: str | None,
    email: str | None,
    verbose: bool,
) -> None:
    """Import a list of recognised carriers (XLSX, or CSV in UTF-8 or GBK)."""
    from registry import policy
    from registry.accounts.service import find_user_by_email
    from registry.cli import fail
    from registry.imports import service
    from registry.imports.parsing import Source, open_table
    from registry.imports.rows import auto_mapping

    user = find_user_by_email(email) if email else None
    if email and (user is None or not policy.can_import(user)):
        fail(f"--user: {email} is not a reviewer or admin who may import")
    defaults = {
        "type": type_code,
        "level": level,
        "recognized_on": recognized_on,
        "document_no": document_no,
        "region_code": region_code,
    }
    bar = _Bar()
    try:
        source = Source(file.name, path=file)
        table = open_table(source, sheet)
        mapping = _column_overrides(columns, table.headers, auto_mapping(table.headers))
        record = service.new_import(Source(file.name, content=file.read_bytes()), user)
        record.options = {"mapping": mapping, "defaults": defaults}
        record.sheet = sheet or ""
        within = (lambda r: policy.can_import_into(user, r)) if user else service.everywhere
        if dry_run:
            report = service.check_import(record, within=within, progress=bar)
        else:
            report = service.run_import(record, within=within, actor=user, progress=bar)
    except service.ImportFailed as exc:
        bar.close()
        db.session.rollback()
        _print_report(exc.report, verbose)
        click.echo("nothing was imported: correct the errors above and import again", err=True)
        sys.exit(1)
    except RegistryError as exc:
        bar.close()
        db.session.rollback()
        fail("; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or exc.message)
        return
    bar.close()
    _print_report(report, verbose)
    if dry_run:
        db.session.rollback()
        click.echo("dry run: nothing was written")
        sys.exit(1 if report.has_errors else 0)
    db.session.commit()
    click.echo(f"imported as import #{record.id}")
