"""Text reader: text already pulled out of a PDF (``pdftotext``-like output) -> Document.

Best effort with the PDF heuristics, on lines instead of glyphs: page numbers ("Page 3 sur 8")
and running headers/footers (lines repeated next to page breaks) go to ``furniture``; numbered
section headings ("2.1 Procédure d’achat") are accepted only in sequence (so footnotes "1 Le
temps…" and numbered list items "2.1 Fourni à…" out of sequence stay text); bullets ("•", "o",
"-", "a)") become list items; wrapped lines are re-flowed into paragraphs (a paragraph ends on a
short line); words split across lines ("Planifi" + "cation") are glued when the whole word is in
the document's own vocabulary; flattened availability tables (a header line, then rows "Name ✓"
or "Name <U+F0C8>") become 2-column tables, their legends ("✓ - Inclus …") paragraphs after them.

One module per job: :mod:`.furniture`, :mod:`.lines` (line classes, re-flow), :mod:`.tables`,
:mod:`.walk`; line heuristics shared with the PDF reader come from :mod:`pipeline.extract.lines`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline.extract.lines import Vocabulary
from pipeline.extract.model import (
    Block,
    BlockKind,
    Document,
    DocumentMeta,
    Provenance,
    SourceFormat,
)
from pipeline.extract.sourcetext import decode_source, split_lines
from pipeline.extract.text.furniture import _find_furniture, _page_numbers, _with_pages
from pipeline.extract.text.lines import _clean, _Ctx, _Line, _section_lines
from pipeline.extract.text.walk import _split_glued_markers, _typical_width, _walk
from pipeline.hashing import sha256_bytes
from pipeline.limits import DEFAULT_LIMITS, Limits


def extract_text(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read PDF-extracted text into a Document (line provenance; furniture kept apart)."""
    path = Path(path)
    data = path.read_bytes()
    warnings: list[str] = []
    raw_lines = split_lines(decode_source(path, data), limits, warnings)
    furniture_at = _find_furniture(raw_lines)
    furniture = [
        Block(
            kind=kind,
            text=_clean(raw_lines[i].replace("\f", "")),
            raw=raw_lines[i],
            prov=[Provenance(line_start=i + 1, line_end=i + 1)],
        )
        for i, kind in sorted(furniture_at.items())
    ]
    page_of = _page_numbers(raw_lines)
    body: list[_Line] = []
    prev_blank = True
    for i, raw in enumerate(raw_lines):
        raw = raw.replace("\f", "")
        if i in furniture_at or not raw.strip():
            prev_blank = True
            continue
        body.append(
            _Line(no=i + 1, raw=raw, text=raw.strip(), page_start=not prev_blank and raw[:1].isspace())
        )
        prev_blank = False
    vocab = Vocabulary.of(_clean(x.text) for x in body)
    ctx = _Ctx(lines=body, width=_typical_width(body), vocab=vocab)
    ctx.sections = _section_lines(body)
    _walk(ctx)
    ctx.blocks = _split_glued_markers(ctx.blocks)
    headers = Counter(b.text for b in furniture if b.kind == BlockKind.page_header)
    title = headers.most_common(1)[0][0] if headers else None  # the running header names the document
    page_count = None
    if page_of is not None:
        page_count = page_of[-1] if page_of else None
        ctx.blocks = [_with_pages(b, page_of) for b in ctx.blocks]
        furniture = [_with_pages(b, page_of) for b in furniture]
    meta = DocumentMeta(
        title=title,
        source=str(path),
        sha256=sha256_bytes(data),
        format=SourceFormat.text,
        page_count=page_count,
    )
    return Document(meta=meta, blocks=ctx.blocks, furniture=furniture, warnings=warnings)
