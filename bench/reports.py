"""Annual reports and evaluation pages on a large demo, cold and warm; the daily commands.

Usage: python bench/reports.py [--carriers 100000] [--db PATH]
The database is built once (migrations, seeds, demo) and reused on later runs; the commands
run inside a transaction that is rolled back, so runs are repeatable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from sqlalchemy import select

from registry import db
from registry.accounts.models import User
from registry.cache import clear_all
from registry.carriers.models import Carrier
from registry.demo import DEMO_PASSWORD

PAGES = [
    ("admin@registry.example", "/my/region"),
    ("sichuan@registry.example", "/my/region"),
    ("sichuan@registry.example", "/reports"),
    ("sichuan@registry.example", "/reports?which=missing"),
    ("sichuan@registry.example", "/reports?which=late"),
    ("most@registry.example", "/reports"),
    ("sichuan@registry.example", "/evaluations?year=2024"),
    ("meishan@registry.example", "/evaluations?year=2025"),
    ("carrier1@registry.example", "/my/carriers"),
    ("carrier1@registry.example", "/carriers/{owned}"),
]


def _timed(client, path: str) -> tuple[float, float]:
    clear_all()
    start = time.perf_counter()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    cold = (time.perf_counter() - start) * 1000
    warm = []
    for _ in range(5):
        start = time.perf_counter()
        client.get(path)
        warm.append((time.perf_counter() - start) * 1000)
    return cold, statistics.median(warm)


def pages(app) -> None:
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "carrier1@registry.example"))
        owned = db.session.scalar(select(Carrier.id).where(Carrier.owner_id == owner.id))
    print(f"{'page':58} {'cold ms':>8} {'warm ms (median of 5)':>22}")
    for email, path in PAGES:
        client = app.test_client()
        client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        cold, warm = _timed(client, path.format(owned=owned))
        print(f"{email.split('@')[0] + ' ' + path:58} {cold:8.0f} {warm:22.0f}")


def commands(app) -> None:
    from registry.evaluations.rules import apply_reporting_rules
    from registry.reports.reminders import send_reminders

    for name, run in (
        ("reports remind --as-of 2026-04-02", lambda: len(send_reminders(dt.date(2026, 4, 2)))),
        (
            "rules apply --as-of 2026-06-30",
            lambda: len(apply_reporting_rules(dt.date(2026, 6, 30)).applications),
        ),
    ):
        with app.app_context():
            start = time.perf_counter()
            n = run()
            took = time.perf_counter() - start
            db.session.rollback()
        print(f"{name:58} {took * 1000:8.0f} ms  ({n} done)")


def main() -> None:
    from bench.workspaces import build

    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/registry-bench-reports.sqlite3")
    args = parser.parse_args()
    app = build(Path(args.db), args.carriers)
    pages(app)
    commands(app)


if __name__ == "__main__":
    main()
