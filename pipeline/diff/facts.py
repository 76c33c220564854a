"""Facts between two editions: figures in cells, prose and footnotes paired by label and unit, their direction (a lower limit or a higher price is breaking), and the number fallback for figures the facts layer did not type."""

from __future__ import annotations

from collections import defaultdict

from pipeline.diff.edition import (
    Edition,
    reworded,
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
    masked_key,
    redline,
    similarity,
    tokenize,
    word_key,
)
from pipeline.normalize.model import (
    Fact,
    FactKind,
    Offer,
    OfferTerm,
    PlanValue,
    SegmentKind,
    ServiceDescription,
    TermKind,
)
from pipeline.quantities import Quantity, QuantityKind, fmt_number, is_unbounded, quantities_in

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


#: The kind of fact a quantity is, for its customer direction (pipeline.diff.rules).
_FACT_KIND = {
    QuantityKind.number: FactKind.count,
    QuantityKind.percent: FactKind.percent,
    QuantityKind.duration: FactKind.duration,
    QuantityKind.size: FactKind.storage,
    QuantityKind.money: FactKind.money,
    QuantityKind.time_of_day: FactKind.time_of_day,
}


def _masked(text: str, found: list[Quantity]) -> str:
    """The text's words with every quantity (number and unit) masked: equal = only quantities differ."""
    out, pos = [], 0
    for q in found:
        out.append(text[pos : q.start])
        out.append(" # ")
        pos = q.end
    out.append(text[pos:])
    return word_key("".join(out))


def _is_year(q: Quantity) -> bool:
    return q.kind is QuantityKind.number and q.value == int(q.value) and 1900 <= q.value <= 2100


def number_fallback(changes: list[Change], lang: str | None = None) -> list[Change]:
    """A wording change that only swaps quantities, where the facts layer found no fact: report them
    as a fact change too. The quantities are read by :mod:`pipeline.quantities` (any locale format,
    number words, units: '4 hours' -> '2 days' is a change of value); the direction is that of the
    quantity's kind (a count as a limit unless a minimum, a duration as a delay ...); a year alone
    is minor."""
    covered = {p for c in changes if c.kind is K.fact_changed for p in [*c.old_prov, *c.new_prov]}
    out: list[Change] = []
    for c in changes:
        if c.kind is not K.text_changed or not c.old_text or not c.new_text:
            continue
        if covered & {*c.old_prov, *c.new_prov}:
            continue
        oq, nq = quantities_in(c.old_text, lang), quantities_in(c.new_text, lang)
        if not oq or len(oq) != len(nq) or _masked(c.old_text, oq) != _masked(c.new_text, nq):
            continue
        diffs = [
            (a, b)
            for a, b in zip(oq, nq, strict=True)
            if (a.value, a.value_max, a.base, a.business) != (b.value, b.value_max, b.base, b.business)
        ]
        if not diffs or any(a.kind is not b.kind or a.base != b.base for a, b in diffs):
            continue
        kinds = {_FACT_KIND[a.kind] for a, _b in diffs}
        context = c.old_text + " " + c.new_text
        worse = higher_is_worse(kinds.pop(), context) if len(kinds) == 1 else None
        higher = sum(b.value - a.value for a, b in diffs) > 0
        if all(_is_year(a) and _is_year(b) for a, b in diffs):
            sev = S.minor
        elif worse is None:
            sev = S.major if diffs[0][0].kind is QuantityKind.time_of_day else S.minor
        else:
            sev = S.breaking if higher == worse else S.major
        old, new = ", ".join(a.text for a, _ in diffs), ", ".join(b.text for _, b in diffs)
        out.append(
            c.model_copy(
                update={
                    "kind": K.fact_changed,
                    "severity": sev,
                    "subject": f"{c.subject + ':' if c.subject else ''}number",
                    "old": old,
                    "new": new,
                    "summary": f"number: {old} → {new}",
                }
            )
        )
    return out


def unbounded_change(
    name: str, p: PlanValue | None, q: PlanValue | None, plan: str, fields: dict
) -> Change | None:
    """A cell gone from a quantity to "no limit" or back ('30 messages per minute' -> 'Sans
    limite'): a fact change with its direction (no bound is the highest value), not an
    availability word. None when it is not that."""
    if p is None or q is None or is_unbounded(p.text) == is_unbounded(q.text):
        return None
    bounded = q if is_unbounded(p.text) else p
    if not (bounded.facts or any(ch.isdigit() for ch in bounded.text)):
        return None
    kind = bounded.facts[0].kind if bounded.facts else FactKind.count
    worse = higher_is_worse(kind, f"{name} {p.text} {q.text}")
    higher = is_unbounded(q.text)
    sev = S.breaking if worse is not None and higher == worse else S.major
    return Change(
        kind=K.fact_changed,
        severity=sev,
        subject=f"{plan}:value",
        old=p.text,
        new=q.text,
        **reworded(p.text, q.text),
        summary=f"{name} / {q.plan}: {p.text} → {q.text} ({'no bound any more' if higher else 'bounded now'})",
        **fields,
    )


#: For a term with a value: is a higher value worse for the customer (a higher minimum or price is).
_TERM_HIGHER_WORSE = {TermKind.minimum: True, TermKind.maximum: False, TermKind.price: True}


def _said(a: float, b: float, facts: list[Change]) -> bool:
    """A fact change already reports the value going from ``a`` to ``b`` (one entry per edit)."""

    def values(text: str | None) -> set[float]:
        return {q.value for q in quantities_in(text or "", None)}

    return any(f.kind is K.fact_changed and a in values(f.old) and b in values(f.new) for f in facts)


def diff_terms(o: Offer, n: Offer, said: list[Change] = ()) -> list[Change]:
    """An offer's typed terms (normalize/terms.py) paired by kind, unit and what a price is paid per,
    in order: a changed value is a ``fact_changed`` with its direction (a higher minimum or price is
    breaking, a higher maximum major); plans or regions the offer is restricted to, one dropped, is
    breaking, only some added major. A term that came or went is its condition sentence's change; a
    value change a fact change in ``said`` already reports is not said twice."""
    groups: dict[tuple, list[OfferTerm]] = defaultdict(list)
    for t in n.terms:
        groups[(t.kind, t.unit, t.per)].append(t)
    out: list[Change] = []
    for a in o.terms:
        bucket = groups.get((a.kind, a.unit, a.per))
        if not bucket:
            continue
        b = bucket.pop(0)
        if a.kind in _TERM_HIGHER_WORSE:
            if a.value is None or b.value is None or a.value == b.value or _said(a.value, b.value, said):
                continue
            worse = (b.value > a.value) == _TERM_HIGHER_WORSE[a.kind]
            unit = f" {b.unit}" if b.unit else ""
            old, new = fmt_number(a.value) + unit, fmt_number(b.value) + unit
        else:
            gone = {x.casefold() for x in a.names} - {x.casefold() for x in b.names}
            came = {x.casefold() for x in b.names} - {x.casefold() for x in a.names}
            if not gone and not came:
                continue
            # restricted to: a plan or region dropped from the list loses the offer
            worse = bool(gone)
            old, new = ", ".join(a.names), ", ".join(b.names)
        out.append(
            Change(
                kind=K.fact_changed,
                severity=S.breaking if worse else S.major,
                offer_id=n.id,
                section_id=n.section_id,
                subject=f"term:{a.kind.value}",
                old=old,
                new=new,
                **reworded(a.text, b.text),
                old_prov=unique_prov(o.prov),
                new_prov=unique_prov(n.prov),
                summary=f"{n.name}: {a.kind.value} {old} → {new}",
            )
        )
    return out
