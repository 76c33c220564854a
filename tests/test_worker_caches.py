"""A worker's text caches are trimmed between tasks (pipeline/catalog/caches.py): its memory does not
grow with the number of tasks it runs."""

from __future__ import annotations

from pipeline.catalog import caches
from pipeline.lexicon import load
from pipeline.textutil import clean_text, fold_for_match


def test_a_full_text_cache_is_emptied_and_a_small_or_unbounded_one_kept(monkeypatch) -> None:
    monkeypatch.setattr(caches, "TRIM_ABOVE", 50)
    clean_text.cache_clear()
    fold_for_match.cache_clear()
    for k in range(120):
        clean_text(f"Quota {k} alerts")
    for k in range(10):
        fold_for_match(f"Quota {k} alerts")
    load("status", "en")  # a lexicon: an unbounded cache, loaded once, never trimmed
    lexicons = load.cache_info().currsize
    caches.trim()
    assert clean_text.cache_info().currsize == 0
    assert fold_for_match.cache_info().currsize == 10
    assert load.cache_info().currsize == lexicons >= 1
    assert clean_text("  Quota 1  alerts ") == clean_text("  Quota 1  alerts ")  # still works after
