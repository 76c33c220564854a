"""Text plumbing every stage relies on."""

from __future__ import annotations

from pipeline.textutil import clean_text, fold_for_match, slugify


def test_clean_text_maps_word_symbol_glyphs_and_french_spaces() -> None:
    assert clean_text("Programme\uf020d’Évaluation \uf0c8") == "Programme d’Évaluation +"
    assert clean_text("50\u202f000\u00a0$ à 9\u00a0h\u202f00") == "50 000 $ à 9 h 00"


def test_clean_text_replaces_lone_surrogates_so_utf8_writers_never_fail() -> None:
    """Regression: a broken ToUnicode map gave chr(0xD800) and crashed the XLIFF/JSON writers (E900)."""
    cleaned = clean_text("Azure\ud835 components")
    assert cleaned == "Azure\ufffd components"
    cleaned.encode("utf-8")


def test_slug_and_fold_ignore_case_accents_and_apostrophes() -> None:
    assert slugify("Évaluation à la Demande") == "evaluation-a-la-demande"
    assert fold_for_match("Programme d’Évaluation") == fold_for_match("programme d'evaluation")
