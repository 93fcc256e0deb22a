"""`registry import FILE [--dry-run]`."""

from __future__ import annotations

from sqlalchemy import func, select

from registry import db
from registry.carriers.models import Carrier
from tests.imports.files import bureau_list, xlsx


def _carriers() -> int:
    return db.session.scalar(select(func.count()).select_from(Carrier))


def test_dry_run_reports_and_writes_nothing(cli, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(bureau_list())
    before = _carriers()
    result = cli.invoke(args=["import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "4 rows: 4 to create" in result.output and "dry run" in result.output
    assert _carriers() == before


def test_import_and_errors_with_row_and_column(cli, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(bureau_list())
    result = cli.invoke(args=["import", str(good)])
    assert result.exit_code == 0, result.output
    assert "imported as import #" in result.output
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([[1, "坏孵化器", "孵化器", "优秀", "成都市郫都区", "", "2019", ""]]))
    before = _carriers()
    result = cli.invoke(args=["import", str(bad)])
    assert result.exit_code == 1
    assert "row 2: ERROR 坏孵化器" in result.output and "D 级别" in result.output
    assert _carriers() == before


def test_column_option_maps_unknown_headers(cli, tmp_path):
    path = tmp_path / "x.xlsx"
    header = ["载体", "种类", "层次", "地方", "时间"]
    path.write_bytes(
        xlsx([["乐山孵化器", "孵化器", "省级", "乐山市市中区", "2019"]], header=header)
    )
    args = [
        "import",
        str(path),
        "--dry-run",
        "--column",
        "载体=name",
        "--column",
        "B=type",
        "--column",
        "C=level",
        "--column",
        "D=region",
        "--column",
        "E=recognized_on",
    ]
    result = cli.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "1 to create" in result.output
