"""Plan columns merged, renamed or re-laid out between editions (diff/columns.py).

A header that lists several plans ("Tern Office T1, T3, or T5") took those plans' columns; a
column equal cell for cell to a merged sibling went there too, whatever its new name; one column
left on each side was renamed. Same values under the merged or renamed column: nothing
material. A value changed under it: one value change, not "plan column removed". A plan whose
column vanished beside kept columns is still a removed plan."""

from __future__ import annotations

from pathlib import Path

from helpers import diff_texts

from pipeline.catalog.loader import load_description
from pipeline.diff.columns import is_list_header, map_plan_columns, plan_names, same_plan
from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S

_OLD = """# Ternwick Vault limits

## Limits per plan

| Feature | Ternwick Basic Lite | Ternwick Basic Plus | Tern Office T1 | Tern Office T3 | Tern Office T5 | Tern Office K1 |
|:--|:--|:--|:--|:--|:--|:--|
| Vault storage | 1 TB per organization | 1 TB per organization | 2 TB per organization | 2 TB per organization | 2 TB per organization | 500 GB per organization |
| Shelves per organization | 400 | 400 | 5,000 | 5,000 | 5,000 | 5,000 |
| Members | Up to 300 | Up to 300 | 1 - 90,000 | 1 - 90,000 | 1 - 90,000 | 1 - 90,000 |
| Offline copies | Yes | Yes | Yes | Yes | Yes | No |
"""


def _new(shelves: str = "5,000", drop_k: bool = False) -> str:
    head = ["Feature", "Ternwick Standard or Basic Plus", "Tern Office T1, T3, or T5", "Tern Office K3"]
    rows = [
        ["Vault storage", "1 TB per organization", "2 TB per organization", "500 GB per organization"],
        ["Shelves per organization", "400", shelves, "5,000"],
        ["Members", "Up to 300", "1 - 90,000", "1 - 90,000"],
        ["Offline copies", "Yes", "Yes", "No"],
    ]
    if drop_k:
        head, rows = head[:-1], [r[:-1] for r in rows]
    table = ["| " + " | ".join(head) + " |", "|" + ":--|" * len(head)]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(["# Ternwick Vault limits", "", "## Limits per plan", "", *table, ""])


def _diff(tmp_path: Path, new: str):
    return diff_texts(tmp_path, _OLD, new)


def test_a_header_listing_plans_names_each_with_elided_words_restored():
    assert plan_names("Tern Office T1, T3, or T5, or Vault Plan 1 or 2") == [
        ["tern", "office", "t1"],
        ["tern", "office", "t3"],
        ["tern", "office", "t5"],
        ["vault", "plan", "1"],
        ["vault", "plan", "2"],
    ]
    assert plan_names("Ternwick Standard ou Basic Plus") == [["ternwick", "standard"], ["basic", "plus"]]
    assert is_list_header("Tern Office T1, T3, or T5") and not is_list_header("Tern Office T3")


def test_same_plan_needs_the_same_codes_and_the_same_last_word():
    assert same_plan(["ternwick", "basic", "plus"], ["basic", "plus"])
    assert same_plan(["vault", "online", "plan", "1"], ["vault", "plan", "1"])
    assert not same_plan(["ternwick", "basic"], ["ternwick", "basic", "plus"])  # another plan
    assert not same_plan(["tern", "office", "k1"], ["tern", "office", "k3"])


def test_merged_and_renamed_plan_columns_with_the_same_values_are_not_material(tmp_path):
    old = load_description_text(tmp_path, _OLD, "o.md")
    new = load_description_text(tmp_path, _new(), "n.md")
    mapping = map_plan_columns(old.offers, new.offers)
    merged = "tern-office-t1-t3-or-t5"
    assert {mapping[p] for p in ("tern-office-t1", "tern-office-t3", "tern-office-t5")} == {merged}
    # "Lite" is spelt nowhere in the new header: its cells equal "Basic Plus"'s, so it was merged too
    assert (
        mapping["ternwick-basic-lite"] == mapping["ternwick-basic-plus"] == "ternwick-standard-or-basic-plus"
    )
    assert mapping["tern-office-k1"] == "tern-office-k3"  # the one column left on each side: renamed
    d = _diff(tmp_path, _new())
    material = [c for c in d.changes if c.material()]
    assert material == [], [c.summary for c in material]
    assert "plan column merged: Tern Office T3 → Tern Office T1, T3, or T5" in {c.summary for c in d.changes}


def test_a_value_changed_under_a_merged_column_is_one_value_change(tmp_path):
    d = _diff(tmp_path, _new(shelves="8,000"))
    material = [c for c in d.changes if c.material()]
    assert [(c.kind, c.subject) for c in material] == [(K.fact_changed, "tern-office-t1-t3-or-t5:count")]
    assert not any("plan column" in c.summary for c in d.changes if c.material())


def test_a_plan_dropped_beside_kept_columns_is_still_removed(tmp_path):
    d = _diff(tmp_path, _new(drop_k=True))
    removed = [c for c in d.changes if c.kind is K.availability_changed and c.severity is S.breaking]
    assert [c.summary for c in removed] == ["plan column removed: Tern Office K1"]


def load_description_text(tmp_path: Path, text: str, name: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_description(p)


def _split_old() -> str:
    return "\n".join(
        [
            "# Ternwick Vault limits",
            "",
            "## Limits per plan",
            "",
            "| Feature | Ternwick Basic Plus | Tern Office T1, T3, or T5 |",
            "|:--|:--|:--|",
            "| Vault storage | 1 TB per organization | 2 TB per organization |",
            "| Members | Up to 300 | 1 - 90,000 |",
            "| Offline copies | Yes | Yes |",
            "",
        ]
    )


def _split_new(t5_copies: str = "Yes") -> str:
    return "\n".join(
        [
            "# Ternwick Vault limits",
            "",
            "## Limits per plan",
            "",
            "| Feature | Ternwick Basic Plus | Tern Office T1 | Tern Office T3 | Tern Office T5 |",
            "|:--|:--|:--|:--|:--|",
            "| Vault storage | 1 TB per organization | 2 TB per organization | 2 TB per organization | 2 TB per organization |",
            "| Members | Up to 300 | 1 - 90,000 | 1 - 90,000 | 1 - 90,000 |",
            f"| Offline copies | Yes | Yes | Yes | {t5_copies} |",
            "",
        ]
    )


def test_a_column_split_into_one_column_per_listed_plan_is_not_material(tmp_path):
    d = diff_texts(tmp_path, _split_old(), _split_new())
    material = [c for c in d.changes if c.material()]
    assert material == [], [c.summary for c in material]
    assert any(c.summary.startswith("plan column split out") for c in d.changes)


def test_a_value_changed_in_a_split_column_is_reported_for_that_plan(tmp_path):
    d = diff_texts(tmp_path, _split_old(), _split_new(t5_copies="No"))
    material = [(c.kind, c.severity, c.subject) for c in d.changes if c.material()]
    assert material == [(K.availability_changed, S.breaking, "tern-office-t5")]
