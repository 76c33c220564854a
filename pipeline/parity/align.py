"""Align the segments of two language editions: 1-1, 1-n, n-1 and unmatched.

One dynamic programme over the two segment sequences (Gale & Church 1993, extended), in a band
around the diagonal. A bead's cost adds up:

- **length**: Gale–Church's normal model of the target/source character ratio (the ratio is
  estimated from the two documents, so EN->FR and FR->EN both work);
- **structure**: segment kinds (heading, list item, table cell …), table cell positions
  (table ordinal, row, column), and for 1-n / n-1 beads whether the merged segments come from one
  block (a sentence split differently in each language stays inside its paragraph or cell);
- **cognates**: the Dice overlap of character 4-grams (``Webinars`` / ``Webinaires``);
- **anchors**: tokens that survive translation — numbers by value (``500,000`` = ``500 000``),
  URLs, acronyms, capitalised product names, footnote markers, glossary terms — compared with a
  Jaccard overlap; identical text is a strong anchor.

Skipping a segment (1-0 / 0-1) has a fixed cost, so a segment with no plausible partner stays
unmatched instead of being forced onto a neighbour.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.normalize.model import Segment, ServiceDescription
from pipeline.parity.model import AlignedPair, AlignKind
from pipeline.parity.text import (
    BRAND_WORDS,
    acronyms,
    availability_mark,
    capitalised_terms,
    find_numbers,
    fold,
    normalize_url,
)

SKIP_COST = 4.2
MERGE_COST = {1: 0.0, 2: 2.0, 3: 3.5}
CROSS_BLOCK_COST = 2.5
BEADS = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (3, 1), (1, 3)]
VARIANCE = 6.8  # Gale & Church's s^2


@dataclass
class Unit:
    """A segment reduced to what the aligner compares."""

    id: str
    text: str
    kind: str
    block: int
    length: int
    anchors: frozenset[str]
    numbers: frozenset[float]
    table: tuple[int, int, int] | None = None  # (table ordinal, row, col)
    folded: str = ""
    mark: str | None = None
    grams: frozenset[str] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)


def _glossary_anchors(text: str, glossary: Any, lang: str) -> set[str]:
    out: set[str] = set()
    if glossary is None:
        return out
    f = fold(text)
    for i, term in enumerate(getattr(glossary, "terms", []) or []):
        forms = getattr(term, lang, None) or []
        if any(form and re.search(rf"(?<!\w){re.escape(fold(form))}(?!\w)", f) for form in forms):
            out.add(f"g:{i}")
    return out


def make_units(segments: Sequence[Segment], lang: str, glossary: Any = None) -> list[Unit]:
    tables: dict[str, int] = {}
    units = []
    for seg in segments:
        text = seg.text or ""
        nums = find_numbers(text, lang)
        readings = frozenset(r for n in nums for r in n.readings())
        anchors: set[str] = {f"n:{v:g}" for v in (n.value for n in nums)}
        anchors |= {f"u:{normalize_url(link.url)}" for link in seg.links if link.url}
        anchors |= {f"a:{a}" for a in acronyms(text)}
        anchors |= {f"c:{c}" for c in capitalised_terms(text) if c in BRAND_WORDS or not c.istitle()}
        anchors |= {f"f:{m}" for m in seg.footnote_refs}
        anchors |= _glossary_anchors(text, glossary, lang)
        table = None
        if seg.table is not None:
            ordinal = tables.setdefault(seg.table.table_id, len(tables))
            table = (ordinal, seg.table.row, seg.table.col)
        units.append(
            Unit(
                id=seg.id,
                text=text,
                kind=seg.kind.value if hasattr(seg.kind, "value") else str(seg.kind),
                block=seg.block_index,
                length=max(1, len(text)),
                anchors=frozenset(anchors),
                numbers=readings,
                table=table,
                folded=" ".join(fold(text).split()),
                mark=availability_mark(text) if table is not None else None,
                grams=_grams(text),
            )
        )
    return units


def _grams(text: str) -> frozenset[str]:
    """Character 4-grams of the longer words: cognates (``Webinars``/``Webinaires``) share many."""
    out: set[str] = set()
    for w in re.findall(r"[a-z0-9]{4,}", fold(text)):
        out.update(w[i : i + 4] for i in range(len(w) - 3))
    return frozenset(out)


def _length_cost(ls: int, lt: int, ratio: float) -> float:
    """-log P(|delta|) under Gale & Church's model, capped."""
    mean = (ls + lt / ratio) / 2
    delta = (lt - ls * ratio) / math.sqrt(max(mean, 1.0) * VARIANCE)
    p = 2 * (1 - _phi(abs(delta)))
    return min(12.0, -math.log(max(p, 1e-6)))


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _struct_cost(src: Sequence[Unit], tgt: Sequence[Unit]) -> float:
    cost = 0.0
    s_kinds, t_kinds = {u.kind for u in src}, {u.kind for u in tgt}
    if s_kinds != t_kinds:
        # a list item rendered as a paragraph (PDF) is a mild difference; a table cell vs text is not
        cost += 2.5 if ("table_cell" in s_kinds) != ("table_cell" in t_kinds) else 1.0
        if ("heading" in s_kinds) != ("heading" in t_kinds):
            cost += 1.5
    for side in (src, tgt):
        if len(side) > 1:
            if len({u.block for u in side}) > 1:
                cost += CROSS_BLOCK_COST
            if any(u.kind in ("heading", "table_cell") for u in side) and len({u.block for u in side}) > 1:
                cost += 3.0
            if len({u.table[1:] for u in side if u.table}) > 1:
                cost += 6.0  # several cells never translate one cell
    s_tab = src[0].table if len(src) == 1 else None
    t_tab = tgt[0].table if len(tgt) == 1 else None
    if s_tab and t_tab:
        cost += 0.0 if s_tab[2] == t_tab[2] else 1.5  # column
        cost += 0.0 if s_tab[1] == t_tab[1] else 0.05  # row: weak, rows may be dropped or added
        cost += 0.0 if s_tab[0] == t_tab[0] else 0.8
    return cost


def _anchor_cost(src: Sequence[Unit], tgt: Sequence[Unit]) -> float:
    sa = frozenset().union(*(u.anchors for u in src))
    ta = frozenset().union(*(u.anchors for u in tgt))
    s_text = " ".join(u.folded for u in src)
    t_text = " ".join(u.folded for u in tgt)
    cost = 0.0
    if s_text and s_text == t_text:
        cost -= 2.0
    # numbers match by any reading (ambiguous "200,000" in French text)
    s_nums = frozenset().union(*(u.numbers for u in src))
    t_nums = frozenset().union(*(u.numbers for u in tgt))
    s_num = [a for a in sa if a.startswith("n:")]
    t_num = [a for a in ta if a.startswith("n:")]
    sa_n = {a for a in sa if not a.startswith("n:")}
    ta_n = {a for a in ta if not a.startswith("n:")}
    # weighted Jaccard: footnote markers move or get lost in translation more often than numbers,
    # URLs or names, so they weigh less
    inter = sum(_weight(a) for a in sa_n & ta_n) + (len(s_nums & t_nums) > 0) * min(len(s_num), len(t_num))
    union = sum(_weight(a) for a in sa_n | ta_n) + max(len(s_num), len(t_num))
    if union:
        jac = inter / union
        cost += min(3.0, 3.0 * union) * (1 - jac) - 1.5 * jac
    s_grams = frozenset().union(*(u.grams for u in src))
    t_grams = frozenset().union(*(u.grams for u in tgt))
    if s_grams and t_grams:
        dice = 2 * len(s_grams & t_grams) / (len(s_grams) + len(t_grams))
        cost -= 2.0 * dice
    s_mark = next((u.mark for u in src if u.mark), None)
    t_mark = next((u.mark for u in tgt if u.mark), None)
    if s_mark and t_mark:
        cost += -0.8 if s_mark == t_mark else 1.0
    return cost


def _weight(anchor: str) -> float:
    return 0.3 if anchor.startswith("f:") else 1.0


def bead_cost(src: Sequence[Unit], tgt: Sequence[Unit], ratio: float) -> float:
    ls = sum(u.length for u in src) + (len(src) - 1)
    lt = sum(u.length for u in tgt) + (len(tgt) - 1)
    n = max(len(src), len(tgt))
    return MERGE_COST[n] + _length_cost(ls, lt, ratio) + _struct_cost(src, tgt) + _anchor_cost(src, tgt)


def align_units(
    src: list[Unit], tgt: list[Unit], *, band: int | None = None
) -> list[tuple[list[int], list[int], float]]:
    """Best monotone bead sequence: list of (source indexes, target indexes, cost)."""
    n, m = len(src), len(tgt)
    total_s = sum(u.length for u in src) or 1
    total_t = sum(u.length for u in tgt) or 1
    ratio = min(2.0, max(0.5, total_t / total_s))
    if band is None:
        band = max(40, abs(n - m) + 40)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        center = i * m / n if n else 0
        lo, hi = max(0, int(center) - band), min(m, int(center) + band)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, None
            for di, dj in BEADS:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                prev = cost[pi][pj]
                if prev == inf:
                    continue
                c = SKIP_COST if di == 0 or dj == 0 else bead_cost(src[pi:i], tgt[pj:j], ratio)
                if prev + c < best:
                    best, arg = prev + c, (pi, pj, c)
            cost[i][j] = best
            back[i][j] = arg
    if cost[n][m] == inf:  # outside the band: fall back to a wider one
        return align_units(src, tgt, band=max(n, m) + 1)
    beads = []
    i, j = n, m
    while i or j:
        pi, pj, c = back[i][j]  # type: ignore[misc]
        beads.append((list(range(pi, i)), list(range(pj, j)), c))
        i, j = pi, pj
    beads.reverse()
    return beads


def _kind(ns: int, nt: int) -> AlignKind:
    if ns and not nt:
        return AlignKind.source_only
    if nt and not ns:
        return AlignKind.target_only
    if ns == 1 and nt == 1:
        return AlignKind.one_one
    return AlignKind.one_many if ns == 1 else AlignKind.many_one


def _score(cost: float, ns: int, nt: int) -> float:
    if not ns or not nt:
        return 0.0
    return round(math.exp(-max(0.0, cost) / 6.0), 4)


def align_segments(
    source: Sequence[Segment],
    target: Sequence[Segment],
    *,
    source_lang: str = "en",
    target_lang: str = "fr",
    glossary: Any = None,
) -> list[AlignedPair]:
    """Align two segment lists (document order) into ``AlignedPair``s, in document order."""
    su = make_units(source, source_lang, glossary)
    tu = make_units(target, target_lang, glossary)
    pairs = []
    for si, ti, c in align_units(su, tu):
        pairs.append(
            AlignedPair(
                source=[su[i].id for i in si],
                target=[tu[j].id for j in ti],
                source_text=" ".join(su[i].text for i in si),
                target_text=" ".join(tu[j].text for j in ti),
                score=_score(c, len(si), len(ti)),
                kind=_kind(len(si), len(ti)),
            )
        )
    return pairs


def align_descriptions(
    source: ServiceDescription, target: ServiceDescription, glossary: Any = None
) -> list[AlignedPair]:
    return align_segments(
        source.segments,
        target.segments,
        source_lang=source.document.language or "en",
        target_lang=target.document.language or "fr",
        glossary=glossary,
    )
