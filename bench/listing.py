"""Benchmark of the public listing at 100,000 carriers, through gunicorn (2 workers).

    python bench/listing.py [--database-url URL] [--carriers 100000] [--requests 1500]

Seeds `registry seed --demo --carriers N` into a database (reused when it already holds N
carriers), starts gunicorn, then measures with a real HTTP client:
  - the listing API with filters and facets, one client: median / p95 / p99 latency;
  - the listing page (HTML) with the same filters;
  - requests per second with 4 concurrent clients;
  - the raw SQL path for the same queries (facet aggregate + one page), for comparison.
Goal on the 2-core machine: API median <= 30 ms, p95 <= 80 ms.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    default_sqlite_url,
    gunicorn,
    machine,
    seeded_database,
    summarize,
    write_results,
)

FRAGMENTS = [
    "成都",
    "孵化",
    "天府",
    "众创",
    "绵阳",
    "科技",
    "星创",
    "眉山",
    "工程",
    "技术转移",
    "菁蓉",
    "德阳",
    "创新",
    "智造",
    "重庆",
    "空间",
]
REGIONS = [
    "510000",
    "510100",
    "511400",
    "511402",
    "510700",
    "510600",
    "500000",
    "520000",
    "510104",
    "513200",
    "440000",
    "320000",
]
TYPES = [
    "incubator",
    "maker_space",
    "star_space",
    "tech_transfer",
    "eng_center",
    "incubator,maker_space",
]
LEVELS = ["county", "municipal", "provincial", "national"]
SORTS = ["-level", "name", "-recognized", "level", "region"]


def query_mix(n: int, seed: int = 42) -> list[str]:
    """A deterministic mix of listing queries: default, facets drill-downs, searches, pages."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        params: dict[str, str] = {}
        if rng.random() < 0.35:
            params["q"] = rng.choice(FRAGMENTS)
        if rng.random() < 0.5:
            params["region"] = rng.choice(REGIONS)
        if rng.random() < 0.4:
            params["type"] = rng.choice(TYPES)
        if rng.random() < 0.25:
            params["min_level" if rng.random() < 0.5 else "level"] = rng.choice(LEVELS)
        if rng.random() < 0.1:
            params["status"] = rng.choice(["revoked", "all"])
        if rng.random() < 0.1:
            params["year"] = str(rng.randint(2012, 2025))
        if rng.random() < 0.05:
            params["grade"] = rng.choice(["excellent", "good", "pass", "fail"])
        if rng.random() < 0.3:
            params["sort"] = rng.choice(SORTS)
        if rng.random() < 0.3:
            params["page"] = str(rng.randint(2, 6))
        out.append(urlencode(params))
    return out


def timed_requests(client, base: str, path: str, queries: list[str]) -> list[float]:
    samples = []
    for q in queries:
        started = time.perf_counter()
        response = client.get(f"{base}{path}?{q}")
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}?{q} answered {response.status_code}: {response.text[:300]}")
    return samples


def throughput(base: str, queries: list[str], clients: int = 4) -> dict[str, float]:
    import httpx

    per_client = [queries[i::clients] for i in range(clients)]
    errors = []

    def run(batch: list[str]) -> None:
        with httpx.Client(timeout=60) as client:
            for q in batch:
                if client.get(f"{base}/api/v1/carriers?{q}").status_code != 200:
                    errors.append(q)

    threads = [threading.Thread(target=run, args=(b,)) for b in per_client]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(queries),
        "seconds": round(seconds, 2),
        "requests_per_second": round(len(queries) / seconds, 1),
        "errors": len(errors),
    }


def index_work(url: str, runs: int = 3) -> dict[str, float]:
    """What a worker's index costs, in this process: a full build, and a patch of 5
    carriers (what a write to the listing's standing costs each worker)."""
    import datetime as dt
    import random

    from registry import create_app
    from registry.carriers.index import ListingIndex

    app = create_app({"DATABASE_URL": url})
    builds, patches = [], []
    with app.app_context():
        for _ in range(runs):
            started = time.perf_counter()
            index = ListingIndex(1, dt.date.today())
            builds.append((time.perf_counter() - started) * 1000)
        changed = set(random.Random(5).sample(index.ids.tolist(), 5))
        for _ in range(runs * 3):
            started = time.perf_counter()
            index.patched(2, changed)
            patches.append((time.perf_counter() - started) * 1000)
    return {
        "build_median_ms": round(sorted(builds)[len(builds) // 2]),
        "patch_5_median_ms": round(sorted(patches)[len(patches) // 2], 1),
    }


def raw_sql(url: str, queries: list[str]) -> dict[str, float]:
    """The SQL path (what the index saves): facet aggregate + one page, per query."""
    from urllib.parse import parse_qsl

    from registry import create_app
    from registry.carriers.params import parse_listing_request
    from registry.carriers.queries import carrier_rows, facet_cube, facets_from_cube

    app = create_app({"DATABASE_URL": url, "LISTING_CACHE_SIZE": 0})
    samples = []
    with app.app_context():
        for q in queries:
            f, page, per_page = parse_listing_request(dict(parse_qsl(q)))
            started = time.perf_counter()
            facets_from_cube(f, facet_cube(f))
            carrier_rows(f, (page - 1) * per_page, per_page)
            samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--carriers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--sql-samples", type=int, default=60)
    args = parser.parse_args()
    url = args.database_url or default_sqlite_url(f"listing-{args.carriers}.sqlite3")
    import httpx

    report: dict = {"database": url.split("@")[-1], "carriers": args.carriers, "machine": machine()}
    seed_seconds = seeded_database(url, args.carriers)
    report["seed_seconds"] = round(seed_seconds, 1) if seed_seconds else "reused"
    queries = query_mix(args.requests)
    with gunicorn(url) as base, httpx.Client(timeout=60) as client:
        started = time.perf_counter()
        client.get(f"{base}/api/v1/carriers")  # the master built the index before forking
        client.get(f"{base}/api/v1/carriers")
        report["first_requests_ms"] = round((time.perf_counter() - started) * 1000)
        throughput(base, queries[:200], clients=4)  # warm every worker
        report["api"] = summarize(timed_requests(client, base, "/api/v1/carriers", queries))
        report["page"] = summarize(
            timed_requests(client, base, "/carriers", queries[: args.requests // 3])
        )
        report["throughput"] = throughput(base, queries)
    report["raw_sql_path"] = raw_sql(url, queries[: args.sql_samples])
    report["index"] = index_work(url)
    path = write_results(f"listing-{'pg' if 'postgresql' in url else 'sqlite'}", report)
    print(f"results: {path}")
    for key in ("api", "page", "throughput", "raw_sql_path", "index"):
        print(f"{key:>14}: {report[key]}")
    print(f"{'first 2 reqs':>14}: {report['first_requests_ms']} ms (index built by the master)")


if __name__ == "__main__":
    main()
