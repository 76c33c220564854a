"""A paragraph's inline content -> clean text, footnote markers, links, boldness.

Read as a reader of the printed page would see it: tracked insertions kept and deletions dropped
(the accepted text; the count of revisions is reported), comments and hidden text ignored, field
instructions dropped and the results of page-number and table-of-contents fields too (a field's
state lives across paragraphs: a TOC spans many), symbol-font glyphs mapped, superscript numbers
and ``w:footnoteReference`` turned into :class:`FootnoteRef`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.extract.docx.styles import Styles, W, on, roman, w, wval
from pipeline.extract.docx.symbols import map_symbol, map_symbol_text
from pipeline.extract.model import FootnoteRef, Link
from pipeline.textutil import clean_text

_SENTINEL = "\ue000"  # stands where a footnote marker was, until offsets are computed
_MARKER = re.compile(r"^\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*|\*{1,3}|[†‡§]+)\s*$")
#: fields whose result is page furniture or a generated table of contents, never body text
DROPPED_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "TOC", "PAGEREF", "SECTION"})
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_REVISION_KEEP = {w("ins"), w("moveTo")}
_REVISION_DROP = {w("del"), w("moveFrom")}
_DESCEND = {w("smartTag"), w("customXml"), w("sdtContent"), w("bdo"), w("dir")}
_HYPERLINK = re.compile(r'(?:\\l\s+)?"([^"]{1,2000})"')
_NOTE_KINDS = {w("footnoteReference"): "footnote", w("endnoteReference"): "endnote"}


@dataclass
class _Field:
    instr: str = ""
    result: bool = False
    link: tuple[int, int, str] | None = None  # (paragraph accumulator id, start part, url) of a HYPERLINK

    @property
    def name(self) -> str:
        return (self.instr.split() or [""])[0].upper()


@dataclass
class Para:
    text: str
    refs: list[FootnoteRef]
    links: list[Link]
    bold: bool
    lead_marker: str | None = None  # the superscript marker the paragraph opens with (a footnote text)
    page_field: bool = False
    size: int = 0  # the font size (half-points) most of its characters have


@dataclass
class _Acc:
    parts: list[str] = field(default_factory=list)
    markers: list[list[str]] = field(default_factory=list)
    sup: list[str] = field(default_factory=list)
    bold_chars: int = 0
    plain_chars: int = 0
    sizes: dict[int, int] = field(default_factory=dict)
    no: int = 0  # which paragraph of the part (a field's link must end where it began)
    links: list[tuple[int, int, str]] = field(default_factory=list)
    lead_marker: str | None = None
    page_field: bool = False

    def empty_so_far(self) -> bool:
        return not "".join(self.parts).strip()


class InlineReader:
    """Walks runs; one per part (document, footnotes, a header) so fields and note numbers carry over."""

    def __init__(self, styles: Styles, rels: dict[str, tuple[str, str, bool]]) -> None:
        self.styles = styles
        self.rels = rels
        self.fields: list[_Field] = []
        self.revisions = 0
        #: (kind, marker, note id) of notes referenced since the caller last took them
        self.noted: list[tuple[str, str, str]] = []
        self.note_numbers = {"footnote": 0, "endnote": 0}
        self._size = styles.default_size
        self._paragraphs = 0
        #: text boxes (w:txbxContent) met in runs, read by the caller as blocks after the paragraph
        self.text_boxes: list[etree._Element] = []

    def hidden(self) -> bool:
        return any(not f.result or f.name in DROPPED_FIELDS for f in self.fields)

    def paragraph(self, p: etree._Element, para_style: str | None = None) -> Para:
        self._paragraphs += 1
        acc = _Acc(no=self._paragraphs)
        self._walk(p, acc, para_style)
        self._flush_sup(acc)
        text, refs = _finish("".join(acc.parts), acc.markers)
        links = []
        for start, end, url in acc.links:
            label, _ = _finish("".join(acc.parts[start:end]), [])
            if label and url:
                links.append(Link(text=label.replace(_SENTINEL, ""), url=url))
        return Para(
            text=text,
            refs=refs,
            links=links,
            bold=acc.bold_chars > 0 and acc.plain_chars == 0,
            lead_marker=acc.lead_marker,
            page_field=acc.page_field,
            size=max(acc.sizes, key=lambda k: (acc.sizes[k], k)) if acc.sizes else 0,
        )

    # -- walking -------------------------------------------------------------------------------
    def _walk(self, el: etree._Element, acc: _Acc, pstyle: str | None) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == w("r"):
                self._run(child, acc, pstyle)
            elif tag in _REVISION_KEEP:
                self.revisions += 1
                self._walk(child, acc, pstyle)
            elif tag in _REVISION_DROP:
                self.revisions += 1
            elif tag == w("hyperlink"):
                start = len(acc.parts)
                self._walk(child, acc, pstyle)
                self._flush_sup(acc)
                rid = child.get(f"{{{R}}}id")
                url = self.rels.get(rid, ("", "", False))[1] if rid else ""
                if not url and child.get(w("anchor")):
                    url = "#" + child.get(w("anchor"), "")
                acc.links.append((start, len(acc.parts), url))
            elif tag == w("fldSimple"):
                name = (child.get(w("instr"), "").split() or [""])[0].upper()
                if name in ("PAGE", "NUMPAGES"):
                    acc.page_field = True
                if name not in DROPPED_FIELDS:
                    self._walk(child, acc, pstyle)
            elif tag in _DESCEND or tag == w("sdt"):
                self._walk(child, acc, pstyle)
            elif tag == f"{{{M}}}oMath" or tag == f"{{{M}}}oMathPara":
                self._text("".join(t.text or "" for t in child.iter(f"{{{M}}}t")), acc, False, False)
            # pPr, bookmarks, comment ranges, proofErr, mc:AlternateContent (drawings): nothing to read

    def _run(self, r: etree._Element, acc: _Acc, pstyle: str | None) -> None:
        rpr = r.find(w("rPr"))
        if on(rpr, "vanish") or on(rpr, "specVanish"):
            return
        cstyle = wval(rpr, "rStyle")
        bold = on(rpr, "b")
        if bold is None:
            bold = bool(self.styles.first(cstyle, "bold") or self.styles.first(pstyle, "bold"))
        va = wval(rpr, "vertAlign")
        sup = va == "superscript" if va else bool(self.styles.first(cstyle, "superscript"))
        sz = wval(rpr, "sz")
        self._size = (
            int(sz)
            if sz and sz.isdigit()
            else self.styles.first(cstyle, "size")
            or self.styles.first(pstyle, "size")
            or self.styles.default_size
        )
        fonts = rpr.find(w("rFonts")) if rpr is not None else None
        font = (fonts.get(w("ascii")) or fonts.get(w("hAnsi"))) if fonts is not None else None
        for child in r:
            tag = child.tag
            if tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    self.fields.append(_Field())
                elif kind == "separate" and self.fields:
                    f = self.fields[-1]
                    f.result = True
                    if f.name in ("PAGE", "NUMPAGES"):
                        acc.page_field = True
                    if f.name == "HYPERLINK" and (m := _HYPERLINK.search(f.instr)):
                        url = m.group(1) if not m.group(0).startswith("\\l") else "#" + m.group(1)
                        f.link = (acc.no, len(acc.parts), url)
                elif kind == "end" and self.fields:
                    f = self.fields.pop()
                    if f.link is not None and f.link[0] == acc.no:
                        self._flush_sup(acc)
                        acc.links.append((f.link[1], len(acc.parts), f.link[2]))
                continue
            if tag == w("instrText"):
                if self.fields:
                    self.fields[-1].instr += child.text or ""
                continue
            if self.hidden():
                continue
            if tag == w("t"):
                self._text(map_symbol_text(child.text or "", font), acc, bold, sup)
            elif tag in (w("tab"), w("ptab"), w("br"), w("cr")):
                self._text(" ", acc, bold, False)
            elif tag == w("noBreakHyphen"):
                self._text("-", acc, bold, sup)
            elif tag == w("sym"):
                code = int(child.get(w("char"), "0") or "0", 16) if _hex(child.get(w("char"))) else 0
                shown = map_symbol(child.get(w("font")), code) or (chr(code) if code else "")
                self._text(shown, acc, bold, sup)
            elif tag in _NOTE_KINDS:
                self._note(_NOTE_KINDS[tag], child, acc)
            elif tag in (w("drawing"), w("pict"), f"{{{MC}}}AlternateContent"):
                # a text box is drawn once: Word's choice and its VML fallback hold the same text
                shape = child[0] if tag == f"{{{MC}}}AlternateContent" and len(child) else child
                self.text_boxes.extend(shape.iter(w("txbxContent")))
            # softHyphen, comment references, lastRenderedPageBreak: nothing shown in text

    def _note(self, kind: str, ref: etree._Element, acc: _Acc) -> None:
        self._flush_sup(acc)
        if ref.get(w("customMarkFollows")) in ("1", "true"):
            return  # the mark is the run text that follows, read as a superscript marker
        self.note_numbers[kind] += 1
        n = self.note_numbers[kind]
        marker = str(n) if kind == "footnote" else roman(n)
        self.noted.append((kind, marker, ref.get(w("id"), "")))
        self._marker([marker], acc)

    def _text(self, text: str, acc: _Acc, bold: bool, sup: bool) -> None:
        if not text:
            return
        if sup:
            acc.sup.append(text)
            return
        self._flush_sup(acc)
        acc.parts.append(text)
        n = len(text.strip())
        acc.sizes[self._size] = acc.sizes.get(self._size, 0) + n
        if bold:
            acc.bold_chars += n
        else:
            acc.plain_chars += n

    def _flush_sup(self, acc: _Acc) -> None:
        if not acc.sup:
            return
        raw = "".join(acc.sup)
        acc.sup = []
        if m := _MARKER.match(raw):
            markers = [x.strip() for x in re.split(r"[,;]", m.group(1)) if x.strip()]
            if acc.empty_so_far() and not acc.markers:
                acc.lead_marker = ", ".join(markers)
                return
            self._marker(markers, acc)
        else:
            acc.parts.append(raw)
            acc.plain_chars += len(raw.strip())

    @staticmethod
    def _marker(markers: list[str], acc: _Acc) -> None:
        acc.parts.append(_SENTINEL)
        acc.markers.append(markers)


def _hex(v: str | None) -> bool:
    return bool(v) and all(c in "0123456789abcdefABCDEF" for c in v) and len(v) <= 6


def _finish(raw_text: str, markers: list[list[str]]) -> tuple[str, list[FootnoteRef]]:
    """Clean the text, then remove the sentinels recording their offsets (spaces folded around them)."""
    text = clean_text(raw_text)
    if _SENTINEL not in text:
        return text, []
    marker_iter = iter(markers)
    out: list[str] = []
    refs: list[FootnoteRef] = []
    for ch in text:
        if ch == _SENTINEL:
            refs.extend(FootnoteRef(marker=m, offset=len(out)) for m in next(marker_iter, []))
        elif ch == " ":
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    while out and out[-1] == " ":
        out.pop()
    final = "".join(out)
    return final, [FootnoteRef(marker=r.marker, offset=min(r.offset, len(final))) for r in refs]


__all__ = ["W", "InlineReader", "Para"]
