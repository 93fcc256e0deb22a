"""Reviewer and carrier workspaces on a large demo: how long the pages take, cold and warm.

Usage: python bench/workspaces.py [--carriers 100000] [--db PATH]
The database is built once (migrations, seeds, demo) and reused on later runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from registry import create_app, db, migrate
from registry.cache import clear_all
from registry.config import TEST_OVERRIDES
from registry.demo import DEMO_PASSWORD, generate_demo
from registry.seeding import run_seeders

PAGES = [
    ("admin@registry.example", "/my/region"),
    ("admin@registry.example", "/my/region?region=510000"),
    ("meishan@registry.example", "/my/region"),
    ("sichuan@registry.example", "/my/region/carriers?which=unrecognized"),
    ("carrier1@registry.example", "/my/carriers"),
]


def build(path: Path, carriers: int):
    app = create_app({**TEST_OVERRIDES, "DATABASE_URL": f"sqlite:///{path}"})
    fresh = not path.exists()
    with app.app_context():
        migrate.upgrade(db.engine_of(app))  # a kept database follows the newest schema
    if fresh:
        with app.app_context():
            run_seeders()
            generate_demo(n_carriers=carriers)
            db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/registry-bench-workspaces.sqlite3")
    args = parser.parse_args()
    app = build(Path(args.db), args.carriers)
    print(f"{'page':58} {'cold ms':>8} {'warm ms (median of 5)':>22}")
    for email, path in PAGES:
        client = app.test_client()
        client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        clear_all()
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        cold = (time.perf_counter() - start) * 1000
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            client.get(path)
            warm.append((time.perf_counter() - start) * 1000)
        print(f"{email.split('@')[0] + ' ' + path:58} {cold:8.0f} {statistics.median(warm):22.0f}")


if __name__ == "__main__":
    main()
