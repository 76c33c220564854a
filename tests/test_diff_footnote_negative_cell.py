"""A footnote marker dropped from a 'No' cell (the cell still says no) is not a relaxed condition:
the note restricted nothing the cell did not already deny. The same note dropped from a 'Yes'
cell lifts a restriction and stays material; footnotes renumbered around it are no change."""

from __future__ import annotations

from pathlib import Path

from helpers import diff_texts


def _doc(mark_cell: str, with_note: bool) -> str:
    notes = ["<sup>1</sup> Archive search covers the last 90 days of mail.<br/>"]
    if with_note:
        notes.append(
            "<sup>2</sup> A Kiosk member cannot share a mailbox, but can open one shared with them.<br/>"
        )
    last = len(notes) + 1
    notes.append(f"<sup>{last}</sup> Retention holds need the Compliance add-on.<br/>")
    return "\n".join(
        [
            "# Marlowe Post service description",
            "",
            "## Feature availability",
            "",
            "| Feature | Marlowe Post Office | Marlowe Post Plus | Marlowe Post Kiosk |",
            "|:--|:--|:--|:--|",
            "| Archive search | Yes<sup>1</sup> | Yes<sup>1</sup> | Yes<sup>1</sup> |",
            f"| Shared mailboxes | Yes | Yes | {mark_cell} |",
            f"| Retention holds | Yes<sup>{last}</sup> | Yes | No |",
            "| Calendar sharing | Yes | Yes | Yes |",
            "",
            *notes,
            "",
        ]
    )


def _material(tmp_path: Path, old: str, new: str):
    d = diff_texts(tmp_path, old, new)
    return [c for c in d.changes if c.material()], d


def test_footnote_dropped_from_a_no_cell_is_not_a_relaxed_condition(tmp_path):
    material, d = _material(tmp_path, _doc("No<sup>2</sup>", True), _doc("No", False))
    assert material == [], [c.summary for c in material]
    assert any("still says no" in c.summary for c in d.changes)


def test_footnote_dropped_from_a_yes_cell_stays_material(tmp_path):
    material, _d = _material(tmp_path, _doc("Yes<sup>2</sup>", True), _doc("Yes", False))
    assert material, "a restriction lifted from an available cell must be reported"


def test_a_marker_points_into_the_footnote_list_of_its_own_table():
    """Two tables of one page may each number their footnotes from 1."""
    from pipeline.diff.footnotes import _find
    from pipeline.normalize.model import Footnote

    notes = [
        Footnote(marker="1", text="first", table_id="t1"),
        Footnote(marker="1", text="second", table_id="t2"),
    ]
    assert _find(notes, "t2", "1").text == "second"
    assert _find(notes, "t9", "1") is None  # two lists, neither of this table: no guess
    assert _find(notes[:1], None, "1").text == "first"
