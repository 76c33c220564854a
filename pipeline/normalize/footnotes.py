"""Component ``footnotes``: footnote blocks, ``<sup>n</sup> text`` / ``*text`` paragraphs and mark legends."""

from __future__ import annotations

import re

from pipeline.extract.model import BlockKind, Document
from pipeline.normalize.model import Footnote
from pipeline.normalize.offer_tables import legends_after
from pipeline.normalize.sections import SectionMap
from pipeline.normalize.tables import TableKind
from pipeline.textutil import clean_text


def collect_footnotes(doc: Document, smap: SectionMap, kinds: dict[int, TableKind]) -> list[Footnote]:
    """Footnote blocks, ``<sup>n</sup> text`` / ``*text`` paragraphs and mark legends, tied to the table above."""
    out: list[Footnote] = []
    last_table: int | None = None
    for bi, block in enumerate(doc.blocks):
        if block.kind == BlockKind.table:
            last_table = bi
            for m, d, t, _ in legends_after(doc, bi):
                out.append(
                    Footnote(marker=f"{m}{d}", text=t, table_id=f"t{bi}", section_id=smap.block_section[bi])
                )
            continue
        if block.kind == BlockKind.heading:
            last_table = None
            continue
        text = clean_text(block.text)
        marker: str | None = None
        if block.kind == BlockKind.footnote:
            marker = block.marker or (block.footnote_refs[0].marker if block.footnote_refs else "")
        elif block.kind == BlockKind.paragraph and block.footnote_refs and block.footnote_refs[0].offset == 0:
            marker = block.footnote_refs[0].marker
        elif block.kind == BlockKind.paragraph and (m := re.match(r"^(\*+)\s*(?=\S)", text)):
            marker, text = m.group(1), text[m.end() :]
        if marker is None or not text:
            continue
        for one_marker, one_text in split_footnote_line(marker.strip(), text, block):
            out.append(
                Footnote(
                    marker=one_marker,
                    text=one_text,
                    table_id=f"t{last_table}" if last_table is not None else None,
                    section_id=smap.block_section[bi],
                    prov=list(block.prov),
                )
            )
    return out


def split_footnote_line(marker: str, text: str, block) -> list[tuple[str, str]]:  # noqa: ANN001
    """One line holding several footnotes ("¹ … ² … ³ …") -> one (marker, text) per footnote.

    A later marker starts a new footnote unless it is glued to a word (a footnote marker glued to a
    word is a reference inside the footnote's text, not a new footnote).
    """
    refs = block.footnote_refs
    if block.kind == BlockKind.footnote:
        start, later = 0, refs if block.marker else refs[1:]
    elif refs and refs[0].offset == 0:
        start, later = 0, refs[1:]
    else:
        return [(marker, text)]
    raw = block.text
    cuts = [r for r in later if 0 < r.offset <= len(raw) and not raw[r.offset - 1].isalnum()]
    if not cuts:
        return [(marker, text)]
    pieces: list[tuple[str, str]] = []
    current = marker
    for ref in cuts:
        pieces.append((current, clean_text(raw[start : ref.offset]).rstrip(" >")))
        start, current = ref.offset, ref.marker.strip()
    pieces.append((current, clean_text(raw[start:])))
    return [(m, t) for m, t in pieces if t]
