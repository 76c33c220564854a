"""Proto-blocks and raw tables -> the pydantic Block / Table model (text joined, provenance per page)."""

from __future__ import annotations

from typing import Any

from pipeline.extract.model import BBox, Block, BlockKind, FootnoteRef, Provenance, Table, TableCell
from pipeline.extract.pdf.blocks import Proto
from pipeline.extract.pdf.objects import Line, RawTable
from pipeline.extract.pdf.reflow import Vocabulary, join_lines


def prov(page: int, obj: Any) -> Provenance:
    return Provenance(
        page=page,
        bbox=BBox(
            x0=round(obj.x0, 2), top=round(obj.top, 2), x1=round(obj.x1, 2), bottom=round(obj.bottom, 2)
        ),
    )


def _provs(lines: list[Line]) -> list[Provenance]:
    by_page: dict[int, list[Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    out = []
    for page, ls in by_page.items():
        box = BBox(
            x0=round(min(x.x0 for x in ls), 2),
            top=round(min(x.top for x in ls), 2),
            x1=round(max(x.x1 for x in ls), 2),
            bottom=round(max(x.bottom for x in ls), 2),
        )
        out.append(Provenance(page=page, bbox=box))
    return out


def _refs(refs: list[tuple[str, int]]) -> list[FootnoteRef]:
    return [FootnoteRef(marker=m, offset=o) for m, o in refs]


def to_block(p: Proto, vocab: Vocabulary | None = None) -> Block:
    if p.kind is BlockKind.table and p.table is not None:
        return _table_block(p.table)
    if p.kind is BlockKind.note and p.parts:
        pieces = [join_lines(part, keep_markers=True, vocab=vocab) for part in p.parts]
        text, refs = "", []
        for part, (t, r) in zip(p.parts, pieces, strict=True):
            base = len(text) + (1 if text else 0)
            if part[0].footnote_marker:  # a footnote text inside the box: keep its marker as a ref
                refs.extend((m.strip(), base) for m in part[0].footnote_marker.split(","))
            text = f"{text}\n{t}" if text else t
            refs.extend((m, o + base) for m, o in r)
        return Block(
            kind=p.kind,
            text=text,
            note_label=p.note_label,
            prov=_provs(p.lines),
            footnote_refs=_refs(refs),
            font_size=p.lines[0].size if p.lines else None,
        )
    text, refs = join_lines(p.lines, vocab=vocab)
    if p.strip_prefix is not None and (m := p.strip_prefix.match(text)):
        shift = m.start("rest")
        text = text[shift:]
        refs = [(mk, max(0, o - shift)) for mk, o in refs]
    return Block(
        kind=p.kind,
        text=text,
        prov=_provs(p.lines),
        level=p.level,
        section_number=p.section_number,
        marker=p.marker,
        note_label=p.note_label,
        bold=all(ln.bold for ln in p.lines),
        font_size=p.lines[0].size if p.lines else None,  # fuzz crash: a block with no lines
        footnote_refs=_refs(refs),
    )


def _table_block(t: RawTable) -> Block:
    rows = []
    for row in t.rows:
        rows.append(
            [
                TableCell(
                    text=c.text,
                    row=c.row,
                    col=c.col,
                    row_span=c.row_span,
                    col_span=c.col_span,
                    is_header=c.row < t.header_rows or c.is_header,
                    bold=c.bold,
                    footnote_refs=_refs(c.refs),
                    prov=[prov(c.page, c)],
                )
                for c in row
            ]
        )
    table = Table(rows=rows, header_rows=t.header_rows, n_cols=t.n_cols, ruled=t.ruled)
    text = "\n".join(" | ".join(c.text for c in row) for row in t.rows)
    provs = [
        Provenance(
            page=t.page,
            bbox=BBox(x0=round(t.x0, 2), top=round(t.top, 2), x1=round(t.x1, 2), bottom=round(t.bottom, 2)),
        )
    ]
    provs += [
        Provenance(
            page=pg,
            bbox=BBox(x0=round(b[0], 2), top=round(b[1], 2), x1=round(b[2], 2), bottom=round(b[3], 2)),
        )
        for pg, b in t.parts
    ]
    return Block(kind=BlockKind.table, text=text, table=table, prov=provs)
