"""The MkDocs hooks' own logic, without a build (the build tests check their effect on whole pages)."""

from __future__ import annotations

from types import SimpleNamespace

from scripts.hooks import a11y, common


def _config(tmp_path, lang: str):
    # What scripts.generate hands the hooks from validated glossary records (hooks never read data/ themselves).
    common.set_facts({"glossary": [
        {"abbreviation": abbr, "term": {"en": en, "zh": zh}, "zh_alternatives": []}
        for abbr, en, zh in (("ALS", "amyotrophic lateral sclerosis", "肌萎缩侧索硬化"),
                             ("MSC", "mesenchymal stem cell", "间充质干细胞"),
                             ("UC-MSC", "umbilical-cord MSC", "脐带间充质干细胞"))]})
    i18n = SimpleNamespace(current_language=lang)
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), plugins={"i18n": i18n})
    a11y.on_config(config)
    return config


def test_first_use_outside_links_code_and_markup_is_marked_once(tmp_path):
    config = _config(tmp_path, "en")
    page = ('# ALS trials { #als }\n\n[MSC study](x.md) `MSC` ALS again, UC-MSC and MSC; MSCs, ALSFRS\n\n'
            '<svg><text>ALS</text></svg>\n<p title="ALS">MSC</p>\n')
    out = a11y.on_page_markdown(page, None, config, None)
    assert out == ('# <abbr title="amyotrophic lateral sclerosis" tabindex="0">ALS</abbr> trials { #als }\n\n'
                   '[MSC study](x.md) `MSC` ALS again, '
                   '<abbr title="umbilical&#45;cord MSC" tabindex="0">UC-MSC</abbr> and '
                   '<abbr title="mesenchymal stem cell" tabindex="0">MSC</abbr>; MSCs, ALSFRS\n\n'
                   '<svg><text>ALS</text></svg>\n<p title="ALS">MSC</p>\n')


def test_generated_pages_are_left_to_the_generator(tmp_path):
    config = _config(tmp_path, "en")
    page = "<!-- generated from data/x.yml by `python -m scripts.generate`; edit the data, not this file -->\nALS\n"
    assert a11y.on_page_markdown(page, None, config, None) == page


def test_expansion_in_the_page_language_also_between_chinese_characters(tmp_path):
    config = _config(tmp_path, "zh")
    out = a11y.on_page_markdown("采用MSC治疗\n", None, config, None)
    assert out == '采用<abbr title="间充质干细胞（mesenchymal stem cell）" tabindex="0">MSC</abbr>治疗\n'
