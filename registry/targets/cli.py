"""`registry targets report`: every target's status as a terminal table (for cron or email)."""

from __future__ import annotations

import unicodedata
from collections import Counter

import click
from flask.cli import with_appcontext

from registry.errors import ValidationError
from registry.targets import params, queries
from registry.targets.formatting import figure, percent

COLUMNS = [("plan", 20), ("target", 34), ("metric", 16), ("actual", 12), ("value", 12)]
COLUMNS += [("ratio", 6), ("expected", 12), ("status", 9)]


def width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, size: int, right: bool = False) -> str:
    """`text` cut (with …) or padded to `size` terminal columns."""
    if width(text) > size:
        while width(text) > size - 1:
            text = text[:-1]
        text += "…"
    pad = " " * (size - width(text))
    return pad + text if right else text + pad


def _row(cells: list[str]) -> str:
    numeric = {"actual", "value", "ratio", "expected"}
    return "  ".join(
        fit(cell, size, right=name in numeric)
        for cell, (name, size) in zip(cells, COLUMNS, strict=True)
    ).rstrip()


@click.group("targets")
def targets_group() -> None:
    """Plans and their targets."""


@targets_group.command("report")
@click.option("--region", "region_code", help="GB/T 2260 code: only targets in this region")
@click.option("--as-of", "as_of", help="Date of the figures, e.g. 2020-12-31 (default today)")
@with_appcontext
def report(region_code: str | None, as_of: str | None) -> None:
    """Every target's actual, pace and status as of a date."""
    from registry.cli import fail

    try:
        day = params.as_of_arg({"as_of": as_of or ""})
        region = params.region_arg({"region": region_code or ""})
    except ValidationError as exc:
        fail("; ".join(f"--{k.replace('_', '-')}: {v}" for k, v in exc.fields.items()))
        return
    pairs = queries.with_status(queries.list_targets(region), day)
    scope = f"{region.name} ({region.code}) and below" if region else "all regions"
    click.echo(f"Targets as of {day.isoformat()} · {scope}")
    click.echo(_row([name for name, _size in COLUMNS]))
    click.echo("-" * (sum(size for _n, size in COLUMNS) + 2 * (len(COLUMNS) - 1)))
    for target, p in pairs:
        plan = target.plan.document_no or target.plan.title
        expected = figure(p.expected_by_now, target.metric, target.unit)
        cells = [plan, target.phrase, target.metric.value]
        cells += [figure(p.actual, target.metric, target.unit)]
        cells += [figure(target.value, target.metric, target.unit), percent(p.ratio)]
        cells += [expected if p.actual is not None else "—", _status(p.status)]
        click.echo(_row(cells))
    counts = Counter(_status(p.status) for _t, p in pairs)
    summary = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
    click.echo(f"{len(pairs)} targets: {summary}" if pairs else "no targets")


def _status(status) -> str:
    return status.value if status is not None else "no figure"
