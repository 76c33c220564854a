"""A limits-table row whose one value moved into the text (diff/relayout.stated_in_prose): the same
limit stated for every plan in a paragraph is a re-layout, not a withdrawn limit; a row whose value
the new text does not state is still removed."""

from __future__ import annotations

from pathlib import Path

from helpers import diff_texts

from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S


def _doc(rows: list[str], prose: str = "", lang: str = "en") -> str:
    head = (
        ["# Quillmere Vault limits", "", "Limits of Quillmere Vault by plan.", "", "## Limits by plan", ""]
        if lang == "en"
        else [
            "# Limites de Quillmere Vault",
            "",
            "Limites de Quillmere Vault par offre.",
            "",
            "## Limites par offre",
            "",
        ]
    )
    table = ["| Limit | Vault Basic | Vault Plus |", "|:--|:--|:--|", *rows, ""]
    return "\n".join([*head, *table, prose, ""])


_ROWS_EN = ["| Archive retention | 90 days | 1 year |", "| Upload size limit | 20 GB | 20 GB |"]
_ROWS_FR = [
    "| Conservation des archives | 90 jours | 1 an |",
    "| Limite de chargement de fichiers | 20 Go | 20 Go |",
]


def _removed(tmp_path: Path, old: str, new: str) -> list[tuple]:
    d = diff_texts(tmp_path, old, new)
    return [(c.severity, c.summary) for c in d.changes if c.kind is K.offer_removed]


def test_a_row_whose_value_moved_into_a_section_is_not_removed(tmp_path):
    prose = "## Upload size\n\n20 GB. Larger files are refused at upload.\n"
    removed = _removed(tmp_path, _doc(_ROWS_EN), _doc(_ROWS_EN[:1], prose))
    assert [sev for sev, _ in removed] == [S.minor], removed
    assert "stated in the text" in removed[0][1]


def test_a_french_row_whose_value_moved_into_a_section_is_not_removed(tmp_path):
    prose = "## Taille de fichier\n\n20 Go. Les fichiers plus gros sont refusés.\n"
    removed = _removed(tmp_path, _doc(_ROWS_FR, lang="fr"), _doc(_ROWS_FR[:1], prose, lang="fr"))
    assert [sev for sev, _ in removed] == [S.minor], removed


def test_a_row_gone_with_its_value_still_removed(tmp_path):
    removed = _removed(
        tmp_path, _doc(_ROWS_EN), _doc(_ROWS_EN[:1], "## Support\n\nMail support on workdays.\n")
    )
    assert [sev for sev, _ in removed] == [S.breaking], removed


def test_the_same_number_about_something_else_is_not_the_row(tmp_path):
    prose = "## Mailboxes\n\n20 GB of mailbox storage per member.\n"
    removed = _removed(tmp_path, _doc(_ROWS_EN), _doc(_ROWS_EN[:1], prose))
    assert [sev for sev, _ in removed] == [S.breaking], removed
