"""Shared pieces of the benchmarks: a seeded database, gunicorn, timing and reporting."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent


def registry(*args: str, url: str) -> str:
    """Run a `registry` command against `url`; returns its output."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    done = subprocess.run(
        [str(BIN / "registry"), *args],
        env=env,
        cwd=ROOT,
        text=True,
        capture_output=True,
        check=True,
    )
    return done.stdout


def count_carriers(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM carriers")).scalar() or 0
    except Exception:
        return 0
    finally:
        engine.dispose()


def seeded_database(url: str, carriers: int) -> float | None:
    """Migrate, seed and make `carriers` demo carriers unless already there; returns the
    seconds the demo generation took (None when the database was reused)."""
    registry("db", "upgrade", url=url)
    have = count_carriers(url)
    if have == carriers:
        return None
    if have:
        raise SystemExit(f"{url} holds {have} carriers, not {carriers}: use a fresh database")
    registry("seed", url=url)
    started = time.perf_counter()
    registry("seed", "--demo", "--carriers", str(carriers), url=url)
    return time.perf_counter() - started


def default_sqlite_url(name: str) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{RESULTS / name}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url: str, workers: int = 2, extra_env: dict[str, str] | None = None):
    """gunicorn serving the registry on a free port; yields the base URL."""
    port = free_port()
    # one client from one address measures the app, not the rate limiter (bench/load.py
    # runs with the limits on)
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": url,
        "REGISTRY_API_RATE_LIMIT": "0",
        **(extra_env or {}),
    }
    env |= {"REGISTRY_BIND": f"127.0.0.1:{port}", "REGISTRY_WORKERS": str(workers)}
    # the production settings (deploy/gunicorn.conf.py), in development mode: no secret key.
    # Its log (a line per request) goes to a file: an unread pipe would fill and stall it.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen, log) -> None:
    import httpx

    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit("gunicorn exited: " + log.read()[-3000:])
        try:
            if httpx.get(base + "/api/v1/carrier-types", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def summarize(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "p99_ms": round(p99, 2),
        "max_ms": round(ordered[-1], 2),
    }


def machine() -> dict[str, str]:
    load = os.getloadavg()
    return {
        "cpus": str(os.cpu_count()),
        "load_before": " ".join(f"{x:.2f}" for x in load),
        "python": sys.version.split()[0],
    }


def write_results(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    return path
