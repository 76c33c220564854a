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
    Block,
    DamagedPage,
    Document,
    DocumentMeta,
    SourceFormat,
)
from pipeline.extract.pdf import damage
from pipeline.extract.pdf.blocks import PageItems, build
from pipeline.extract.pdf.convert import prov, to_block
from pipeline.extract.pdf.furniture import find_furniture
from pipeline.extract.pdf.inflate_cap import InflateBomb  # importing it caps pdfminer's inflation
from pipeline.extract.pdf.lines import chars_to_lines
from pipeline.extract.pdf.objects import Line, RawTable
from pipeline.extract.pdf.reflow import Vocabulary
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
        damaged: list[DamagedPage] = []
        for no, page in enumerate(pages, 1):
            before = damage.snapshot()
            with pdf_errors(path):
                chars = [c for c in page.chars if c.get("upright", True)]  # rotated margin text is not body
                has_images = bool(page.images)
            lines = chars_to_lines(chars, no)
            why = damage.verdict(damage.read_page(chars, [ln.text for ln in lines], before))
            if why is not None:  # its text would be gibberish: the page gives no blocks at all
                damaged.append(DamagedPage(page=no, reason=why))
                chars, lines = [], []
            elif not lines and has_images:  # an image and no text: a scanned page (blank pages are fine)
                no_text.append(no)
            page_chars.append(chars)
            page_lines.append(lines)
            heights.append(float(page.height))
            if time.monotonic() - started > limits.timeout_s:
                raise Timeout(
                    path, f"extraction took over {limits.timeout_s:g} s (page {no} of {len(pages)})"
                )
        if not any(page_lines) and not damaged:
            raise ScannedPdf(
                path, f"{len(pages)} page{'s' if len(pages) != 1 else ''}, no text layer (scanned?)"
            )
        warnings = []
        if no_text:
            shown = ", ".join(map(str, no_text[:20])) + (" …" if len(no_text) > 20 else "")
            warnings.append(f"{len(no_text)} of {len(pages)} pages have no text layer (scanned?): {shown}")

        if title is None and any(page_lines):
            first = max(page_lines[0] or [x for ls in page_lines for x in ls], key=lambda ln: ln.size)
            title = first.text
        furniture = find_furniture(page_lines, heights, title)
        vocab = Vocabulary.of(ln.text for lines in page_lines for ln in lines)

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
                        prov=[prov(no, ln)],
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
                        tables, boxes = find_ruled_tables(page, no, page_chars[p_i], top, bottom, vocab)
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
        blocks = [to_block(p, vocab) for p in build(items)]
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
        damaged_pages=damaged,
    )
