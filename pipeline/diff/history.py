"""``history(editions) -> History``: a timeline per offer over N editions of one document.

Editions are sorted by edition date (then source name) and diffed pairwise, consecutive ones
only; each offer-level change (availability, SLA, facts, renames, conditions) becomes an event
dated by the edition that introduced it. Wording changes are left to ``svcdesc diff``.
"""

from __future__ import annotations

from pipeline.diff.compare import diff_descriptions, summarize
from pipeline.diff.model import (
    Change,
    ChangeKind,
    History,
    OfferTimeline,
    TimelineEvent,
)
from pipeline.normalize.model import ServiceDescription

#: Kinds that make an offer's timeline (text and section edits stay in the pairwise diff).
TIMELINE_KINDS = frozenset(
    {
        ChangeKind.offer_added,
        ChangeKind.offer_removed,
        ChangeKind.offer_renamed,
        ChangeKind.offer_moved,
        ChangeKind.availability_changed,
        ChangeKind.sla_changed,
        ChangeKind.fact_changed,
        ChangeKind.condition_added,
        ChangeKind.condition_removed,
    }
)


def edition_label(sd: ServiceDescription) -> str:
    return sd.document.edition_date or sd.document.source.rsplit("/", 1)[-1]


def _event(label: str, c: Change) -> TimelineEvent:
    return TimelineEvent(
        edition=label,
        kind=c.kind,
        severity=c.severity,
        subject=c.subject,
        old=c.old,
        new=c.new,
        summary=c.summary,
    )


def _lifespan(states: dict[str, str | None], labels: list[str]) -> tuple[str | None, str | None]:
    """(first edition holding the offer, first edition without it after its last one), or
    (None, None) for an offer in no edition."""
    present = [lab for lab in labels if states.get(lab) is not None]
    if not present:
        return None, None
    after = labels[labels.index(present[-1]) + 1 :]
    return present[0], after[0] if after else None


def _merge_renamed(
    timelines: dict[str, OfferTimeline], labels: list[str], renames: list[tuple[str | None, str | None]]
) -> None:
    """One row per offer across a rename: the old id's editions and events move to the new id."""
    for old_id, new_id in renames:
        if old_id not in timelines or new_id not in timelines:
            continue
        old, new = timelines.pop(old_id), timelines[new_id]
        for lab in labels:
            if new.states.get(lab) is None and old.states.get(lab) is not None:
                new.states[lab] = old.states[lab]
        new.events = sorted([*old.events, *new.events], key=lambda e: labels.index(e.edition))
        first, gone = _lifespan(new.states, labels)
        if first is not None:
            new.introduced_in = first
        new.removed_in = gone


def history(
    descriptions: list[ServiceDescription], sources: list[ServiceDescription] | None = None
) -> History:
    """``sources``: the source-language editions the descriptions translate, paired by edition
    date; a pair whose two dates both have a source is diffed against it (bilingual materiality)."""
    eds = sorted(descriptions, key=lambda sd: (sd.document.edition_date or "", sd.document.source))
    by_date = {sd.document.edition_date: sd for sd in sources or [] if sd.document.edition_date}
    labels = [edition_label(sd) for sd in eds]
    timelines: dict[str, OfferTimeline] = {}
    for label, sd in zip(labels, eds, strict=True):
        for o in sd.offers:
            tl = timelines.setdefault(o.id, OfferTimeline(offer_id=o.id, name=o.name, introduced_in=label))
            tl.name = o.name
            tl.states[label] = o.availability.value
    for tl in timelines.values():
        for label in labels:
            tl.states.setdefault(label, None)
        tl.introduced_in, tl.removed_in = _lifespan(tl.states, labels)
    document_events: list[TimelineEvent] = []
    renames: list[tuple[str | None, str | None]] = []
    for prev, cur, label in zip(eds, eds[1:], labels[1:], strict=False):
        src = (by_date.get(prev.document.edition_date), by_date.get(cur.document.edition_date))
        for c in diff_descriptions(prev, cur, *src).changes:
            if c.kind not in TIMELINE_KINDS:
                continue
            if c.kind is ChangeKind.offer_renamed and c.subject != c.offer_id:
                renames.append((c.subject, c.offer_id))
            if c.offer_id and c.offer_id in timelines:
                timelines[c.offer_id].events.append(_event(label, c))
            elif c.offer_id is None:
                document_events.append(_event(label, c))
    _merge_renamed(timelines, labels, renames)
    return History(
        editions=[summarize(sd) for sd in eds],
        offers=sorted(timelines.values(), key=lambda t: t.offer_id),
        document_events=document_events,
    )
