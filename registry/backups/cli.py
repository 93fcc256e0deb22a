"""`registry backup FILE` and `registry restore FILE [--force]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from registry import db


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent backup of the running database to FILE (SQLite: online backup;
    PostgreSQL: pg_dump --format=custom)."""
    from registry.backups.service import BackupError, backup_database
    from registry.cli import fail

    try:
        result = backup_database(db.engine_of(current_app), file)
    except BackupError as exc:
        fail(str(exc))
    click.echo(
        f"backup: {result.path} ({_size(result.size)}, {result.dialect}, "
        f"schema {result.revision or 'empty'})"
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace the contents of a database that already holds tables (all or nothing).",
)
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore the backup FILE into the configured database, which must be empty (stop the
    app servers first)."""
    from registry import migrate
    from registry.backups.service import BackupError, restore_database
    from registry.cli import fail

    try:
        result = restore_database(db.engine_of(current_app), file, force=force)
    except BackupError as exc:
        fail(str(exc))
    replaced = " (its former contents replaced)" if result.replaced else ""
    click.echo(f"restored {result.path} into the {result.dialect} database{replaced}")
    head = migrate.head()
    if result.revision != head:
        click.echo(f"schema {result.revision}, the code expects {head}: run `registry db upgrade`")
    else:
        click.echo(f"schema {result.revision} (current)")
