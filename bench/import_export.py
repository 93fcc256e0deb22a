"""Benchmark: importing a 10,000-row bureau list, and exporting 100,000 carriers.

Goals on the 2-core development machine: import <= 15 s, each export <= 10 s, memory
bounded (files are read and written as streams). Run with `make bench-import`, or

    .venv/bin/python bench/import_export.py [--database-url URL] [--carriers N]
        [--import-rows N] [--runs N] [--skip-import] [--only TEXT]

The demo database is made once (migrations, seeds, `registry seed --demo --carriers N`) and
reused while it holds N carriers: by default a SQLite file in /tmp, outside the repository;
`--database-url postgresql+psycopg://…` for PostgreSQL. The import runs in one transaction
that is rolled back at its end (its final commit is not timed), so the database stays as it
was. Each export runs `--runs` times, each time in a fresh process: the time and CPU time
(all threads) of the export itself, and the process's peak RSS; the machine's load average
is printed too, since the 2 cores are shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import seeded_database

COUNTIES = [
    "成都市郫都区",
    "成都市武侯区",
    "德阳市广汉市",
    "绵阳市涪城区",
    "眉山市东坡区",
    "成都市",
    "达州高新区",
    "乐山市市中区",
    "宜宾市翠屏区",
    "南充市顺庆区",
]
LEVELS = ["国家级", "省级", "市级", "省级备案"]
TYPES = ["科技企业孵化器", "众创空间", "星创天地", "技术转移示范机构", "工程技术研究中心"]


def peak_mb() -> float:
    """This process's peak RSS (Linux: VmHWM, which, unlike ru_maxrss, does not carry the
    parent's peak over into a child)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bureau_file(rows: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(["2024年度四川省科技创新载体名单"])
    ws.append(
        ["序号", "名称", "类型", "级别", "所在地区", "认定日期", "认定文号", "运营主体", "地址"]
    )
    for i in range(1, rows + 1):
        ws.append(
            [
                i,
                f"基准测试载体{i:05d}号",
                TYPES[i % 5],
                LEVELS[i % 4],
                COUNTIES[i % 10],
                f"20{10 + i % 14}-0{1 + i % 9}-1{i % 10}",
                f"川科高〔20{10 + i % 14}〕{i}号",
                f"基准运营公司{i}",
                f"示例路{i}号",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def app_for(url: str, opendata: Path):
    from registry import create_app
    from registry.config import TEST_OVERRIDES

    return create_app({**TEST_OVERRIDES, "DATABASE_URL": url, "OPENDATA_DIR": str(opendata)})


# --- import (in this process) -----------------------------------------------------------


def timed(label: str, fn: Callable):
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{label:44} {seconds:6.2f} s   CPU {cpu:6.2f} s   peak RSS {peak_mb():5.0f} MB",
        flush=True,
    )
    return result


def bench_import(url: str, rows: int, tmp: Path) -> None:
    from registry import db
    from registry.imports import service
    from registry.imports.parsing import Source

    content = bureau_file(rows)
    print(f"bureau list: {rows} rows, {len(content) / 1e6:.1f} MB XLSX")
    with app_for(url, tmp / "od").app_context():
        try:
            record = service.new_import(Source("bench.xlsx", content=content), None)
            report = timed("import dry run (check)", lambda: service.check_import(record))
            assert not report.has_errors, report.errors()[:5]
            timed("import (check + write, one transaction)", lambda: service.run_import(record))
            print(
                f"  created {record.created_count}, recognitions {record.recognitions_count}, "
                f"flagged {record.flagged_count}"
            )
            again = service.new_import(Source("bench.xlsx", content=content), None)
            report = timed(
                "re-import of the same file (no change)", lambda: service.run_import(again)
            )
            assert report.counts["unchanged"] == rows
        finally:
            db.session.rollback()  # the database stays as it was, to be reused


# --- exports (each in a fresh process) --------------------------------------------------


def _http(path: str) -> Callable[[Path], dict]:
    def run(out: Path) -> dict:
        from flask import current_app

        target = out / "download"
        response = current_app.test_client().get(path, buffered=False)
        assert response.status_code == 200, response.status_code
        with open(target, "wb") as f:
            for chunk in response.response:
                f.write(chunk)
        response.close()
        return {"bytes": target.stat().st_size}

    return run


def _file(fmt: str, table: str = "carriers") -> Callable[[Path], dict]:
    def run(out: Path) -> dict:
        from registry.opendata import service

        target = out / f"export.{fmt}"
        counts = service.export_file(fmt, target, table=table)
        return {"rows": counts, "bytes": target.stat().st_size}

    return run


def _publish(out: Path) -> dict:
    from registry import db
    from registry.opendata import service

    release = service.publish_release()
    db.session.rollback()  # files stay in the temporary folder; no version is recorded
    return {"rows": release.counts, "bytes": sum(f["bytes"] for f in release.files)}


EXPORTS: dict[str, Callable[[Path], dict]] = {
    "export --format csv": _file("csv"),
    "export --format csv --table recognitions": _file("csv", "recognitions"),
    "export --format csv --table evaluations": _file("csv", "evaluations"),
    "export --format jsonl": _file("jsonl"),
    "export --format xlsx": _file("xlsx"),
    "export --publish (every file of a version)": _publish,
    "GET /api/v1/carriers/export?format=csv": _http("/api/v1/carriers/export?format=csv"),
    "GET /api/v1/carriers/export?format=xlsx": _http("/api/v1/carriers/export?format=xlsx"),
    "GET /carriers/export?format=csv&status=all&sort=name": _http(
        "/carriers/export?format=csv&status=all&sort=name"
    ),
    "GET /carriers/export?format=xlsx&status=all&sort=name": _http(
        "/carriers/export?format=xlsx&status=all&sort=name"
    ),
}


def child(case: str, url: str) -> None:
    """One export in this (fresh) process; prints its figures as JSON."""
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        out = Path(tmp)
        with app_for(url, out / "od").app_context():
            start, cpu = time.perf_counter(), time.process_time()
            result = EXPORTS[case](out)
            result["seconds"] = time.perf_counter() - start
            result["cpu"] = time.process_time() - cpu
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


def bench_exports(url: str, runs: int, only: str | None) -> None:
    print(f"{'export':56} {'time':>8} {'CPU':>8} {'peak RSS':>9}   (median of {runs} runs)")
    for case in EXPORTS:
        if only and only not in case:
            continue
        results = []
        for _ in range(runs):
            load = os.getloadavg()[0]
            done = subprocess.run(
                [sys.executable, __file__, "--child", case, "--database-url", url],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise SystemExit(f"{case} failed:\n{done.stderr}")
            results.append({**json.loads(done.stdout.splitlines()[-1]), "load": load})
        seconds = statistics.median(r["seconds"] for r in results)
        cpu = statistics.median(r["cpu"] for r in results)
        peak = max(r["peak_mb"] for r in results)
        loads = ", ".join(f"{r['load']:.1f}" for r in results)
        print(f"{case:56} {seconds:6.2f} s {cpu:6.2f} s {peak:6.0f} MB   load {loads}")
        print(f"  {results[0].get('rows', '')} {results[0]['bytes'] / 1e6:.1f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--carriers", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--only", help="only the exports whose name contains this")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = (
        args.database_url or f"sqlite:////tmp/registry-bench/import-export-{args.carriers}.sqlite3"
    )
    if args.child:
        child(args.child, url)
        return
    if url.startswith("sqlite:////tmp/registry-bench/"):
        Path("/tmp/registry-bench").mkdir(exist_ok=True)
    print(f"database: {url}; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    made = seeded_database(url, args.carriers)
    if made is not None:
        print(f"demo data: {args.carriers} carriers made in {made:.0f} s")
    print(f"today: {dt.date.today()}")
    if not args.skip_import:
        with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
            bench_import(url, args.import_rows, Path(tmp))
    bench_exports(url, args.runs, args.only)


if __name__ == "__main__":
    main()
