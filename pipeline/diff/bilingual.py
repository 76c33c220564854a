"""Bilingual materiality: a change in a translation that its source language did not make.

When the corpus holds the source-language editions of the same two dates (the English a French
page was translated from), a material change of the translation is a service change only if
the source changed there too. Otherwise it is churn of the translation (a re-run of machine
translation renames 'avancés' to 'avancée') and is reported as ``translation_changed`` (minor).

Where: the two languages of one edition are line-parallel when they come from the same
Markdown (same line count, every segment on the same line); then a change's counterpart is a
source change on an overlapping line of the same side. Otherwise (a PDF, a free translation)
only an unchanged source proves churn.

Row identity: machine translation re-words a label from one edition to the next ('Conservation
du journal' for 'Rétention des journaux'), or leaves it in the source language, while the source
label stays put. So a translation's rows are paired across editions through their source rows:
the translated row i of a table is the source row i of the same table (:func:`row_key`), and
two translated rows are the same row exactly when the source paired their source rows
(:class:`RowHint`).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from pipeline.diff.match import OfferPairs
from pipeline.diff.model import SEVERITY_RANK, Change, ChangeKind, ChangeSeverity, Diff
from pipeline.diff.scope import rule_roles
from pipeline.normalize.model import Offer, SegmentKind, ServiceDescription

#: a translated row must find its source row for this share of its rows, else no hint is used
_ROW_COVER = 0.9


def _lines(sd: ServiceDescription) -> list[int]:
    """First line of every visible segment, in order (empty when the format has no lines)."""
    out = []
    for s in sd.segments:
        if s.kind is SegmentKind.front_matter:
            continue
        line = next((p.line_start for p in s.prov if p.line_start is not None), None)
        if line is None:
            return []
        out.append(line)
    return out


def line_parallel(a: ServiceDescription, b: ServiceDescription) -> bool:
    """Both languages start their segments on (nearly all) the same lines: one Markdown, translated
    in place."""
    la, lb = set(_lines(a)), set(_lines(b))
    # a sentence split differently in one language moves a segment start or two, no more
    return bool(la) and len(la & lb) >= 0.95 * len(la | lb)


def _spans(c: Change, side: str) -> list[tuple[int, int]]:
    out = []
    for p in c.old_prov if side == "old" else c.new_prov:
        if p.line_start is not None:
            out.append((p.line_start, p.line_end if p.line_end is not None else p.line_start))
    return out


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x0 <= y1 and y0 <= x1 for x0, x1 in a for y0, y1 in b)


def _counterparts(c: Change, source: list[Change]) -> list[Change] | None:
    """Source changes on an overlapping line of the same side; None when ``c`` carries no line."""
    mine = {side: _spans(c, side) for side in ("old", "new")}
    if not mine["old"] and not mine["new"]:
        return None
    return [
        s
        for s in source
        if any(mine[side] and _overlap(mine[side], _spans(s, side)) for side in ("old", "new"))
    ]


def _lined(c: Change) -> bool:
    return bool(_spans(c, "old") or _spans(c, "new"))


def _plan_columns(sd: ServiceDescription) -> dict[tuple[str, int], str]:
    """The plan id of every column of every feature x plan table, by (table, column)."""
    return {
        (pv.table_id, pv.col): pv.plan_id
        for o in sd.offers
        for pv in o.plan_values
        if pv.table_id and pv.col is not None
    }


def _plan_counterparts(
    pair: tuple[ServiceDescription, ServiceDescription],
    source_pair: tuple[ServiceDescription, ServiceDescription],
) -> dict[str, set[str]]:
    """Translated plan id -> the source plan ids of the same columns (same table, same column)
    in either edition: a plan column's name is translated, its place is not."""
    out: dict[str, set[str]] = {}
    for tr, src in zip(pair, source_pair, strict=True):
        cols = _plan_columns(src)
        for key, pid in _plan_columns(tr).items():
            if key in cols:
                out.setdefault(pid, set()).add(cols[key])
    return out


def demote_untranslated(
    changes: list[Change],
    source: Diff,
    pair: tuple[ServiceDescription, ServiceDescription],
    source_pair: tuple[ServiceDescription, ServiceDescription],
) -> list[Change]:
    """A material change of a translation with no counterpart in its source becomes
    ``translation_changed`` (minor); one whose source counterpart is only wording is minor."""
    meaningful = [s for s in source.changes if s.severity is not ChangeSeverity.cosmetic]
    parallel = line_parallel(pair[0], source_pair[0]) and line_parallel(pair[1], source_pair[1])
    if meaningful and not parallel:
        return changes
    source_kinds = {s.kind for s in source.material()}
    columns = _plan_counterparts(pair, source_pair)
    out = []
    for c in changes:
        if c.material():
            found = _counterparts(c, meaningful) if meaningful else []
            if found is None and c.subject in columns:
                # a plan column (no line of its own): the source's column at the same place
                found = [s for s in meaningful if s.subject in columns[c.subject] and not _lined(s)]
            elif found is None:  # no line to compare: a source change of the same kind will do
                found = [c] if c.kind in source_kinds else []
            if not found:
                c = c.model_copy(
                    update={
                        "kind": ChangeKind.translation_changed,
                        "severity": ChangeSeverity.minor,
                        "summary": f"translation only ({c.kind.value}): {c.summary}",
                    }
                )
            elif not any(s.material() for s in found):
                c = c.model_copy(
                    update={
                        "severity": ChangeSeverity.minor,
                        "summary": f"{c.summary} (source: wording only)",
                    }
                )
            else:
                c = _as_source(c, found, columns)
        out.append(c)
    return _raised_by_source(out, [s for s in meaningful if s.material()], columns)


def _as_source(c: Change, found: list[Change], columns: dict[str, set[str]]) -> Change:
    """A translated change takes the severity of its source counterpart of the same kind (the
    source's reading of a cell or a sentence, not the translation's wording, says how much
    changed: a label the source reworded slightly is a minor rename however the translation
    re-words it); of the same plan column when there is one."""
    same = [s for s in found if s.kind is c.kind]
    if c.subject in columns:
        same = [s for s in same if s.subject in columns[c.subject]] or same
    if not same:
        return c
    source = min(same, key=lambda s: SEVERITY_RANK[s.severity])
    if source.severity is c.severity:
        return c
    # the summary says whose reading set the severity ('condition tightened' read major)
    return c.model_copy(
        update={"severity": source.severity, "summary": f"{c.summary} (as in the source: {source.summary})"}
    )


def _source_twins(c: Change, source: list[Change], columns: dict[str, set[str]]) -> list[Change]:
    """Source changes at the place of ``c``: on an overlapping line, or (a plan column, no line)
    on the source's column at the same place."""
    found = _counterparts(c, source)
    if found is None:
        found = [s for s in source if s.subject in columns.get(c.subject or "", ()) and not _lined(s)]
    return found


def _same_subject(c: Change, s: Change, columns: dict[str, set[str]]) -> bool:
    """Same subject, the plan part ('plan:value') translated through the plan columns; a change
    with no subject (a sentence) fits any."""
    if c.subject is None or s.subject is None or c.subject == s.subject:
        return True
    mine, theirs = c.subject.split(":", 1)[0], s.subject.split(":", 1)[0]
    return theirs in columns.get(mine, ()) or theirs in columns.get(c.subject, ())


def _raised_by_source(
    changes: list[Change], source: list[Change], columns: dict[str, set[str]]
) -> list[Change]:
    """A translated change read as minor whose source counterpart is material, and not already
    mirrored by a material translated change, takes the source's kind and severity: the
    translation's words were not understood (a cell's status word, a 'no limit', a condition
    phrased in words the lexicon lacks), the source's were. Same kind, or wording read as a
    condition or a fact by the source; same subject or plan column; one source change raises
    one translated change."""
    mirrored = {id(s) for c in changes if c.material() for s in _source_twins(c, source, columns)}
    out = []
    for c in changes:
        if c.severity is ChangeSeverity.minor and c.kind is not ChangeKind.translation_changed:
            twins = [
                s
                for s in _source_twins(c, source, columns)
                if id(s) not in mirrored
                and (s.kind is c.kind or c.kind is ChangeKind.text_changed)
                and _same_subject(c, s, columns)
            ]
            if twins:
                s = min(twins, key=lambda t: SEVERITY_RANK[t.severity])
                mirrored.add(id(s))
                c = _adopt(c, s, f"{c.summary} (as in the source: {s.summary})")
        out.append(c)
    return out


def _adopt(c: Change, s: Change, summary: str) -> Change:
    """The translated change ``c`` takes the kind and severity of its source counterpart ``s``."""
    return c.model_copy(update={"kind": s.kind, "severity": s.severity, "summary": summary})


def row_key(o: Offer) -> Hashable | None:
    """Where a row sits, the same in both languages of one edition: its table and row (a table
    row), else its first line (an offer read from a heading or a list)."""
    for pv in o.plan_values:
        if pv.table_id:
            return ("cell", pv.table_id, pv.row or 0)
    line = next((p.line_start for p in o.prov if p.line_start is not None), None)
    return ("line", line) if line is not None else None


@dataclass(frozen=True)
class RowHint:
    """How the source paired its rows across the two editions, by :func:`row_key`."""

    #: old key -> new key of every source row pair, and whether the source renamed it
    pairs: dict[Hashable, tuple[Hashable, bool]] = field(default_factory=dict)
    #: keys of every source row of the old and the new edition
    old_keys: frozenset = frozenset()
    new_keys: frozenset = frozenset()

    def covers(self, offers: list[Offer], old: bool) -> bool:
        """The translation's rows sit where the source's rows sit (same tables, same rows)."""
        keys = [row_key(o) for o in offers]
        known = self.old_keys if old else self.new_keys
        return bool(keys) and sum(k in known for k in keys) >= _ROW_COVER * max(len(keys), len(known))


def row_hint(pairs: OfferPairs, old: list[Offer], new: list[Offer]) -> RowHint:
    """The source's row pairing (``pairs`` over its split rows ``old`` and ``new``) as a hint."""
    out: dict[Hashable, tuple[Hashable, bool]] = {}
    for o, n, renamed in [(o, n, False) for o, n in pairs.matched] + [
        (o, n, True) for o, n, _s in pairs.renamed
    ]:
        ko, kn = row_key(o), row_key(n)
        if ko is not None and kn is not None:
            out.setdefault(ko, (kn, renamed))
    return RowHint(
        pairs=out,
        old_keys=frozenset(k for k in map(row_key, old) if k is not None),
        new_keys=frozenset(k for k in map(row_key, new) if k is not None),
    )


#: Changes of the source's text layer that say a stated rule tightened or relaxed.
_CONDITIONS = frozenset({ChangeKind.condition_added, ChangeKind.condition_removed})


def _same_lines(a: Change, b: Change) -> bool:
    """The same lines on each side (a side with no line on one has none on the other: a sentence
    added or removed in both languages)."""
    spans = [(_spans(a, side), _spans(b, side)) for side in ("old", "new")]
    return any(x for x, _y in spans) and all(x == y for x, y in spans)


def adopt_source_conditions(
    changes: list[Change],
    source: Diff,
    pair: tuple[ServiceDescription, ServiceDescription],
    source_pair: tuple[ServiceDescription, ServiceDescription],
) -> list[Change]:
    """A sentence the translation rewords (minor) where its source, line for line, tightened or
    relaxed a stated rule (a material ``condition_*`` of the source's text): the translation's
    edit is that condition change too. Machine translation rewords around the edit ('afin de' ->
    'pour'), which hides from the translation's own reading what the source shows plainly."""
    rules = [s for s in source.material() if s.kind in _CONDITIONS and s.offer_id is None]
    if not rules or not (line_parallel(pair[0], source_pair[0]) and line_parallel(pair[1], source_pair[1])):
        return changes
    out = []
    for c in changes:
        if c.kind is ChangeKind.text_changed and c.severity is ChangeSeverity.minor:
            # the very same lines on both sides, and a rule stated in the translation on every
            # side it has: the same rule sentence edited (added, removed) in both languages
            sides = [t for t in (c.old_text, c.new_text) if t]
            stated = set.intersection(*(rule_roles(t) for t in sides)) if sides else set()
            found = [s for s in _counterparts(c, rules) or [] if stated and _same_lines(c, s)]
            kinds = {s.kind for s in found}
            if len(kinds) == 1:
                s = found[0]
                c = _adopt(c, s, f"{s.summary} (as in the source)")
        out.append(c)
    return out
