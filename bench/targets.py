"""Benchmark: progress of every target of the seed plans, with breakdowns, at 100k carriers.

    .venv/bin/python bench/targets.py [--url URL] [--carriers N] [--runs N]

Builds (once) a database with the reference data and `registry seed --demo --carriers N`
(five years of reports, 2021–2025), then times progress_many() for all targets of the seed
plans on the demo's horizon date, cold (nothing cached), and the dashboard's cached read.
Default database: a SQLite file in instance/; pass --url postgresql+psycopg://… for
PostgreSQL (the database must exist). Goal: ≤ 300 ms cold for all targets.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_MS = 300


def build(app, carriers: int) -> None:
    from sqlalchemy import func, select

    from registry import db, migrate
    from registry.carriers.models import Carrier
    from registry.demo import generate_demo
    from registry.seeding import run_seeders

    with app.app_context():
        migrate.upgrade(db.engine_of(app))
        run_seeders()
        db.session.commit()
        have = db.session.scalar(select(func.count()).select_from(Carrier)) or 0
        if have == 0:
            print(f"building the demo data set ({carriers} carriers): a few minutes, once")
            generate_demo(n_carriers=carriers, progress=lambda m: print(m, end="\r"))
            db.session.commit()
            print()
        elif have != carriers:
            print(f"note: the database holds {have} carriers, not {carriers}")
        if db.is_sqlite(app):
            db.session.execute(select(func.count()).select_from(Carrier))  # warm the file
        db.session.commit()


def timed(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each run (with SQLite the database works in this
    process, so its CPU time is the work done, whatever else the machine is running)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"sqlite:///{ROOT / 'instance' / 'bench-targets.sqlite3'}")
    parser.add_argument("--carriers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    (ROOT / "instance").mkdir(exist_ok=True)

    from registry import create_app, db
    from registry.cache import clear_all
    from registry.demo import DEMO_TODAY
    from registry.targets import queries
    from registry.targets.progress import TargetSpec, progress_many

    app = create_app({"DATABASE_URL": args.url})
    build(app, args.carriers)
    with app.app_context():
        targets = queries.list_targets()
        specs = [TargetSpec.of(t) for t in targets]
        progress_many(specs, DEMO_TODAY)  # warm the database's pages
        cold, cpu = timed(lambda: progress_many(specs, DEMO_TODAY, breakdown=True), args.runs)
        clear_all()
        queries.progress_of(targets, DEMO_TODAY, breakdown=True)
        warm, _cpu = timed(
            lambda: queries.progress_of(targets, DEMO_TODAY, breakdown=True), args.runs
        )
        engine = db.engine_of(app).url.render_as_string(hide_password=True)
        sqlite = db.is_sqlite(app)
    measured = sum(1 for s in specs if s.metric.counts_carriers)
    print(f"database: {engine}")
    print(f"{len(specs)} targets ({measured} measured from the registry) as of {DEMO_TODAY}")
    print(
        f"cold, with breakdowns: median {statistics.median(cold):.0f} ms, "
        f"best {min(cold):.0f} ms over {args.runs} runs (goal ≤ {GOAL_MS} ms)"
    )
    if sqlite:
        median_cpu = statistics.median(cpu)
        print(f"  CPU time of this process (SQLite in-process): median {median_cpu:.0f} ms")
    print(f"cached (dashboard):    median {statistics.median(warm):.2f} ms")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average while measuring: {load:.1f} ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
