"""``diff_descriptions(old, new) -> Diff``: what changed between two editions, for a contract team.

Works on the offer schema first (offers, availability per plan, SLA rows, facts, conditions),
then on the text outside it (sections and segments, word-level redline). Everything is compared
on normalised text and values, never on pages, lines, bounding boxes, table or segment ids
(those depend on layout and differ between a PDF and its Markdown source).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.extract.model import Provenance
from pipeline.normalize.model import (
    Availability,
    Fact,
    FactKind,
    Offer,
    PlanValue,
    Section,
    Segment,
    SegmentKind,
    ServiceDescription,
    SlaResponse,
    SlaRow,
    SlaTable,
)
from pipeline.textutil import fold_for_match
from pipeline.validate.diff_content import Hunk, Unit, diff_units, strip_note_label
from pipeline.validate.diff_match import category_key, greedy_pairs, pair_offers
from pipeline.validate.diff_model import (
    Change,
    ChangeKind,
    ChangeSeverity,
    Diff,
    EditionSummary,
    severity_counts,
)
from pipeline.validate.diff_rules import (
    availability_severity,
    fact_severity,
    fact_values_differ,
    format_minutes,
    higher_is_worse,
    response_severity,
)
from pipeline.validate.diff_text import (
    classify_wording,
    condition_marker_count,
    has_condition,
    is_word,
    masked_key,
    norm_text,
    redline,
    similarity,
    strip_accents,
    text_key,
    tokenize,
)

K = ChangeKind
S = ChangeSeverity
SNIPPET = 300


# ---------------------------------------------------------------- edition context


_STAMP = re.compile(
    r"^(edition|version|published|updated|date de publication|mise a jour)\s*:?\s*[\w ,./-]{0,30}\d{4}$",
)


def is_edition_stamp(text: str | None) -> bool:
    """'Edition: 4 June 2021' printed in a title block: metadata (compared apart), not content."""
    return bool(_STAMP.match(strip_accents(norm_text(text).casefold())))


_STAMP_NAMES = {"edition", "version", "published", "updated", "date de publication", "mise a jour"}
_DATE_HEAD = re.compile(r"^(\d{1,2}(er)? \w+ \d{4}|\w+ \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})\b")


def _is_stamp_offer(o: Offer) -> bool:
    """An 'offer' made of the title-block line 'Edition: 4 June 2021' (and what followed it)."""
    name = strip_accents(norm_text(o.name).casefold())
    desc = strip_accents(norm_text(o.description).casefold())
    return name in _STAMP_NAMES and not o.plan_values and bool(_DATE_HEAD.match(desc))


def _is_note_offer(o: Offer) -> bool:
    """An 'offer' named after a PDF note box's label ('Note You can learn …'): layout, not an offer."""
    return strip_note_label(o.name) != o.name and not o.plan_values


def _dropped_offer(o: Offer) -> bool:
    return _is_stamp_offer(o) or _is_note_offer(o)


class Edition:
    """Look-ups over one ServiceDescription built once per diff (title-block stamps set aside)."""

    def __init__(self, sd: ServiceDescription) -> None:
        if any(_dropped_offer(o) for o in sd.offers):
            sd = sd.model_copy(update={"offers": [o for o in sd.offers if not _dropped_offer(o)]})
        self.sd = sd
        self.segments: dict[str, Segment] = {s.id: s for s in sd.segments}
        self.sections: dict[str, Section] = {s.id: s for s in sd.sections}
        self.cells: dict[tuple[str, int, int], Segment] = {}
        for s in sd.segments:
            if s.table is not None:
                self.cells.setdefault((s.table.table_id, s.table.row, s.table.col), s)
        self.offer_tables = {o.table_id for o in sd.offers if o.table_id}
        self.sla_tables = {t.id for t in sd.sla_tables}
        self.offer_segments = {sid for o in sd.offers for sid in o.segment_ids}
        self.condition_keys = {text_key(c) for o in sd.offers for c in o.conditions}

    def context(self, fact: Fact) -> str:
        """The words around a fact: its sentence, plus row and column titles for a table cell."""
        seg = self.segments.get(fact.segment_id or "")
        if seg is None:
            return fact.text
        parts = [seg.text]
        if seg.table is not None:
            for key in ((seg.table.table_id, seg.table.row, 0), (seg.table.table_id, 0, seg.table.col)):
                cell = self.cells.get(key)
                if cell is not None and cell.id != seg.id:
                    parts.insert(0, cell.text)
        return " | ".join(parts)

    def in_structured_table(self, seg: Segment) -> bool:
        return seg.table is not None and (
            seg.table.table_id in self.offer_tables or seg.table.table_id in self.sla_tables
        )


def summarize(sd: ServiceDescription) -> EditionSummary:
    d = sd.document
    return EditionSummary(
        title=d.title,
        language=d.language,
        edition_date=d.edition_date,
        source=d.source,
        sha256=d.sha256,
        format=d.format.value if hasattr(d.format, "value") else str(d.format),
        pages=d.pages,
    )


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _snip(text: str | None) -> str | None:
    if text is None:
        return None
    text = norm_text(text)
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"


def _prov(items: Iterable[Provenance]) -> list[Provenance]:
    out: list[Provenance] = []
    for p in items:
        if p not in out:
            out.append(p)
    return out


def _offer_fields(o: Offer, n: Offer) -> dict:
    """The Change fields every offer-level change shares: the new offer's id and section, both
    offers' provenance."""
    return {
        "offer_id": n.id,
        "section_id": n.section_id,
        "old_prov": _prov(o.prov),
        "new_prov": _prov(n.prov),
    }


def _reworded(a: str, b: str) -> dict:
    """The Change fields of a wording change: both texts and their word-level redline."""
    return {"old_text": a, "new_text": b, "redline": redline(tokenize(a), tokenize(b))}


def _word(added: bool) -> str:
    return "added" if added else "removed"


def _one_sided(
    added: bool,
    *,
    value: str | None = None,
    text: str | None = None,
    prov: Iterable[Provenance] | None = None,
    **fields,
) -> Change:
    """A change present on one side only: ``value``/``text``/``prov`` go to the new side when
    ``added``, to the old side when removed; ``fields`` are the other Change fields."""
    side = "new" if added else "old"
    if prov is not None:
        fields[f"{side}_prov"] = _prov(prov)
    return Change(**{side: value, f"{side}_text": text}, **fields)


def _condition_change(added: bool) -> tuple[ChangeKind, ChangeSeverity]:
    """A condition added is breaking for the customer; one removed is major."""
    return (K.condition_added, S.breaking) if added else (K.condition_removed, S.major)


def _condition_shift(a: str, b: str) -> tuple[ChangeKind, ChangeSeverity, str] | None:
    """A minor rewording that adds (tightened) or drops (relaxed) a condition marker, else None."""
    ca, cb = condition_marker_count(a), condition_marker_count(b)
    if cb == ca:
        return None
    kind, sev = _condition_change(cb > ca)
    return kind, sev, "condition tightened" if cb > ca else "condition relaxed"


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
                old_text=_snip(ot),
                new_text=_snip(nt),
                redline=redline(tokenize(ot), tokenize(nt)),
                old_prov=_prov(f.prov or (seg_o.prov if seg_o else [])),
                new_prov=_prov(g.prov or (seg_n.prov if seg_n else [])),
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
    new_by = {p.plan_id: p for p in new}
    mapped_new = set(plan_map.values())
    pairs: list[tuple[PlanValue | None, PlanValue | None]] = []
    used: set[str] = set()
    for p in old:
        target = plan_map.get(p.plan_id)
        if target is None:
            continue  # whole column removed
        q = new_by.get(target)
        if q is not None:
            used.add(target)
        pairs.append((p, q))
    for q in new:
        if q.plan_id not in used and q.plan_id in mapped_new:
            pairs.append((None, q))
    return pairs


def _av(a: Availability | None) -> str | None:
    return a.value if a is not None else None


def diff_plan_values(o: Offer, n: Offer, eo: Edition, en: Edition, plan_map: dict[str, str]) -> list[Change]:
    out: list[Change] = []
    for p, q in _pair_plans(o.plan_values, n.plan_values, plan_map):
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
                        **_reworded(p.text, q.text),
                        old_prov=_prov(o.prov),
                        new_prov=_prov(n.prov),
                        summary=f"{n.name} / {q.plan}: {p.text} → {q.text}",
                    )
                )
        elif pa != qa:
            out.append(
                Change(
                    kind=K.availability_changed,
                    severity=availability_severity(pa, qa),
                    **_offer_fields(o, n),
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
                **_offer_fields(o, n),
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
                kind, sev = _condition_change(added)
                out.append(
                    _one_sided(
                        added,
                        text=t,
                        kind=kind,
                        severity=sev,
                        **_offer_fields(o, n),
                        summary=f"{n.name}: condition {_word(added)}",
                    )
                )
    return out


def _condition_edit(n: Offer, a: str, b: str) -> Change:
    verdict = classify_wording(a, b) or S.cosmetic
    kind, sev, what = K.text_changed, verdict, "condition reworded"
    if verdict is S.minor:
        shift = _condition_shift(a, b)
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
        **_reworded(a, b),
        new_prov=_prov(n.prov),
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
                **_offer_fields(o, n),
                subject="category",
                old=" > ".join(o.category),
                new=" > ".join(n.category),
                summary=f"{n.name}: moved from {' > '.join(o.category)} to {' > '.join(n.category)}",
            )
        )
    if o.availability != n.availability:
        out.append(
            Change(
                kind=K.availability_changed,
                severity=availability_severity(o.availability, n.availability),
                **_offer_fields(o, n),
                subject="availability",
                old=o.availability.value,
                new=n.availability.value,
                old_text=o.availability_mark,
                new_text=n.availability_mark,
                summary=f"{n.name}: {o.availability.value} → {n.availability.value}",
            )
        )
    out += diff_plan_values(o, n, eo, en, ctx.plan_map)
    out += diff_facts(offer_facts(eo.sd, o), offer_facts(en.sd, n), eo, en, n.id, label=n.name)
    out += diff_conditions(o, n)
    out += hunks_to_changes(diff_units(offer_units(eo, o), offer_units(en, n)), n.id, n.section_id)
    return out


@dataclass(frozen=True)
class OfferContext:
    section_map: dict[str | None, str | None]
    plan_map: dict[str, str]


def plan_column_changes(eo: Edition, en: Edition, plan_map: dict[str, str]) -> list[Change]:
    """Plan columns renamed, dropped or added, once per plan rather than once per row."""
    lo, ln = plan_labels(eo.sd.offers), plan_labels(en.sd.offers)
    out: list[Change] = []
    for pid, label in lo.items():
        target = plan_map.get(pid)
        if target is None:
            out.append(_plan_column_change(False, pid, label))
        elif classify_wording(label, ln[target]) is not None:
            out.append(
                Change(
                    kind=K.text_changed,
                    severity=classify_wording(label, ln[target]) or S.minor,
                    subject=f"plan:{target}",
                    old=_one_line(label),
                    new=_one_line(ln[target]),
                    redline=redline(tokenize(label), tokenize(ln[target])),
                    summary=f"plan renamed: {_one_line(label)} → {_one_line(ln[target])}",
                )
            )
    mapped = set(plan_map.values())
    out += [_plan_column_change(True, pid, label) for pid, label in ln.items() if pid not in mapped]
    return out


def _plan_column_change(added: bool, pid: str, label: str) -> Change:
    """A whole plan column gone (breaking) or new (major)."""
    return _one_sided(
        added,
        value="listed",
        text=_one_line(label),
        kind=K.availability_changed,
        severity=S.major if added else S.breaking,
        subject=pid,
        summary=f"plan column {_word(added)}: {_one_line(label)}",
    )


def diff_offers(eo: Edition, en: Edition, section_map: dict[str | None, str | None]) -> list[Change]:
    plan_map = map_labels(plan_labels(eo.sd.offers), plan_labels(en.sd.offers))
    pairs = pair_offers(eo.sd.offers, en.sd.offers, plan_map, section_map)
    ctx = OfferContext(section_map=section_map, plan_map=plan_map)
    out: list[Change] = plan_column_changes(eo, en, plan_map)
    for added, offers in ((False, pairs.removed), (True, pairs.added)):
        out += [
            _one_sided(
                added,
                value=x.name,
                text=_snip(x.description),
                prov=x.prov,
                kind=K.offer_added if added else K.offer_removed,
                severity=S.major if added else S.breaking,
                offer_id=x.id,
                section_id=x.section_id,
                summary=f"offer {_word(added)}: {x.name}",
            )
            for x in offers
        ]
    for o, n, _score in pairs.renamed:
        out.append(_rename_change(o, n, S.major, "offer renamed"))
        out += diff_offer(o, n, eo, en, ctx)
    for o, n in pairs.matched:
        verdict = classify_wording(o.name, n.name)
        if verdict is not None:
            out.append(_rename_change(o, n, verdict, "offer name"))
        out += diff_offer(o, n, eo, en, ctx)
    return out


def _rename_change(o: Offer, n: Offer, severity: ChangeSeverity, what: str) -> Change:
    """An offer's name changed: a rename found by content, or a reworded name under the same id."""
    return Change(
        kind=K.offer_renamed,
        severity=severity,
        **_offer_fields(o, n),
        subject=o.id,
        old=o.name,
        new=n.name,
        redline=redline(tokenize(o.name), tokenize(n.name)),
        summary=f"{what}: {o.name} → {n.name}",
    )


# ---------------------------------------------------------------- SLA tables


def _table_signature(t: SlaTable) -> str:
    return " ".join([t.title or "", *t.columns, *(r.severity for r in t.rows)])


def _pair_sla_tables(old: list[SlaTable], new: list[SlaTable]) -> list[tuple[SlaTable, SlaTable]]:
    if len(old) == len(new):
        return list(zip(old, new, strict=True))
    scored = (
        (similarity(_table_signature(a), _table_signature(b)), i, j)
        for i, a in enumerate(old)
        for j, b in enumerate(new)
    )
    pairs = [(old[i], new[j]) for _s, i, j in greedy_pairs(scored, 0.5)]
    return sorted(pairs, key=lambda p: old.index(p[0]))


def _sev_key(row: SlaRow) -> str:
    return text_key(row.severity)


def _pair_responses(
    old: list[SlaResponse], new: list[SlaResponse], mapping: dict[str, str]
) -> list[tuple[SlaResponse | None, SlaResponse | None]]:
    nb = {r.scope_id: r for r in new}
    pairs: list[tuple[SlaResponse | None, SlaResponse | None]] = []
    for r in old:
        target = mapping.get(r.scope_id)
        pairs.append((r, nb.get(target) if target else None))
    mapped = set(mapping.values())
    pairs += [(None, r) for r in new if r.scope_id not in mapped]
    return pairs


def _scope_profiles(t: SlaTable) -> dict[str, tuple[str, dict[str, int | None], int]]:
    """scope id -> (label, {severity: minutes}, column position) for one response table."""
    out: dict[str, tuple[str, dict[str, int | None], int]] = {}
    for row in t.rows:
        for pos, r in enumerate(row.first_response):
            label, times, first_pos = out.get(r.scope_id, (r.scope, {}, pos))
            times[_sev_key(row)] = r.minutes
            out[r.scope_id] = (label, times, first_pos)
    return out


def map_scopes(ta: SlaTable, tb: SlaTable) -> dict[str, str]:
    """Old scope id -> new scope id for a pair of response tables: same id, else the column whose
    name and response times per severity agree best (column names get reworded or re-translated
    between editions; the times per severity rarely all change at once)."""
    pa, pb = _scope_profiles(ta), _scope_profiles(tb)
    mapping = {i: i for i in pa if i in pb}
    lo = [i for i in pa if i not in mapping]
    ln = [i for i in pb if i not in mapping.values()]
    width_a, width_b = max(len(pa), 1), max(len(pb), 1)
    scored = []
    for x, a in enumerate(lo):
        la, ta_times, pos_a = pa[a]
        for y, b in enumerate(ln):
            lb, tb_times, pos_b = pb[b]
            shared = [k for k in ta_times if k in tb_times]
            same_times = sum(ta_times[k] == tb_times[k] for k in shared) / len(shared) if shared else 0.0
            place = 1.0 - abs(pos_a / width_a - pos_b / width_b)
            score = 0.45 * similarity(la, lb) + 0.4 * same_times + 0.15 * place
            scored.append((score, x, y))
    mapping.update((lo[x], ln[y]) for _s, x, y in greedy_pairs(scored, 0.5))
    return mapping


def diff_sla(eo: Edition, en: Edition) -> list[Change]:
    out: list[Change] = []
    for ta, tb in _pair_sla_tables(eo.sd.sla_tables, en.sd.sla_tables):
        scopes = map_scopes(ta, tb)
        rows_b = {_sev_key(r): r for r in tb.rows}
        keys_a = {_sev_key(r) for r in ta.rows}
        for ra in ta.rows:
            rb = rows_b.get(_sev_key(ra))
            if rb is None:
                out.append(_sla_row_change(False, ra, ta))
                continue
            out += _diff_sla_row(ra, rb, tb, scopes)
        out += [_sla_row_change(True, rb, tb) for rb in tb.rows if _sev_key(rb) not in keys_a]
    return out


def _sla_row_change(added: bool, row: SlaRow, table: SlaTable) -> Change:
    """A severity level gone from (breaking) or new in (major) a response table."""
    return _one_sided(
        added,
        value=row.severity,
        text=_snip(" ".join([row.situation, row.our_response])),
        prov=row.prov,
        kind=K.sla_changed,
        severity=S.major if added else S.breaking,
        section_id=table.section_id,
        subject=f"{row.severity}",
        summary=f"severity {row.severity} {'added to' if added else 'removed from'} the response table",
    )


def _no_commitment(text: str) -> bool:
    t = fold_for_match(text)
    return any(
        w in t for w in ("no commitment", "aucun engagement", "pas d'engagement", "not applicable", "n/a")
    )


def _diff_sla_row(ra: SlaRow, rb: SlaRow, tb: SlaTable, scopes: dict[str, str]) -> list[Change]:
    out: list[Change] = []
    row = {"section_id": tb.section_id, "old_prov": _prov(ra.prov), "new_prov": _prov(rb.prov)}
    for a, b in _pair_responses(ra.first_response, rb.first_response, scopes):
        scope = (b or a).scope_id  # type: ignore[union-attr]
        subject = f"{rb.severity}/{scope}"
        if a is None or b is None:
            sev = S.major if a is None else S.breaking
            out.append(
                Change(
                    kind=K.sla_changed,
                    severity=sev,
                    **row,
                    subject=subject,
                    old=format_minutes(a.minutes, a.business_hours) if a else None,
                    new=format_minutes(b.minutes, b.business_hours) if b else None,
                    old_text=a.text if a else None,
                    new_text=b.text if b else None,
                    summary=f"severity {rb.severity}, {_one_line((b or a).scope)}: response {'added' if a is None else 'removed'}",  # type: ignore[union-attr]
                )
            )
            continue
        sev = response_severity(a.minutes, b.minutes, a.business_hours, b.business_hours)
        if sev is None and a.minutes is None and classify_wording(a.text, b.text) not in (None, S.cosmetic):
            # neither side parsed to minutes ("next day", "no commitment"): judge the words
            no_a, no_b = _no_commitment(a.text), _no_commitment(b.text)
            sev = None if no_a and no_b else S.breaking if no_b else S.major if no_a else S.minor
        if sev is None:
            continue
        old_v, new_v = (
            format_minutes(a.minutes, a.business_hours),
            format_minutes(b.minutes, b.business_hours),
        )
        out.append(
            Change(
                kind=K.sla_changed,
                severity=sev,
                **row,
                subject=subject,
                old=old_v,
                new=new_v,
                **_reworded(a.text, b.text),
                summary=f"severity {rb.severity}, {_one_line(b.scope)}: first response {old_v} → {new_v}",
            )
        )
    verdict = classify_wording(ra.situation, rb.situation)
    if verdict is not None:
        out.append(
            Change(
                kind=K.text_changed,
                severity=verdict,
                **row,
                subject=f"{rb.severity}/situation",
                **_reworded(ra.situation, rb.situation),
                summary=f"severity {rb.severity}: situation reworded",
            )
        )
    return out


# ---------------------------------------------------------------- sections and segments


def section_units(e: Edition) -> dict[str | None, list[Unit]]:
    """Segments per section, minus what the offer schema compares (offer text, conditions,
    offer/SLA table cells) and minus front matter."""
    out: dict[str | None, list[Unit]] = defaultdict(list)
    for seg in e.sd.segments:
        if seg.kind is SegmentKind.front_matter or seg.id in e.offer_segments or e.in_structured_table(seg):
            continue
        if text_key(seg.text) in e.condition_keys or not seg.text.strip() or is_edition_stamp(seg.text):
            continue
        out[seg.section_id].append(Unit(strip_note_label(seg.text), seg.id, None, list(seg.prov)))
    return out


def _section_title(e: Edition, sid: str | None) -> str:
    s = e.sections.get(sid or "")
    return s.title if s else ""


def pair_sections(eo: Edition, en: Edition, uo: dict, un: dict) -> tuple[list[tuple], list, list]:
    """Sections by id, then by folded title, then by content similarity (a renamed heading)."""
    # every section, plus text whose section is unknown to the section list (kept, never dropped)
    old_ids = list(dict.fromkeys([s.id for s in eo.sd.sections] + list(uo)))
    new_ids = list(dict.fromkeys([s.id for s in en.sd.sections] + list(un)))
    new_set = set(new_ids)
    pairs = [(i, i) for i in old_ids if i in new_set]
    lo = [i for i in old_ids if i not in new_set]
    ln = [i for i in new_ids if i not in set(old_ids)]
    by_title: dict[str, list] = defaultdict(list)
    for i in ln:
        by_title[fold_for_match(_section_title(en, i))].append(i)
    rest_o = []
    for i in lo:
        cand = by_title.get(fold_for_match(_section_title(eo, i)))
        if cand:
            pairs.append((i, cand.pop(0)))
        else:
            rest_o.append(i)
    rest_n = [i for i in ln if i not in {p[1] for p in pairs}]
    text_o = {i: " ".join(u.text for u in uo.get(i, [])) for i in rest_o}
    text_n = {i: " ".join(u.text for u in un.get(i, [])) for i in rest_n}
    long_o = {i for i, t in text_o.items() if len(text_key(t)) > 30}
    long_n = {i for i, t in text_n.items() if len(text_key(t)) > 30}
    kept = greedy_pairs(
        (
            (similarity(text_o[a], text_n[b]), x, y)
            for x, a in enumerate(rest_o)
            for y, b in enumerate(rest_n)
            if a in long_o and b in long_n
        ),
        0.6,
    )
    ux = {x for _s, x, _y in kept}
    uy = {y for _s, _x, y in kept}
    pairs += [(rest_o[x], rest_n[y]) for _s, x, y in kept]
    removed = [a for x, a in enumerate(rest_o) if x not in ux]
    added = [b for y, b in enumerate(rest_n) if y not in uy]
    return pairs, removed, added


def _outermost(e: Edition, ids: list) -> list:
    """Drop sections whose parent is in the same list (report a removed chapter once)."""
    chosen = set(ids)
    out = []
    for i in ids:
        s = e.sections.get(i or "")
        parent = s.parent if s else None
        skip = False
        while parent:
            if parent in chosen:
                skip = True
                break
            p = e.sections.get(parent)
            parent = p.parent if p else None
        if not skip:
            out.append(i)
    return out


def diff_sections(eo: Edition, en: Edition) -> tuple[list[Change], dict[str | None, str | None]]:
    """Section changes and text redlines; also returns the old -> new section mapping."""
    uo, un = section_units(eo), section_units(en)
    pairs, removed, added = pair_sections(eo, en, uo, un)
    out: list[Change] = []
    for is_added, e, ids, units in ((False, eo, removed, uo), (True, en, added, un)):
        for sid in _outermost(e, ids):
            s = e.sections.get(sid or "")
            if s is None:
                continue
            out.append(
                _one_sided(
                    is_added,
                    value=s.title,
                    text=_snip(" ".join(u.text for u in units.get(sid, []))) or None,
                    prov=s.prov,
                    kind=K.section_added if is_added else K.section_removed,
                    severity=S.minor,
                    section_id=sid,
                    summary=f"section {_word(is_added)}: {s.title}",
                )
            )
    for a, b in pairs:
        out += hunks_to_changes(diff_units(uo.get(a, []), un.get(b, [])), None, b)
    return out, dict(pairs)


def hunks_to_changes(hunks: list[Hunk], offer_id: str | None, section_id: str | None) -> list[Change]:
    out: list[Change] = []
    for h in hunks:
        ot, nt = h.old_text, h.new_text
        oid = offer_id or next((u.offer_id for u in [*h.new, *h.old] if u.offer_id), None)
        base = {
            "offer_id": oid,
            "section_id": section_id,
            "old_text": ot,
            "new_text": nt,
            "redline": h.redline,
            "old_prov": _prov(p for u in h.old for p in u.prov),
            "new_prov": _prov(p for u in h.new for p in u.prov),
        }
        if not h.old or not h.new:
            added = not h.old
            if has_condition(nt if added else ot):
                kind, sev = _condition_change(added)
                out.append(Change(kind=kind, severity=sev, summary=f"condition {_word(added)}", **base))
            else:
                out.append(
                    Change(kind=K.text_changed, severity=S.minor, summary=f"text {_word(added)}", **base)
                )
            continue
        verdict = classify_wording(ot, nt)
        if verdict is None:
            continue
        shift = _condition_shift(ot, nt) if verdict is S.minor else None
        if shift is not None:
            kind, sev, what = shift
            out.append(Change(kind=kind, severity=sev, summary=what, **base))
            continue
        summary = "reworded" if verdict is S.minor else "punctuation, case, order or synonyms only"
        out.append(Change(kind=K.text_changed, severity=verdict, summary=summary, **base))
    return out


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


def diff_descriptions(old: ServiceDescription, new: ServiceDescription) -> Diff:
    """All changes from ``old`` to ``new``, most severe first; empty for a document vs itself."""
    eo, en = Edition(old), Edition(new)
    section_changes, section_map = diff_sections(eo, en)
    changes = [
        *diff_metadata(old, new),
        *diff_offers(eo, en, section_map),
        *diff_sla(eo, en),
        *diff_facts(document_facts(eo), document_facts(en), eo, en, None),
        *section_changes,
    ]
    changes += number_fallback(changes)
    changes = _dedupe(changes)
    return Diff(old=summarize(old), new=summarize(new), changes=changes, counts=severity_counts(changes))


__all__ = ["Change", "ChangeKind", "ChangeSeverity", "Diff", "FactKind", "diff_descriptions"]
