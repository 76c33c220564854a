"""An offer's delivery modes, hours and languages (FR and EN); a new word for them is a data change."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from pipeline import lexicon
from pipeline.normalize import enrich
from pipeline.normalize.enrich import delivery_of, hours_of, languages_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Du lundi au vendredi de 9 h à 17 h, heure locale, hors jours fériés.", "09:00-17:00, local, business days"),
        ("From 8:00 a.m. to 6:00 p.m. local time, Monday to Friday.", "08:00-18:00, local, business days"),
        ("Le service est assuré 24 h/24.", "24/7"),
        ("Engineers are available around the clock.", "24/7"),
        ("Traitement en heures ouvrées.", "business hours"),
        ("The summary is delivered within 10 business days.", None),  # a delay, not the offer's hours
        ("Daily backup of your data.", None),
    ],
)  # fmt: skip
def test_hours(text: str, expected: str | None) -> None:
    assert hours_of(text) == expected


def test_languages_and_delivery() -> None:
    assert languages_of("Assistance en anglais et en français.") == ["en", "fr"]
    assert languages_of("Support in English and in your language.") == ["en", "local"]
    assert languages_of("Nous n'offrons pas de services en langue locale.") == []
    assert delivery_of("Intervention à distance ou sur site.") == ["remote", "onsite"]
    assert delivery_of("Delivered online.") == ["remote"]
    assert delivery_of("Daily backup.") == []


def _clear() -> None:
    for module in (lexicon, enrich):
        for obj in vars(module).values():
            if isinstance(obj, functools._lru_cache_wrapper):
                obj.cache_clear()


def test_a_new_word_is_a_data_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Assistance en néerlandais, chez le client."
    assert languages_of(text) == [] and delivery_of(text) == []
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "delivery.yaml").write_text(
        "modes:\n  onsite: [chez le client]\nlanguages:\n  nl: [néerlandais]\n", encoding="utf-8"
    )
    monkeypatch.setenv("SVCDESC_LEXICON_PATH", str(tmp_path))
    _clear()
    try:
        assert languages_of(text) == ["nl"]
        assert delivery_of(text) == ["onsite"]
    finally:
        monkeypatch.delenv("SVCDESC_LEXICON_PATH")
        _clear()
    assert languages_of(text) == []
