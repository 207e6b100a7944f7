"""scripts/trie.py: the trie-shaped pattern matches exactly what the plain longest-first alternation it replaced
matched, in the contexts the hooks use it in (whole Latin words, plurals, Chinese anywhere)."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts import trie

WORDS = st.lists(st.text(alphabet="alsmc-.+干细胞", min_size=1, max_size=6), min_size=1, max_size=40)
TEXT = st.text(alphabet="alsmc-.+ 0干细胞s", max_size=200)


def _plain(words):
    return "|".join(map(re.escape, sorted(set(words), key=lambda w: (-len(w), w))))


@settings(max_examples=300, deadline=None)
@given(WORDS, TEXT)
def test_same_matches_as_the_alternation(words, text):
    for wrap in (r"(?<![a-z0-9])({})(?:e?s)?(?![a-z0-9])", r"({})"):
        old = re.compile(wrap.format(_plain(words)))
        new = re.compile(wrap.format(trie.pattern(words)))
        assert [m.span(1) for m in new.finditer(text)] == [m.span(1) for m in old.finditer(text)]


def test_longest_word_wins_and_backs_off():
    found = re.compile(r"(?<![a-z])(" + trie.pattern(["al", "als", "alsfrs-r"]) + r")(?![a-z])")
    assert [m.group(1) for m in found.finditer("als alsfrs-r alsx al")] == ["als", "alsfrs-r", "al"]


def test_order_of_words_does_not_change_the_pattern():
    assert trie.pattern(["b", "a", "ab"]) == trie.pattern(["ab", "b", "a"])


def test_no_words_is_an_error():
    with pytest.raises(ValueError):
        trie.pattern(["", ""])
