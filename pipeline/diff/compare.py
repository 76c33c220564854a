"""``diff_descriptions(old, new) -> Diff``: what changed between two editions, for a contract team.

Works on the offer schema first (offers, availability per plan, SLA rows, facts, conditions),
then on the text outside it (sections and segments, word-level redline). Everything is compared
on normalised text and values, never on pages, lines, bounding boxes, table or segment ids
(those depend on layout and differ between a PDF and its Markdown source).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.diff.bilingual import RowHint, adopt_source_conditions, demote_untranslated, row_hint
from pipeline.diff.columns import map_plan_columns, split_columns
from pipeline.diff.conditions import diff_conditions
from pipeline.diff.content import Unit, diff_units, strip_note_label
from pipeline.diff.edition import (
    Edition,
    as_printed,
    offer_fields,
    one_line,
    one_sided,
    side_word,
    snip,
    summarize,
)
from pipeline.diff.ending import announced_end
from pipeline.diff.explain import fold_explained
from pipeline.diff.facts import diff_facts, diff_terms, document_facts, number_fallback, offer_facts
from pipeline.diff.footnotes import follow_footnotes
from pipeline.diff.match import OfferPairs, category_key, name_similarity, own_words
from pipeline.diff.model import (
    Change,
    ChangeKind,
    ChangeSeverity,
    Diff,
    severity_counts,
)
from pipeline.diff.plans import (
    baseline_feature,
    diff_plan_values,
    offers_something,
    plan_column_changes,
    visible_names,
)
from pipeline.diff.relayout import (
    gone_tables,
    heading_led,
    listed_names,
    relaid_as_lists,
    sections_laid_out,
    stated_in_prose,
)
from pipeline.diff.rows import align_offers, split_from
from pipeline.diff.rules import (
    availability_severity,
)
from pipeline.diff.sections import diff_sections, hunks_to_changes
from pipeline.diff.sla import diff_sla
from pipeline.diff.text import (
    classify_wording,
    redline,
    text_key,
    tokenize,
)
from pipeline.normalize.model import (
    FactKind,
    Offer,
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


# ---------------------------------------------------------------- offers


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
                summary=f"{n.name}: {o.availability.value} → {n.availability.value}"
                + as_printed(o.availability_mark, n.availability_mark),
            )
        )
    out += diff_plan_values(o, n, eo, en, ctx.plan_map, ctx.markers, ctx.quiet, ctx.split)
    facts = diff_facts(offer_facts(eo.sd, o), offer_facts(en.sd, n), eo, en, n.id, label=n.name)
    out += facts
    out += diff_terms(o, n, said=facts)
    out += diff_conditions(o, n)
    units = offer_units(eo, o)
    out += hunks_to_changes(diff_units(units, offer_units(en, n)), n.id, n.section_id, units)
    return out


def _moved_note(x: Offer, added: bool, en: Edition) -> str:
    if not added and stated_in_prose(x, en):
        return "its value is stated in the text on the other side"
    return "still a heading or list item on the other side"


@dataclass(frozen=True)
class OfferContext:
    section_map: dict[str | None, str | None]
    plan_map: dict[str, str]
    #: ((table, marker) old, (table, marker) new) footnote markers of paired cells, filled while rows are compared
    markers: list[tuple] = field(default_factory=list)
    #: (table, marker, row, plan) of markers dropped from cells that say no on both sides
    quiet: list[tuple] = field(default_factory=list)
    #: new plan id -> the old plan id of the column it was split out of
    split: dict[str, str] = field(default_factory=dict)


def diff_offers(
    eo: Edition,
    en: Edition,
    section_map: dict[str | None, str | None],
    markers: list | None = None,
    quiet: list | None = None,
    hint: RowHint | None = None,
    pairing: list[OfferPairs] | None = None,
) -> list[Change]:
    """Changes of the offers. ``hint``: the source language's row pairing (this is a translation);
    ``pairing`` receives the row pairing used here."""
    plan_map = map_plan_columns(eo.sd.offers, en.sd.offers)
    split = split_columns(eo.sd.offers, en.sd.offers, plan_map)
    pairs = align_offers(eo.sd.offers, en.sd.offers, plan_map, section_map, hint)
    if pairing is not None:
        pairing.append(pairs)
    ctx = OfferContext(
        section_map=section_map,
        plan_map=plan_map,
        markers=markers if markers is not None else [],
        quiet=quiet if quiet is not None else [],
        split=split,
    )
    kept_rows = {o.id for o, n, *_ in [*pairs.matched, *pairs.renamed] if n.plan_values}
    gone = gone_tables(eo.sd.offers, plan_map, kept_rows)
    shown = {False: visible_names(en), True: visible_names(eo)}
    names_n = listed_names(en) if gone else []

    def moved(x: Offer, added: bool) -> bool:
        """Re-laid out: a table row that is a heading or a list item on the other side, a section
        of it, a row of a table gone whose plans are listed instead, or a row whose one value the
        new edition states in its text."""
        key = fold_for_match(one_line(x.name))
        return (
            (key in shown[added] and key not in shown[not added])
            or heading_led(x.name, eo if added else en)
            or (not added and relaid_as_lists(x, gone, names_n))
            or (not added and stated_in_prose(x, en))
        )

    moved_in = {id(x) for x in pairs.added if moved(x, True)}
    laid_out = sections_laid_out(en.sd.offers, moved_in)
    baselines: set[str] = set()
    out: list[Change] = plan_column_changes(eo, en, plan_map, gone, laid_out, split, baselines)
    for added, offers in ((False, pairs.removed), (True, pairs.added)):
        for x in offers:
            is_moved = id(x) in moved_in if added else moved(x, False)
            part_of = split_from(x, pairs, plan_map) if added else None
            base = not added and baseline_feature(x, baselines)
            material = offers_something(x) and not is_moved and part_of is None and not base
            # a part of an old row split out to be given an end date: an announced removal
            ends = announced_end(x, pairs, en) if added and not is_moved and part_of is None else None
            severity = (S.major if added else S.breaking) if material else S.minor
            out.append(
                one_sided(
                    added,
                    value=x.name,
                    text=snip(x.description),
                    prov=x.prov,
                    kind=K.offer_added if added else K.offer_removed,
                    severity=S.breaking if ends else severity,
                    offer_id=x.id,
                    section_id=x.section_id,
                    summary=f"offer {side_word(added)}: {x.name}"
                    + (f" (a part of an old row, now with an end date: until {ends})" if ends else "")
                    + (" (a feature of the comparison column dropped: not compared any more)" if base else "")
                    + (f" ({_moved_note(x, added, en)}: re-laid out)" if is_moved else "")
                    + (f" (split from '{part_of.name}', same values)" if part_of is not None else ""),
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
    if source_old is None or source_new is None:
        return _diff(old, new)
    # the source first: its row pairing guides the translation's (labels churn, places do not)
    pairing: list[OfferPairs] = []
    source = _diff(source_old, source_new, pairing=pairing)
    rows_old, rows_new = pairing_offers(source_old), pairing_offers(source_new)
    if not pairing and len(rows_old) == len(rows_new):
        # the same source text twice (not compared): every row is itself
        pairing.append(
            OfferPairs(matched=list(zip(rows_old, rows_new, strict=True)), renamed=[], removed=[], added=[])
        )
    hint = row_hint(pairing[0], rows_old, rows_new) if pairing else None
    diff = _diff(old, new, hint=hint)
    pair, source_pair = (old, new), (source_old, source_new)
    changes = demote_untranslated(diff.changes, source, pair, source_pair)
    changes = _dedupe(adopt_source_conditions(changes, source, pair, source_pair))
    return Diff(old=diff.old, new=diff.new, changes=changes, counts=severity_counts(changes))


def pairing_offers(sd: ServiceDescription) -> list[Offer]:
    """The rows the offer pairing sees (one per table row)."""
    return Edition(sd).sd.offers


def _diff(
    old: ServiceDescription,
    new: ServiceDescription,
    hint: RowHint | None = None,
    pairing: list[OfferPairs] | None = None,
) -> Diff:
    if visible_text(old) == visible_text(new) and structure(old) == structure(new):
        # the same words in the same places: front matter alone changed, nothing material can
        changes = _dedupe([c.model_copy(update={"severity": S.cosmetic}) for c in diff_metadata(old, new)])
        return Diff(old=summarize(old), new=summarize(new), changes=changes, counts=severity_counts(changes))
    eo, en = Edition(old), Edition(new)
    section_changes, section_map = diff_sections(eo, en)
    markers: list[tuple] = []
    quiet: list[tuple] = []
    changes = [
        *diff_metadata(old, new),
        *diff_offers(eo, en, section_map, markers, quiet, hint, pairing),
        *diff_sla(eo, en),
        *diff_facts(document_facts(eo), document_facts(en), eo, en, None),
        *section_changes,
    ]
    changes += number_fallback(changes, new.document.language or old.document.language)
    changes = follow_footnotes(changes, eo.sd.footnotes, en.sd.footnotes, markers, quiet, eo.sd.offers)
    changes = _dedupe(fold_explained(changes))
    return Diff(old=summarize(old), new=summarize(new), changes=changes, counts=severity_counts(changes))


__all__ = ["Change", "ChangeKind", "ChangeSeverity", "Diff", "FactKind", "diff_descriptions"]
