"""Running headers, footers and page numbers of extracted text: by page breaks and repetition."""

from __future__ import annotations

import re

from pipeline.extract.lines import is_explicit_page_number, is_page_number
from pipeline.extract.model import (
    Block,
    BlockKind,
    Provenance,
)
from pipeline.extract.text.lines import _clean

_PAGE_AT_END = re.compile(r"(?:^|\s)Page\s+\d+\s*(?:sur|of|/|de)\s*\d+\s*$", re.I)


def _page_breaks(lines: list[str], furniture: dict[int, BlockKind]) -> set[int]:
    """Break positions (a break at p falls between line p-1 and line p): form feeds, and "Page N sur M"
    lines (which end a page; they are furniture themselves, alone or at the end of a footer line)."""
    breaks: set[int] = set()
    for i, line in enumerate(lines):
        if "\f" in line:
            before, _, after = line.rpartition("\f")
            breaks.add(i if after.strip() or not before.strip() else i + 1)
        bare = line.replace("\f", "")
        if _PAGE_AT_END.search(bare):
            breaks.add(i + 1)
            furniture[i] = BlockKind.page_number if is_explicit_page_number(bare) else BlockKind.page_footer
    return breaks


def _find_furniture(lines: list[str]) -> dict[int, BlockKind]:
    """Line index -> furniture kind: page numbers, and lines repeated at the top or bottom of pages.

    Repetition is counted with digits folded ("Page 1 sur 5" ~ "Page 2 sur 5"), once per line, only
    within four text lines of a page break, and must cover 40 % of the pages: a table header
    repeated on two continued pages is not furniture.
    """
    furniture: dict[int, BlockKind] = {}
    breaks = _page_breaks(lines, furniture)
    for p in breaks:  # bare page numbers ("12") right before or after a form feed
        for i in _edge_lines(lines, p, 1):
            if _bare_page_number(lines[i].replace("\f", "")):
                furniture[i] = BlockKind.page_number
    if len(breaks) < 2:
        return furniture
    breaks |= {0, len(lines)}
    where: dict[str, set[int]] = {}
    for p in breaks:
        for i in _edge_lines(lines, p, 4, skip=furniture):
            key = re.sub(r"\d+", "#", _clean(lines[i].replace("\f", "")))
            if len(key) >= 3 and i not in furniture:
                where.setdefault(key, set()).add(i)
    need = max(3, int(0.4 * (len(breaks) - 1)))
    ordered = sorted(breaks)
    for key, found in where.items():
        if len(found) >= need:
            for i in found:
                furniture[i] = (
                    BlockKind.page_number
                    if is_page_number(key.replace("#", "1"))
                    else _top_or_bottom(lines, i, ordered)
                )
    return furniture


def _bare_page_number(text: str) -> bool:
    """A page number without the word "Page" ("12", "- 12 -")."""
    return is_page_number(text) and not is_explicit_page_number(text)


def _edge_lines(lines: list[str], p: int, k: int, skip: dict[int, BlockKind] | None = None) -> list[int]:
    """Up to k text lines after break p (top of a page) and k before it (bottom of the previous one),
    not counting lines already known as furniture (the "Page N" line under a 4-line footer)."""
    out: list[int] = []
    for start, step in ((p, 1), (p - 1, -1)):
        i, found = start, 0
        while 0 <= i < len(lines) and found < k:
            if lines[i].replace("\f", "").strip() and not (skip and i in skip):
                out.append(i)
                found += 1
            i += step
    return out


def _top_or_bottom(lines: list[str], i: int, breaks: list[int]) -> BlockKind:
    """Header if line i is nearer the page's first text line than its last."""
    start = max(p for p in breaks if p <= i)
    end = min((p for p in breaks if p > i), default=len(lines))
    above = sum(1 for j in range(start, i) if lines[j].replace("\f", "").strip())
    below = sum(1 for j in range(i + 1, end) if lines[j].replace("\f", "").strip())
    return BlockKind.page_header if above <= below else BlockKind.page_footer


def _page_numbers(lines: list[str]) -> list[int] | None:
    """Page (1-based) of every line when the text has page breaks (form feeds, "Page N sur M"), else None.

    A footer's "Page N sur M" followed by a form feed is one break: breaks are moved to the next
    line with text and merged.
    """
    raw_breaks = _page_breaks(lines, {})
    if not raw_breaks:
        return None
    has_text = [bool(x.replace("\f", "").strip()) for x in lines]
    breaks: set[int] = set()
    for p in raw_breaks:
        while p < len(lines) and not has_text[p]:
            p += 1
        if 0 < p < len(lines):
            breaks.add(p)
    pages, page = [], 1
    for i in range(len(lines)):
        page += i in breaks
        pages.append(page)
    return pages


def _prov_with_page(p: Provenance, page_of: list[int]) -> Provenance:
    if p.line_start is None or not page_of:
        return p
    return p.model_copy(update={"page": page_of[min(p.line_start, len(page_of)) - 1]})


def _with_pages(block: Block, page_of: list[int]) -> Block:
    """Add the page of each line range: text from a PDF keeps where on which page it was."""
    update: dict = {"prov": [_prov_with_page(p, page_of) for p in block.prov]}
    if block.table is not None:
        rows = [
            [c.model_copy(update={"prov": [_prov_with_page(p, page_of) for p in c.prov]}) for c in row]
            for row in block.table.rows
        ]
        update["table"] = block.table.model_copy(update={"rows": rows})
    return block.model_copy(update=update)
