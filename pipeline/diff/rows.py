"""Identity before comparison: every table row keyed by its table, tables and rows aligned as
sequences.

A row label recurs in several tables of one page (a feature under several plan families), and
normalize folds such rows into one offer whose cells come from every table. Comparing by label
alone pairs a row with the wrong table's row, so an unchanged page reports changes. Here each
offer is split back into one row per table (its cells carry their table position), every row
gets the identity of its table (section path + header), tables are aligned across editions as a
sequence of identities (an inserted table shifts nothing), then rows inside paired tables as a
sequence of labels (an inserted row shifts nothing; a label twice in one table pairs in order).
Rows left between two paired rows of a table are aligned as a sequence too (a relabelled row
keeps its place, its values or most of its words); then what is left is paired across tables (a
row that moved, a table re-laid out as a list) and finally by content (a rename). A translation
whose source editions are known follows the source's pairing (:mod:`pipeline.diff.bilingual`).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.diff.bilingual import RowHint, row_key
from pipeline.diff.match import (
    OfferPairs,
    content_signature,
    greedy_pairs,
    name_similarity,
    own_words,
    pair_offers,
    value_signature,
)
from pipeline.diff.text import similarity, text_key
from pipeline.normalize.model import Offer, Section, Segment
from pipeline.textutil import fold_for_match, slugify


def _table_order(table_id: str | None) -> int:
    digits = "".join(ch for ch in (table_id or "") if ch.isdigit())
    return int(digits) if digits else -1


def section_path(sections: dict[str, Section], sid: str | None) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    while sid and sid in sections and sid not in seen:
        seen.add(sid)
        out.insert(0, sections[sid].title)
        sid = sections[sid].parent
    return out


def split_rows(
    offers: list[Offer], sections: dict[str, Section], cells: dict[tuple[str, int, int], Segment]
) -> list[Offer]:
    """One offer per table row: an offer whose cells come from several rows under the same column
    names becomes one copy per row (the first keeps the description, facts and conditions; the
    others their row only),
    with the section and category of the table it sits in. Rows come out in document order."""
    out: list[tuple[tuple, Offer]] = []
    for k, o in enumerate(offers):
        places = list(dict.fromkeys((pv.table_id, pv.row or 0) for pv in o.plan_values if pv.table_id))
        plan_ids = [pv.plan_id for pv in o.plan_values]
        if len(places) <= 1 or len(set(plan_ids)) == len(plan_ids):
            # one row, or rows whose columns never collide (two tables of disjoint plans, merged
            # or split between editions): the plan ids keep the cells apart
            tid = places[0][0] if places else o.table_id
            out.append(((_table_order(tid), places[0][1] if places else 0, k), o))
            continue
        for n, (tid, row) in enumerate(places):
            values = [pv for pv in o.plan_values if pv.table_id == tid and (pv.row or 0) == row]
            cell = cells.get((tid, row, 0)) or next(
                (cells[(tid, row, pv.col)] for pv in values if (tid, row, pv.col) in cells), None
            )
            sid = cell.section_id if cell is not None else o.section_id
            if n == 0 and tid == o.table_id:
                copy = o.model_copy(update={"plan_values": values})
            else:
                label = cells.get((tid, row, 0))
                own = {}
                if label is not None and fold_for_match(label.text) != fold_for_match(o.name):
                    # folded into this offer by a loose name match: the row keeps its own label
                    prefix = o.id.split(":", 1)[0] + ":" if ":" in o.id else ""
                    own = {"name": label.text, "id": prefix + slugify(label.text)}
                copy = o.model_copy(
                    update={
                        **own,
                        "plan_values": values,
                        "table_id": tid,
                        "section_id": sid,
                        "category": section_path(sections, sid) if sid != o.section_id else o.category,
                        "description": None,
                        "facts": [],
                        "conditions": [],
                        "footnotes": sorted({f for pv in values for f in pv.footnotes}),
                        "segment_ids": [s.id for (t, r, _c), s in cells.items() if t == tid and r == row],
                        "prov": list(cell.prov) if cell is not None else o.prov,
                    }
                )
            out.append(((_table_order(tid), row, k), copy))
    return [o for _key, o in sorted(out, key=lambda t: t[0])]


@dataclass
class Block:
    """The rows of one table (or the table-less offers of one section), in order."""

    key: str
    signature: tuple[str, ...]
    rows: list[Offer]


def _header(o: Offer, plan_map: dict[str, str] | None) -> tuple[str, ...]:
    pm = plan_map or {}
    return tuple(pm.get(pv.plan_id, pv.plan_id) for pv in o.plan_values)


def blocks(offers: list[Offer], plan_map: dict[str, str] | None = None) -> list[Block]:
    """Rows grouped by table in document order; a table's identity is its section path and its
    header (old plan ids translated through the plan-column mapping)."""
    by: dict[str, Block] = {}
    for o in offers:
        key = o.table_id or f"section:{o.section_id}"
        b = by.get(key)
        if b is None:
            path = tuple(fold_for_match(c) for c in o.category)
            head = (
                max((_header(x, plan_map) for x in offers if x.table_id == o.table_id), key=len)
                if o.table_id
                else ()
            )
            b = by[key] = Block(key=key, signature=(*path, "|", *head) if o.table_id else path, rows=[])
        b.rows.append(o)
    return list(by.values())


def _block_score(a: Block, b: Block) -> float:
    ids_a, ids_b = {o.id for o in a.rows}, {o.id for o in b.rows}
    common = len(ids_a & ids_b)
    if not common:
        return 0.0
    jaccard = common / len(ids_a | ids_b)
    same_place = difflib.SequenceMatcher(None, a.signature, b.signature, autojunk=False).ratio()
    return jaccard + 0.5 * same_place


def pair_blocks(old: list[Block], new: list[Block]) -> list[tuple[Block, Block]]:
    """Tables aligned as a sequence of identities, then the rest by shared row labels; a table
    whose header and heading both changed still pairs with the one at its place that shares a
    row with it."""
    sm = difflib.SequenceMatcher(None, [b.signature for b in old], [b.signature for b in new], autojunk=False)
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, _j2 in sm.get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
    used_o, used_n = {i for i, _ in pairs}, {j for _, j in pairs}
    scored = (
        (_block_score(a, b), i, j)
        for i, a in enumerate(old)
        if i not in used_o
        for j, b in enumerate(new)
        if j not in used_n
    )
    pairs += [(i, j) for _s, i, j in greedy_pairs(scored, 0.25)]
    pairs += _same_place(old, new, sorted(pairs))
    return [(old[i], new[j]) for i, j in sorted(pairs)]


def _same_place(old: list[Block], new: list[Block], pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Unpaired tables between the same two paired tables, paired in order when they share a row."""
    out: list[tuple[int, int]] = []
    bounds = [(-1, -1), *[p for p in pairs], (len(old), len(new))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        if i1 <= i0 or j1 <= j0:
            continue
        scored = ((_block_score(old[i], new[j]), i, j) for i in range(i0 + 1, i1) for j in range(j0 + 1, j1))
        out += [(i, j) for _s, i, j in greedy_pairs(scored, 1e-9)]
    return out


#: a row between the same two paired rows is the same row relabelled when this much of its
#: label is kept ...
GAP_NAME = 0.6
#: ... or when its values (with a quantity: marks like 'Yes' are on every row) are this alike
#: and a little of its label is kept ('Storage' -> 'Total storage per organization')
GAP_VALUES = 0.8
GAP_VALUES_NAME = 0.3
#: ... or, its values the same, when its label's words are the old label's words inflected (a
#: lower score than a kept label: a row whose label is kept wins)
GAP_INFLECTED = 0.5


def _gap_score(
    o: Offer, n: Offer, plan_map: dict[str, str] | None = None, one_for_one: bool = False
) -> float:
    """How surely ``o`` and ``n``, left at the same place of a table, are one row; 0 = not.
    ``one_for_one``: as many rows left on each side (rows replaced one by one)."""
    own = name_similarity(own_words(o.name), own_words(n.name))
    if own >= GAP_NAME:
        return own
    if one_for_one and len(o.plan_values) >= 2 and content_signature(o, plan_map) == content_signature(n):
        return 0.55  # every cell the same under the same columns, in a row-for-row replacement
    if o.description and n.description and len(text_key(o.description)) > 40:
        content = similarity(content_signature(o), content_signature(n))
        return content if content >= 0.75 else 0.0
    sig = _values(o)
    if sig and sig == _values(n) and _inflected(own_words(o.name), own_words(n.name)) >= GAP_NAME:
        # the same values, a label made of the same words but inflected or re-ordered ('Manual
        # classification for record labels' -> 'Apply record label manually')
        return GAP_INFLECTED
    fo, fn = _quantities(o), _quantities(n)
    if fo and fn and own >= GAP_VALUES_NAME:
        values = max(similarity(value_signature(o), value_signature(n)), len(fo & fn) / len(fo | fn))
        if values >= GAP_VALUES:
            return 0.5 + 0.4 * values
    return 0.0


def _values(o: Offer) -> str:
    """What a row says besides its label: its cells' values, else its own status mark."""
    return value_signature(o) or " ".join(fold_for_match(o.availability_mark or "").split())


def _inflected(a: str, b: str) -> float:
    """Mean share of each label's words found in the other, a word found when one starts with
    the other ('label' in 'labels', 'manual' in 'manually')."""
    return (contained(a, b) + contained(b, a)) / 2


def _quantities(o: Offer) -> set[str]:
    """The quantities a row states (its cells' facts): what tells rows of marks apart."""
    return {f.normalized for pv in o.plan_values for f in pv.facts} | {f.normalized for f in o.facts}


def align_gap(
    olds: list[Offer], news: list[Offer], plan_map: dict[str, str] | None = None
) -> list[tuple[float, int, int]]:
    """Rows left between the same two paired rows, aligned in order (no crossing), the pairs
    with the highest total score."""
    n, m = len(olds), len(news)
    score = [[_gap_score(o, x, plan_map, n == m) for x in news] for o in olds]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = score[i][j] + best[i + 1][j + 1] if score[i][j] > 0 else 0.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out = []
    i = j = 0
    while i < n and j < m:
        if score[i][j] > 0 and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            out.append((score[i][j], i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _follow_hint(
    old: list[Offer], new: list[Offer], hint: RowHint | None
) -> tuple[OfferPairs, list[Offer], list[Offer]]:
    """The rows the source language placed: paired as the source paired them, else removed or
    added; and the rows it does not place (left to the usual alignment)."""
    if hint is None or not (hint.covers(old, True) and hint.covers(new, False)):
        return OfferPairs([], [], [], []), old, new
    by_old: dict = {}
    by_new: dict = {}
    for o in old:
        if row_key(o) in hint.old_keys:
            by_old.setdefault(row_key(o), o)
    for n in new:
        if row_key(n) in hint.new_keys:
            by_new.setdefault(row_key(n), n)
    matched, renamed, used = [], [], set()
    for ko, (kn, was_renamed) in hint.pairs.items():
        o, n = by_old.get(ko), by_new.get(kn)
        if o is None or n is None:
            continue
        used |= {id(o), id(n)}
        if was_renamed and fold_for_match(o.name) != fold_for_match(n.name):
            renamed.append((o, n, 1.0))
        else:
            matched.append((o, n))  # one row, whatever the translation now calls it
    placed = {id(x) for x in [*by_old.values(), *by_new.values()]}
    pairs = OfferPairs(
        matched=matched,
        renamed=renamed,
        removed=[o for o in by_old.values() if id(o) not in used],
        added=[n for n in by_new.values() if id(n) not in used],
    )
    return pairs, [o for o in old if id(o) not in placed], [n for n in new if id(n) not in placed]


def align_offers(
    old: list[Offer],
    new: list[Offer],
    plan_map: dict[str, str] | None = None,
    section_map: dict[str | None, str | None] | None = None,
    hint: RowHint | None = None,
) -> OfferPairs:
    """Rows paired as the source language paired them (``hint``), else inside aligned tables by
    label sequence, then by place and content between paired rows; leftovers by label across
    tables (a moved row, a re-laid-out table), then by content (a rename)."""
    order_o = {id(o): k for k, o in enumerate(old)}
    hinted, old, new = _follow_hint(old, new, hint)
    bo, bn = blocks(old, plan_map), blocks(new)
    matched: list[tuple[Offer, Offer]] = list(hinted.matched)
    paired_o: set[int] = set()
    paired_n: set[int] = set()
    block_pairs = pair_blocks(bo, bn)
    alone = {id(o) for b in bo if all(b is not x for x, _ in block_pairs) for o in b.rows} | {
        id(n) for b in bn if all(b is not y for _, y in block_pairs) for n in b.rows
    }
    gaps: list[tuple[list[Offer], list[Offer]]] = []
    for a, b in block_pairs:
        sm = difflib.SequenceMatcher(None, [o.id for o in a.rows], [o.id for o in b.rows], autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "replace":
                gaps.append((a.rows[i1:i2], b.rows[j1:j2]))
            if tag != "equal":
                continue
            for k in range(i2 - i1):
                o, n = a.rows[i1 + k], b.rows[j1 + k]
                matched.append((o, n))
                paired_o.add(id(o))
                paired_n.add(id(n))
    rest_o = [o for o in old if id(o) not in paired_o]
    rest_n = [n for n in new if id(n) not in paired_n]
    # the same label elsewhere: a row that moved to another table, a table turned into a list
    by_id: dict[str, list[Offer]] = defaultdict(list)
    for n in rest_n:
        by_id[n.id].append(n)
    left_o: list[Offer] = []
    for o in rest_o:
        bucket = by_id.get(o.id)
        if bucket:
            n = bucket.pop(0)
            matched.append((o, n))
            paired_n.add(id(n))
        else:
            left_o.append(o)
    # a row relabelled in place: between the same paired rows, with its values or its words
    renamed: list[tuple[Offer, Offer, float]] = list(hinted.renamed)
    waiting = {id(o) for o in left_o}
    for go, gn in gaps:
        go = [o for o in go if id(o) in waiting]
        gn = [n for n in gn if id(n) not in paired_n]
        for score, i, j in align_gap(go, gn, plan_map):
            renamed.append((go[i], gn[j], score))
            paired_o.add(id(go[i]))
            paired_n.add(id(gn[j]))
    left_o = [o for o in left_o if id(o) not in paired_o]
    left_n = [n for n in rest_n if id(n) not in paired_n]
    # renames among the rows of tables that continue first (their place was tried above: the
    # content must tell); a table with no counterpart (merged into another) gets what is left
    first = pair_offers(
        [o for o in left_o if id(o) not in alone], left_n, plan_map, section_map, slotless=True
    )
    then = pair_offers([o for o in left_o if id(o) in alone], first.added, plan_map, section_map)
    matched.sort(key=lambda p: order_o[id(p[0])])
    pairs = OfferPairs(
        matched=matched,
        renamed=renamed + first.renamed + then.renamed,
        removed=hinted.removed + first.removed + then.removed,
        added=hinted.added + then.added,
    )
    return _fold_merged_tables(pairs, alone)


def _fold_into_partner(
    leftovers: list[Offer], partner: dict[str, int], rows: list[list[Offer]], side: int, alone: set[int]
) -> list[Offer]:
    """Leftover rows of one side whose id has a paired row: their cells join that row (a table split
    or merged between editions); the others stay leftovers."""
    kept = []
    for x in leftovers:
        k = partner.get(x.id)
        if k is None or not x.plan_values or id(x) not in alone:
            kept.append(x)
        else:
            row = rows[k][side]
            rows[k][side] = row.model_copy(update={"plan_values": [*row.plan_values, *x.plan_values]})
    return kept


def _fold_merged_tables(pairs: OfferPairs, alone: set[int]) -> OfferPairs:
    """Two tables merged into one (or one split in two): a row left over from a table that has
    no counterpart, whose label is paired in another table, is not removed/added; its cells join
    that pair's row, where the plan-column mapping compares them (a dropped column is reported
    once, per plan). ``alone``: ids of the rows of tables left unpaired."""
    partner_o: dict[str, int] = {}
    partner_n: dict[str, int] = {}
    rows: list[list[Offer]] = [[o, n] for o, n in pairs.matched] + [[o, n] for o, n, _s in pairs.renamed]
    for k, (o, n) in enumerate(rows):
        partner_o.setdefault(o.id, k)
        partner_n.setdefault(n.id, k)
    removed = _fold_into_partner(pairs.removed, partner_o, rows, 0, alone)
    added = _fold_into_partner(pairs.added, partner_n, rows, 1, alone)
    nm = len(pairs.matched)
    return OfferPairs(
        matched=[(o, n) for o, n in rows[:nm]],
        renamed=[(o, n, s) for (o, n), (_a, _b, s) in zip(rows[nm:], pairs.renamed, strict=True)],
        removed=removed,
        added=added,
    )


#: share of an added row's label words found in a kept row's label for the row to be a part of it
SPLIT_WORDS = 0.8


def _words(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", fold_for_match(own_words(name))) if len(w) > 2 or w.isdigit()]


def contained(part: str, whole: str) -> float:
    """Share of ``part``'s words found in ``whole`` (a word found when one starts with the other:
    'tag' in 'tags')."""
    mine, theirs = _words(part), _words(whole)
    if not mine:
        return 0.0
    hit = sum(
        any(w == t or (min(len(w), len(t)) >= 3 and (t.startswith(w) or w.startswith(t))) for t in theirs)
        for w in mine
    )
    return hit / len(mine)


def split_from(added: Offer, pairs: OfferPairs, plan_map: dict[str, str] | None = None) -> Offer | None:
    """The kept row an added row was split from, with the same values: its label is made of the
    kept row's words ('Apply a default label for X inboxes' out of 'Default labels for W, X
    inboxes and Y'), the kept row is still there under a label of its own, and every cell says what
    the kept row said. Such a row is a relabelled part of an old row, not a new offer."""
    mine = value_signature(added)
    for o, n in [*pairs.matched, *((o, n) for o, n, _s in pairs.renamed)]:
        if n.table_id != added.table_id or contained(added.name, o.name) < SPLIT_WORDS:
            continue
        signature = content_signature(added)  # empty: the row's cells were not read, nothing to compare
        same = (signature and content_signature(o, plan_map) == signature) or (
            mine and mine == value_signature(o)
        )
        if same:
            return o
    return None
