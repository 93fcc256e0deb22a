"""`registry targets report`: a table of every target's status."""

from __future__ import annotations

from tests.targets import fixture


def test_report_lists_every_target_with_its_status(cli):
    result = cli.invoke(args=["targets", "report", "--as-of", "2016-12-31"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Targets as of 2016-12-31 · all regions"
    assert len([line for line in lines if "川办函〔2016〕67号" in line]) == 15
    assert lines[-1].startswith("41 targets: ")


def test_report_for_a_region_with_counts_and_statuses(cli):
    fixture.build()
    fixture.targets()
    result = cli.invoke(args=["targets", "report", "--region", "511400", "--as-of", "2021-06-30"])
    assert result.exit_code == 0, result.output
    assert "眉山市 (511400) and below" in result.output
    rd = next(line for line in result.output.splitlines() if "1.25%" in line)
    assert rd.rstrip().endswith("met")
    assert "成都" not in result.output and "川办函" not in result.output
    assert "19 targets" in result.output  # 11 of the Meishan plan + 8 of the fixture


def test_bad_options_are_named(cli):
    bad_date = cli.invoke(args=["targets", "report", "--as-of", "2021-02-30"])
    assert bad_date.exit_code == 2 and "--as-of" in bad_date.output
    bad_region = cli.invoke(args=["targets", "report", "--region", "99"])
    assert bad_region.exit_code == 2 and "--region" in bad_region.output
