"""`registry seed`: the reference data every deployment needs, and `--demo` data."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask.cli import with_appcontext

from registry import PROJECT_ROOT, db

SEEDS_DIR = PROJECT_ROOT / "seeds"


def seed_regions() -> str:
    from registry.regions.service import load_regions, read_division_csv

    created, updated = load_regions(read_division_csv(SEEDS_DIR / "regions.csv"))
    return f"regions: {created} created, {updated} updated"


def seed_carrier_types() -> str:
    from registry.carriers.seed import load_carrier_types, read_types

    counts = load_carrier_types(read_types(SEEDS_DIR / "carrier_types.toml"))
    return "carrier types: " + ", ".join(f"{v} {k} written" for k, v in counts.items())


def seed_report_checks() -> str:
    from registry.carriers.seed import read_types
    from registry.reports.seed import load_figure_checks

    written = load_figure_checks(read_types(SEEDS_DIR / "carrier_types.toml"))
    return f"report checks: {written} written"


def seed_evaluation() -> str:
    from registry.evaluations.seed import load_evaluation_seed, read_evaluation_seed

    counts = load_evaluation_seed(read_evaluation_seed(SEEDS_DIR / "evaluation.toml"))
    return "evaluation: " + ", ".join(f"{v} {k} written" for k, v in counts.items())


def seed_plans() -> str:
    from registry.targets.seed import load_plans, read_plans

    created, targets, kept = load_plans(read_plans(SEEDS_DIR / "plans.toml"))
    return f"plans: {created} created with {targets} targets, {kept} already present"


# Reference data, in order; later domains (plans and targets, rubrics) append theirs.
SEEDERS: list[Callable[[], str]] = [seed_regions, seed_carrier_types]
SEEDERS.append(seed_plans)
SEEDERS += [seed_report_checks, seed_evaluation]


def run_seeders() -> list[str]:
    return [seeder() for seeder in SEEDERS]


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also make a deterministic demo data set.")
@click.option(
    "--carriers",
    "n_carriers",
    type=click.IntRange(1, 2_000_000),
    default=None,
    help="Number of demo carriers (default 1200).",
)
@click.option("--random-seed", default=2016, show_default=True, help="Seed of the demo data.")
@with_appcontext
def seed(demo: bool, n_carriers: int | None, random_seed: int) -> None:
    """Load reference data (idempotent); with --demo, a realistic demo data set."""
    for line in run_seeders():
        click.echo(line)
    db.session.commit()
    if demo:
        from registry.demo import generate_demo

        result = generate_demo(
            n_carriers=n_carriers or 1200, seed=random_seed, progress=lambda msg: click.echo(msg)
        )
        db.session.commit()
        click.echo(result)
