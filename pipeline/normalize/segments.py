"""Component ``segments``: reads blocks + section map, writes :class:`Segment` s.

Each heading, list item, note, footnote and table cell is a segment; paragraph, list-item, note
and cell text is split into sentences by one rule-based splitter for French and English
(:func:`split_sentences`). Ids ``s-<section-id>-<n>`` count within a section, so they are stable
within an edition. Markdown inline markup (``raw``) is split the same way when it can be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.model import Block, BlockKind, Document, FootnoteRef, Link
from pipeline.normalize.model import Segment, SegmentKind, TablePosition
from pipeline.normalize.sections import SectionMap
from pipeline.textutil import clean_text

# Abbreviations after which a period does not end a sentence (folded, without the final period).
_ABBREV = {
    "e.g",
    "i.e",
    "vs",
    "cf",
    "p. ex",
    "ex",
    "env",
    "approx",
    "inc",
    "ltd",
    "corp",
    "co",
    "no",
    "n°",
    "nos",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "m",
    "mme",
    "art",
    "al",
    "fig",
    "réf",
    "ref",
    "p",
    "pp",
    "vol",
    "c.-à-d",
    "c-à-d",
    "jan",
    "feb",
    "févr",
    "sept",
    "oct",
    "nov",
    "dec",
    "déc",
}
# Candidate boundary: end punctuation, optional closers, whitespace, then a sentence opener.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”»’)\]*_]*(\s+)(?=[\"“«(\[*_]*[A-ZÀ-ÖØ-Þ0-9<\[])")
_WORD_BEFORE = re.compile(r"([\w.\-°à]+)[.!?…][\"”»’)\]*_]*$")


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans that never hold a boundary: URLs, Markdown links, parentheses."""
    spans = [m.span() for m in re.finditer(r"https?://\S+|www\.\S+|\[[^\]]*\]\([^)]*\)", text)]
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and i - start < 400:
                spans.append((start, i))
    return spans


def split_sentences(text: str) -> list[str]:
    """Split French or English text into sentences.

    Keeps "e.g.", "p. ex.", "9 h 00", URLs, decimals ("99.9", "1,5"), "(2)" and links intact:
    a boundary is end punctuation + space + an upper-case letter, digit or opening mark, not
    after a known abbreviation or a single-letter initial, and not inside parentheses or a URL.
    """
    text = text.strip()
    if not text:
        return []
    spans = _protected(text)
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.start(1)
        if any(a < cut < b for a, b in spans):
            continue
        before = text[start:cut]
        w = _WORD_BEFORE.search(before)
        if w:
            word = w.group(1).lower()
            tail = before[-8:].lower()
            if word in _ABBREV or re.search(r"\bp\. ex$|\be\.g$|\bi\.e$", tail.rstrip('.!?…"”»’)]*_ ')):
                continue
            if len(word) == 1 and word.isalpha() and before.rstrip().endswith("."):
                continue  # an initial: "J. Smith"
        piece = text[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = m.end(1)
    last = text[start:].strip()
    if last:
        pieces.append(last)
    return pieces


@dataclass
class SegmentIndex:
    segments: list[Segment] = field(default_factory=list)
    #: segment ids of each block, by block index
    by_block: dict[int, list[str]] = field(default_factory=dict)
    #: segment ids of each table cell: (block index, row, col) -> ids
    by_cell: dict[tuple[int, int, int], list[str]] = field(default_factory=dict)

    def get(self, segment_id: str) -> Segment | None:
        return self._ids().get(segment_id)

    def _ids(self) -> dict[str, Segment]:
        return {s.id: s for s in self.segments}


_KIND = {
    BlockKind.heading: SegmentKind.heading,
    BlockKind.paragraph: SegmentKind.paragraph,
    BlockKind.list_item: SegmentKind.list_item,
    BlockKind.note: SegmentKind.note,
    BlockKind.footnote: SegmentKind.footnote,
}


def _refs_in(refs: list[FootnoteRef], lo: int, hi: int) -> list[str]:
    return [r.marker for r in refs if lo <= r.offset <= hi]


def _links_in(links: list[Link], text: str) -> list[Link]:
    return [lk for lk in links if lk.text and lk.text in text]


_BR = re.compile(r"<br\s*/?>", re.I)
_SUP = re.compile(r"<sup>.*?</sup>", re.I | re.S)


def _strip_inline(raw: str) -> str:
    """Rough plain text of inline Markdown, only to find where a ``<br/>`` falls in the clean text."""
    text = _SUP.sub("", raw)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text).replace("\\", "")
    return clean_text(text.replace("&amp;", "&").replace("&nbsp;", " "))


def _cell_lines(text: str, raw: str | None) -> str:
    """Cell text with one line per ``<br/>`` line of the source (the extractor joins them with spaces)."""
    lines = [t for t in (clean_text(x) for x in text.split("\n")) if t]
    joined = "\n".join(lines)
    if not raw or not _BR.search(raw) or len(lines) > 1:
        return joined
    flat = " ".join(lines)
    pieces, pos, skip = [], 0, 0
    for part in (p for p in (_strip_inline(x) for x in _BR.split(raw)) if p):
        head = part[: min(len(part), 12)]
        at = flat.find(head, pos + skip)
        if at < 0:
            return joined
        if at > pos:
            pieces.append(flat[pos:at])
        pos, skip = at, max(1, len(part) // 2)
    pieces.append(flat[pos:])
    out = [p.strip() for p in pieces if p.strip()]
    return "\n".join(out) if out else joined


def _split_lines(text: str) -> list[str]:
    """Sentences of each line: a cell's ``<br/>`` lines are units of their own."""
    return [s for line in text.split("\n") for s in split_sentences(line)]


def _pieces(text: str, raw: str | None, split: bool) -> list[tuple[str, int, int, str | None]]:
    """(sentence, start, end, raw sentence) for the text of one block or cell."""
    sentences = _split_lines(text) if split else ([text.strip()] if text.strip() else [])
    raws: list[str | None]
    if raw is not None:
        raw_sents = _split_lines(re.sub(r"<br\s*/?>", "\n", raw)) if split else [raw.strip()]
        raws = (
            list(raw_sents)
            if len(raw_sents) == len(sentences)
            else [raw.strip()] + [None] * (len(sentences) - 1)
        )
        if len(sentences) == 1:
            raws = [raw.strip()]
    else:
        raws = [None] * len(sentences)
    out = []
    pos = 0
    for sent, r in zip(sentences, raws, strict=False):
        at = text.find(sent, pos)
        at = pos if at < 0 else at
        out.append((sent, at, at + len(sent), r))
        pos = at + len(sent)
    return out


def build_segments(doc: Document, smap: SectionMap) -> SegmentIndex:
    out = SegmentIndex()
    counters: dict[str, int] = {}

    def new_id(section_id: str | None) -> str:
        key = section_id or "root"
        counters[key] = counters.get(key, 0) + 1
        return f"s-{key}-{counters[key]}"

    for bi, block in enumerate(doc.blocks):
        sid = smap.block_section[bi] if bi < len(smap.block_section) else None
        ids: list[str] = []
        if block.kind == BlockKind.table and block.table is not None:
            table_id = f"t{bi}"
            for row in block.table.rows:
                for cell in row:
                    text = _cell_lines(cell.text, cell.raw)
                    if not text:
                        continue
                    cell_ids = []
                    for sent, lo, hi, raw in _pieces(text, cell.raw, split=True):
                        seg = Segment(
                            id=new_id(sid),
                            text=sent,
                            kind=SegmentKind.table_cell,
                            section_id=sid,
                            block_index=bi,
                            table=TablePosition(
                                table_id=table_id, row=cell.row, col=cell.col, is_header=cell.is_header
                            ),
                            footnote_refs=_refs_in(cell.footnote_refs, lo, hi),
                            links=_links_in(cell.links, sent),
                            raw=raw,
                            lang=block.lang,
                            prov=list(cell.prov or block.prov),
                        )
                        out.segments.append(seg)
                        cell_ids.append(seg.id)
                    out.by_cell[(bi, cell.row, cell.col)] = cell_ids
                    ids.extend(cell_ids)
        elif block.kind in _KIND:
            ids = _block_segments(block, bi, sid, new_id, out)
        out.by_block[bi] = ids
    return out


def _block_segments(block: Block, bi: int, sid: str | None, new_id, out: SegmentIndex) -> list[str]:  # noqa: ANN001
    text = clean_text(block.text)
    if not text:
        return []
    kind = _KIND[block.kind]
    split = kind is not SegmentKind.heading
    ids = []
    for sent, lo, hi, raw in _pieces(text, block.raw, split=split):
        seg = Segment(
            id=new_id(sid),
            text=sent,
            kind=kind,
            section_id=sid,
            block_index=bi,
            list_level=block.level if block.kind == BlockKind.list_item else None,
            footnote_refs=_refs_in(block.footnote_refs, lo, hi),
            links=_links_in(block.links, sent),
            raw=raw,
            lang=block.lang,
            prov=list(block.prov),
        )
        out.segments.append(seg)
        ids.append(seg.id)
    return ids
