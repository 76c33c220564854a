"""A part of an old row split out to be given an end date is an announced removal (diff/ending.py).

Documents written here (fictional vendor Wrenfield). "Wrenfield Mail 7 and later | Supported"
becomes "Wrenfield Mail 8 and later | Supported" and "Wrenfield Mail 7 | Supported only until
13 October 2030": the customers of version 7 had support and are told it ends (breaking). A new
row that was not part of an old row, even with an end date, adds something (major).
"""

from __future__ import annotations

from pathlib import Path

from helpers import diff_texts

from pipeline.diff.ending import end_date
from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S


def _page(rows: list[tuple[str, str]], head: tuple[str, str] = ("Client", "Archive support")) -> str:
    table = [f"| {head[0]} | {head[1]} |", "|:--|:--|", *(f"| {a} | {b} |" for a, b in rows)]
    return "\n".join(["# Wrenfield Archive clients", "", "## Supported clients", "", *table, ""])


_OLD = [("Wrenfield Mail 7 and later", "Supported"), ("Wrenfield Mail 6", "Not supported")]


def _added(
    tmp_path: Path, new_rows: list[tuple[str, str]], old_rows=_OLD, head=("Client", "Archive support")
):
    d = diff_texts(tmp_path, _page(old_rows, head), _page(new_rows, head))
    return [(c.severity, c.summary) for c in d.changes if c.kind is K.offer_added]


def test_row_split_out_with_an_end_date_is_breaking(tmp_path: Path):
    got = _added(
        tmp_path,
        [
            ("Wrenfield Mail 8 and later", "Supported"),
            ("Wrenfield Mail 7", "Supported only until 13 October 2030"),
            ("Wrenfield Mail 6", "Not supported"),
        ],
    )
    assert [s for s, _ in got] == [S.breaking]
    assert "until 2030-10-13" in got[0][1]


def test_row_split_out_with_an_end_date_is_breaking_fr(tmp_path: Path):
    got = _added(
        tmp_path,
        [
            ("Wrenfield Mail 8 et versions ultérieures", "Pris en charge"),
            ("Wrenfield Mail 7", "Pris en charge uniquement jusqu’à octobre 13, 2030"),
            ("Wrenfield Mail 6", "Non pris en charge"),
        ],
        [
            ("Wrenfield Mail 7 et versions ultérieures", "Pris en charge"),
            ("Wrenfield Mail 6", "Non pris en charge"),
        ],
        ("Client", "Prise en charge de l'archive"),
    )
    assert [s for s, _ in got] == [S.breaking]


def test_new_row_with_an_end_date_is_an_addition(tmp_path: Path):
    got = _added(
        tmp_path,
        [*_OLD, ("Wrenfield Tablet app", "Supported until 13 October 2030")],
    )
    assert [s for s, _ in got] == [S.major]


def test_an_up_to_quantity_is_no_end_date():
    assert end_date("Supported only until 13 October 2030") == "2030-10-13"
    assert end_date("Jusqu'à 2 000 utilisateurs par organisation") is None
    assert end_date("Supported until further notice, reviewed in 2030") is None
