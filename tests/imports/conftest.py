"""Helpers of the import tests: run a file through the service as a dry run or for real."""

from __future__ import annotations

import pytest

from registry.imports import service
from registry.imports.parsing import Source


@pytest.fixture
def check():
    def _check(content: bytes, filename: str = "名单.xlsx", user=None, **options):
        record = service.new_import(Source(filename, content=content), user)
        return service.check_import(record, options=options or None)

    return _check


@pytest.fixture
def run():
    def _run(
        content: bytes, filename: str = "名单.xlsx", user=None, within=service.everywhere, **options
    ):
        record = service.new_import(Source(filename, content=content), user)
        if options:
            service.check_import(record, options=options)
        report = service.run_import(record, within=within, actor=user)
        return record, report

    return _run
