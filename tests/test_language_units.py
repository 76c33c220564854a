"""A size unit after a figure is no word of a language ("1 To" is not the English "to"); units are data."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import lexicon
from pipeline.extract import language


def _clear() -> None:
    lexicon.load.cache_clear()
    language._unit_re.cache_clear()


def test_size_units_are_no_language_cue() -> None:
    assert language.score("1 To")[1] == 0
    assert language.score("from 1 to 2")[1] > 0  # "from" still counts (the "to" after a figure does not)


def test_a_new_size_unit_is_a_data_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert language.score("3 the")[1] > 0
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "units.yaml").write_text("size:\n  XX: [the]\n", encoding="utf-8")
    monkeypatch.setenv("SVCDESC_LEXICON_PATH", str(tmp_path))
    _clear()
    try:
        assert language.score("3 the")[1] == 0
    finally:
        monkeypatch.delenv("SVCDESC_LEXICON_PATH")
        _clear()
