"""`registry export --format csv|xlsx|jsonl`: the public registry as a file; `--publish`: a new
version of the open data."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from registry import db


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "jsonl"]), default="csv", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: registry-<table>-<date>.<format> here).",
)
@click.option(
    "--table",
    type=click.Choice(["carriers", "recognitions", "evaluations"]),
    default="carriers",
    show_default=True,
    help="Table of a CSV export.",
)
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Standing as of this date.")
@click.option("--publish", is_flag=True, help="Publish a new version of the open data (all files).")
@with_appcontext
def export_command(
    fmt: str, output: Path | None, table: str, as_of: dt.datetime | None, publish: bool
) -> None:
    """Export the public registry (never contacts or unpublished figures)."""
    from registry.opendata import service

    day = as_of.date() if as_of else dt.date.today()
    if publish:
        bar = _PhaseBar()
        release = service.publish_release(as_of=day, progress=bar)
        bar.close()
        db.session.commit()
        click.echo(
            f"published open data v{release.version} as of {day} "
            f"in {service.opendata_dir() / release.directory}"
        )
        for entry in release.files:
            click.echo(f"  {entry['name']}  {entry['rows'] or '-'} rows  {entry['sha256'][:16]}…")
        return
    output = output or Path(f"registry-{table if fmt == 'csv' else 'all'}-{day}.{fmt}")
    total = service.public_count(day)
    bar = click.progressbar(length=total, label="export", file=sys.stderr) if total > 2000 else None
    progress = (lambda done: bar.update(done - bar.pos)) if bar else None
    counts = service.export_file(fmt, output, table=table, as_of=day, progress=progress)
    if bar:
        bar.render_finish()
    click.echo(f"wrote {output}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


class _PhaseBar:
    """A progress bar per phase of a publication, on stderr, for large registries."""

    def __init__(self) -> None:
        self.bar = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        if total <= 2000:
            return
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = click.progressbar(length=total, label=f"{phase:16}", file=sys.stderr)
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None
