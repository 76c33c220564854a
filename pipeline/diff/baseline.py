"""A plan column that was only a comparison baseline: dropping it withdraws nothing from anyone.

A feature table of an add-on often carries a column for the base service it is added to
("Feature | Add-on | Base service": the base column mostly "No", to show what the add-on brings).
When a later edition drops that column, no customer loses a feature: every feature the baseline
had, the remaining plans of the same rows still have, and the base service is still named in the
new edition (as a plan the add-on applies to). A real plan dropped from a table (a plan with
features of its own, or mostly "Yes", as a government cloud column is) stays a removal.

The mirror: a plan column added whose every cell includes the feature, for a plan the old edition
already said includes the product ("X is included in Plan A, Plan B"), restates what was said: the
table now shows it, no plan gained anything. A column with a "No" in it says more than the old
sentence did and stays an addition.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from pipeline.diff.edition import Edition, one_line
from pipeline.lexicon import load_all
from pipeline.normalize.model import Availability, Offer, PlanValue
from pipeline.textutil import fold_for_match


def comparison_baseline(
    offers: list[Offer],
    pid: str,
    plan_map: dict[str, str],
    new: Edition,
    label: str,
    gives: Callable[[PlanValue], bool],
    states: Callable[[str | None], bool],
) -> bool:
    """The old column ``pid`` (gone from the new edition) was a comparison baseline: more than half
    of its stated cells say "not available", on every row each cell of it that gives something
    (``gives``) is matched by every surviving column of the same table, and its plan is still
    named in the new edition."""
    rows = [o for o in offers if any(pv.plan_id == pid for pv in o.plan_values)]
    stated = [pv for o in rows for pv in o.plan_values if pv.plan_id == pid and states(pv.text)]
    if not stated:
        return False
    if 2 * sum(pv.availability is Availability.not_available for pv in stated) <= len(stated):
        return False
    for o in rows:
        mine = [pv for pv in o.plan_values if pv.plan_id == pid]
        tables = {pv.table_id for pv in mine}
        others = [
            pv
            for pv in o.plan_values
            if pv.plan_id != pid and pv.plan_id in plan_map and pv.table_id in tables
        ]
        if not others:
            return False  # nothing kept to compare with: the table went with it
        if any(gives(pv) for pv in mine) and not all(gives(pv) for pv in others):
            return False  # a feature of its own
    return still_named(label, new)


def _name(label: str) -> re.Pattern[str] | None:
    key = fold_for_match(one_line(label)).strip()
    return re.compile(rf"(?<!\w){re.escape(key)}(?!\w)") if key else None


def still_named(label: str, e: Edition) -> bool:
    """The plan's name appears as words in some segment of the edition."""
    pattern = _name(label)
    return pattern is not None and any(
        pattern.search(fold_for_match(one_line(s.text))) for s in e.sd.segments
    )


@functools.cache
def _included() -> re.Pattern[str] | None:
    words = {
        fold_for_match(w)
        for data in load_all("conditions").values()
        for w in ((data or {}).get("availability") or {}).get("included") or []
    }
    if not words:  # an empty alternation would match every sentence
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in sorted(words, key=len, reverse=True)))


def said_included(
    offers: list[Offer],
    pid: str,
    old: Edition,
    label: str,
    gives: Callable[[PlanValue], bool],
    states: Callable[[str | None], bool],
) -> bool:
    """The new column ``pid`` (of ``offers``, the new edition's) includes every feature it states,
    and a sentence of the old edition (not a table cell) says the product is included in its plan:
    an inclusion word, then the plan's name."""
    stated = [pv for o in offers for pv in o.plan_values if pv.plan_id == pid and states(pv.text)]
    pattern, included = _name(label), _included()
    if not stated or pattern is None or included is None or not all(gives(pv) for pv in stated):
        return False
    for seg in old.sd.segments:
        if seg.table is not None:
            continue
        text = fold_for_match(one_line(seg.text))
        named = pattern.search(text)
        said = included.search(text)
        if named and said and said.start() < named.start():
            return True
    return False
