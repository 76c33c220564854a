"""Running headers, footers and page numbers: found by repetition across pages, then by pattern.

A line is furniture when it sits in the top or bottom band of its page and (a) its text, digits
normalised, recurs at the same height on at least half of the pages (two at least; a table cell
"Yes" low on many pages does not), or (b) it reads as
a page number ("Page 3 of 8", "Page 3 sur 8", "- 3 -"), or (c) it shares its baseline with a line
already recognised as furniture (the date and © parts of a one-row footer), or (d) in the top band
of a page after the first, it repeats the document title.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.extract.lines import is_explicit_page_number, is_page_number
from pipeline.extract.model import BlockKind
from pipeline.extract.pdf.objects import Line
from pipeline.textutil import fold_for_match

TOP_BAND = 0.11  # fraction of the page height
BOTTOM_BAND = 0.85


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", fold_for_match(text))


def band(line: Line, page_height: float) -> str | None:
    if line.bottom <= TOP_BAND * page_height:
        return "top"
    if line.top >= BOTTOM_BAND * page_height:
        return "bottom"
    return None


def find_furniture(
    pages: list[list[Line]], heights: list[float], title: str | None = None
) -> dict[tuple[int, int], BlockKind]:
    """Map (page index, line index) of every furniture line to its kind."""
    n_pages = len(pages)
    seen: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for p, lines in enumerate(pages):
        for ln in lines:
            b = band(ln, heights[p])
            if b:
                seen[(b, _key(ln.text))].append((p, ln.top))

    def recurrence(b: str, ln: Line) -> int:
        """On how many pages the same text (digits aside) sits at the same height (±3 pt)."""
        return len({p for p, top in seen[(b, _key(ln.text))] if abs(top - ln.top) <= 3.0})

    need = max(2, (n_pages + 1) // 2)
    title_key = fold_for_match(title) if title else None
    found: dict[tuple[int, int], BlockKind] = {}
    for p, lines in enumerate(pages):
        for i, ln in enumerate(lines):
            b = band(ln, heights[p])
            if not b:
                continue
            kind = BlockKind.page_header if b == "top" else BlockKind.page_footer
            repeated = recurrence(b, ln) >= need
            if is_explicit_page_number(ln.text) or (repeated and is_page_number(ln.text)):
                found[(p, i)] = BlockKind.page_number
            elif (
                repeated
                or (b == "top" and p > 0 and title_key is not None)
                and title_key
                and fold_for_match(ln.text) == title_key
            ):
                found[(p, i)] = kind
        # lines on the baseline of a furniture line, in the same band, are furniture too
        rows = {round(lines[i].bottom) for (pp, i) in found if pp == p}
        for i, ln in enumerate(lines):
            b = band(ln, heights[p])
            if b and (p, i) not in found and any(abs(round(ln.bottom) - r) <= 2 for r in rows):
                found[(p, i)] = BlockKind.page_header if b == "top" else BlockKind.page_footer
    return found
