"""One entry per edit: a sentence's redline hangs on the material change it explains.

The offer and fact layers report what changed (a figure, a name, a condition); the text layer
reports every touched sentence. The same edit would otherwise come out twice, as a
``fact_changed`` and again as a ``text_changed`` of that sentence. Here a wording change whose
lines are those of a more meaningful change is folded into it (its redline and texts kept there
when the change had none).
"""

from __future__ import annotations

from pipeline.diff.model import Change, ChangeKind, ChangeSeverity
from pipeline.extract.model import Provenance

K = ChangeKind

#: Changes that explain a sentence: the wording change of that sentence is part of them.
EXPLAINING = frozenset(
    {
        K.fact_changed,
        K.offer_renamed,
        K.condition_added,
        K.condition_removed,
        K.availability_changed,
        K.sla_changed,
    }
)


def _lines(provs: list[Provenance]) -> set[tuple]:
    """The places a change covers: Markdown/text lines, a Word paragraph or table cell, a PDF box."""
    out: set[tuple] = set()
    for p in provs:
        if p.line_start is not None:
            end = p.line_end if p.line_end is not None else p.line_start
            out |= {("line", n) for n in range(p.line_start, end + 1)}
        elif p.paragraph is not None or p.table is not None:
            out.add(("word", p.part, p.paragraph, p.table, p.row, p.cell))
        else:
            out.add(("box", p.page, hash(p.bbox)))  # a PDF box: the same box only
    return out


def _place(c: Change) -> tuple[set, set]:
    return _lines(c.old_prov), _lines(c.new_prov)


def fold_explained(changes: list[Change]) -> list[Change]:
    """Drop each wording change whose old and new lines all belong to one explaining change
    (moving its redline there when that change has none)."""
    explaining = [k for k, c in enumerate(changes) if c.kind in EXPLAINING and c.severity in _MEANINGFUL]
    places = {k: _place(changes[k]) for k in explaining}
    out = list(changes)
    dropped: set[int] = set()
    for k, c in enumerate(changes):
        if c.kind is not K.text_changed:
            continue
        old, new = _place(c)
        if not old and not new:
            continue
        for j in explaining:
            eo, en = places[j]
            if (old <= eo or not old) and (new <= en or not new) and (old & eo or new & en):
                host = out[j]
                if not host.redline and c.redline:
                    out[j] = host.model_copy(
                        update={
                            "redline": c.redline,
                            "old_text": host.old_text or c.old_text,
                            "new_text": host.new_text or c.new_text,
                        }
                    )
                dropped.add(k)
                break
    return [c for k, c in enumerate(out) if k not in dropped]


_MEANINGFUL = frozenset({ChangeSeverity.breaking, ChangeSeverity.major, ChangeSeverity.minor})
