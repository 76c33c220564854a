"""The words around "Name: description" definitions are lexicon data (definitions.yaml, FR and EN)."""

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
