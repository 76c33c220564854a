"""An edition as a sequence of units (heading, paragraph, list item, note, footnote, table), two
editions' units aligned, for the Word redline; and the note text of a change, for both redlines.

Built from the description's segments (not from the source file), so any input the diff takes —
PDF, Word, Markdown, text, saved JSON — gives a redline. Segments of one block join back into its
paragraph; table cells come back as rows x columns; a heading's level is its section's.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from pipeline.diff.model import Change
from pipeline.normalize.model import SegmentKind, ServiceDescription
from pipeline.textutil import fold_for_match

#: a unit's kind is its segments' kind, or this for a table (its cells are ``table_cell`` segments)
TABLE = "table"
PAIR_MIN_RATIO = 0.5  # two units of one region are "the same, edited" at this similarity or more


@dataclass
class Unit:
    kind: SegmentKind | str
    text: str = ""
    level: int | None = None
    rows: list[list[str]] = field(default_factory=list)
    header_rows: int = 0
    block: int = -1

    @property
    def key(self) -> str:
        if self.kind is TABLE:
            head = self.rows[0] if self.rows else []
            return "table:" + fold_for_match(" ".join(head))
        group = "heading" if self.kind is SegmentKind.heading else "text"
        return f"{group}:{fold_for_match(self.text)}"

    def flat(self) -> str:
        return "\n".join(" ".join(r) for r in self.rows) if self.kind is TABLE else self.text


def units_of(sd: ServiceDescription) -> list[Unit]:
    """The edition's blocks in reading order (front matter left out)."""
    levels = {s.id: s.level for s in sd.sections}
    units: list[Unit] = []
    by_block: dict[int, Unit] = {}
    cells: dict[int, dict[tuple[int, int], list[str]]] = {}
    headers: dict[int, set[int]] = {}
    for seg in sd.segments:
        if seg.kind is SegmentKind.front_matter:
            continue
        u = by_block.get(seg.block_index)
        if u is None:
            kind = TABLE if seg.table is not None else seg.kind
            u = Unit(kind=kind, block=seg.block_index)
            if kind is SegmentKind.heading:
                u.level = levels.get(seg.section_id or "", 1)
            elif kind is SegmentKind.list_item:
                u.level = seg.list_level or 0
            by_block[seg.block_index] = u
            units.append(u)
        if u.kind is TABLE and seg.table is not None:
            cells.setdefault(u.block, {}).setdefault((seg.table.row, seg.table.col), []).append(seg.text)
            if seg.table.is_header:
                headers.setdefault(u.block, set()).add(seg.table.row)
        else:
            u.text = f"{u.text} {seg.text}" if u.text else seg.text
    for u in units:
        if u.kind is TABLE:
            grid = cells.get(u.block, {})
            n_rows = max((r for r, _ in grid), default=-1) + 1
            n_cols = max((c for _, c in grid), default=-1) + 1
            u.rows = [[" ".join(grid.get((r, c), [])) for c in range(n_cols)] for r in range(n_rows)]
            hdr = headers.get(u.block, set())
            while u.header_rows in hdr:
                u.header_rows += 1
    return units


@dataclass
class Step:
    """One unit of the redline: kept, changed (both sides), added (new only) or removed (old only)."""

    old: Unit | None
    new: Unit | None


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pair_region(old: list[Unit], new: list[Unit]) -> list[Step]:
    """Pair the units of a changed region in order (same kind, similar text); the rest added/removed."""
    out: list[Step] = []
    i = 0
    for n in new:
        best, best_j = PAIR_MIN_RATIO, None
        for j in range(i, len(old)):
            if (old[j].kind is TABLE) != (n.kind is TABLE):
                continue
            r = _ratio(old[j].flat(), n.flat())
            if r >= best:
                best, best_j = r, j
        if best_j is None:
            out.append(Step(None, n))
            continue
        out.extend(Step(o, None) for o in old[i:best_j])
        out.append(Step(old[best_j], n))
        i = best_j + 1
    out.extend(Step(o, None) for o in old[i:])
    return out


def align(old: list[Unit], new: list[Unit]) -> list[Step]:
    """Both editions' units in the new edition's order, the old ones in between where they stood."""
    sm = difflib.SequenceMatcher(None, [u.key for u in old], [u.key for u in new], autojunk=False)
    steps: list[Step] = []
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            steps.extend(Step(o, n) for o, n in zip(old[a0:a1], new[b0:b1], strict=True))
        else:
            steps.extend(_pair_region(old[a0:a1], new[b0:b1]))
    return steps


def align_rows(old: list[list[str]], new: list[list[str]]) -> list[tuple[list[str] | None, list[str] | None]]:
    """Rows of two versions of a table, by their first cell, then by position inside a changed run."""

    def key(row: list[str]) -> str:
        return fold_for_match(row[0]) if row else ""

    sm = difflib.SequenceMatcher(None, [key(r) for r in old], [key(r) for r in new], autojunk=False)
    out: list[tuple[list[str] | None, list[str] | None]] = []
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            out.extend(zip(old[a0:a1], new[b0:b1], strict=True))
        elif op == "replace":
            olds, news = old[a0:a1], new[b0:b1]
            k = min(len(olds), len(news))
            for o, n in zip(olds[:k], news[:k], strict=True):
                if _ratio(" ".join(o), " ".join(n)) >= PAIR_MIN_RATIO:
                    out.append((o, n))
                else:
                    out.extend([(o, None), (None, n)])
            out.extend((o, None) for o in olds[k:])
            out.extend((None, n) for n in news[k:])
        elif op == "delete":
            out.extend((o, None) for o in old[a0:a1])
        else:
            out.extend((None, n) for n in new[b0:b1])
    return out


def change_note(c: Change) -> str:
    """The note a reader sees: severity and kind, what it is about, old -> new."""
    head = f"{c.severity.value.upper()} · {c.kind.value.replace('_', ' ')}"
    about = " · ".join(x for x in (c.offer_id, c.subject) if x)
    lines = [head + (f" · {about}" if about else "")]
    if c.old is not None or c.new is not None:
        lines.append(f"{c.old if c.old is not None else '—'} → {c.new if c.new is not None else '—'}")
    if c.summary:
        lines.append(c.summary)
    if c.old_text and c.kind.value.endswith("removed"):
        lines.append(f"Removed: {c.old_text[:400]}")
    return "\n".join(lines)
