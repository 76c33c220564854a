"""Plans between two editions (columns paired in diff/columns.py): cells compared per plan with their availability and status, columns added or dropped, a row's uniform value when no column survived."""

from __future__ import annotations

from collections import defaultdict

from pipeline.diff.baseline import comparison_baseline, said_included
from pipeline.diff.columns import plan_labels
from pipeline.diff.edition import (
    Edition,
    as_printed,
    offer_fields,
    one_line,
    one_sided,
    reworded,
    side_word,
    unique_prov,
)
from pipeline.diff.facts import diff_facts, fact_label, unbounded_change
from pipeline.diff.footnotes import marker_pairs, quiet_drops
from pipeline.diff.model import (
    Change,
    ChangeKind,
    ChangeSeverity,
)
from pipeline.diff.relayout import listed_names, plan_listed
from pipeline.diff.rules import (
    availability_severity,
    fact_severity,
    fact_values_differ,
)
from pipeline.diff.text import (
    classify_wording,
    redline,
    tokenize,
)
from pipeline.normalize.marks import read_cell, read_words
from pipeline.normalize.model import (
    Availability,
    Fact,
    Offer,
    PlanValue,
    SegmentKind,
)
from pipeline.textutil import fold_for_match

K = ChangeKind
S = ChangeSeverity


def _pair_plans(
    old: list[PlanValue], new: list[PlanValue], plan_map: dict[str, str], split: dict[str, str] | None = None
) -> list[tuple[PlanValue | None, PlanValue | None]]:
    """Cells of one offer row paired through the document's plan-column mapping (several old
    columns may map to one merged new column: each pairs with its cell; a new column split out
    of an old one, ``split`` new id -> old id, pairs with the old column's cell). A cell whose
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
        # several old columns merged into one new column all pair with its cell
        cands = new_by.get(target) or []
        q = (cands.pop(0) if len(cands) > 1 else cands[0]) if cands else None
        if q is not None:
            used.add(id(q))
        pairs.append((p, q))
    old_by = {p.plan_id: p for p in reversed(old)}
    for q in new:
        if id(q) in used:
            continue
        if split and q.plan_id in split and split[q.plan_id] in old_by:
            pairs.append((old_by[split[q.plan_id]], q))
        elif q.plan_id in mapped_new:
            pairs.append((None, q))
    return pairs


def _av(a: Availability | None) -> str | None:
    return a.value if a is not None else None


def diff_plan_values(
    o: Offer,
    n: Offer,
    eo: Edition,
    en: Edition,
    plan_map: dict[str, str],
    markers: list | None = None,
    quiet: list | None = None,
    split: dict[str, str] | None = None,
) -> list[Change]:
    out: list[Change] = []
    cells = _pair_plans(o.plan_values, n.plan_values, plan_map, split)
    if markers is not None:
        markers += marker_pairs(o, n, cells)
    if quiet is not None:
        quiet += quiet_drops(o, cells)
    compared: set[tuple] = set()
    for p, q in cells:
        if p is not None and q is not None:
            # merged columns: old cells saying the same thing compare once with their new cell
            key = (id(q), p.availability, p.text)
            if key in compared:
                continue
            compared.add(key)
        plan = (q or p).plan_id  # type: ignore[union-attr]
        pa = p.availability if p is not None else None
        qa = q.availability if q is not None else None
        bound = unbounded_change(n.name, p, q, plan, offer_fields(o, n))
        if bound is not None:  # a quantity <-> 'no limit': a value, not an availability word
            out.append(bound)
            continue
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
                    summary=f"{n.name} / {(q or p).plan}: {_av(pa) or 'absent'} → {_av(qa) or 'absent'}"  # type: ignore[union-attr]
                    + as_printed(p.text if p else None, q.text if q else None),
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
            p is not None and q is not None
            for p, q in _pair_plans(o.plan_values, n.plan_values, plan_map, split)
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
                old=fact_label(f),
                new=fact_label(g),
                old_text=f.text,
                new_text=g.text,
                summary=f"{n.name}, every plan: {fact_label(f)} → {fact_label(g)}",
            )
        )
    return out


def plan_column_changes(
    eo: Edition,
    en: Edition,
    plan_map: dict[str, str],
    gone: set[str],
    laid_out: set[str],
    split: dict[str, str] | None = None,
    baselines: set[str] | None = None,
) -> list[Change]:
    """Plan columns renamed, dropped or added, once per plan rather than once per row; a column
    whose plan is a heading or list item on the other side was re-laid out (minor), and so are the
    columns of a new table that lays out sections of the old edition (diff/relayout.py). ``gone``:
    old tables that left the new edition; ``laid_out``: new tables of re-laid-out sections;
    ``split``: new columns split out of an old column that listed their plans (minor);
    ``baselines`` receives the old comparison columns dropped (diff/baseline.py)."""
    lo, ln = plan_labels(eo.sd.offers), plan_labels(en.sd.offers)
    shown_o, shown_n = visible_names(eo), visible_names(en)
    in_gone = {pv.plan_id for o in eo.sd.offers for pv in o.plan_values if pv.table_id in gone}
    names_n = listed_names(en) if in_gone else []
    out: list[Change] = []
    for pid, label in lo.items():
        target = plan_map.get(pid)
        if target is None:
            # a column of a table gone whose plan is still listed was re-laid out as a list
            listed = _newly_listed(label, shown_o, shown_n) or (
                pid in in_gone and plan_listed(label, names_n)
            )
            if not listed and comparison_baseline(
                eo.sd.offers, pid, plan_map, en, label, _cell_offers, _states
            ):
                out.append(_baseline_dropped(pid, label))
                if baselines is not None:
                    baselines.add(pid)
                continue
            out.append(
                _plan_column_change(False, pid, label, _column_offers(eo.sd.offers, pid) and not listed)
            )
        elif classify_wording(label, ln[target]) is not None:
            merged = sum(t == target for t in plan_map.values()) > 1
            out.append(
                Change(
                    kind=K.text_changed,
                    severity=S.minor if merged else classify_wording(label, ln[target]) or S.minor,
                    subject=f"plan:{target}",
                    old=one_line(label),
                    new=one_line(ln[target]),
                    redline=redline(tokenize(label), tokenize(ln[target])),
                    summary=f"plan {'column merged' if merged else 'renamed'}: {one_line(label)} → {one_line(ln[target])}",
                )
            )
    mapped = set(plan_map.values())
    for pid, label in ln.items():
        if pid in mapped or pid in (split or {}):
            continue
        material = (
            _column_offers(en.sd.offers, pid)
            and not _newly_listed(label, shown_n, shown_o)
            and not _only_in(en.sd.offers, pid, laid_out)
        )
        restated = material and said_included(en.sd.offers, pid, eo, label, _cell_offers, _states)
        change = _plan_column_change(True, pid, label, material and not restated)
        if restated:
            note = " (the old edition already said this plan includes it; every cell is included)"
            change = change.model_copy(update={"summary": change.summary + note})
        out.append(change)
    out += [
        Change(
            kind=K.text_changed,
            severity=S.minor,
            subject=f"plan:{pid}",
            old=one_line(lo[a]),
            new=one_line(ln[pid]),
            summary=f"plan column split out: {one_line(lo[a])} → {one_line(ln[pid])}",
        )
        for pid, a in sorted((split or {}).items())
        if pid in ln and a in lo
    ]
    return out


def _only_in(offers: list[Offer], pid: str, tables: set[str]) -> bool:
    """Every cell of the column lies in one of ``tables``."""
    found = {pv.table_id for o in offers for pv in o.plan_values if pv.plan_id == pid}
    return bool(found) and found <= tables


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


def _baseline_dropped(pid: str, label: str) -> Change:
    """A comparison column dropped (diff/baseline.py): the table changed, no plan lost a feature."""
    return one_sided(
        False,
        value="listed",
        text=one_line(label),
        kind=K.availability_changed,
        severity=S.minor,
        subject=pid,
        summary=f"comparison column dropped: {one_line(label)} (its features are in every remaining plan; still named)",
    )


def baseline_feature(o: Offer, baselines: set[str]) -> bool:
    """A row the dropped comparison column included: a feature of the base service (still named),
    no longer compared, not taken from the add-on's customers."""
    return any(pv.plan_id in baselines and _cell_offers(pv) for pv in o.plan_values)


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
