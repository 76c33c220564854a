"""Plan-column identity between two editions: which old plan column became which new one.

Columns get renamed ("Plan 1" -> "Plan 1 (formerly Standalone)"), merged ("E1" | "E3" | "E5" ->
"E1, E3, or E5") and reworded between editions. A column paired here has its cells compared
with the new column's cells, so a merge or rename with the same values reports nothing material
and a changed value reports a value change; only a column paired with nothing is a plan that
came or went. Several old columns may map to one new column (a merge), never the reverse.

Order of the evidence: same id; an old plan named in a new header that lists several plans
(a merged column: "E1, E3, or E5" names E1, E3 and E5 — a bare code after a comma takes the
words of the name before it); a clearly similar label, unless both labels carry short codes and
none is shared ("F1" is not "F3" while another column may still be it); an old column whose
every cell equals a sibling's that went into a merged column (it was merged too, under a name
the new header does not spell, "Essentials" in "Basic or Premium"); a loosely similar label;
then one column left on each side; then a unique shared code ("Plan 2 (formerly …)" -> "… Plan 2"). The reverse, an old header
listing several plans split into one column per plan, is ``split_columns``.
"""

from __future__ import annotations

import functools
import re

from pipeline.diff.edition import one_line
from pipeline.diff.match import greedy_pairs
from pipeline.diff.text import similarity, text_key
from pipeline.lexicon import load_all
from pipeline.normalize.model import Offer
from pipeline.textutil import fold_for_match

_CODE = re.compile(r"^(?:[a-z]{0,2}\d{1,2})$")
_WORD = re.compile(r"[a-z0-9]+|[,/&;+]")


@functools.cache
def _joiners() -> frozenset[str]:
    return frozenset(
        w for data in load_all("function").values() for w in (data or {}).get("list_joiners") or []
    )


def _is_code(word: str) -> bool:
    return bool(_CODE.match(word))


def codes(words: list[str]) -> frozenset[str]:
    """Short codes of a plan name: 'plan 2' -> {'2'}, 'e5' -> {'e5'} (not '365')."""
    return frozenset(w for w in words if _is_code(w))


def plan_names(label: str) -> list[list[str]]:
    """The plan names a column header lists, as folded words: 'Enterprise E1, E3, or E5, or Plan 1
    or 2' -> [enterprise e1], [enterprise e3], [enterprise e5], [plan 1], [plan 2]. One name for
    a header that lists nothing."""
    items: list[list[str]] = [[]]
    for tok in _WORD.findall(fold_for_match(one_line(label)).replace("'", " ")):
        if not tok[0].isalnum() or tok in _joiners():
            items.append([])
        else:
            items[-1].append(tok)
    out: list[list[str]] = []
    for item in (i for i in items if i):
        if out and all(_is_code(w) for w in item):
            prev = out[-1]
            head = [w for w in prev if not _is_code(w)]
            item = head + item  # an elided name: 'E3' after 'Enterprise E1' is 'Enterprise E3'
        out.append(item)
    return out


def same_plan(a: list[str], b: list[str]) -> bool:
    """Two plan names for the same plan: the same codes, the words of one within the other's, the
    same last word ('Business Premium' in 'Office 365 Business Premium', not 'Office 365 Business')."""
    if codes(a) != codes(b):
        return False
    wa = [w for w in a if not _is_code(w)]
    wb = [w for w in b if not _is_code(w)]
    if not wa or not wb or wa[-1] != wb[-1]:
        return False
    return set(wa) <= set(wb) or set(wb) <= set(wa)


def is_list_header(label: str) -> bool:
    return len(plan_names(label)) >= 2


def _cell_key(offers: list[Offer]) -> dict[str, dict[str, tuple]]:
    """plan id -> {row id: what the cell says (availability, words, values)}."""
    out: dict[str, dict[str, tuple]] = {}
    for o in offers:
        for pv in o.plan_values:
            facts = tuple(sorted((f.kind.value, f.unit or "", f.value) for f in pv.facts))
            out.setdefault(pv.plan_id, {}).setdefault(o.id, (pv.availability.value, text_key(pv.text), facts))
    return out


def plan_labels(offers: list[Offer]) -> dict[str, str]:
    """plan id -> the column header it was read from (the first seen)."""
    out: dict[str, str] = {}
    for o in offers:
        for pv in o.plan_values:
            out.setdefault(pv.plan_id, pv.plan)
    return out


def map_plan_columns(old_offers: list[Offer], new_offers: list[Offer]) -> dict[str, str]:
    """Old plan id -> new plan id (see the module docstring); unmapped ids were removed/added."""
    lo, ln = plan_labels(old_offers), plan_labels(new_offers)
    mapping = {i: i for i in lo if i in ln}
    names_o = {a: plan_names(lo[a]) for a in lo}
    merged: set[str] = set()  # new columns that list several plans

    # an old plan named in a new header that lists several plans
    for b in ln:
        if b in lo or not is_list_header(ln[b]):
            continue
        for item in plan_names(ln[b]):
            fits = [
                a for a in lo if a not in mapping and len(names_o[a]) == 1 and same_plan(names_o[a][0], item)
            ]
            if fits:
                best = max(fits, key=lambda a: (similarity(lo[a], " ".join(item)), a))
                mapping[best] = b
                merged.add(b)

    def free_new() -> list[str]:
        taken = set(mapping.values())
        return [b for b in ln if b not in taken]

    def by_label(threshold: float) -> None:
        """The most similar label, codes permitting."""
        lo_left = [a for a in lo if a not in mapping]
        ln_left = free_new()
        scored = []
        for x, a in enumerate(lo_left):
            ca = codes(names_o[a][0]) if len(names_o[a]) == 1 else frozenset()
            for y, b in enumerate(ln_left):
                cb = frozenset().union(*(codes(n) for n in plan_names(ln[b])))
                if ca and cb and not ca & cb:
                    continue
                scored.append((similarity(lo[a], ln[b]), x, y))
        mapping.update((lo_left[x], ln_left[y]) for _s, x, y in greedy_pairs(scored, threshold))

    by_label(0.6)
    # a column equal cell for cell to a sibling that went into a merged column went there too
    if merged:
        cells = _cell_key(old_offers)
        for a in [a for a in lo if a not in mapping]:
            own = cells.get(a) or {}
            targets = {
                mapping[c]
                for c in lo
                if c in mapping
                and mapping[c] in merged
                and own
                and all(cells.get(c, {}).get(row) == v for row, v in own.items())
            }
            if len(targets) == 1:
                mapping[a] = targets.pop()

    by_label(0.5)

    # one column left on each side
    rest_o = [a for a in lo if a not in mapping]
    rest_n = free_new()
    if len(rest_o) == len(rest_n) == 1:
        mapping[rest_o[0]] = rest_n[0]
        return mapping

    # a renamed plan keeps its code ('ATP Plan 2 (formerly …)' -> '… Plan 2')
    codes_o = {a: codes([w for n in names_o[a] for w in n]) for a in rest_o}
    codes_n = {b: codes([w for n in plan_names(ln[b]) for w in n]) for b in rest_n}
    for a in rest_o:
        hits = [b for b in rest_n if codes_o[a] & codes_n[b] and b not in mapping.values()]
        rivals = [x for x in rest_o if x != a and codes_o[x] & codes_o[a]]
        if len(hits) == 1 and not rivals and len(codes_o[a] & codes_n[hits[0]]) == 1:
            mapping[a] = hits[0]
    return mapping


def split_columns(
    old_offers: list[Offer], new_offers: list[Offer], mapping: dict[str, str]
) -> dict[str, str]:
    """New plan id -> old plan id for new columns each naming one plan of an old header that listed
    several ("T1, T3, or T5" -> "T1" | "T3" | "T5"): split out of it, their cells compare with its
    cells. The old column is mapped (in place) to the first of them when it had no partner."""
    lo, ln = plan_labels(old_offers), plan_labels(new_offers)
    taken = set(mapping.values())
    out: dict[str, str] = {}
    for a in lo:
        if a in ln or not is_list_header(lo[a]):
            continue
        items = plan_names(lo[a])
        parts = [
            b
            for b in ln
            if b not in taken
            and b not in lo
            and len(plan_names(ln[b])) == 1
            and any(same_plan(plan_names(ln[b])[0], item) for item in items)
        ]
        if a not in mapping and parts:
            mapping[a] = parts.pop(0)
        for b in parts:
            out[b] = a
            taken.add(b)
    return out
