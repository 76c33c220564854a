"""A cell's footnote follows the cell across renumbering.

Footnotes are renumbered whenever a row above gains or loses one, so comparing them by number
(or by position in the text) reads "footnote 16 removed, footnote 11 reworded" where the same
restriction simply moved. The cells of paired rows say which old marker became which new one;
the footnote texts of such a pair are compared with each other: the same words are nothing (a
renumbering), other words a rewording of the restriction (minor, or tightened/relaxed when a
condition marker appears or goes). The text-layer changes that only removed or added those
footnote lines are dropped. A footnote whose every marker sat on a cell that says "not available"
in both editions and lost its marker there restricted nothing the cell did not already deny: its
removal is minor, not a relaxed condition.
"""

from __future__ import annotations

from pipeline.diff.model import Change, ChangeKind, ChangeSeverity
from pipeline.diff.text import classify_wording, redline, tokenize
from pipeline.extract.model import Provenance
from pipeline.normalize.model import Availability, Footnote, Offer, PlanValue

K = ChangeKind
S = ChangeSeverity

#: Text-layer kinds a footnote removal/addition/rewording comes out as.
_TEXT_KINDS = frozenset({K.text_changed, K.condition_added, K.condition_removed})


def marker_pairs(o: Offer, n: Offer, cells: list[tuple[PlanValue | None, PlanValue | None]]) -> list[tuple]:
    """((old table, old marker), (new table, new marker)) for each paired cell (and the row label)
    with as many footnotes on both sides, in order. The table says which footnote list a marker
    points into (two tables of one page may each have a footnote 5)."""
    out = []
    sides = [(o.table_id, o.footnotes, n.table_id, n.footnotes)] + [
        (p.table_id, p.footnotes, q.table_id, q.footnotes) for p, q in cells if p and q
    ]
    for ta, a, tb, b in sides:
        if a and len(a) == len(b):
            out += [((ta, x), (tb, y)) for x, y in zip(a, b, strict=True) if x != y]
    return out


def quiet_drops(o: Offer, cells: list[tuple[PlanValue | None, PlanValue | None]]) -> list[tuple]:
    """(table id, marker, row id, plan id) of each marker dropped from a paired cell that says
    'not available' on both sides (a 'No' cell losing its footnote relaxes nothing)."""
    no = Availability.not_available
    return [
        (p.table_id, m, o.id, p.plan_id)
        for p, q in cells
        if p is not None
        and q is not None
        and p.availability is no
        and q.availability is no
        and not q.footnotes
        for m in p.footnotes
    ]


def _quiet_notes(notes: list[Footnote], offers: list[Offer], quiet: set[tuple]) -> list[Footnote]:
    """Old footnotes each of whose markers (in its table) was quietly dropped from a 'No' cell."""
    out = []
    for f in notes:
        carriers = {
            (pv.table_id, f.marker, o.id, pv.plan_id)
            for o in offers
            for pv in o.plan_values
            if f.marker in pv.footnotes and (f.table_id is None or pv.table_id == f.table_id)
        }
        on_label = any(
            f.marker in o.footnotes and (f.table_id is None or o.table_id == f.table_id) for o in offers
        )
        if carriers and carriers <= quiet and not on_label:
            out.append(f)
    return out


def _lines(provs: list[Provenance]) -> set[int]:
    out: set[int] = set()
    for p in provs:
        if p.line_start is not None:
            out |= set(range(p.line_start, (p.line_end or p.line_start) + 1))
    return out


def _find(notes: list[Footnote], table: str | None, marker: str) -> Footnote | None:
    """The footnote a marker of a cell of ``table`` points at: the one of that table, else the only
    footnote with that marker (a footnote list read without its table)."""
    same = [f for f in notes if f.marker == marker]
    return next((f for f in same if table is not None and f.table_id == table), None) or (
        same[0] if len(same) == 1 else None
    )


def follow_footnotes(
    changes: list[Change],
    old: list[Footnote],
    new: list[Footnote],
    pairs: list[tuple],
    quiet: list[tuple] | None = None,
    old_offers: list[Offer] | None = None,
) -> list[Change]:
    changes = _quiet_removals(changes, _quiet_notes(old, old_offers or [], set(quiet or [])))
    found = [(_find(old, *a), _find(new, *b)) for a, b in dict.fromkeys(pairs)]
    followed = list({(id(x), id(y)): (x, y) for x, y in found if x is not None and y is not None}.values())
    if not followed:
        return changes
    old_lines = set().union(*(_lines(x.prov) for x, _ in followed))
    new_lines = set().union(*(_lines(y.prov) for _, y in followed))
    if not old_lines and not new_lines:
        return changes

    def only_followed(c: Change) -> bool:
        lo, ln = _lines(c.old_prov), _lines(c.new_prov)
        if c.kind not in _TEXT_KINDS or (not lo and not ln):
            return False
        # a removal of followed footnotes only, or an addition of followed footnotes only
        return (lo <= old_lines and not ln) or (ln <= new_lines and not lo)

    out = [c for c in changes if not only_followed(c)]
    for fa, fb in followed:
        a, b = fa.marker, fb.marker
        ta, tb = fa.text, fb.text
        verdict = classify_wording(ta, tb)
        if verdict is None:
            continue  # renumbered only
        # the same cell's restriction, reworded: minor (a changed number in it is a fact change)
        out.append(
            Change(
                kind=K.text_changed,
                severity=verdict,
                section_id=fb.section_id,
                subject=f"footnote:{b}",
                old=a,
                new=b,
                old_text=ta,
                new_text=tb,
                redline=redline(tokenize(ta), tokenize(tb)),
                old_prov=list(fa.prov),
                new_prov=list(fb.prov),
                summary=f"footnote {a} → {b} (same cell) reworded",
            )
        )
    return out


def _quiet_removals(changes: list[Change], notes: list[Footnote]) -> list[Change]:
    """A text-layer removal of quietly dropped footnotes only: minor, nothing relaxed."""
    if not notes:
        return changes
    lines = set().union(*(_lines(f.prov) for f in notes))
    out = []
    for c in changes:
        lo = _lines(c.old_prov)
        if c.kind in _TEXT_KINDS and c.material() and lo and lo <= lines and not _lines(c.new_prov):
            c = c.model_copy(
                update={
                    "kind": K.text_changed,
                    "severity": S.minor,
                    "summary": "footnote of a 'not available' cell dropped (the cell still says no)",
                }
            )
        out.append(c)
    return out
