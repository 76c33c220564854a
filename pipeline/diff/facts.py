"""Facts between two editions: figures in cells, prose and footnotes paired by label and unit, their direction (a lower limit or a higher price is breaking), and the number fallback for figures the facts layer did not type."""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.diff.edition import (
    Edition,
    snip,
    unique_prov,
)
from pipeline.diff.match import greedy_pairs
from pipeline.diff.model import (
    Change,
    ChangeKind,
    ChangeSeverity,
)
from pipeline.diff.rules import (
    fact_severity,
    fact_values_differ,
    higher_is_worse,
)
from pipeline.diff.text import (
    is_word,
    masked_key,
    redline,
    similarity,
    tokenize,
)
from pipeline.normalize.model import (
    Fact,
    FactKind,
    Offer,
    SegmentKind,
    ServiceDescription,
)

K = ChangeKind
S = ChangeSeverity


def pair_facts(
    old: list[Fact], new: list[Fact], old_ctx: dict[str, str], new_ctx: dict[str, str]
) -> list[tuple[Fact, Fact]]:
    """Pair facts across editions: same kind/unit and same words around the number first, then the
    most similar context (>= 0.7). Unpaired facts are left to the text diff."""

    def slot(f: Fact, ctx: dict[str, str]) -> tuple:
        return (f.kind.value, f.unit, f.business, masked_key(ctx[f.id]))

    pairs: list[tuple[Fact, Fact]] = []
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for f in new:
        groups[slot(f, new_ctx)].append(f)
    left_old: list[Fact] = []
    used: set[int] = set()
    for f in old:
        bucket = groups.get(slot(f, old_ctx))
        if bucket:
            g = bucket.pop(0)
            used.add(id(g))
            pairs.append((f, g))
        else:
            left_old.append(f)
    left_new = [g for g in new if id(g) not in used]
    scored = (
        (similarity(masked_key(old_ctx[f.id]), masked_key(new_ctx[g.id])), i, j)
        for i, f in enumerate(left_old)
        for j, g in enumerate(left_new)
        if f.kind == g.kind
    )
    pairs += [(left_old[i], left_new[j]) for _s, i, j in greedy_pairs(scored, 0.7)]
    return pairs


def fact_label(f: Fact) -> str:
    return f.normalized or f.text


def diff_facts(
    old: list[Fact],
    new: list[Fact],
    eo: Edition,
    en: Edition,
    offer_id: str | None,
    subject_prefix: str = "",
    in_cell: bool = False,
    label: str | None = None,
) -> list[Change]:
    """Fact changes between paired facts. ``in_cell``: the facts of one plan cell, whose place
    (row, plan) is already paired: they pair by kind and order, not by the words around them."""
    old_ctx = {f.id: eo.context(f) for f in old}
    new_ctx = {f.id: en.context(f) for f in new}
    if in_cell:
        pairs = pair_facts(old, new, dict.fromkeys(old_ctx, ""), dict.fromkeys(new_ctx, ""))
    else:
        pairs = pair_facts(old, new, old_ctx, new_ctx)
    out: list[Change] = []
    for f, g in pairs:
        if not fact_values_differ(f, g):
            continue
        sev = fact_severity(f, g, old_ctx[f.id] + " " + new_ctx[g.id])
        ot, nt = old_ctx[f.id], new_ctx[g.id]
        seg_o, seg_n = eo.segments.get(f.segment_id or ""), en.segments.get(g.segment_id or "")
        out.append(
            Change(
                kind=K.fact_changed,
                severity=sev,
                offer_id=offer_id,
                section_id=(seg_n.section_id if seg_n else None) or (seg_o.section_id if seg_o else None),
                subject=f"{subject_prefix}{f.kind.value}",
                old=fact_label(f),
                new=fact_label(g),
                old_text=snip(ot),
                new_text=snip(nt),
                redline=redline(tokenize(ot), tokenize(nt)),
                old_prov=unique_prov(f.prov or (seg_o.prov if seg_o else [])),
                new_prov=unique_prov(g.prov or (seg_n.prov if seg_n else [])),
                summary=f"{label + ': ' if label else ''}{f.kind.value}: {fact_label(f)} → {fact_label(g)}",
            )
        )
    return out


def offer_facts(sd: ServiceDescription, offer: Offer) -> list[Fact]:
    """An offer's own facts (not those of its plan cells, compared per plan)."""
    plan_fact_ids = {f.id for pv in offer.plan_values for f in pv.facts}
    seen = set(plan_fact_ids)
    out: list[Fact] = []
    for f in [*offer.facts, *(f for f in sd.facts if f.offer_id == offer.id)]:
        if f.id in seen:
            continue
        seen.add(f.id)
        out.append(f)
    return out


def document_facts(e: Edition) -> list[Fact]:
    """Facts outside offers and outside SLA/offer tables (those are compared structurally)."""
    offer_fact_ids = {f.id for o in e.sd.offers for f in o.facts} | {
        f.id for o in e.sd.offers for pv in o.plan_values for f in pv.facts
    }
    out = []
    for f in e.sd.facts:
        if f.offer_id or f.id in offer_fact_ids:
            continue
        seg = e.segments.get(f.segment_id or "")
        if seg is not None and (e.in_structured_table(seg) or seg.kind is SegmentKind.front_matter):
            continue
        out.append(f)
    return out


_NUM = re.compile(r"^\d+(?:[.,]\d+)*%?$")


def _to_number(token: str) -> float | None:
    t = token.rstrip("%").replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


def number_fallback(changes: list[Change]) -> list[Change]:
    """A wording change that only swaps numbers, where the facts layer found no fact: report the
    numbers as a fact change too (direction as for counts; a year alone is minor)."""
    covered = {p for c in changes if c.kind is K.fact_changed for p in [*c.old_prov, *c.new_prov]}
    out: list[Change] = []
    for c in changes:
        if c.kind is not K.text_changed or not c.old_text or not c.new_text:
            continue
        ow = [t.key for t in tokenize(c.old_text) if is_word(t.key)]
        nw = [t.key for t in tokenize(c.new_text) if is_word(t.key)]
        if [w for w in ow if not _NUM.match(w)] != [w for w in nw if not _NUM.match(w)]:
            continue
        on, nn = [w for w in ow if _NUM.match(w)], [w for w in nw if _NUM.match(w)]
        if len(on) != len(nn) or on == nn:
            continue
        if covered & {*c.old_prov, *c.new_prov}:
            continue
        diffs = [(a, b) for a, b in zip(on, nn, strict=True) if a != b]
        values = [(_to_number(a), _to_number(b)) for a, b in diffs]
        if any(a is None or b is None for a, b in values):
            continue
        years = all(1900 <= a <= 2100 and 1900 <= b <= 2100 and a == int(a) for a, b in values)  # type: ignore[operator]
        worse_if_higher = higher_is_worse(FactKind.count, c.old_text + " " + c.new_text)
        higher = sum(b - a for a, b in values) > 0  # type: ignore[operator]
        sev = S.minor if years else S.breaking if higher == bool(worse_if_higher) else S.major
        out.append(
            c.model_copy(
                update={
                    "kind": K.fact_changed,
                    "severity": sev,
                    "subject": f"{c.subject + ':' if c.subject else ''}number",
                    "old": ", ".join(a for a, _ in diffs),
                    "new": ", ".join(b for _, b in diffs),
                    "summary": f"number: {', '.join(a for a, _ in diffs)} → {', '.join(b for _, b in diffs)}",
                }
            )
        )
    return out
