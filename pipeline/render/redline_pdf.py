"""Annotated PDF redline: the new edition's own pages, each change marked at its words.

Standard annotations only (pypdf), which pdf.js and Acrobat both show: a ``Highlight`` over the
changed or added words with the change (kind, severity, old -> new) as its note, a ``Text`` note where
something was removed, a lighter highlight for minor changes (cosmetic ones are not marked), and a
first page listing the changes by severity with ``Link`` annotations to their pages. Where the words
are found: inside the change's provenance box on its page (the words of the new value or of the
redline's insertions, else every word of the box); a change without a box is searched for by its text
in the page body, never in the running headers and footers.

Safety: document text only ever reaches the file as escaped PDF string objects (annotation
``/Contents``) or as escaped literal strings in the summary page's content stream; no actions other
than in-document ``/Dest`` links are written. Deterministic: the file identifier is a digest of the
inputs, annotations carry no dates, and their order is the diff's.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from pipeline.diff.model import SEVERITY_ORDER, Change, ChangeSeverity, Diff, RedlineOp
from pipeline.extract.model import Document
from pipeline.render.redline_units import change_note

AUTHOR = "svcdesc"
COLORS = {  # RGB 0..1, and opacity: material changes strong, minor ones light
    ChangeSeverity.breaking: ((0.98, 0.45, 0.45), 0.45),
    ChangeSeverity.major: ((1.0, 0.85, 0.2), 0.45),
    ChangeSeverity.minor: ((0.55, 0.75, 1.0), 0.2),
}
_WORD = re.compile(r"[\w%$€£.,:/+-]+", re.UNICODE)
_PAD = 1.0


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Mark:
    """Where one change is shown: its page (1-based, in the edition) and word boxes, or a point."""

    index: int
    change: Change
    page: int
    words: list[Word]
    point: tuple[float, float] | None = None


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    return "".join(c for c in s if not unicodedata.combining(c)).strip(".,:;()[]«»\"'’")


def _tokens(text: str | None) -> list[str]:
    return [t for t in (_fold(x) for x in _WORD.findall(text or "")) if t]


def _targets(c: Change) -> list[str]:
    inserted = " ".join(s.text for s in c.redline if s.op is RedlineOp.insert)
    for text in (inserted, c.new_text, c.new):
        if toks := _tokens(text):
            return toks
    return []


class _Pages:
    """Words of the new edition's pages, read once each; furniture boxes set apart."""

    def __init__(self, pdf: pdfplumber.PDF, furniture: dict[int, list[tuple[float, float, float, float]]]):
        self.pdf = pdf
        self.furniture = furniture
        self._words: dict[int, list[Word]] = {}

    def words(self, page: int) -> list[Word]:
        if page not in self._words:
            pg = self.pdf.pages[page - 1]
            self._words[page] = [
                Word(page, w["text"], w["x0"], w["top"], w["x1"], w["bottom"])
                for w in pg.extract_words(keep_blank_chars=False, use_text_flow=True)
                if not self._in_furniture(page, w)
            ]
        return self._words[page]

    def _in_furniture(self, page: int, w: dict) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return any(
            x0 - 1 <= cx <= x1 + 1 and t - 1 <= cy <= b + 1 for x0, t, x1, b in self.furniture.get(page, [])
        )

    def count(self) -> int:
        return len(self.pdf.pages)


def _in_box(words: list[Word], box) -> list[Word]:  # noqa: ANN001 - a BBox
    return [
        w
        for w in words
        if box.x0 - 2 <= (w.x0 + w.x1) / 2 <= box.x1 + 2
        and box.top - 2 <= (w.top + w.bottom) / 2 <= box.bottom + 2
    ]


def _match(words: list[Word], targets: list[str]) -> list[Word]:
    """The run of ``words`` that best spells ``targets`` (longest in-order match), else the words that
    are among the targets; [] when none is."""
    if not targets:
        return []
    folded = [_fold(w.text) for w in words]
    best: tuple[int, int, int] = (0, 0, 0)
    for i in range(len(words)):
        k = 0
        while i + k < len(words) and k < len(targets) and folded[i + k] == targets[k]:
            k += 1
        if k > best[0]:
            best = (k, i, i + k)
    if best[0]:
        return words[best[1] : best[2]]
    wanted = set(targets)
    return [w for w, f in zip(words, folded, strict=True) if f in wanted]


def _search(pages: _Pages, targets: list[str]) -> list[Word]:
    """First place in the body where the target words stand in order (at most the first eight)."""
    want = targets[:8]
    if not want:
        return []
    for page in range(1, pages.count() + 1):
        words = pages.words(page)
        folded = [_fold(w.text) for w in words]
        for i in range(len(words) - len(want) + 1):
            if folded[i : i + len(want)] == want:
                return words[i : i + len(want)]
    return []


def locate(c: Change, index: int, pages: _Pages) -> Mark:
    targets = _targets(c)
    for p in c.new_prov:
        if p.page is None or p.bbox is None or not 1 <= p.page <= pages.count():
            continue
        words = pages.words(p.page)
        region = _in_box(words, p.bbox)
        if region:
            # the changed words in the box, else in the box's row (an SLA row's label is its provenance,
            # its new time is in the next cell), else the whole box
            band = [w for w in words if p.bbox.top - 2 <= (w.top + w.bottom) / 2 <= p.bbox.bottom + 2]
            hit = _match(region, targets) or _match(band, targets) or region
            return Mark(index, c, p.page, hit)
        return Mark(index, c, p.page, [], point=(p.bbox.x0, p.bbox.top))
    if targets and (found := _search(pages, targets)):
        return Mark(index, c, found[0].page, found)
    for p in c.old_prov:  # removed: a note where it stood in the old edition, on the same page
        if p.page is not None and p.bbox is not None:
            return Mark(index, c, min(max(p.page, 1), pages.count()), [], point=(p.bbox.x0, p.bbox.top))
    if old := _search(pages, _tokens(c.old_text)[:4]):  # text that moved: near its old words
        return Mark(index, c, old[0].page, [], point=(old[0].x0, old[0].top))
    return Mark(index, c, 1, [])  # placed later, beside its siblings


def _beside_siblings(marks: list[Mark]) -> list[Mark]:
    """A removal nothing places (a plan column gone) goes beside the first placed change of its kind."""
    placed = {}
    for m in marks:
        if m.words:
            placed.setdefault(m.change.kind, m)
    for m in marks:
        if not m.words and m.point is None and (sib := placed.get(m.change.kind)) is not None:
            m.page, m.point = sib.page, (42.0, sib.words[0].top)  # in the left margin, at its row
    for m in marks:
        if not m.words and m.point is None:
            m.point = (20.0 + 22, 40.0)
    return marks


def _spread(marks: list[Mark]) -> list[Mark]:
    """Notes that would sit on one another are stacked down the margin."""
    taken: dict[tuple[int, float, float], int] = {}
    for m in marks:
        if m.point is not None and not m.words:
            key = (m.page, round(m.point[0]), round(m.point[1]))
            n = taken.get(key, 0)
            taken[key] = n + 1
            m.point = (m.point[0], m.point[1] + 19 * n)
    return marks


def _lines(words: list[Word]) -> list[tuple[float, float, float, float]]:
    """Word boxes merged per line (x0, top, x1, bottom)."""
    out: list[list[float]] = []
    for w in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if out and abs(out[-1][1] - w.top) < 2 and w.x0 - out[-1][2] < 12:
            out[-1][2] = max(out[-1][2], w.x1)
            out[-1][3] = max(out[-1][3], w.bottom)
        else:
            out.append([w.x0, w.top, w.x1, w.bottom])
    return [tuple(x) for x in out]  # type: ignore[misc]


def _annotation(m: Mark, height: float, offset_x: float, offset_y: float) -> DictionaryObject:
    color, opacity = COLORS[m.change.severity]
    base = {
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/T"): TextStringObject(AUTHOR),
        NameObject("/NM"): TextStringObject(f"svcdesc-change-{m.index}"),
        NameObject("/Contents"): TextStringObject(change_note(m.change)),
        NameObject("/Subj"): TextStringObject(m.change.kind.value),
        NameObject("/C"): ArrayObject([FloatObject(round(v, 3)) for v in color]),
        NameObject("/F"): NumberObject(4),  # print
    }
    if m.words:
        lines = _lines(m.words)
        quads: list[FloatObject] = []
        for x0, top, x1, bottom in lines:
            y0, y1 = height - bottom - _PAD + offset_y, height - top + _PAD + offset_y
            xa, xb = x0 - _PAD + offset_x, x1 + _PAD + offset_x
            quads += [FloatObject(round(v, 2)) for v in (xa, y1, xb, y1, xa, y0, xb, y0)]
        xs, ys = quads[0::2], quads[1::2]
        base.update(
            {
                NameObject("/Subtype"): NameObject("/Highlight"),
                NameObject("/Rect"): ArrayObject([min(xs), min(ys), max(xs), max(ys)]),
                NameObject("/QuadPoints"): ArrayObject(quads),
                NameObject("/CA"): FloatObject(opacity),
            }
        )
        return DictionaryObject(base)
    x, top = m.point or (20.0, 40.0)
    x, y = max(2.0, x - 22) + offset_x, height - top + offset_y
    base.update(
        {
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Name"): NameObject("/Comment"),
            NameObject("/Rect"): ArrayObject([FloatObject(round(v, 2)) for v in (x, y - 18, x + 18, y)]),
            NameObject("/Open"): BooleanObject(False),
        }
    )
    return DictionaryObject(base)


# -- the summary page ----------------------------------------------------------------------------


def _pdf_text(s: str) -> bytes:
    """A literal string for the content stream: cp1252 (what Helvetica's WinAnsi shows), escaped."""
    s = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in s.replace("→", "->"))
    data = s.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _summary_lines(diff: Diff, marks: list[Mark]) -> list[tuple[str, str, int | None]]:
    """(font, text, target page) lines of the summary, most severe changes first."""
    title = diff.new.title or Path(diff.new.source).name
    counts = ", ".join(f"{n} {s}" for s, n in diff.counts.items())
    out: list[tuple[str, str, int | None]] = [
        ("F2", f"Redline: {title}"[:110], None),
        (
            "F1",
            f"old: {diff.old.edition_date or Path(diff.old.source).name}   new: "
            f"{diff.new.edition_date or Path(diff.new.source).name}"[:120],
            None,
        ),  # fmt: skip
        ("F1", f"changes: {counts} (cosmetic changes are not marked)", None),
        ("F1", "", None),
    ]
    by_sev: dict[ChangeSeverity, list[Mark]] = {}
    for m in marks:
        by_sev.setdefault(m.change.severity, []).append(m)
    for sev in SEVERITY_ORDER:
        if sev not in by_sev:
            continue
        out.append(("F2", f"{sev.value.capitalize()} ({len(by_sev[sev])})", None))
        for m in by_sev[sev]:
            what = _one_line(m.change)
            first = True
            for piece in textwrap.wrap(f"p. {m.page}: {what}", 105) or [""]:
                out.append(("F1", ("   " if not first else "") + piece, m.page if first else None))
                first = False
        out.append(("F1", "", None))
    return out


def _one_line(c: Change) -> str:
    what = c.summary or " · ".join(x for x in (c.kind.value.replace("_", " "), c.offer_id, c.subject) if x)
    if c.old is not None or c.new is not None:
        what += f" ({c.old if c.old is not None else '—'} → {c.new if c.new is not None else '—'})"
    return what


def _summary_pages(writer: PdfWriter, lines, width: float, height: float) -> list[list[tuple]]:  # noqa: ANN001
    per_page = int((height - 100) // 13)
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    fonts = DictionaryObject(
        {
            NameObject(f"/{name}"): writer._add_object(
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Font"),
                        NameObject("/Subtype"): NameObject("/Type1"),
                        NameObject("/BaseFont"): NameObject(base),
                        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                    }
                )
            )
            for name, base in (("F1", "/Helvetica"), ("F2", "/Helvetica-Bold"))
        }
    )
    links: list[list[tuple]] = []
    for n, chunk in enumerate(chunks):
        writer.insert_blank_page(width, height, index=n)
        page = writer.pages[n]
        ops = [b"BT"]
        y = height - 60
        page_links = []
        for font, text, target in chunk:
            ops.append(
                b"/%s %s Tf 1 0 0 1 50 %.2f Tm " % (font.encode(), b"11" if font == "F2" else b"8.5", y)
                + _pdf_text(text)
                + b" Tj"
            )
            if target is not None:
                page_links.append((45.0, y - 3, width - 45, y + 10, target))
            y -= 13
        ops.append(b"ET")
        stream = DecodedStreamObject()
        stream.set_data(b"\n".join(ops))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        links.append(page_links)
    return links


def render_redline_pdf(diff: Diff, new_pdf: Path, new_doc: Document | None = None) -> bytes:
    """The new edition's PDF with the diff's changes annotated, behind a summary page."""
    data = Path(new_pdf).read_bytes()
    furniture: dict[int, list[tuple[float, float, float, float]]] = {}
    for b in new_doc.furniture if new_doc else []:
        for p in b.prov:
            if p.page and p.bbox:
                furniture.setdefault(p.page, []).append((p.bbox.x0, p.bbox.top, p.bbox.x1, p.bbox.bottom))
    shown = [(i, c) for i, c in enumerate(diff.changes) if c.severity in COLORS]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = _Pages(pdf, furniture)
        marks = _spread(_beside_siblings([locate(c, i, pages) for i, c in shown]))
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = max(reader.pdf_header.encode("ascii", "replace"), b"%PDF-1.4")  # /CA opacity: 1.4
    for m in marks:
        page = writer.pages[m.page - 1]
        box = page.mediabox
        annot = _annotation(m, float(box.top) - float(box.bottom), float(box.left), float(box.bottom))
        writer.add_annotation(m.page - 1, annot)
    first = writer.pages[0].mediabox
    links = _summary_pages(writer, _summary_lines(diff, marks), float(first.width), float(first.height))
    n_summary = len(links)
    for n, page_links in enumerate(links):
        for x0, y0, x1, y1, target in page_links:
            writer.add_annotation(
                n, Link(rect=(x0, y0, x1, y1), border=[0, 0, 0], target_page_index=target - 1 + n_summary)
            )
    digest = hashlib.sha256(data + diff.model_dump_json().encode("utf-8")).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    writer.add_metadata({"/Producer": AUTHOR, "/Title": f"Redline: {diff.new.title or ''}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
