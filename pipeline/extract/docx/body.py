"""The body of a Word document -> blocks in reading order; headers/footers -> furniture.

Text boxes (``w:txbxContent``) are read as blocks after the paragraph that anchors them. Paragraph
kinds, in order: heading (style or direct outline level; numbered headings get their
number from the list counters, as printed), list item (a numbering that is not a heading's), footnote
text (opens on a superscript marker, as under a table), note ("Note : …", or a one-cell table whose
first line is a note label), paragraph. Footnotes and endnotes (``footnotes.xml``) follow the block
that refers to them, as the PDF reader puts them under their table. Heading levels are ranks of the
outline levels used (Title above Heading 1), like the PDF reader's ranks of heading sizes.
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.extract.docx.package import Package
from pipeline.extract.docx.runs import InlineReader, Para
from pipeline.extract.docx.styles import Numbering, Styles, on, w, wval
from pipeline.extract.docx.tables import cell_paragraphs, join_paras, read_table, table_text
from pipeline.extract.model import Block, BlockKind, FootnoteRef, Provenance
from pipeline.extract.pdf.blocks import (
    _NOTE_PREFIX,
    HEADING_MAX_CHARS,
    HEADING_MIN_RATIO,
    HEADING_PLAIN_RATIO,
    note_label,
)

_SECTION = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?$")
HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
NOTE_TYPES = {
    "footnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "endnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
}


class BodyReader:
    def __init__(self, pkg: Package, part: str, styles: Styles, numbering: Numbering) -> None:
        self.pkg, self.part, self.styles, self.numbering = pkg, part, styles, numbering
        self.inline = InlineReader(styles, pkg.rels(part))
        self.blocks: list[Block] = []
        self.p_index = 0
        self.t_index = 0
        #: body text size (half-points) -> characters, and the plain paragraphs that may be headings
        self.sizes: dict[int, int] = {}
        self.candidates: list[tuple[Block, int, bool]] = []
        self.notes: dict[str, tuple[str, dict[str, etree._Element], InlineReader]] = {}
        for kind, typ in NOTE_TYPES.items():
            target = next((t for ty, t, ext in pkg.rels(part).values() if ty == typ and not ext), None)
            if target and pkg.has(target):
                root = pkg.xml(target)
                by_id = {n.get(w("id"), ""): n for n in root.findall(w(kind)) if n.get(w("type")) is None}
                self.notes[kind] = (target, by_id, InlineReader(styles, pkg.rels(target)))

    # -- body ----------------------------------------------------------------------------------
    def walk(self, container: etree._Element) -> None:
        for child in container:
            tag = child.tag
            if tag == w("p"):
                self._paragraph(child)
            elif tag == w("tbl"):
                self._table(child)
            elif tag == w("sdt"):
                if not _is_toc(child) and (content := child.find(w("sdtContent"))) is not None:
                    self.walk(content)
            elif tag == w("customXml"):
                self.walk(child)
            self._notes_after()
            boxes, self.inline.text_boxes = self.inline.text_boxes, []
            for box in boxes:  # a text box's paragraphs and tables follow the paragraph anchoring it
                self.walk(box)

    def _paragraph(self, p: etree._Element) -> None:
        index = self.p_index
        self.p_index += 1
        ppr = p.find(w("pPr"))
        pstyle = wval(ppr, "pStyle")
        outline = self.styles.outline_level(pstyle)
        direct = wval(ppr, "outlineLvl")
        if direct is not None and direct.isdigit():
            outline = int(direct) if int(direct) < 9 else None
        num = ppr.find(w("numPr")) if ppr is not None else None
        num_id = wval(num, "numId") if num is not None else self.styles.first(pstyle, "num_id")
        ilvl_v = wval(num, "ilvl") if num is not None else None
        ilvl = int(ilvl_v) if ilvl_v and ilvl_v.isdigit() else (self.styles.first(pstyle, "ilvl") or 0)
        para = self.inline.paragraph(p, pstyle)
        label = self.numbering.next_label(num_id, ilvl) if num_id and num_id != "0" else None
        prov = [Provenance(part=self.part, paragraph=index)]
        if not para.text and not (label and outline is not None):
            return
        if outline is not None:
            text, refs, section = para.text, para.refs, None
            if label and _NUMBERED.match(label):
                section = label.rstrip(".")
                shift = len(label) + 1
                text = f"{label} {text}".strip()
                refs = [FootnoteRef(marker=r.marker, offset=r.offset + shift) for r in refs]
            elif m := _SECTION.match(text):
                section = m.group("num")
            self.blocks.append(
                Block(
                    kind=BlockKind.heading,
                    text=text,
                    level=outline,  # ranked in rank_headings()
                    section_number=section,
                    bold=para.bold,
                    footnote_refs=refs,
                    links=para.links,
                    prov=prov,
                )
            )
        elif label is not None:
            self.blocks.append(_block(BlockKind.list_item, para, prov, marker=label, level=ilvl))
        elif para.lead_marker:
            self.blocks.append(_block(BlockKind.footnote, para, prov, marker=para.lead_marker))
        elif m := _NOTE_PREFIX.match(para.text):
            shift = m.start("rest")
            refs = [FootnoteRef(marker=r.marker, offset=max(0, r.offset - shift)) for r in para.refs]
            self.blocks.append(
                Block(
                    kind=BlockKind.note,
                    text=para.text[shift:],
                    note_label=m.group("label"),
                    footnote_refs=refs,
                    links=para.links,
                    prov=prov,
                )
            )
        else:
            block = _block(BlockKind.paragraph, para, prov)
            self.blocks.append(block)
            if len(para.text) <= HEADING_MAX_CHARS and any(ch.isalpha() for ch in para.text):
                self.candidates.append((block, para.size, para.bold))
        if outline is None and para.size:
            self.sizes[para.size] = self.sizes.get(para.size, 0) + len(para.text)

    def promote_headings(self) -> None:
        """Paragraphs set bigger (or bold and a little bigger) than the body text, without a heading
        style, are headings — the PDF reader's rule, so an unstyled Word file reads like its PDF.
        They rank below the styled headings, bigger first."""
        if not self.sizes:
            return
        body = max(self.sizes, key=lambda k: (self.sizes[k], -k))
        chosen = [
            (b, size)
            for b, size, bold in self.candidates
            if size >= (HEADING_MIN_RATIO if bold else HEADING_PLAIN_RATIO) * body
        ]
        ranks = {size: i for i, size in enumerate(sorted({size for _, size in chosen}, reverse=True))}
        for b, size in chosen:
            b.kind = BlockKind.heading
            b.level = 10 + ranks[size]
            if m := _SECTION.match(b.text):
                b.section_number = m.group("num")

    def _table(self, tbl: etree._Element) -> None:
        index = self.t_index
        self.t_index += 1
        prov = [Provenance(part=self.part, table=index)]
        cells = tbl.findall(f"{w('tr')}/{w('tc')}")
        if len(cells) == 1:  # a framed note: one cell opening on its label
            paras = [p for p in cell_paragraphs(cells[0], self.inline) if p.text]
            if paras and (label := note_label(paras[0].text)) is not None:
                text, refs, links, _ = join_paras(paras[1:])
                self.blocks.append(
                    Block(
                        kind=BlockKind.note,
                        text=text,
                        note_label=label,
                        footnote_refs=refs,
                        links=links,
                        prov=prov,
                    )
                )
                return
        table = read_table(tbl, self.inline, index, self.part)
        if table.rows:
            self.blocks.append(Block(kind=BlockKind.table, text=table_text(table), table=table, prov=prov))

    def _notes_after(self) -> None:
        noted, self.inline.noted = self.inline.noted, []
        for kind, marker, note_id in noted:
            if kind not in self.notes:
                continue
            target, by_id, reader = self.notes[kind]
            note = by_id.get(note_id)
            if note is None:
                continue
            paras = [reader.paragraph(p, wval(p.find(w("pPr")), "pStyle")) for p in note.iter(w("p"))]
            text, refs, links, _ = join_paras(paras)
            if text:
                self.blocks.append(
                    Block(
                        kind=BlockKind.footnote,
                        text=text,
                        marker=marker,
                        footnote_refs=refs,
                        links=links,
                        prov=[Provenance(part=target, paragraph=int(note_id) if note_id.isdigit() else None)],
                    )
                )

    def revisions(self, root: etree._Element) -> int:
        """Unaccepted revisions in the body and the notes: insertions, deletions, moves, format changes."""
        tags = {w(t) for t in ("ins", "del", "moveFrom", "moveTo", "pPrChange", "rPrChange", "tblPrChange",
                               "trPrChange", "tcPrChange", "sectPrChange", "cellIns", "cellDel")}  # fmt: skip
        roots = [root] + [self.pkg.xml(target) for target, _, _ in self.notes.values()]
        return sum(1 for r in roots for el in r.iter() if el.tag in tags)


def _block(kind: BlockKind, para: Para, prov: list[Provenance], **extra) -> Block:  # noqa: ANN003
    return Block(
        kind=kind,
        text=para.text,
        bold=para.bold,
        footnote_refs=para.refs,
        links=para.links,
        prov=prov,
        **extra,
    )


def _is_toc(sdt: etree._Element) -> bool:
    gallery = sdt.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
    return gallery is not None and "table of contents" in (gallery.get(w("val")) or "").casefold()


def rank_headings(blocks: list[Block]) -> None:
    """Outline levels (-1 Title, 0 Heading 1 …) -> 1-based ranks of the levels in use."""
    used = sorted({b.level for b in blocks if b.kind is BlockKind.heading and b.level is not None})
    rank = {lvl: i + 1 for i, lvl in enumerate(used)}
    for b in blocks:
        if b.kind is BlockKind.heading and b.level is not None:
            b.level = rank[b.level]


def furniture(pkg: Package, part: str, styles: Styles) -> list[Block]:
    """Running headers and footers, once each; a paragraph with a page-number field is a page number."""
    out: list[Block] = []
    seen: set[tuple[BlockKind, str]] = set()
    refs = sorted(
        (t, ty) for ty, t, ext in pkg.rels(part).values() if ty in (HEADER_TYPE, FOOTER_TYPE) and not ext
    )
    for target, typ in refs:
        if not pkg.has(target):
            continue
        reader = InlineReader(styles, pkg.rels(target))
        for i, p in enumerate(pkg.xml(target).iter(w("p"))):
            para = reader.paragraph(p, wval(p.find(w("pPr")), "pStyle"))
            kind = (
                BlockKind.page_number
                if para.page_field
                else (BlockKind.page_header if typ == HEADER_TYPE else BlockKind.page_footer)
            )
            if (kind, para.text) in seen or not (para.text or para.page_field):
                continue
            seen.add((kind, para.text))
            out.append(Block(kind=kind, text=para.text, prov=[Provenance(part=target, paragraph=i)]))
    return out


__all__ = ["BodyReader", "furniture", "on", "rank_headings"]
