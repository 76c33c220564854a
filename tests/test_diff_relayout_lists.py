"""Re-layout of plans between editions (diff/relayout.py): a plan table turned into lists of plans
under headings, and sections turned into a table with plan-category columns. The same plans and
offers in another shape are not a service change; a feature that is new in the new table still is."""

from __future__ import annotations

from pathlib import Path

from helpers import diff_texts

from pipeline.diff.model import ChangeKind as K

_TABLE = """# Brambleton Drive service description

Brambleton Drive is online file storage for each licensed member of an organization.

## Plans

| Service | Brambleton Suite Plan 1 | Brambleton Suite Plan 2 |
|:--|:--|:--|
| Brambleton Drive | Yes | Yes |

## Storage space per member

Each member gets 1 TB of storage.

## Sync features

Files sync to every desktop of the member.
"""

_LISTS = """# Brambleton Drive service description

Brambleton Drive is online file storage for each licensed member of an organization.

## Storage space per member

Each member gets 1 TB of storage. It is included in:

- Brambleton Suite Plan 1
- Brambleton Suite Plan 2

## Sync features

Files sync to every desktop of the member.
"""


def _categories(extra_row: str = "") -> str:
    return "\n".join(
        [
            "# Brambleton Drive service description",
            "",
            "Brambleton Drive is online file storage for each licensed member of an organization.",
            "",
            "## Feature availability",
            "",
            "| Feature | Small teams | Enterprise | Schools |",
            "|:--|:--|:--|:--|",
            "| Storage | Yes | Yes | Yes |",
            "| Sync features | Yes | Yes | Yes |",
            *([extra_row] if extra_row else []),
            "",
        ]
    )


def _material(tmp_path: Path, old: str, new: str):
    return [c for c in diff_texts(tmp_path, old, new).changes if c.material()]


def test_plan_table_turned_into_plan_lists_is_not_a_removal(tmp_path):
    material = _material(tmp_path, _TABLE, _LISTS)
    assert material == [], [c.summary for c in material]


def test_sections_turned_into_a_plan_category_table_are_not_additions(tmp_path):
    material = _material(tmp_path, _LISTS, _categories())
    assert material == [], [c.summary for c in material]


def test_a_new_feature_row_in_the_new_table_is_still_an_addition(tmp_path):
    material = _material(tmp_path, _LISTS, _categories("| Offline vault | No | Yes | Yes |"))
    assert [(c.kind, c.summary) for c in material] == [(K.offer_added, "offer added: Offline vault")]


def test_a_new_table_of_new_features_keeps_its_plan_columns_as_added(tmp_path):
    new = _LISTS + "\n".join(
        [
            "",
            "## Feature availability",
            "",
            "| Feature | Brambleton Pro | Brambleton Max |",
            "|:--|:--|:--|",
            "| Offline vault | No | Yes |",
            "| Legal hold | Yes | Yes |",
            "",
        ]
    )
    material = _material(tmp_path, _LISTS, new)
    summaries = sorted(c.summary for c in material)
    assert summaries == [
        "offer added: Legal hold",
        "offer added: Offline vault",
        "plan column added: Brambleton Max",
        "plan column added: Brambleton Pro",
    ]
