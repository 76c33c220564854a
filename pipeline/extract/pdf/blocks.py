"""Body lines, tables and note boxes of every page -> proto-blocks in reading order.

Decisions, in order, for each body line: footnote text (opens on a superscript marker), note with
an inline label ("Note: …"), list item (bullet or "a)"/"1."), heading (bigger or bold-and-bigger
than body text, at most three lines), else paragraph. A line continues the open block when it
follows at no more than ~1.3 line pitches with the same size and alignment, and across a page
break when the open block has not ended its sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.extract.model import BlockKind
from pipeline.extract.pdf.merge import continues, merge_tables
from pipeline.extract.pdf.objects import Box, Line, RawTable
from pipeline.extract.pdf.reflow import ends_sentence

NOTE_LABELS = {
    "note", "notes", "remarque", "remarques", "tip", "tips", "conseil", "conseils", "important",
    "warning", "avertissement", "attention", "caution", "précaution", "mise en garde",
}  # fmt: skip
_NOTE_PREFIX = re.compile(
    r"^(?P<label>Notes?|Remarques?|Tips?|Conseils?|Important|Warning|Avertissement|Attention|Caution)\s*:\s*(?P<rest>\S.*)$",
    re.I | re.S,
)
_SECTION = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
_LIST_MARK = re.compile(r"^(?P<m>\(?[a-z]\)|\d{1,2}[.)]|[ivx]{1,4}\))\s+(?P<rest>\S.*)$")

HEADING_MIN_RATIO = 1.04  # bold heading: at least this × body size
HEADING_PLAIN_RATIO = 1.08  # non-bold heading: at least this × body size
HEADING_MAX_CHARS = 160
HEADING_MAX_LINES = 3


@dataclass
class PageItems:
    page: int
    height: float
    lines: list[Line]
    tables: list[RawTable] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)


@dataclass
class Proto:
    kind: BlockKind
    lines: list[Line] = field(default_factory=list)
    marker: str | None = None
    level: int | None = None
    note_label: str | None = None
    section_number: str | None = None
    table: RawTable | None = None
    #: note boxes: groups of lines, one paragraph each (joined with newlines)
    parts: list[list[Line]] = field(default_factory=list)
    strip_prefix: re.Pattern[str] | None = None


def body_size(lines: list[Line]) -> float:
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[round(ln.size * 2) / 2] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def line_pitch(pages: list[PageItems]) -> dict[float, float]:
    """Typical baseline-to-baseline distance per font size (lower quartile of same-size neighbours)."""
    deltas: dict[float, list[float]] = {}
    for pg in pages:
        for a, b in zip(pg.lines, pg.lines[1:], strict=False):
            if abs(a.size - b.size) > 0.3 or abs(a.x0 - b.x0) > 2:
                continue
            d = b.top - a.top
            if 0.9 * a.size <= d <= 2.2 * a.size:
                deltas.setdefault(round(a.size * 2) / 2, []).append(d)
    out = {}
    for size, ds in deltas.items():
        ds.sort()
        out[size] = ds[len(ds) // 4]
    return out


def note_label(text: str) -> str | None:
    t = text.strip().rstrip(":").strip()
    return t if t.casefold() in NOTE_LABELS else None


def is_heading_line(ln: Line, body: float, continued: bool = False) -> bool:
    """Bigger than body text (or bold and a little bigger), short, not a list item or footnote."""
    if ln.marker or ln.footnote_marker or len(ln.text) > HEADING_MAX_CHARS:
        return False
    if _NOTE_PREFIX.match(ln.text) or not (continued or any(ch.isalpha() for ch in ln.text)):
        return False
    if ln.bold and ln.size >= HEADING_MIN_RATIO * body:
        return True
    return ln.size >= HEADING_PLAIN_RATIO * body


@dataclass(frozen=True)
class Layout:
    """Document-wide measures every block decision compares against."""

    body: float
    pitches: dict[float, float]
    heading_sizes: list[float]
    #: lowest body line of the document: a page whose text reaches it was full
    page_bottom: float
    #: right edge of each page's text
    right_edge: dict[int, float]

    def pitch(self, size: float) -> float:
        return self.pitches.get(round(size * 2) / 2, 1.3 * size)


def measure(pages: list[PageItems]) -> Layout:
    all_lines = [ln for pg in pages for ln in pg.lines]
    body = body_size(all_lines)
    return Layout(
        body=body,
        pitches=line_pitch(pages),
        heading_sizes=sorted(
            {round(ln.size * 2) / 2 for ln in all_lines if is_heading_line(ln, body)}, reverse=True
        ),
        page_bottom=max((ln.bottom for ln in all_lines if ln.box is None), default=0.0),
        right_edge={pg.page: max((ln.x1 for ln in pg.lines if ln.box is None), default=1e9) for pg in pages},
    )


def continues_block(cur: Proto, ln: Line, lay: Layout, first_on_page: bool) -> bool:
    """Does ``ln`` continue the open block ``cur`` (same size, next line down, same alignment)?"""
    prev = cur.lines[-1]
    if abs(prev.size - ln.size) > 0.6 or ln.marker or ln.footnote_marker or cur.kind is BlockKind.heading:
        return False
    if _LIST_MARK.match(ln.text) and (
        ln.x0 < prev.x0 - 4 or (cur.kind is BlockKind.list_item and abs(ln.x0 - cur.lines[0].x0) <= 2)
    ):
        return False  # "b) …" opening the next item of a lettered or numbered list
    if ln.page != prev.page:
        return first_on_page and continues_over_page(cur, ln, lay)
    delta = ln.top - prev.top
    limit = lay.pitch(ln.size) * (1.65 if cur.kind is BlockKind.list_item else 1.3)
    if delta < -2 or delta > limit:
        return False
    if (
        is_heading_line(ln, lay.body)
        and not is_heading_line(prev, lay.body)
        and abs(ln.size - prev.size) > 0.3
    ):
        return False
    if cur.kind is BlockKind.list_item:
        return ln.x0 >= cur.lines[0].left - 4
    return abs(ln.x0 - prev.x0) <= 3 * ln.size or delta < 2


def continues_over_page(cur: Proto, ln: Line, lay: Layout) -> bool:
    """The first line of a page goes on with the last block of the previous page.

    When that block has not ended its sentence, or when its last line was the last the page could
    hold and was wrapped because the next word did not fit.
    """
    prev = cur.lines[-1]
    anchor = cur.lines[0].left if cur.kind is BlockKind.list_item else prev.x0
    if ln.page != prev.page + 1 or abs(ln.x0 - anchor) > 4:
        return False
    if cur.kind not in (BlockKind.paragraph, BlockKind.list_item, BlockKind.note, BlockKind.footnote):
        return False
    if is_heading_line(ln, lay.body) and abs(ln.size - prev.size) > 0.3:
        return False
    if not ends_sentence(prev.text):
        return True
    full_page = prev.bottom >= lay.page_bottom - 1.5 * lay.pitch(prev.size)
    return full_page and _forced_break(prev, ln, lay.right_edge.get(prev.page, 1e9))


def list_level(stack: list[float], x0: float) -> int:
    """Nesting level from indentation; ``stack`` holds the bullet positions of the open list."""
    while stack and x0 < stack[-1] - 4:
        stack.pop()
    if not stack or x0 > stack[-1] + 4:
        stack.append(x0)
    return len(stack) - 1


def page_flow(pg: PageItems) -> list[tuple[float, float, int, object]]:
    """A page's lines (0), note boxes (1) and tables (2), top to bottom."""
    in_box: dict[int, list[Line]] = {}
    flow: list[tuple[float, float, int, object]] = []
    for ln in pg.lines:
        if ln.box is not None:
            in_box.setdefault(ln.box, []).append(ln)
        else:
            flow.append((ln.top, ln.x0, 0, ln))
    for b_i, lines in in_box.items():
        label = note_label(lines[0].text) if lines[0].bold or len(lines[0].text) < 20 else None
        if label is not None:
            flow.append((pg.boxes[b_i].top, pg.boxes[b_i].x0, 1, (label, lines[1:])))
        else:
            flow.extend((ln.top, ln.x0, 0, ln) for ln in lines)
    flow.extend((t.top, t.x0, 2, t) for t in pg.tables)
    flow.sort(key=lambda it: (round(it[0], 1), it[1]))
    return flow


def open_block(ln: Line, lay: Layout, stack: list[float]) -> Proto:
    """The block a line opens: footnote, inline-labelled note, list item, heading or paragraph."""
    if ln.footnote_marker:
        return Proto(BlockKind.footnote, lines=[ln], marker=ln.footnote_marker)
    if m := _NOTE_PREFIX.match(ln.text):
        return Proto(BlockKind.note, lines=[ln], note_label=m.group("label"), strip_prefix=_NOTE_PREFIX)
    heading = is_heading_line(ln, lay.body)
    if ln.marker or (not heading and _LIST_MARK.match(ln.text)):
        if not ln.marker and (m2 := _LIST_MARK.match(ln.text)):
            ln.marker = m2.group("m")
            shift = len(ln.text) - len(m2.group("rest"))
            ln.text = m2.group("rest")
            ln.refs = [(mk, max(0, o - shift)) for mk, o in ln.refs]
        return Proto(BlockKind.list_item, lines=[ln], marker=ln.marker, level=list_level(stack, ln.x0))
    if heading:
        stack.clear()
        sec = _SECTION.match(ln.text)
        level = lay.heading_sizes.index(round(ln.size * 2) / 2) + 1
        return Proto(
            BlockKind.heading, lines=[ln], level=level, section_number=sec.group("num") if sec else None
        )
    if stack and ln.x0 <= stack[0] - 4:
        stack.clear()
    return Proto(BlockKind.paragraph, lines=[ln])


def build(pages: list[PageItems]) -> list[Proto]:
    """Proto-blocks in reading order; tables continued on the next page merged into one."""
    lay = measure(pages)
    out: list[Proto] = []
    cur: Proto | None = None
    last_table: Proto | None = None
    stack: list[float] = []
    for pg in pages:
        first_on_page = True
        for _, _, kind, obj in page_flow(pg):
            if isinstance(obj, RawTable):
                if (
                    first_on_page
                    and last_table is not None
                    and last_table.table
                    and continues(last_table.table, obj)
                ):
                    merge_tables(last_table.table, obj)
                else:
                    last_table = Proto(BlockKind.table, table=obj)
                    out.append(last_table)
                cur = None
                stack.clear()
            elif kind == 1:
                label, lines = obj  # type: ignore[misc]
                out.extend(_note_blocks(label, _note_parts(lines, lay.pitch)))
                cur, last_table = None, None
                stack.clear()
            else:
                assert isinstance(obj, Line)
                if cur is not None and (
                    continues_block(cur, obj, lay, first_on_page)
                    or (cur.kind is BlockKind.heading and continues_heading(cur.lines, obj))
                ):
                    cur.lines.append(obj)
                else:
                    cur = open_block(obj, lay, stack)
                    out.append(cur)
                    if cur.kind is not BlockKind.footnote:  # footnotes under a table keep it open
                        last_table = None
            first_on_page = False
    return out


def _forced_break(prev: Line, nxt: Line, right: float) -> bool:
    """Was ``prev`` wrapped because ``nxt``'s first word did not fit? Then the paragraph goes on."""
    word = nxt.text.split(" ", 1)[0]
    char_w = (prev.x1 - prev.x0) / max(1, len(prev.text))
    return right - prev.x1 < (len(word) + 1) * char_w


def continues_heading(lines: list[Line], ln: Line) -> bool:
    """A heading wrapped over several lines: same size and weight, one line pitch down."""
    prev = lines[-1]
    return (
        len(lines) < HEADING_MAX_LINES
        and ln.page == prev.page
        and not ln.marker
        and not ln.footnote_marker
        and len(ln.text) <= HEADING_MAX_CHARS
        and abs(prev.size - ln.size) <= 0.3
        and prev.bold == ln.bold
        and 0 <= ln.top - prev.top <= 1.7 * ln.size
    )


def _note_blocks(label: str, parts: list[list[Line]]) -> list[Proto]:
    """A note box: its prose as one note block; footnote texts in it as footnote blocks carrying the label.

    The Markdown sources put table footnotes in ``> [!NOTE]`` boxes; both readers give them the same shape.
    """
    out: list[Proto] = []
    prose: list[list[Line]] = []
    for part in parts:
        if part[0].footnote_marker:
            out.append(
                Proto(BlockKind.footnote, lines=part, marker=part[0].footnote_marker, note_label=label)
            )
        else:
            prose.append(part)
    if prose or not out:
        out.insert(
            0, Proto(BlockKind.note, lines=[ln for p in prose for ln in p], note_label=label, parts=prose)
        )
    return out


def _note_parts(lines: list[Line], pitch) -> list[list[Line]]:  # noqa: ANN001
    parts: list[list[Line]] = []
    for ln in lines:
        if parts:
            prev = parts[-1][-1]
            same = (
                not ln.marker
                and not ln.footnote_marker
                and abs(prev.size - ln.size) <= 0.6
                and -2 <= ln.top - prev.top <= pitch(ln.size) * 1.3
            )
            if same:
                parts[-1].append(ln)
                continue
        parts.append([ln])
    return parts
