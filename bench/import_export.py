"""Benchmark: importing a 10,000-row bureau list, and exporting 100,000 carriers.

Goals on the 2-core development machine: import <= 15 s, each export <= 10 s, memory
bounded (files are read and written as streams). Run with `make bench-import`; the database
is a fresh SQLite file (REGISTRY_BENCH_DATABASE_URL for PostgreSQL).
"""

from __future__ import annotations

import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry import create_app, db, migrate
from registry.config import TEST_OVERRIDES
from registry.seeding import run_seeders

IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
EXPORT_CARRIERS = int(os.environ.get("BENCH_EXPORT_CARRIERS", "100000"))
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


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:44} {seconds:6.2f} s   peak RSS {peak_mb():7.0f} MB", flush=True)
    return result, seconds


def main() -> None:
    url = os.environ.get("REGISTRY_BENCH_DATABASE_URL")
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    url = url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    app = create_app({**TEST_OVERRIDES, "DATABASE_URL": url, "OPENDATA_DIR": str(tmp / "od")})
    with app.app_context():
        migrate.upgrade(db.engine_of(app))
        run_seeders()
        db.session.commit()
        from registry.demo import generate_demo

        timed(
            f"demo data: {EXPORT_CARRIERS} carriers",
            lambda: generate_demo(n_carriers=EXPORT_CARRIERS),
        )
        db.session.commit()
        bench_import(tmp)
        bench_export(tmp)


def bench_import(tmp: Path) -> None:
    from registry.carriers.models import Carrier
    from registry.imports import service
    from registry.imports.parsing import Source

    content = bureau_file(IMPORT_ROWS)
    print(f"bureau list: {IMPORT_ROWS} rows, {len(content) / 1e6:.1f} MB XLSX")
    record = service.new_import(Source("bench.xlsx", content=content), None)
    db.session.commit()
    report, _ = timed("import dry run (check)", lambda: service.check_import(record))
    assert not report.has_errors, report.errors()[:5]
    db.session.commit()
    report, _ = timed("import (check + write, one transaction)", lambda: service.run_import(record))
    db.session.commit()
    print(
        f"  created {record.created_count}, recognitions {record.recognitions_count}, "
        f"flagged {record.flagged_count}"
    )
    again = service.new_import(Source("bench.xlsx", content=content), None)
    report, _ = timed("re-import of the same file (no change)", lambda: service.run_import(again))
    assert report.counts["unchanged"] == IMPORT_ROWS
    db.session.rollback()
    n = db.session.scalar(select(func.count()).select_from(Carrier))
    print(f"  registry now holds {n} carriers")


def bench_export(tmp: Path) -> None:
    from registry.opendata import service

    for fmt in ("csv", "jsonl", "xlsx"):
        path = tmp / f"export.{fmt}"
        counts, _ = timed(f"export --format {fmt}", lambda p=path, f=fmt: service.export_file(f, p))
        print(f"  {counts} -> {path.stat().st_size / 1e6:.1f} MB")
    timed("export --publish (every file of a version)", lambda: service.publish_release())


if __name__ == "__main__":
    main()
