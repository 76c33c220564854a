"""A plan column that was only a comparison baseline, dropped: not a plan removed (diff/baseline.py).

Documents written here (fictional vendor Kestrel). The add-on's feature table compared it with the
base service it is added to ("Feature | Kestrel Shield | Kestrel Mail Basic", the base column
mostly "No"); the next edition drops the base column and still lists the base service as a plan
the add-on applies to. Nothing is withdrawn: minor. A real plan column (a column with features of
its own, or mostly "Yes") dropped while its name stays in the text is still breaking.
"""

from __future__ import annotations

from pathlib import Path

from helpers import diff_texts

from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S


def _page(head: list[str], rows: list[list[str]]) -> str:
    table = ["| " + " | ".join(head) + " |", "|" + ":--|" * len(head)]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(
        [
            "# Kestrel Shield service description",
            "",
            "## Availability",
            "",
            "Kestrel Shield can be added to the following plans:",
            "",
            "- Kestrel Mail Basic",
            "- Kestrel Mail Premium",
            "- Kestrel Government Cloud",
            "",
            "## Feature availability",
            "",
            *table,
            "",
        ]
    )


_FEATURES = ["Link scanning", "Attachment sandbox", "Sender forgery check", "Held messages"]


def _column_dropped(tmp_path: Path, old_cols: dict[str, list[str]], kept: list[str]):
    """The old table has the columns ``old_cols`` (label -> cell per feature); the new one keeps ``kept``."""
    old = _page(
        ["Feature", *old_cols], [[f, *(c[i] for c in old_cols.values())] for i, f in enumerate(_FEATURES)]
    )
    new = _page(["Feature", *kept], [[f, *(old_cols[k][i] for k in kept)] for i, f in enumerate(_FEATURES)])
    d = diff_texts(tmp_path, old, new)
    return [(c.kind, c.severity, c.summary) for c in d.changes if c.kind is K.availability_changed]


def test_comparison_baseline_column_dropped_is_not_a_plan_removed(tmp_path: Path):
    got = _column_dropped(
        tmp_path,
        {"Kestrel Shield": ["Yes", "Yes", "Yes", "Yes"], "Kestrel Mail Basic": ["No", "No", "No", "Yes"]},
        ["Kestrel Shield"],
    )
    assert [(k, s) for k, s, _ in got] == [(K.availability_changed, S.minor)]
    assert got[0][2].startswith("comparison column dropped: Kestrel Mail Basic")


def test_plan_column_with_features_of_its_own_dropped_is_breaking(tmp_path: Path):
    # the government cloud column is mostly "No" too, but it had a feature the kept column lacks
    got = _column_dropped(
        tmp_path,
        {
            "Kestrel Shield": ["Yes", "Yes", "No", "Yes"],
            "Kestrel Government Cloud": ["No", "No", "Yes", "No"],
        },
        ["Kestrel Shield"],
    )
    assert [(k, s) for k, s, _ in got] == [(K.availability_changed, S.breaking)]
    assert got[0][2] == "plan column removed: Kestrel Government Cloud"


def test_mostly_included_plan_column_dropped_is_breaking(tmp_path: Path):
    # every feature of it is in the kept column, but it is a plan that offered them (mostly "Yes")
    got = _column_dropped(
        tmp_path,
        {
            "Kestrel Shield": ["Yes", "Yes", "Yes", "Yes"],
            "Kestrel Government Cloud": ["Yes", "Yes", "No", "Yes"],
        },
        ["Kestrel Shield"],
    )
    assert [(k, s) for k, s, _ in got] == [(K.availability_changed, S.breaking)]


def test_baseline_column_dropped_whose_plan_is_no_longer_named_is_breaking(tmp_path: Path):
    old = _page(
        ["Feature", "Kestrel Shield", "Kestrel Mail Lite"],
        [[f, "Yes", "No" if i < 3 else "Yes"] for i, f in enumerate(_FEATURES)],
    )
    new = _page(["Feature", "Kestrel Shield"], [[f, "Yes"] for f in _FEATURES])
    d = diff_texts(tmp_path, old, new)
    got = [(c.kind, c.severity) for c in d.changes if c.kind is K.availability_changed]
    assert got == [(K.availability_changed, S.breaking)]


def test_row_of_the_baseline_dropped_with_its_column_is_not_a_removal(tmp_path: Path):
    # "Held messages" was in the base service too: it leaves the add-on's table with the base
    # column (minor); "Sender forgery check" was the add-on's own: its removal stays breaking
    cols = {"Kestrel Shield": ["Yes", "Yes", "Yes", "Yes"], "Kestrel Mail Basic": ["No", "No", "No", "Yes"]}
    old = _page(["Feature", *cols], [[f, *(c[i] for c in cols.values())] for i, f in enumerate(_FEATURES)])
    new = _page(["Feature", "Kestrel Shield"], [[f, "Yes"] for f in _FEATURES[:2]])
    d = diff_texts(tmp_path, old, new)
    removed = {c.old: c.severity for c in d.changes if c.kind is K.offer_removed}
    assert removed == {"Sender forgery check": S.breaking, "Held messages": S.minor}


def _with_intro(intro: str, head: list[str], rows: list[list[str]]) -> str:
    return _page(head, rows).replace("## Availability\n", f"## Availability\n\n{intro}\n", 1)


def _added_column(tmp_path: Path, intro: str, suite: list[str]):
    old = _with_intro(intro, ["Feature", "Kestrel Shield"], [[f, "Yes"] for f in _FEATURES])
    new = _with_intro(
        intro,
        ["Feature", "Kestrel Shield", "Kestrel Suite E9"],
        [[f, "Yes", suite[i]] for i, f in enumerate(_FEATURES)],
    )
    d = diff_texts(tmp_path, old, new)
    return [(c.severity, c.summary) for c in d.changes if c.kind is K.availability_changed]


def test_plan_column_added_for_a_plan_already_said_to_include_it_is_minor(tmp_path: Path):
    got = _added_column(tmp_path, "Kestrel Shield is included in Kestrel Suite E9.", ["Yes"] * 4)
    assert [s for s, _ in got] == [S.minor]


def test_plan_column_added_with_a_no_or_for_a_plan_not_said_to_include_it_is_major(tmp_path: Path):
    said = "Kestrel Shield is included in Kestrel Suite E9."
    assert [s for s, _ in _added_column(tmp_path, said, ["Yes", "Yes", "No", "Yes"])] == [S.major]
    other = "Kestrel Shield can be added to Kestrel Suite E9."
    assert [s for s, _ in _added_column(tmp_path, other, ["Yes"] * 4)] == [S.major]
