"""The benchmark's smoke run (N = 50), so that the command never rots. Numbers are not asserted (they depend on the
machine); shapes and the no-op regeneration are."""

from __future__ import annotations

import pytest

from scripts.benchmark import edit_loop, reader, run, table

pytestmark = pytest.mark.slow


def test_benchmark_smoke_run():
    result = run(50, repeat=2)
    assert result["studies"] == 50 and result["records"] > 150
    assert len(result["build"]["runs_wall_s"]) == 2 and result["build"]["wall_s"] in result["build"]["runs_wall_s"]
    assert result["build"]["cpu_s"] > 0  # the forked build and Pagefind are counted as well as the main process
    assert result["noop_files_written"] == 0
    assert result["build"]["pages"] > 100 and result["build"]["search_index_kb"]["zh"] > 0
    assert 0 < result["generation_share_of_build"] < 1
    assert "| 50 |" in table([result])


def test_reader_measurements_on_the_fixture_site(fixture_site, browser):
    result = reader(fixture_site["site"], port=8151, repeats=1, pages=["", "zh/studies/nct00000001/"],
                    queries={"en": ["umbilical"], "zh": ["间充质"]}, browser=browser)
    study = result["pages"]["/zh/studies/nct00000001/"]
    assert study["search_index_loaded"] is False
    assert 0 < study["by_type_kb"]["document"] < study["transferred_kb"]
    for lang, query in (("en", "umbilical"), ("zh", "间充质")):
        assert result["search"][lang]["index_kb_compressed"] > 0
        assert result["search"][lang]["query_ms"][query]["median_ms"] > 0


def test_edit_loop_measurement_runs():
    result = edit_loop()
    assert result["serve_first_build_s"] > 0 and result["edit_to_reload_s"] > 0
