"""Words around offer names and "Name: description" definitions are lexicon data (FR and EN)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import lexicon
from pipeline.normalize import definitions
from pipeline.normalize.definitions import parse_definition


def _clear() -> None:
    lexicon.load.cache_clear()
    definitions._heads.cache_clear()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sauvegarde quotidienne : une copie de vos données chaque nuit.", "Sauvegarde quotidienne"),
        ("Remarque : ce service est fourni à distance.", None),
        ("Last updated: the first of March, every year.", None),
        ("Daily backup: a copy of your data every night.", "Daily backup"),
    ],
)
def test_labels_that_are_no_offer_name(text: str, name: str | None) -> None:
    parsed = parse_definition(text)
    assert (parsed[0] if parsed else None) == name


def test_a_new_label_is_a_data_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Astuce : redémarrez le poste avant d'ouvrir un ticket."
    assert parse_definition(text) is not None
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "definitions.yaml").write_text("note_labels: [astuce]\n", encoding="utf-8")
    monkeypatch.setenv("SVCDESC_LEXICON_PATH", str(tmp_path))
    _clear()
    try:
        assert parse_definition(text) is None
    finally:
        monkeypatch.delenv("SVCDESC_LEXICON_PATH")
        _clear()


def test_name_stop_words_are_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Words a name may drop and still be the same offer are function.yaml ``name_stop_words``."""
    from pipeline.normalize import offers

    def clear() -> None:
        lexicon.load.cache_clear()
        offers._stop_words.cache_clear()

    assert offers._tokens("Gestion des incidents") == offers._tokens("Gestion incidents")
    assert offers._tokens("Management on site") == offers._tokens(
        "Management site"
    )  # YAML's "on" stays a word
    assert offers._tokens("Gestion chez incidents") != offers._tokens("Gestion incidents")
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "function.yaml").write_text("name_stop_words: [chez]\n", encoding="utf-8")
    monkeypatch.setenv("SVCDESC_LEXICON_PATH", str(tmp_path))
    clear()
    try:
        assert offers._tokens("Gestion chez incidents") == offers._tokens("Gestion incidents")
    finally:
        monkeypatch.delenv("SVCDESC_LEXICON_PATH")
        clear()


def test_table_kind_words_are_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The answer words and column titles that tell a table's kind are tables.yaml: a new one is data."""
    from pipeline.normalize import tables

    def clear() -> None:
        lexicon.load.cache_clear()
        tables._words.cache_clear()
        tables._pattern.cache_clear()

    assert tables._is_yes_no("Oui") and tables._is_yes_no("—") and not tables._is_yes_no("Jawohl")
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "tables.yaml").write_text("answers: [jawohl]\n", encoding="utf-8")
    monkeypatch.setenv("SVCDESC_LEXICON_PATH", str(tmp_path))
    clear()
    try:
        assert tables._is_yes_no("Jawohl")
    finally:
        monkeypatch.delenv("SVCDESC_LEXICON_PATH")
        clear()
