"""Load test: gunicorn + PostgreSQL under 50 concurrent clients for 60 seconds.

    python bench/load.py [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                         [--users 50] [--duration 60] [--carriers 1200] [--keep]

1. Makes a fresh PostgreSQL database, a copy of a template holding the demo data set (made on
   the first run for that many carriers, kept as registry_load_template_N), migrated to
   the newest schema, with the load test's own accounts (carrier organisations with an
   unrecognised carrier each, two bureaus for each region of their review chain).
2. Serves it with gunicorn in production mode (deploy/gunicorn.conf.py; the API's rate limits
   on, the clients' addresses passed as nginx would, X-Forwarded-For) and drives it with
   locust (bench/locustfile.py, from the separate virtualenv .venv-load that `make
   bench-load` makes: locust's gevent must stay out of the app's own environment).
   The clients mix public searches (API and pages), carrier pages, sign-ins, carrier edits
   and workflow actions (apply, submit, withdraw, recommend, approve, return).
3. Reports requests per second, median and p99 latency and errors, then checks the database
   against every write the clients saw acknowledged: no 5xx, no lost write (each
   acknowledged edit is the carrier's value, each acknowledged action is its event) and no
   duplicated one (no event or recognition that no acknowledged request made).
Exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, free_port, machine, registry, write_results

LOCUST = ROOT / ".venv-load" / "bin" / "locust"
PASSWORD = "Load-test-pass-2026"
OWNER_REGIONS = ["511402", "511403", "511423"]  # 东坡区, 彭山区, 洪雅县 (眉山市)
OWNER_TYPES = ["incubator", "maker_space", "tech_transfer", "eng_center", "star_space"]
ADDRESS_PREFIX = "四川省眉山市压测路"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "REGISTRY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="a PostgreSQL database from which a fresh one is created",
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--carriers", type=int, default=1200, help="demo carriers")
    parser.add_argument("--owners", type=int, default=60, help="load-test organisations")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit(f"{LOCUST} is missing: run `make bench-load` (it installs locust)")

    info = machine()
    started = time.perf_counter()
    template = demo_template(args.admin_url, args.carriers)
    with fresh_database(args.admin_url, template, keep=args.keep) as url:
        registry("db", "upgrade", url=url)
        world = prepare_world(url, args.owners)
        prepared = time.perf_counter() - started
        with tempfile.TemporaryDirectory(prefix="registry-load-") as tmp:
            run = run_load(url, world, Path(tmp), args)
            stats = read_stats(Path(tmp) / "load_stats.csv")
            ledger = read_ledger(Path(tmp) / "ledger.jsonl")
            statuses = server_statuses(Path(tmp) / "gunicorn.log")
            timeline = server_timeline(Path(tmp) / "gunicorn.log")
        checks = check_database(url, world, ledger)
    server_5xx = sum(n for (status, *_r), n in statuses.items() if status >= 500)
    checks["server 5xx in the request log"] = (server_5xx == 0, str(server_5xx))
    refused = {f"{s} {m} {p}": n for (s, m, p), n in sorted(statuses.items()) if s >= 400}
    checks["(4xx answers: races lost and other refusals)"] = (True, json.dumps(refused))
    checks["client-side 5xx and errors"] = (
        stats["aggregated"]["server_errors"] == 0 and stats["aggregated"]["failures"] == 0,
        f"{stats['aggregated']['server_errors']} 5xx, {stats['aggregated']['failures']} failures",
    )
    report(info, args, prepared, run, stats, ledger, checks, timeline)
    return 0 if all(ok for ok, _detail in checks.values()) else 1


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def demo_template(admin_url: str, carriers: int) -> str:
    """A database holding the demo data set of `carriers` (made once, then reused: the demo
    is deterministic), from which each run copies a fresh database in seconds."""
    import psycopg

    name = f"registry_load_template_{carriers}"
    with psycopg.connect(_plain(admin_url), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return name
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        registry("db", "upgrade", url=url)
        registry("seed", url=url)
        registry("seed", "--demo", "--carriers", str(carriers), url=url)
    except BaseException:
        with psycopg.connect(_plain(admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        raise
    return name


@contextmanager
def fresh_database(admin_url: str, template: str, keep: bool):
    import psycopg

    plain = _plain(admin_url)
    name = f"registry_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        if keep:
            print(f"database kept: {url}")
        else:
            with psycopg.connect(plain, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_world(url: str, owners: int) -> dict:
    """The load test's accounts and carriers, made through the services; returns the world
    the clients read (emails, carrier ids, application figures, public carrier ids)."""
    from sqlalchemy import select, text

    from registry import create_app, db
    from registry.accounts.models import Role
    from registry.accounts.service import create_user
    from registry.applications.drafts import application_indicators
    from registry.carriers import uscc
    from registry.carriers.models import CarrierType
    from registry.carriers.profiles import create_carrier

    app = create_app({"DATABASE_URL": url, "ARGON2_TIME_COST": 3})
    world: dict = {"password": PASSWORD, "address_prefix": ADDRESS_PREFIX}
    with app.app_context():
        types = {t.code: t for t in db.session.scalars(select(CarrierType))}
        world["owners"] = []
        for n in range(owners):
            type_code = OWNER_TYPES[n % len(OWNER_TYPES)]
            region_code = OWNER_REGIONS[n % len(OWNER_REGIONS)]
            owner = create_user(
                email=f"load-owner{n}@registry.example",
                password=PASSWORD,
                role=Role.carrier,
                name=f"压测运营机构{n}",
                confirmed=True,
            )
            db.session.flush()
            carrier = create_carrier(
                owner,
                {
                    "name": f"压测{n}号{types[type_code].name}",
                    "type": type_code,
                    "region": region_code,
                    "uscc": uscc.make("91", region_code, f"{90000000 + n:08d}"),
                    "address": f"{ADDRESS_PREFIX}0号",
                    "contact_name": "王测试",
                    "contact_phone": "028-85550000",
                },
            ).carrier
            figures = {i.code: 100000 for i in application_indicators(types[type_code].id)}
            world["owners"].append(
                {"email": owner.email, "carrier_id": carrier.id, "figures": figures}
            )
        world["bureaus"] = []
        for code in [*OWNER_REGIONS, "511400", "510000", "000000"]:
            for k in range(2):
                bureau = create_user(
                    email=f"load-bureau{code}-{k}@registry.example",
                    password=PASSWORD,
                    role=Role.reviewer,
                    region=code,
                    confirmed=True,
                )
                world["bureaus"].append({"email": bureau.email})
        db.session.commit()
        world["public_ids"] = list(
            db.session.scalars(
                text(
                    "SELECT DISTINCT carrier_id FROM recognitions WHERE revoked_on IS NULL "
                    "ORDER BY carrier_id LIMIT 1000"
                )
            )
        )
    db.engine_of(app).dispose()
    return world


def run_load(url: str, world: dict, tmp: Path, args) -> dict:
    world_file = tmp / "world.json"
    world_file.write_text(json.dumps(world, ensure_ascii=False))
    port = free_port()
    env = {
        **os.environ,
        "REGISTRY_ENV": "production",
        "REGISTRY_SECRET_KEY": secrets.token_urlsafe(48),
        "REGISTRY_DATABASE_URL": url,
        "REGISTRY_BIND": f"127.0.0.1:{port}",
        "REGISTRY_LOG_FORMAT": "json",
        "REGISTRY_LOG_LEVEL": "DEBUG",  # the listing index's patches are logged at debug
        "REGISTRY_SECURE_COOKIES": "0",  # plain http on loopback
        # the rate limits on, as in production behind nginx (the clients send X-Forwarded-For),
        # with room for a visitor who clicks through many pages in a minute
        "REGISTRY_PROXY_FIX": "1",
        "REGISTRY_API_RATE_PER_ADDRESS": "300",
        "REGISTRY_INSTANCE_PATH": str(tmp / "instance"),
    }
    log = (tmp / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, server)
        started = time.perf_counter()
        locust = subprocess.run(
            [
                str(LOCUST),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.duration}s",
                "--host",
                base,
                "--csv",
                str(tmp / "load"),
                "--only-summary",
                "--stop-timeout",
                "20",  # let each client finish its request: no write goes unacknowledged
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "LOAD_WORLD": str(world_file),
                "LOAD_LEDGER": str(tmp / "ledger.jsonl"),
            },
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        workers = len(_children(server.pid))
        if locust.returncode not in (0, 1):  # 1: some requests failed (reported below)
            raise SystemExit("locust failed:\n" + locust.stderr[-3000:])
        return {"workers": workers, "seconds": round(elapsed, 1), "base": base}
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def _children(pid: int) -> list[str]:
    done = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return done.stdout.split()


def wait_for(base: str, server: subprocess.Popen) -> None:
    import httpx

    deadline = time.time() + 90
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited early; see its log")
        try:
            if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def read_stats(path: Path) -> dict:
    """locust's CSV summary: per endpoint and aggregated; 5xx counted from the failures."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    failures_path = path.with_name("load_failures.csv")
    server_errors = 0
    out: dict = {"endpoints": [], "failures": []}
    if failures_path.exists():
        for row in csv.DictReader(failures_path.open(encoding="utf-8")):
            out["failures"].append(
                f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error'][:300]}"
            )
            if row["Error"].lstrip("'\"").startswith("5"):
                server_errors += int(row["Occurrences"])
    for row in rows:
        item = {
            "name": f"{row['Type']} {row['Name']}".strip(),
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": float(row["Median Response Time"] or 0),
            "p99_ms": float(row["99%"] or 0),
            "rps": round(float(row["Requests/s"]), 1),
        }
        if row["Name"] == "Aggregated":
            out["aggregated"] = item | {"server_errors": server_errors}
        else:
            out["endpoints"].append(item)
    return out


def read_ledger(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def server_statuses(log_path: Path) -> Counter:
    """(status, method, path with ids as [id]) of every request in gunicorn's output (the
    app's JSON request log)."""
    seen: Counter = Counter()
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry.get("status"), int):
            path = re.sub(r"/\d+", "/[id]", entry.get("path", ""))
            seen[(entry["status"], entry.get("method", ""), path)] += 1
    return seen


def server_timeline(log_path: Path, width: int = 10) -> dict:
    """The server's own view, from its JSON log: request durations by slice of `width`
    seconds from the first request (median, p99), and the listing index's builds and
    patches (each worker builds its index on its first listing request)."""
    slices: dict[int, list[float]] = defaultdict(list)
    index: dict[str, list[float]] = defaultdict(list)
    first = None
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        message = entry.get("message", "")
        if message.startswith("listing index "):
            index[message.removeprefix("listing index ")].append(entry.get("duration_ms", 0))
            continue
        if not isinstance(entry.get("status"), int) or "duration_ms" not in entry:
            continue
        moment = dt.datetime.fromisoformat(entry["time"].replace("Z", "+00:00")).timestamp()
        first = moment if first is None else first
        slices[int((moment - first) // width)].append(entry["duration_ms"])

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    return {
        "slices": [
            {
                "from_s": k * width,
                "requests": len(v),
                "median_ms": pct(v, 0.5),
                "p99_ms": pct(v, 0.99),
            }
            for k, v in sorted(slices.items())
        ],
        "index": {
            kind: {"count": len(v), "median_ms": pct(v, 0.5), "max_ms": max(v)}
            for kind, v in sorted(index.items())
        },
    }


def check_database(url: str, world: dict, ledger: list[dict]) -> dict[str, tuple[bool, str]]:
    """Compare the database with the acknowledged writes."""
    from sqlalchemy import create_engine, text

    carrier_ids = [o["carrier_id"] for o in world["owners"]]
    engine = create_engine(url)
    checks: dict[str, tuple[bool, str]] = {}
    with engine.connect() as conn:
        ids = {"ids": carrier_ids}
        addresses = dict(
            conn.execute(text("SELECT id, address FROM carriers WHERE id = ANY(:ids)"), ids).all()
        )
        last_edit: dict[int, str] = {}
        for write in ledger:
            if write["kind"] == "edit":
                last_edit[write["carrier_id"]] = write["address"]
        lost_edits = [c for c, a in last_edit.items() if addresses.get(c) != a]
        checks["edits: each carrier holds its last acknowledged address"] = (
            not lost_edits,
            f"{len(last_edit)} carriers edited, {sum(w['kind'] == 'edit' for w in ledger)} "
            f"edits, {len(lost_edits)} lost",
        )

        applications = set(
            conn.execute(
                text("SELECT id FROM applications WHERE carrier_id = ANY(:ids)"), ids
            ).scalars()
        )
        created = {w["application_id"] for w in ledger if w["kind"] == "create"}
        checks["applications: created exactly as acknowledged"] = (
            applications == created,
            f"{len(created)} acknowledged, {len(applications)} in the database",
        )

        # every state change a load-test account made, on its own or the demo's applications
        events = conn.execute(
            text(
                "SELECT e.application_id, e.version, e.action FROM application_events e "
                "JOIN users u ON u.id = e.actor_id WHERE u.email LIKE 'load-%'"
            )
        ).all()
        stored = Counter((a, v) for a, v, _action in events)
        acknowledged = Counter(
            (w["application_id"], w["version"]) for w in ledger if w["kind"] == "action"
        )
        duplicated = [k for k, n in stored.items() if n > 1]
        lost = [k for k in acknowledged if k not in stored]
        unacknowledged = [k for k in stored if k not in acknowledged]
        checks["actions: one event per acknowledged action, none other"] = (
            not (duplicated or lost or unacknowledged)
            and all(n == 1 for n in acknowledged.values()),
            f"{sum(acknowledged.values())} acknowledged, {len(events)} events, "
            f"{len(lost)} lost, {len(duplicated)} duplicated, {len(unacknowledged)} unacknowledged",
        )

        approvals = sorted(
            w["application_id"]
            for w in ledger
            if w["kind"] == "action" and w["action"] == "approve"
        )
        linked = conn.execute(
            text(
                "SELECT a.id FROM applications a JOIN recognitions r ON r.id = a.recognition_id "
                "WHERE a.status = 'approved' AND a.id = ANY(:ids)"
            ),
            {"ids": approvals},
        ).scalars()
        own_recognitions = conn.execute(
            text("SELECT count(*) FROM recognitions WHERE carrier_id = ANY(:ids)"), ids
        ).scalar()
        own_approvals = conn.execute(
            text(
                "SELECT count(*) FROM applications WHERE carrier_id = ANY(:ids) "
                "AND id = ANY(:approved)"
            ),
            {**ids, "approved": approvals},
        ).scalar()
        checks["approvals: one recognition each, none other"] = (
            sorted(linked) == approvals and own_recognitions == own_approvals,
            f"{len(approvals)} acknowledged approvals ({own_approvals} of the load test's "
            f"carriers, which hold {own_recognitions} recognitions)",
        )
        per_status = Counter(
            conn.execute(
                text("SELECT status FROM applications WHERE carrier_id = ANY(:ids)"), ids
            ).scalars()
        )
        checks["(applications by status)"] = (True, json.dumps(dict(per_status)))
    engine.dispose()
    return checks


def report(info, args, prepared, run, stats, ledger, checks, timeline) -> None:
    agg = stats["aggregated"]
    kinds = defaultdict(int)
    for write in ledger:
        kinds[write.get("action", write["kind"])] += 1
    print(f"machine: {info}")
    print(
        f"{args.users} clients for {args.duration} s against gunicorn ({run['workers']} workers)"
        f" + PostgreSQL; set-up {prepared:.0f} s"
    )
    print(f"{'endpoint':58} {'reqs':>6} {'fail':>5} {'med ms':>7} {'p99 ms':>7} {'req/s':>6}")
    for item in [*stats["endpoints"], agg]:
        print(
            f"{item['name'][:58]:58} {item['requests']:>6} {item['failures']:>5} "
            f"{item['median_ms']:>7.0f} {item['p99_ms']:>7.0f} {item['rps']:>6}"
        )
    for failure in stats["failures"]:
        print("  failure: " + failure)
    print("server-side, by 10 s from the first request (requests, median ms, p99 ms):")
    print(
        "  "
        + "; ".join(
            f"{s['from_s']}s: {s['requests']}, {s['median_ms']:.0f}, {s['p99_ms']:.0f}"
            for s in timeline["slices"]
        )
    )
    for kind, figures in timeline["index"].items():
        print(
            f"listing index {kind}: {figures['count']} times, median {figures['median_ms']:.0f}"
            f" ms, at most {figures['max_ms']:.0f} ms"
        )
    print("acknowledged writes: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    for name, (ok, detail) in checks.items():
        print(f"  [{'ok' if ok else 'FAIL'}] {name}: {detail}")
    write_results(
        "load",
        {
            "machine": info,
            "users": args.users,
            "duration_s": args.duration,
            "run": run,
            "stats": stats,
            "timeline": timeline,
            "writes": dict(kinds),
            "checks": {k: {"ok": ok, "detail": d} for k, (ok, d) in checks.items()},
        },
    )


if __name__ == "__main__":
    sys.exit(main())
