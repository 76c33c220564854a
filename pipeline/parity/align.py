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

Near-linear time: structural units (headings, the first unit of every table and list block) are
aligned first; their confident 1-1 pairs are anchors through which the band's centre line passes,
and the full programme runs in that band with vectorised costs (``align_dp``).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.normalize.model import Segment, ServiceDescription
from pipeline.parity.align_dp import ANCHOR_WORDS, GRAM_WORDS, _bits, band_dp, side_arrays
from pipeline.parity.model import AlignedPair, AlignKind
from pipeline.parity.text import (
    acronyms,
    availability_mark,
    capitalised_terms,
    find_numbers,
    fold,
    normalize_url,
)

BAND = 40
#: A structural pair this cheap is an anchor of the band's centre line.
ANCHOR_COST = 1.0


@dataclass(slots=True)
class Unit:
    """A segment reduced to what the aligner compares (strings and ints: no set per unit)."""

    id: str
    text: str
    kind: str
    block: int
    length: int
    table: tuple[int, int, int] | None = None  # (table ordinal, row, col)
    folded: str = ""
    mark: str | None = None
    # The token sets, hashed into bit sets as ints (side_arrays makes arrays of them, no set per unit):
    gram_bits: int = 0  # character 4-grams, GRAM_WORDS x 64 bits
    anchor_bits: int = 0  # acronyms, names, URLs, glossary terms, ANCHOR_WORDS x 64 bits
    foot_bits: int = 0  # footnote markers, 64 bits
    num_bits: int = 0  # every reading of every number, 64 bits
    num_keys: tuple[str, ...] = ()  # the numbers by value (``n:500000``), distinct, counted per run


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


@functools.lru_cache(maxsize=65536)
def _text_features(text: str, lang: str) -> tuple[frozenset[str], str, int, int, tuple[str, ...]]:
    """What a unit's text alone gives (cached: table cells repeat the same few texts): its name and
    acronym anchors, folded text, 4-gram bits, number-reading bits and numbers by value."""
    nums = find_numbers(text, lang)
    readings = frozenset(r for n in nums for r in n.readings())
    num_keys = tuple(sorted({f"n:{v:g}" for v in (n.value for n in nums)}))
    acr = acronyms(text)
    anchors = {f"a:{a}" for a in acr}
    anchors |= {f"c:{c}" for c in capitalised_terms(text) if c not in acr}
    folded_raw = fold(text)
    gram_bits = _bits(_grams(folded_raw), GRAM_WORDS)
    num_bits = _bits(frozenset(f"{v:g}" for v in readings), 1)
    return frozenset(anchors), " ".join(folded_raw.split()), gram_bits, num_bits, num_keys


def shared_names(source: Sequence[Segment], target: Sequence[Segment]) -> frozenset[str]:
    """Capitalised words written the same in both editions (names kept verbatim): alignment anchors.

    CamelCase words always anchor; a title-case word anchors only when the other edition has it
    too, so the capitalised first word of a French sentence is no anchor.
    """
    words = [
        {c for text in {s.text or "" for s in side} for c in capitalised_terms(text)}
        for side in (source, target)
    ]
    return frozenset(words[0] & words[1])


@functools.lru_cache(maxsize=65536)
def _anchor_bits(anchors: frozenset[str], names: frozenset[str] | None) -> int:
    """Bits of ``anchors`` less the title-case words the other edition lacks (cached: texts repeat)."""
    kept = frozenset(
        a for a in anchors if not a.startswith("c:") or not a[2:].istitle() or (names and a[2:] in names)
    )
    return _bits(kept, ANCHOR_WORDS)


def make_units(
    segments: Sequence[Segment], lang: str, glossary: Any = None, names: frozenset[str] | None = None
) -> list[Unit]:
    tables: dict[str, int] = {}
    units = []
    for seg in segments:
        text = seg.text or ""
        text_anchors, folded, gram_bits, num_bits, num_keys = _text_features(text, lang)
        anchor_bits = _anchor_bits(text_anchors, names)
        # bits of a union are the OR of the bits: a unit's own links and glossary terms add theirs
        extra = {f"u:{normalize_url(link.url)}" for link in seg.links if link.url}
        extra |= _glossary_anchors(text, glossary, lang)
        if extra:
            anchor_bits |= _bits(frozenset(extra), ANCHOR_WORDS)
        foot_bits = _bits(frozenset(f"f:{m}" for m in seg.footnote_refs), 1) if seg.footnote_refs else 0
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
                table=table,
                folded=folded,
                mark=availability_mark(text) if table is not None else None,  # a grid cell's mark
                gram_bits=gram_bits,
                anchor_bits=anchor_bits,
                foot_bits=foot_bits,
                num_bits=num_bits,
                num_keys=num_keys,
            )
        )
    return units


_LONG_WORD = re.compile(r"[a-z0-9]{4,}")


def _grams(folded: str) -> frozenset[str]:
    """Character 4-grams of the longer words of a folded text: cognates (``Webinars``/``Webinaires``) share many."""
    return frozenset(w[i : i + 4] for w in _LONG_WORD.findall(folded) for i in range(len(w) - 3))


def _ratio(src: list[Unit], tgt: list[Unit]) -> float:
    total_s = sum(u.length for u in src) or 1
    total_t = sum(u.length for u in tgt) or 1
    return min(2.0, max(0.5, total_t / total_s))


def _structural(units: list[Unit]) -> list[int]:
    """Indexes of headings, of the first unit of every table or list block and of every table row."""
    out, seen = [], set()
    for i, u in enumerate(units):
        first_of_block = u.kind in ("table_cell", "list_item") and u.block not in seen
        row_start = u.table is not None and (
            i == 0 or units[i - 1].table is None or units[i - 1].table[:2] != u.table[:2]
        )
        if u.kind == "heading" or first_of_block or row_start:
            out.append(i)
        seen.add(u.block)
    return out


def _centers(n: int, m: int, points: list[tuple[int, int]]) -> np.ndarray:
    xs = [0] + [p[0] for p in points] + [n]
    ys = [0] + [p[1] for p in points] + [m]
    return np.rint(np.interp(np.arange(n + 1), xs, ys)).astype(np.int64)


def structural_anchors(src: list[Unit], tgt: list[Unit], ratio: float) -> list[tuple[int, int]]:
    """Confident 1-1 pairs of structural units, as (source index, target index), strictly increasing."""
    s_idx, t_idx = _structural(src), _structural(tgt)
    if not s_idx or not t_idx:
        return []
    s_sub, t_sub = [src[i] for i in s_idx], [tgt[j] for j in t_idx]
    path = _dp(s_sub, t_sub, [], ratio)
    out: list[tuple[int, int]] = []
    for i0, i1, j0, j1, c in path:
        if i1 - i0 == 1 and j1 - j0 == 1 and c < ANCHOR_COST:
            si, tj = s_idx[i0], t_idx[j0]
            if not out or (si > out[-1][0] and tj > out[-1][1]):
                out.append((si, tj))
    return out


def _half_widths(centers: np.ndarray, points: list[tuple[int, int]]) -> np.ndarray:
    """Half-width of the band per row: the drift its section (between two anchors) allows.

    A section of ``di`` source and ``dj`` target units gets ``|di - dj|`` plus a margin that grows
    with its size up to ``BAND``; every row's band also overlaps its neighbours', however steep
    the centre line.
    """
    n = len(centers) - 1
    xs = [0] + [p[0] for p in points] + [n]
    ys = [0] + [p[1] for p in points] + [int(centers[-1])]
    half = np.zeros(n + 1, dtype=np.int64)
    pts = list(zip(xs, ys, strict=True))
    for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
        di, dj = x1 - x0, y1 - y0
        need = abs(di - dj) + min(BAND, 8 + max(di, dj) // 2)
        half[x0 : x1 + 1] = np.maximum(half[x0 : x1 + 1], need)
    steps = np.abs(np.diff(centers))
    if steps.size:
        half[1:] = np.maximum(half[1:], steps + 4)
        half[:-1] = np.maximum(half[:-1], steps + 4)
    return half


def _dp(src: list[Unit], tgt: list[Unit], points: list[tuple[int, int]], ratio: float) -> list:
    centers = _centers(len(src), len(tgt), points)
    return band_dp(side_arrays(src), side_arrays(tgt), centers, _half_widths(centers, points), ratio)


def align_units(src: list[Unit], tgt: list[Unit]) -> list[tuple[range, range, float]]:
    """Best monotone bead sequence: list of (source indexes, target indexes, cost)."""
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [(range(i, i + 1), range(0), 0.0) for i in range(n)] + [
            (range(0), range(j, j + 1), 0.0) for j in range(m)
        ]
    ratio = _ratio(src, tgt)
    anchors = structural_anchors(src, tgt, ratio)
    path = _dp(src, tgt, anchors, ratio)
    return [(range(i0, i1), range(j0, j1), c) for i0, i1, j0, j1, c in path]


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
    names = shared_names(source, target)
    su = make_units(source, source_lang, glossary, names)
    tu = make_units(target, target_lang, glossary, names)
    pairs = []
    for si, ti, c in align_units(su, tu):
        pairs.append(
            AlignedPair.model_construct(  # fields built here are valid: no validation per pair
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
