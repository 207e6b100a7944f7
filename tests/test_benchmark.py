"""The benchmark's smoke run (N = 50), so that the command never rots. Numbers are not asserted (they depend on the
machine); shapes and the no-op regeneration are."""

from __future__ import annotations

import pytest

from scripts.benchmark import run, table

pytestmark = pytest.mark.slow


def test_benchmark_smoke_run():
    result = run(50)
    assert result["studies"] == 50 and result["records"] > 150
    assert result["noop_files_written"] == 0
    assert result["build"]["pages"] > 100 and result["build"]["search_index_kb"]["zh"] > 0
    assert 0 < result["generation_share_of_build"] < 1
    assert "| 50 |" in table([result])
