"""The PDF reader: open, check, two passes over the pages, blocks, Document.

Pass 1 reads each page's chars once and rebuilds lines; furniture is then found across all pages.
Pass 2 runs the table finder only on pages that draw rules or boxes inside the body band, assigns
lines to tables and boxes, and frees the page. pdfminer/pdfplumber failures become typed errors
(one line naming the file), never tracebacks.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber

from pipeline.errors import (
    CorruptPdf,
    EncryptedPdf,
    ScannedPdf,
    SvcdescError,
    Timeout,
    TooLarge,
    TooManyPages,
)
from pipeline.extract.model import (
    BBox,
    Block,
    BlockKind,
    Document,
    DocumentMeta,
    FootnoteRef,
    Provenance,
    SourceFormat,
    Table,
    TableCell,
)
from pipeline.extract.pdf.blocks import PageItems, Proto, build
from pipeline.extract.pdf.furniture import find_furniture
from pipeline.extract.pdf.inflate_cap import InflateBomb  # importing it caps pdfminer's inflation
from pipeline.extract.pdf.lines import chars_to_lines
from pipeline.extract.pdf.objects import Line, RawTable
from pipeline.extract.pdf.reflow import join_lines, join_texts
from pipeline.extract.pdf.tables import find_ruled_tables, has_drawn_edges, in_any
from pipeline.extract.pdf.unruled import find_unruled_tables
from pipeline.hashing import sha256_file
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.textutil import clean_text

_ENCRYPTION_ERRORS = {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        yield e
        e = e.__cause__ or e.__context__


def _from_pdf_library(exc: BaseException) -> bool:
    for e in _chain(exc):
        if type(e).__module__.startswith(("pdfminer", "pdfplumber")):
            return True
        tb = e.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is not None and any(
            k in tb.tb_frame.f_code.co_filename for k in ("/pdfminer/", "/pdfplumber/")
        ):
            return True
    return False


@contextmanager
def pdf_errors(path: Path) -> Iterator[None]:
    """Turn pdfminer/pdfplumber failures into CorruptPdf / EncryptedPdf; let our own bugs through."""
    try:
        yield
    except SvcdescError:
        raise
    except Exception as exc:
        typed = next((e for e in _chain(exc) if isinstance(e, SvcdescError)), None)
        if typed is not None:  # e.g. the --timeout alarm fired inside pdfminer, which wrapped it
            raise typed from None
        bomb = next((e for e in _chain(exc) if isinstance(e, InflateBomb)), None)
        if bomb is not None:
            raise TooLarge(path, str(bomb)) from None
        names = {type(e).__name__ for e in _chain(exc)}
        if names & _ENCRYPTION_ERRORS or any("password" in str(e).lower() for e in _chain(exc)):
            raise EncryptedPdf(path, "encrypted PDF (a password is needed to read it)") from None
        if _from_pdf_library(exc):
            root = list(_chain(exc))[-1]
            detail = str(root).splitlines()[0][:120] if str(root) else ""
            reason = f"corrupt or truncated PDF ({type(root).__name__}{': ' + detail if detail else ''})"
            raise CorruptPdf(path, reason) from None
        raise


def _meta_value(v: Any) -> str:
    """A metadata value as text: UTF-16 (with BOM) or UTF-8 bytes decoded, names unquoted, lists joined."""
    if isinstance(v, bytes):
        if v[:2] in (b"\xfe\xff", b"\xff\xfe"):
            return v.decode("utf-16", "replace")
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return v.decode("latin-1")
    if isinstance(v, (list, tuple)):
        return ", ".join(_meta_value(x) for x in v)
    name = getattr(v, "name", None)
    return str(name if name is not None else v)


def _body_band(lines: list[Line], furniture: set[int], height: float) -> tuple[float, float]:
    top, bottom = 0.0, height
    for i, ln in enumerate(lines):
        if i in furniture:
            if ln.bottom < height / 2:
                top = max(top, ln.bottom + 1.0)
            else:
                bottom = min(bottom, ln.top - 1.0)
    return top, bottom


def extract_pdf(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a PDF into a :class:`Document`: body blocks in reading order, furniture apart."""
    path = Path(path)
    started = time.monotonic()
    sha = sha256_file(path)
    with pdf_errors(path):
        pdf = pdfplumber.open(path)
    try:
        with pdf_errors(path):
            pages = list(pdf.pages)
            raw_meta = dict(pdf.metadata or {})
        if not pages:  # not "scanned": there is nothing at all (empty or looping page tree)
            raise CorruptPdf(path, "no pages (empty or broken page tree)")
        if len(pages) > limits.max_pages:
            raise TooManyPages(
                path, f"{len(pages)} pages, over the limit of {limits.max_pages} (--max-pages)"
            )
        pdf_metadata = {str(k): _meta_value(v) for k, v in sorted(raw_meta.items())}
        title = clean_text(pdf_metadata.get("Title", "")) or None

        page_chars: list[list[dict]] = []
        page_lines: list[list[Line]] = []
        heights: list[float] = []
        no_text: list[int] = []
        for no, page in enumerate(pages, 1):
            with pdf_errors(path):
                chars = [c for c in page.chars if c.get("upright", True)]  # rotated margin text is not body
                has_images = bool(page.images)
            lines = chars_to_lines(chars, no)
            if not lines and has_images:  # an image and no text: a scanned page (blank pages are fine)
                no_text.append(no)
            page_chars.append(chars)
            page_lines.append(lines)
            heights.append(float(page.height))
            if time.monotonic() - started > limits.timeout_s:
                raise Timeout(
                    path, f"extraction took over {limits.timeout_s:g} s (page {no} of {len(pages)})"
                )
        if not any(page_lines):
            raise ScannedPdf(
                path, f"{len(pages)} page{'s' if len(pages) != 1 else ''}, no text layer (scanned?)"
            )
        warnings = []
        if no_text:
            shown = ", ".join(map(str, no_text[:20])) + (" …" if len(no_text) > 20 else "")
            warnings.append(f"{len(no_text)} of {len(pages)} pages have no text layer (scanned?): {shown}")

        if title is None:
            first = max(page_lines[0] or [x for ls in page_lines for x in ls], key=lambda ln: ln.size)
            title = first.text
        furniture = find_furniture(page_lines, heights, title)

        furniture_blocks: list[Block] = []
        items: list[PageItems] = []
        for p_i, page in enumerate(pages):
            no = p_i + 1
            fur_idx = {i for (pp, i) in furniture if pp == p_i}
            for i in sorted(fur_idx):
                ln = page_lines[p_i][i]
                furniture_blocks.append(
                    Block(
                        kind=furniture[(p_i, i)],
                        text=ln.text,
                        prov=[_prov(no, ln)],
                        font_size=ln.size,
                        bold=ln.bold,
                    )
                )
            body = [ln for i, ln in enumerate(page_lines[p_i]) if i not in fur_idx]
            top, bottom = _body_band(page_lines[p_i], fur_idx, heights[p_i])
            tables: list[RawTable] = []
            boxes = []
            if body:
                with pdf_errors(path):
                    if has_drawn_edges(page, top, bottom):
                        tables, boxes = find_ruled_tables(page, no, page_chars[p_i], top, bottom)
            kept: list[Line] = []
            for ln in body:
                cx, cy = (ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2
                if in_any(cx, cy, tables) is not None:
                    continue
                ln.box = in_any(cx, cy, boxes)
                kept.append(ln)
            loose, kept = find_unruled_tables(kept, no)
            tables.extend(loose)
            items.append(PageItems(page=no, height=heights[p_i], lines=kept, tables=tables, boxes=boxes))
            page.close()
            page_chars[p_i] = []
            if time.monotonic() - started > limits.timeout_s:
                raise Timeout(
                    path, f"extraction took over {limits.timeout_s:g} s (page {no} of {len(pages)})"
                )
        blocks = [_to_block(p) for p in build(items)]
    finally:
        try:
            pdf.close()
        except Exception:  # close() rebuilds every page; on a broken page tree that raises and would mask
            pdf.stream.close()  # the typed error above (fuzz crash pdf-close-masks-error): just release the file
    meta = DocumentMeta(
        title=title,
        source=str(path),
        sha256=sha,
        format=SourceFormat.pdf,
        page_count=len(pages),
        pdf_metadata=pdf_metadata,
    )
    return Document(
        meta=meta,
        blocks=[b for b in blocks if b.text or b.table],
        furniture=furniture_blocks,
        warnings=warnings,
    )


def _prov(page: int, obj: Any) -> Provenance:
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


def _to_block(p: Proto) -> Block:
    if p.kind is BlockKind.table and p.table is not None:
        return _table_block(p.table)
    if p.kind is BlockKind.note and p.parts:
        pieces = [join_lines(part, keep_markers=True) for part in p.parts]
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
    text, refs = join_lines(p.lines)
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
                    prov=[_prov(c.page, c)],
                )
                for c in row
            ]
        )
    table = Table(rows=rows, header_rows=t.header_rows, n_cols=t.n_cols, ruled=t.ruled)
    text, _ = join_texts([(" | ".join(c.text for c in row), [], False) for row in t.rows])
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
