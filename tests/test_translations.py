"""Translation freshness: a changed source text makes its translation outdated until re-stamped or marked pending;
readers of a pending page see a notice in their language; the stamp command edits only stamp lines."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, TODAY
from scripts.records import load_site
from scripts.render import render_pages
from scripts.translations import report, stamp_text

STUDY = "studies/nct00000001.yml"
OLD_EN = "  en: A small placebo-controlled trial that found no benefit."
NEW_EN = "  en: A small placebo-controlled trial that found no clear benefit."


def errors(data):
    return [str(e) for e in load_site(data, TODAY)[1]]


def test_changing_the_english_makes_the_chinese_outdated(data_dir):
    path = data_dir / STUDY
    path.write_text(path.read_text(encoding="utf-8").replace(OLD_EN, NEW_EN), encoding="utf-8")
    found = errors(data_dir)
    assert any("data/studies/nct00000001.yml:" in e and "lay_summary.zh: the zh text is outdated" in e
               and "python -m scripts.translations stamp data/studies/nct00000001.yml --field lay_summary" in e
               for e in found), found


def test_pending_publishes_with_a_notice_in_the_readers_language(data_dir):
    path = data_dir / STUDY
    text = path.read_text(encoding="utf-8").replace(OLD_EN, NEW_EN)
    text = text.replace("  zh: 一项小型安慰剂对照试验，未发现获益。\n", "  zh: 一项小型安慰剂对照试验，未发现获益。\n  pending: true\n")
    path.write_text(text, encoding="utf-8")
    site, found = load_site(data_dir, TODAY)
    assert found == []
    pages = render_pages(site)
    zh = pages["zh/studies/nct00000001.md"]
    assert "译文待更新" in zh and '<a href="../../../studies/nct00000001/" hreflang="en">本页英文版</a>' in zh
    assert "Translation being updated" not in pages["en/studies/nct00000001.md"]


def test_restamping_clears_the_error_and_keeps_the_rest_of_the_file(data_dir):
    path = data_dir / STUDY
    path.write_text(path.read_text(encoding="utf-8").replace(OLD_EN, NEW_EN), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "scripts.translations", "stamp", str(path), "--field", "lay_summary"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "stamped 1 field(s)" in result.stdout
    assert errors(data_dir) == []
    after = path.read_text(encoding="utf-8")
    assert after.splitlines()[1] == "# Test fixture, not a real study: identifiers and numbers are invented for tests only."  # comments survive
    assert stamp_text(after) == (after, 0)  # idempotent


def test_either_language_can_be_the_source(data_dir):
    path = data_dir / STUDY
    text = path.read_text(encoding="utf-8")
    text = text.replace("  zh: 第 24 周 ALSFRS-R 评分的变化。\n", "  zh: 第 24 周 ALSFRS-R 评分的变化。\n  source: zh\n")
    path.write_text(stamp_text(text)[0], encoding="utf-8")
    assert errors(data_dir) == []
    text = path.read_text(encoding="utf-8").replace("第 24 周 ALSFRS-R 评分的变化", "第 24 周 ALSFRS-R 总分的变化")
    path.write_text(text, encoding="utf-8")
    assert any("primary_endpoint.en: the en text is outdated: the zh text changed" in e for e in errors(data_dir))


def test_unstamped_and_needlessly_pending_fields_are_reported(data_dir):
    path = data_dir / STUDY
    text = path.read_text(encoding="utf-8")
    first_stamp = next(line for line in text.splitlines() if "stamp:" in line)
    path.write_text(text.replace(first_stamp + "\n", first_stamp + "\n  pending: true\n", 1), encoding="utf-8")
    assert any("title: is marked pending but its translation is up to date" in e for e in errors(data_dir))
    path.write_text(text.replace(first_stamp + "\n", "", 1), encoding="utf-8")
    assert any("title: the zh translation is not stamped" in e for e in errors(data_dir))


def test_report_counts_missing_outdated_and_pending(data_dir):
    path = data_dir / STUDY
    path.write_text(path.read_text(encoding="utf-8").replace(OLD_EN, NEW_EN), encoding="utf-8")
    text = report(data_dir)
    studies = next(line for line in text.splitlines() if line.startswith("studies"))
    assert studies.split()[1:] == ["2", "9", "0", "1", "0"]
    assert "data/studies/nct00000001.yml: 1 outdated" in text


def test_stamping_handles_flow_and_block_mappings():
    raw = "a:\n  - note: {en: 'x, y', zh: 甲}\nb:\n  en: |-\n    one\n  zh: 乙\nc: 1\n"
    stamped, changed = stamp_text(raw)
    assert changed == 2
    assert "note: {en: 'x, y', zh: 甲, stamp: '" in stamped
    assert stamped.splitlines()[6].startswith("  stamp: '") and stamped.endswith("c: 1\n")
