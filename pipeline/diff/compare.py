"""``diff_descriptions(old, new) -> Diff``: what changed between two editions, for a contract team.

Works on the offer schema first (offers, availability per plan, SLA rows, facts, conditions),
then on the text outside it (sections and segments, word-level redline). Everything is compared
on normalised text and values, never on pages, lines, bounding boxes, table or segment ids
(those depend on layout and differ between a PDF and its Markdown source).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.diff.bilingual import demote_untranslated
from pipeline.diff.content import Unit, diff_units, strip_note_label
from pipeline.diff.edition import (
    Edition,
    condition_change,
    condition_shift,
    offer_fields,
    one_line,
    one_sided,
    reworded,
    side_word,
    snip,
    summarize,
    unique_prov,
)
from pipeline.diff.explain import fold_explained
from pipeline.diff.footnotes import follow_footnotes, marker_pairs
from pipeline.diff.match import category_key, greedy_pairs, name_similarity, own_words
from pipeline.diff.model import (
    Change,
    ChangeKind,
    ChangeSeverity,
    Diff,
    severity_counts,
)
from pipeline.diff.rows import align_offers
from pipeline.diff.rules import (
    availability_severity,
    fact_severity,
    fact_values_differ,
    higher_is_worse,
)
from pipeline.diff.sections import diff_sections, hunks_to_changes
from pipeline.diff.sla import diff_sla
from pipeline.diff.text import (
    classify_wording,
    is_word,
    masked_key,
    redline,
    similarity,
    text_key,
    tokenize,
)
from pipeline.normalize.marks import read_cell, read_words
from pipeline.normalize.model import (
    Availability,
    Fact,
    FactKind,
    Offer,
    PlanValue,
    SegmentKind,
    ServiceDescription,
)
from pipeline.textutil import fold_for_match

K = ChangeKind
S = ChangeSeverity


# ---------------------------------------------------------------- metadata


def diff_metadata(old: ServiceDescription, new: ServiceDescription) -> list[Change]:
    out: list[Change] = []
    ot, nt = old.document.title, new.document.title
    verdict = classify_wording(ot, nt) if (ot and nt) else None
    if verdict is not None:
        out.append(
            Change(
                kind=K.metadata_changed,
                severity=verdict,
                subject="title",
                old=ot,
                new=nt,
                redline=redline(tokenize(ot), tokenize(nt)),
                summary=f"title: {ot} → {nt}",
            )
        )
    od, nd = old.document.edition_date, new.document.edition_date
    if od and nd and od != nd:
        out.append(
            Change(
                kind=K.metadata_changed,
                severity=S.cosmetic,
                subject="edition_date",
                old=od,
                new=nd,
                summary=f"edition date: {od} → {nd}",
            )
        )
    return out


# ---------------------------------------------------------------- facts


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


def _fact_label(f: Fact) -> str:
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
                old=_fact_label(f),
                new=_fact_label(g),
                old_text=snip(ot),
                new_text=snip(nt),
                redline=redline(tokenize(ot), tokenize(nt)),
                old_prov=unique_prov(f.prov or (seg_o.prov if seg_o else [])),
                new_prov=unique_prov(g.prov or (seg_n.prov if seg_n else [])),
                summary=f"{label + ': ' if label else ''}{f.kind.value}: {_fact_label(f)} → {_fact_label(g)}",
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


# ---------------------------------------------------------------- offers


def map_labels(old: dict[str, str], new: dict[str, str], threshold: float = 0.5) -> dict[str, str]:
    """Map old ids to new ids: same id, then the most similar label (a renamed plan column or
    scope), then, when exactly one is left on each side, those two. Unmapped ids were removed/added."""
    mapping = {i: i for i in old if i in new}
    lo = [i for i in old if i not in mapping]
    ln = [i for i in new if i not in mapping.values()]
    kept = greedy_pairs(
        ((similarity(old[a], new[b]), x, y) for x, a in enumerate(lo) for y, b in enumerate(ln)), threshold
    )
    ux = {x for _s, x, _y in kept}
    uy = {y for _s, _x, y in kept}
    mapping.update((lo[x], ln[y]) for _s, x, y in kept)
    rest_o = [a for x, a in enumerate(lo) if x not in ux]
    rest_n = [b for y, b in enumerate(ln) if y not in uy]
    if len(rest_o) == len(rest_n) == 1:
        mapping[rest_o[0]] = rest_n[0]
        return mapping
    # a renamed plan keeps its code ('ATP Plan 2 (formerly …)' -> '… Plan 2', 'E5' -> 'E5 / A5')
    codes_o = {a: _codes(old[a]) for a in rest_o}
    codes_n = {b: _codes(new[b]) for b in rest_n}
    for a in rest_o:
        hits = [b for b in rest_n if codes_o[a] & codes_n[b] and b not in mapping.values()]
        rivals = [x for x in rest_o if x != a and codes_o[x] & codes_o[a]]
        if len(hits) == 1 and not rivals and len(codes_o[a] & codes_n[hits[0]]) == 1:
            mapping[a] = hits[0]
    return mapping


_CODE = re.compile(r"^(?:[a-z]{0,2}\d{1,2})$")


def _codes(label: str) -> set[str]:
    """The short codes of a plan label: 'Plan 2' -> {'2'}, 'E5 / A5' -> {'e5', 'a5'} (not '365')."""
    return {w for w in fold_for_match(label).replace("/", " ").split() if _CODE.match(w)}


def plan_labels(offers: list[Offer]) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in offers:
        for pv in o.plan_values:
            out.setdefault(pv.plan_id, pv.plan)
    return out


def _pair_plans(
    old: list[PlanValue], new: list[PlanValue], plan_map: dict[str, str]
) -> list[tuple[PlanValue | None, PlanValue | None]]:
    """Cells of one offer row paired through the document's plan-column mapping. A cell whose
    column exists on both sides but is missing in this row counts as absent; a column that
    vanished from (or appeared in) the whole table is reported once per plan, not per row."""
    new_by: dict[str, list[PlanValue]] = defaultdict(list)
    for q in new:
        new_by[q.plan_id].append(q)  # two columns under one header pair in order
    mapped_new = set(plan_map.values())
    pairs: list[tuple[PlanValue | None, PlanValue | None]] = []
    used: set[int] = set()
    for p in old:
        target = plan_map.get(p.plan_id)
        if target is None:
            continue  # whole column removed
        q = new_by[target].pop(0) if new_by.get(target) else None
        if q is not None:
            used.add(id(q))
        pairs.append((p, q))
    for q in new:
        if id(q) not in used and q.plan_id in mapped_new:
            pairs.append((None, q))
    return pairs


def _av(a: Availability | None) -> str | None:
    return a.value if a is not None else None


def diff_plan_values(
    o: Offer, n: Offer, eo: Edition, en: Edition, plan_map: dict[str, str], markers: list | None = None
) -> list[Change]:
    out: list[Change] = []
    cells = _pair_plans(o.plan_values, n.plan_values, plan_map)
    if markers is not None:
        markers += marker_pairs(o, n, cells)
    for p, q in cells:
        plan = (q or p).plan_id  # type: ignore[union-attr]
        pa = p.availability if p is not None else None
        qa = q.availability if q is not None else None
        if p is not None and q is not None and pa == qa:
            verdict = classify_wording(p.text, q.text) if not (p.facts or q.facts) else None
            if verdict is not None:
                out.append(
                    Change(
                        kind=K.text_changed,
                        severity=verdict,
                        offer_id=n.id,
                        subject=plan,
                        **reworded(p.text, q.text),
                        old_prov=unique_prov(o.prov),
                        new_prov=unique_prov(n.prov),
                        summary=f"{n.name} / {q.plan}: {p.text} → {q.text}",
                    )
                )
        elif pa != qa:
            stated = any(x is not None and (_states(x.text) or x.facts) for x in (p, q))
            valued = [x is not None and any(ch.isdigit() for ch in x.text) for x in (p, q)]
            if (
                not stated
                and p is not None
                and q is not None
                and p.text
                and q.text
                and valued[0] != valued[1]
            ):
                # a quantity on one side, words on the other ('30 messages per minute' -> 'No
                # limit'): the value changed; which way is not read, so major, not breaking
                out.append(
                    Change(
                        kind=K.fact_changed,
                        severity=S.major,
                        **offer_fields(o, n),
                        subject=f"{plan}:value",
                        old=p.text,
                        new=q.text,
                        **reworded(p.text, q.text),
                        summary=f"{n.name} / {q.plan}: {p.text} → {q.text}",
                    )
                )
                continue
            out.append(
                Change(
                    kind=K.availability_changed,
                    # a cell of names or prose on both sides says nothing about availability
                    severity=availability_severity(pa, qa) if stated else S.minor,
                    **offer_fields(o, n),
                    subject=plan,
                    old=_av(pa),
                    new=_av(qa),
                    old_text=p.text if p is not None else None,
                    new_text=q.text if q is not None else None,
                    summary=f"{n.name} / {(q or p).plan}: {_av(pa) or 'absent'} → {_av(qa) or 'absent'}",  # type: ignore[union-attr]
                )
            )
        if p is not None and q is not None and (p.facts or q.facts):
            out += diff_facts(
                p.facts,
                q.facts,
                eo,
                en,
                n.id,
                subject_prefix=f"{plan}:",
                in_cell=True,
                label=f"{n.name} / {q.plan}",
            )
    if (
        o.plan_values
        and n.plan_values
        and not any(
            p is not None and q is not None for p, q in _pair_plans(o.plan_values, n.plan_values, plan_map)
        )
    ):
        out += _row_value_changes(o, n)
    return out


def _uniform_facts(offer: Offer) -> dict[tuple[str, str], Fact]:
    """kind/unit -> the fact, when every plan cell of the row that has one says the same value."""
    seen: dict[tuple[str, str], set[float]] = defaultdict(set)
    first: dict[tuple[str, str], Fact] = {}
    for pv in offer.plan_values:
        for f in pv.facts:
            key = (f.kind.value, f.unit)
            seen[key].add(f.value)
            first.setdefault(key, f)
    return {k: first[k] for k, vals in seen.items() if len(vals) == 1}


def _row_value_changes(o: Offer, n: Offer) -> list[Change]:
    """No plan column survived (all merged/renamed): compare the row's value where it is uniform
    ('500,000 per organization' in every old column, '2 million' in every new one)."""
    uo, un = _uniform_facts(o), _uniform_facts(n)
    out: list[Change] = []
    for key in sorted(uo.keys() & un.keys()):
        f, g = uo[key], un[key]
        if not fact_values_differ(f, g):
            continue
        context = f"{o.name} {f.text} {g.text}"
        out.append(
            Change(
                kind=K.fact_changed,
                severity=fact_severity(f, g, context),
                **offer_fields(o, n),
                subject=f"all plans:{f.kind.value}",
                old=_fact_label(f),
                new=_fact_label(g),
                old_text=f.text,
                new_text=g.text,
                summary=f"{n.name}, every plan: {_fact_label(f)} → {_fact_label(g)}",
            )
        )
    return out


def diff_conditions(o: Offer, n: Offer) -> list[Change]:
    ok = {text_key(c): c for c in o.conditions}
    nk = {text_key(c): c for c in n.conditions}
    gone = [c for k, c in ok.items() if k not in nk]
    came = [c for k, c in nk.items() if k not in ok]
    kept = greedy_pairs(
        ((similarity(a, b), i, j) for i, a in enumerate(gone) for j, b in enumerate(came)), 0.6
    )
    out = [_condition_edit(n, gone[i], came[j]) for _s, i, j in kept]
    for added, texts, used in (
        (False, gone, {i for _s, i, _j in kept}),
        (True, came, {j for _s, _i, j in kept}),
    ):
        for k, t in enumerate(texts):
            if k not in used:
                kind, sev = condition_change(added)
                out.append(
                    one_sided(
                        added,
                        text=t,
                        kind=kind,
                        severity=sev,
                        **offer_fields(o, n),
                        summary=f"{n.name}: condition {side_word(added)}",
                    )
                )
    return out


def _condition_edit(n: Offer, a: str, b: str) -> Change:
    verdict = classify_wording(a, b) or S.cosmetic
    kind, sev, what = K.text_changed, verdict, "condition reworded"
    if verdict is S.minor:
        shift = condition_shift(a, b)
        if shift is not None:
            kind, sev, what = shift
        elif masked_key(a) != masked_key(b):
            # other words in a stated condition: eligibility changed, direction unknown (numbers
            # alone are judged as facts by number_fallback)
            sev, what = S.major, "condition changed (eligibility)"
    return Change(
        kind=kind,
        severity=sev,
        offer_id=n.id,
        section_id=n.section_id,
        subject="condition",
        **reworded(a, b),
        new_prov=unique_prov(n.prov),
        summary=f"{n.name}: {what}",
    )


def offer_units(e: Edition, offer: Offer) -> list[Unit]:
    """The running text that belongs to an offer (not its table cells, not its conditions)."""
    units = []
    for sid in offer.segment_ids:
        seg = e.segments.get(sid)
        if seg is None or seg.table is not None or seg.kind is SegmentKind.heading:
            continue
        if text_key(seg.text) in e.condition_keys:
            continue
        units.append(Unit(strip_note_label(seg.text), seg.id, offer.id, list(seg.prov)))
    if not units and offer.description:
        units.append(Unit(offer.description, None, offer.id, list(offer.prov)))
    return units


def diff_offer(o: Offer, n: Offer, eo: Edition, en: Edition, ctx: OfferContext) -> list[Change]:
    out: list[Change] = []
    same_section = o.section_id is not None and ctx.section_map.get(o.section_id) == n.section_id
    if not same_section and category_key(o) != category_key(n) and o.category and n.category:
        out.append(
            Change(
                kind=K.offer_moved,
                severity=S.minor,
                **offer_fields(o, n),
                subject="category",
                old=" > ".join(o.category),
                new=" > ".join(n.category),
                summary=f"{n.name}: moved from {' > '.join(o.category)} to {' > '.join(n.category)}",
            )
        )
    if o.availability != n.availability and not (o.plan_values and n.plan_values):
        # (a row's overall availability is read from its cells, compared one by one below)
        out.append(
            Change(
                kind=K.availability_changed,
                severity=availability_severity(o.availability, n.availability),
                **offer_fields(o, n),
                subject="availability",
                old=o.availability.value,
                new=n.availability.value,
                old_text=o.availability_mark,
                new_text=n.availability_mark,
                summary=f"{n.name}: {o.availability.value} → {n.availability.value}",
            )
        )
    out += diff_plan_values(o, n, eo, en, ctx.plan_map, ctx.markers)
    out += diff_facts(offer_facts(eo.sd, o), offer_facts(en.sd, n), eo, en, n.id, label=n.name)
    out += diff_conditions(o, n)
    out += hunks_to_changes(diff_units(offer_units(eo, o), offer_units(en, n)), n.id, n.section_id)
    return out


@dataclass(frozen=True)
class OfferContext:
    section_map: dict[str | None, str | None]
    plan_map: dict[str, str]
    #: (old, new) footnote markers of paired cells, filled while rows are compared
    markers: list[tuple[str, str]] = field(default_factory=list)


def plan_column_changes(eo: Edition, en: Edition, plan_map: dict[str, str]) -> list[Change]:
    """Plan columns renamed, dropped or added, once per plan rather than once per row; a column
    whose plan is a heading or list item on the other side was re-laid out (minor)."""
    lo, ln = plan_labels(eo.sd.offers), plan_labels(en.sd.offers)
    shown_o, shown_n = visible_names(eo), visible_names(en)
    out: list[Change] = []
    for pid, label in lo.items():
        target = plan_map.get(pid)
        if target is None:
            listed = _newly_listed(label, shown_o, shown_n)
            out.append(
                _plan_column_change(False, pid, label, _column_offers(eo.sd.offers, pid) and not listed)
            )
        elif classify_wording(label, ln[target]) is not None:
            out.append(
                Change(
                    kind=K.text_changed,
                    severity=classify_wording(label, ln[target]) or S.minor,
                    subject=f"plan:{target}",
                    old=one_line(label),
                    new=one_line(ln[target]),
                    redline=redline(tokenize(label), tokenize(ln[target])),
                    summary=f"plan renamed: {one_line(label)} → {one_line(ln[target])}",
                )
            )
    mapped = set(plan_map.values())
    out += [
        _plan_column_change(
            True,
            pid,
            label,
            _column_offers(en.sd.offers, pid) and not _newly_listed(label, shown_n, shown_o),
        )
        for pid, label in ln.items()
        if pid not in mapped
    ]
    return out


def _newly_listed(label: str, before: set[str], after: set[str]) -> bool:
    """The label is a heading or list item on the ``after`` side only (a column laid out as a list)."""
    key = fold_for_match(one_line(label))
    return key in after and key not in before


def _column_offers(offers: list[Offer], pid: str) -> bool:
    """Some cell of the column makes something available (a mark, a status, a quantity)."""
    return any(_cell_offers(pv) for o in offers for pv in o.plan_values if pv.plan_id == pid)


def _plan_column_change(added: bool, pid: str, label: str, material: bool = True) -> Change:
    """A whole plan column gone (breaking) or new (major); minor when none of its cells makes
    anything available (a column of a list of plan names, or of 'No')."""
    return one_sided(
        added,
        value="listed",
        text=one_line(label),
        kind=K.availability_changed,
        severity=(S.major if added else S.breaking) if material else S.minor,
        subject=pid,
        summary=f"plan column {side_word(added)}: {one_line(label)}",
    )


def diff_offers(
    eo: Edition, en: Edition, section_map: dict[str | None, str | None], markers: list | None = None
) -> list[Change]:
    plan_map = map_labels(plan_labels(eo.sd.offers), plan_labels(en.sd.offers))
    pairs = align_offers(eo.sd.offers, en.sd.offers, plan_map, section_map)
    ctx = OfferContext(
        section_map=section_map, plan_map=plan_map, markers=markers if markers is not None else []
    )
    out: list[Change] = plan_column_changes(eo, en, plan_map)
    shown = {False: visible_names(en), True: visible_names(eo)}
    for added, offers in ((False, pairs.removed), (True, pairs.added)):
        for x in offers:
            # re-laid out: a table row that is a heading or a list item on the other side
            key = fold_for_match(one_line(x.name))
            moved = key in shown[added] and key not in shown[not added]
            material = offers_something(x) and not moved
            out.append(
                one_sided(
                    added,
                    value=x.name,
                    text=snip(x.description),
                    prov=x.prov,
                    kind=K.offer_added if added else K.offer_removed,
                    severity=(S.major if added else S.breaking) if material else S.minor,
                    offer_id=x.id,
                    section_id=x.section_id,
                    summary=f"offer {side_word(added)}: {x.name}"
                    + (" (still a heading or list item on the other side: re-laid out)" if moved else ""),
                )
            )
    for o, n, _score in pairs.renamed:
        # a row re-grouped ('Area (old name): Feature' -> 'Area: Feature') is a wording change
        same_row = name_similarity(own_words(o.name), own_words(n.name)) >= 0.9
        material = not same_row and (offers_something(o) or offers_something(n))
        out.append(_rename_change(o, n, S.major if material else S.minor, "offer renamed"))
        out += diff_offer(o, n, eo, en, ctx)
    for o, n in pairs.matched:
        verdict = classify_wording(o.name, n.name)
        if verdict is not None:
            out.append(_rename_change(o, n, verdict, "offer name"))
        out += diff_offer(o, n, eo, en, ctx)
    return out


def visible_names(e: Edition) -> set[str]:
    """Headings, list items and short paragraphs of an edition, folded: where a table row's
    label lives when the table is laid out as a list or as sections."""
    out: set[str] = set()
    for seg in e.sd.segments:
        if seg.kind in (SegmentKind.heading, SegmentKind.list_item) or (
            seg.kind is SegmentKind.paragraph and len(seg.text) < 80
        ):
            out.add(fold_for_match(one_line(seg.text)).rstrip(" .:"))
    for sec in e.sd.sections:
        out.add(fold_for_match(one_line(sec.title)).rstrip(" .:"))
    return out


def offers_something(o: Offer) -> bool:
    """Whether a row gives the customer anything: a described offer, a quantity, or some cell
    available in some form. A row of 'No' everywhere, or of plain names (a list of plans laid
    out as a table), added or dropped is not a service change."""
    if o.description or o.facts or any(pv.facts for pv in o.plan_values):
        return True
    if not o.plan_values:
        return o.availability is not Availability.not_available
    return any(_cell_offers(pv) for pv in o.plan_values)


def _states(text: str | None) -> bool:
    """The cell states availability (a mark, an answer, a status or availability word), as
    opposed to a name or a sentence that normalize read as 'included' for want of a mark."""
    return bool(text) and (read_cell(text) is not None or read_words(text) is not None)


def _cell_offers(pv: PlanValue) -> bool:
    if pv.facts:
        return True
    return pv.availability not in (Availability.not_available, Availability.unknown) and _states(pv.text)


def _rename_change(o: Offer, n: Offer, severity: ChangeSeverity, what: str) -> Change:
    """An offer's name changed: a rename found by content, or a reworded name under the same id."""
    return Change(
        kind=K.offer_renamed,
        severity=severity,
        **offer_fields(o, n),
        subject=o.id,
        old=o.name,
        new=n.name,
        redline=redline(tokenize(o.name), tokenize(n.name)),
        summary=f"{what}: {o.name} → {n.name}",
    )


# ---------------------------------------------------------------- entry point


def _dedupe(changes: list[Change]) -> list[Change]:
    seen: set[str] = set()
    out = []
    for c in sorted(changes, key=Change.sort_key):
        key = c.model_dump_json(include={"kind", "offer_id", "subject", "old", "new", "old_text", "new_text"})
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
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


def visible_text(sd: ServiceDescription) -> list[tuple[str, str]]:
    """What a reader sees, in order (front matter aside)."""
    return [(s.kind.value, s.text) for s in sd.segments if s.kind is not SegmentKind.front_matter]


def structure(sd: ServiceDescription) -> str:
    """What normalize read from the visible text (offers, SLA tables, facts outside the front
    matter). Equal visible text normally gives equal structure; a hand-edited model does not."""
    front = {s.id for s in sd.segments if s.kind is SegmentKind.front_matter}
    facts = [f for f in sd.facts if f.segment_id not in front]
    return ServiceDescription(
        document=sd.document.model_copy(update={"front_matter": {}, "title": None, "edition_date": None}),
        offers=sd.offers,
        sla_tables=sd.sla_tables,
        facts=facts,
    ).model_dump_json(exclude={"document"})


def diff_descriptions(
    old: ServiceDescription,
    new: ServiceDescription,
    source_old: ServiceDescription | None = None,
    source_new: ServiceDescription | None = None,
) -> Diff:
    """All changes from ``old`` to ``new``, most severe first; empty for a document vs itself.
    ``source_old``/``source_new``: the source-language editions of the same two dates (``old``
    and ``new`` are their translations): a change the source did not make is ``translation_changed``."""
    diff = _diff(old, new)
    if source_old is None or source_new is None:
        return diff
    source = _diff(source_old, source_new)
    changes = _dedupe(demote_untranslated(diff.changes, source, (old, new), (source_old, source_new)))
    return Diff(old=diff.old, new=diff.new, changes=changes, counts=severity_counts(changes))


def _diff(old: ServiceDescription, new: ServiceDescription) -> Diff:
    if visible_text(old) == visible_text(new) and structure(old) == structure(new):
        # the same words in the same places: front matter alone changed, nothing material can
        changes = _dedupe([c.model_copy(update={"severity": S.cosmetic}) for c in diff_metadata(old, new)])
        return Diff(old=summarize(old), new=summarize(new), changes=changes, counts=severity_counts(changes))
    eo, en = Edition(old), Edition(new)
    section_changes, section_map = diff_sections(eo, en)
    markers: list[tuple[str, str]] = []
    changes = [
        *diff_metadata(old, new),
        *diff_offers(eo, en, section_map, markers),
        *diff_sla(eo, en),
        *diff_facts(document_facts(eo), document_facts(en), eo, en, None),
        *section_changes,
    ]
    changes += number_fallback(changes)
    changes = follow_footnotes(changes, eo.sd.footnotes, en.sd.footnotes, markers)
    changes = _dedupe(fold_explained(changes))
    return Diff(old=summarize(old), new=summarize(new), changes=changes, counts=severity_counts(changes))


__all__ = ["Change", "ChangeKind", "ChangeSeverity", "Diff", "FactKind", "diff_descriptions"]
