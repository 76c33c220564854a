"""A row relabelled with the same words inflected or re-ordered, same status, is a rename (diff/rows.py).

Documents written here (fictional vendor Marlow). Between two kept rows of a status table, "Records:
Manual classification for record labels | Available" became "Records: Apply record label manually |
Available": the same feature re-worded, not one feature removed (breaking) and another added. Rows
whose labels share too few words stay a removal and an addition.
"""

from __future__ import annotations

from pathlib import Path

from helpers import diff_texts

from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S


def _page(rows: list[tuple[str, str]]) -> str:
    table = ["| Feature | Status |", "|:--|:--|", *(f"| {a} | {b} |" for a, b in rows)]
    return "\n".join(["# Marlow Compliance roadmap", "", "## Features", "", *table, ""])


def _kinds(tmp_path: Path, old_label: str, new_label: str, new_extra: list[tuple[str, str]] = ()):
    before = [("Records: File plan manager", "Available"), ("Records: Disposition review", "Available")]
    old = [before[0], (old_label, "Available"), before[1]]
    new = [before[0], *new_extra, (new_label, "Available"), before[1]]
    d = diff_texts(tmp_path, _page(old), _page(new))
    return sorted((c.kind, c.severity) for c in d.material())


def test_row_relabelled_with_inflected_words_is_a_rename_not_a_removal(tmp_path: Path):
    got = _kinds(
        tmp_path,
        "Records: Manual classification for record labels",
        "Records: Apply record label manually",
        [("Records: Records versioning", "Available")],
    )
    assert got == [(K.offer_added, S.major), (K.offer_renamed, S.major)]


def test_rows_sharing_few_words_stay_a_removal_and_an_addition(tmp_path: Path):
    got = _kinds(tmp_path, "Records: Endpoint hold", "Records: Versioning report")
    assert got == [(K.offer_added, S.major), (K.offer_removed, S.breaking)]
