"""Text reader: text already pulled out of a PDF (``pdftotext``-like output) -> Document.

Best effort with the PDF heuristics, on lines instead of glyphs: page numbers ("Page 3 sur 8")
and running headers/footers (lines repeated next to page breaks) go to ``furniture``; numbered
section headings ("2.1 Procédure d’achat") are accepted only in sequence (so footnotes "1 Le
temps…" and numbered list items "2.1 Fourni à…" out of sequence stay text); bullets ("•", "o",
"-", "a)") become list items; wrapped lines are re-flowed into paragraphs (a paragraph ends on a
short line); words split across lines ("Planifi" + "cation") are glued when the whole word is in
the document's own vocabulary; flattened availability tables (a header line, then rows "Name ✓"
or "Name <U+F0C8>") become 2-column tables, their legends ("✓ - Inclus …") paragraphs after them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.extract.lines import Vocabulary, is_explicit_page_number, is_page_number, join_texts
from pipeline.extract.model import (
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
from pipeline.extract.sourcetext import decode_source, split_lines
from pipeline.hashing import sha256_bytes
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.textutil import clean_text

#: every heuristic looks at the clean form of the same few lines: clean each distinct line once
_clean = lru_cache(maxsize=1 << 16)(clean_text)

#: raw glyphs that mark availability in the mark column (mapped by clean_text: U+F0C8 -> "+")
MARK_GLYPHS = "✓✔\uf0c8\uf0fc"
_MARK_SET = frozenset(MARK_GLYPHS)
_PAGE_AT_END = re.compile(r"(?:^|\s)Page\s+\d+\s*(?:sur|of|/|de)\s*\d+\s*$", re.I)
#: a footnote digit glued to the word before it: "Azure1", "ouvrées4", "7 j/73"
_GLUED_MARKER = re.compile(r"(?:(?<=[a-zà-öø-ÿ])|(?<=\d j/7)|(?<=\dj/7))([1-9])(?=[\s,.;:)]|$)")
_SECTION = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$")
_FOOTNOTE = re.compile(r"^(\d{1,2})\s?([A-ZÀ-ÖØ-Þ«(\[].*)$")
_BULLET = re.compile(r"^([•▪◦●■\-–*]|o|\uf0b7|\uf0a7)\s+(\S.*)$")
_LETTERED = re.compile(r"^([a-z]{1,2}|[ivx]{1,4})\)\s+(\S.*)$")
_DOTTED = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
UNNUMBERED_LEVEL = 4  # "Services proactifs": under the numbered sections (levels 2-3)
DOTTED_LEVEL = 5  # "1. Vue d’ensemble…": a numbered title inside an unnumbered section
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")
_LEGEND = re.compile(rf"^([{MARK_GLYPHS}+])[\s\uf020]*(\d?)\s*[-–]\s+(\S.*)$")
_FOOTNOTE_LEGEND = re.compile(r"^(\d)\s*[-–]\s+(\S.*)$")
_PARA_END = re.compile(r"[.!?:»)]\s{2,}$")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TERMINAL = (".", ":", ";", ",", "!", "?")


@dataclass
class _Line:
    no: int  # 1-based line number in the file
    raw: str  # as in the file
    text: str  # stripped (symbol glyphs not yet mapped)
    page_start: bool = False  # first line of a page (a leading space right after text)


@dataclass
class _Ctx:
    lines: list[_Line]
    width: int
    vocab: Vocabulary
    sections: dict[int, str] = field(default_factory=dict)  # line index -> section number
    blocks: list[Block] = field(default_factory=list)
    last_footnote: int = 0
    last_dotted: int = 0


# --------------------------------------------------------------------------- furniture


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


# --------------------------------------------------------------------------- line classes


def _mark_of(text: str) -> tuple[str, str] | None:
    """('name', 'raw mark') when the line ends with an availability mark glyph (name may be '')."""
    body = text.replace("\uf020", " ").rstrip()
    if body and body[-1] in _MARK_SET:
        return body[:-1].rstrip(), body[-1]
    return None


def _is_legend(lines: list[_Line], i: int) -> bool:
    t = lines[i].text.replace("\uf020", " ").strip()
    if _LEGEND.match(t):
        return True
    # a mark alone, then "1 - …" (the legend of a mark with a footnote)
    if t and len(t) == 1 and t in _MARK_SET and i + 1 < len(lines):
        return bool(_FOOTNOTE_LEGEND.match(lines[i + 1].text))
    return False


def _follows(prev: list[int] | None, parts: list[int]) -> bool:
    """Can section ``parts`` come right after ``prev`` (1 -> 2, 2 -> 2.1, 2.1 -> 2.2 or 3 …)?"""
    if prev is None:
        return parts in ([0], [1], [1, 1])
    for depth in range(len(prev), 0, -1):  # next sibling at some depth
        if parts == prev[: depth - 1] + [prev[depth - 1] + 1]:
            return True
    return parts == prev + [1]  # first child


def _section_candidate(text: str) -> tuple[str, str] | None:
    """("2.1", title) for a line shaped like a numbered heading; "1. Vue…" is a list item, not a section."""
    m = _SECTION.match(text)
    if not m:
        return None
    number, title = m.group(1), m.group(2)
    if "." not in number and text[len(number) : len(number) + 1] == ".":
        return None
    if len(title) > 80 or title.endswith(_TERMINAL) or " : " in title or not title[0].isupper():
        return None
    return number, title


def _numbered_line(text: str) -> bool:
    """ "2.1 Fourni à…", "3 Conditions…": a line that opens a block even when it is no section."""
    m = _SECTION.match(text)
    return bool(m and m.group(2)[:1].isupper())


def _section_lines(lines: list[_Line]) -> dict[int, str]:
    """Line index -> section number, for the longest chain of candidates that follow each other.

    Chosen over the whole document (not greedily), so one out-of-sequence line ("3 Conditions…"
    inside a numbered list) cannot derail every later section.
    """
    cands = [(i, c[0]) for i, x in enumerate(lines) if (c := _section_candidate(_clean(x.text)))]
    nums = [[int(p) for p in n.split(".")] for _, n in cands]
    best: list[int] = []
    back: list[int] = []
    for k, parts in enumerate(nums):
        score, prev = (1, -1) if _follows(None, parts) else (0, -1)
        for j in range(max(0, k - 300), k):  # bounded: no quadratic blow-up on hostile input
            if best[j] and best[j] + 1 > score and _follows(nums[j], parts):
                score, prev = best[j] + 1, j
        best.append(score)
        back.append(prev)
    if not best or max(best) == 0:
        return {}
    k = max(range(len(best)), key=lambda x: (best[x], -x))
    chain: dict[int, str] = {}
    while k >= 0:
        chain[cands[k][0]] = cands[k][1]
        k = back[k]
    return chain


def _bullet(text: str) -> tuple[str, str, int] | None:
    t = _clean(text)
    if m := _BULLET.match(t):
        marker = m.group(1)
        level = 1 if marker in ("o", "◦", "-", "–") else 0
        return marker, m.group(2), level
    if m := _LETTERED.match(t):
        return m.group(1) + ")", m.group(2), 0
    if m := _NUMBERED.match(t):
        return m.group(1) + t[len(m.group(1))], m.group(2), 0
    return None


# --------------------------------------------------------------------------- re-flow


def _join(ctx: _Ctx, parts: list[str]) -> str:
    """Join wrapped lines with the PDF reader's rule (:func:`pipeline.extract.lines.join_texts`):
    hyphen kept at a line-end compound ("ci-" + "dessous"), split words glued by the vocabulary."""
    return join_texts([(t, [], False) for t in map(_clean, parts) if t], ctx.vocab)[0]


def _glue(ctx: _Ctx, last: str, first: str) -> bool:
    """Two whole words that the document's vocabulary joins ("Planifi" + "cation")."""
    return last.isalpha() and first.isalpha() and ctx.vocab.glues(last, first)


def _ends_paragraph(ctx: _Ctx, line: _Line) -> bool:
    text = line.raw.rstrip("\n")
    if _PARA_END.search(text):
        return True
    return len(line.text) < 0.7 * ctx.width


def _prov(first: _Line, last: _Line) -> list[Provenance]:
    return [Provenance(line_start=first.no, line_end=last.no)]


# --------------------------------------------------------------------------- tables


def _table_header(ctx: _Ctx, i: int) -> tuple[list[str], int] | None:
    """Header cells and index of the first row line, when line i opens an availability table."""
    lines = ctx.lines
    line = lines[i]
    text = _clean(line.text)
    if _mark_of(line.text) or _is_legend(lines, i) or text.endswith(_TERMINAL) or len(text) > 90:
        return None
    second, text, j = _second_header(ctx, text, i + 1)
    # the first row must follow within three lines (a name may wrap once or twice)
    for k in range(j, min(j + 3, len(lines))):
        if _mark_of(lines[k].text) and not _is_legend(lines, k):
            if k > j and second == "":
                return None
            return [text, second], j
        if _is_legend(lines, k) or _bullet(lines[k].text):
            return None
    return None


def _single_word(ctx: _Ctx, j: int) -> str | None:
    """Line j when it is one word alone (no mark, no bullet): a narrow column's header or a piece of it."""
    if j >= len(ctx.lines):
        return None
    t = _clean(ctx.lines[j].text)
    return t if t.isalpha() and not _mark_of(ctx.lines[j].text) else None


def _second_header(ctx: _Ctx, text: str, j: int) -> tuple[str, str, int]:
    """The second column's header of a flattened 2-column table, its first column's header, and the next line.

    The narrow second column's header is flattened onto the end of the header line or onto the next
    line, split inside the word ("… maintenance Planifi" + "cation"): a last word that glues to a one-word
    next line (the document knows the whole word), or a capitalised one-word line that glues to the one
    after it, is that header. A word split this way is the sign of a narrow column.
    """
    head, _, last = text.rpartition(" ")
    nxt = _single_word(ctx, j)
    if head and nxt and _glue(ctx, last, nxt):
        return last + nxt, head, j + 1
    after = _single_word(ctx, j + 1) if nxt and nxt[:1].isupper() else None
    if nxt and after and _glue(ctx, nxt, after):
        return nxt + after, text, j + 2
    return "", text, j


def _read_table(ctx: _Ctx, i: int) -> int | None:
    """Parse an availability table starting at line i; append its block(s); return the next index."""
    found = _table_header(ctx, i)
    if found is None:
        return None
    header, j = found
    lines = ctx.lines
    header_raw = lines[i].text
    rows: list[tuple[str, str, str | None, _Line, _Line]] = []  # name, mark, footnote, first, last
    pending: list[_Line] = []
    k = j
    while k < len(lines):
        line = lines[k]
        text = _clean(line.text)
        if line.text.strip() == header_raw.strip() or (text and text == _clean(header_raw)):
            k += 1  # header repeated on the next page
            _, _, k = _second_header(ctx, text, k)
            continue
        if _is_legend(lines, k):
            break
        marked = _mark_of(line.text)
        if marked is not None:
            name_part, glyph = marked
            names = [p.text for p in pending] + ([name_part] if name_part.strip() else [])
            name = _join(ctx, names)
            if not name:
                break
            footnote = None
            last = line
            if k + 1 < len(lines) and re.fullmatch(r"\d", lines[k + 1].text.strip()):
                footnote = lines[k + 1].text.strip()
                last = lines[k + 1]
                k += 1
            rows.append((name, glyph, footnote, pending[0] if pending else line, last))
            pending = []
            k += 1
            continue
        # a name that wraps: keep it only if a mark line follows soon
        if len(pending) < 3 and len(text) <= 90 and not text.endswith((".", ":")) and not _bullet(line.text):
            ahead = next((m for m in range(k + 1, min(k + 4, len(lines))) if _mark_of(lines[m].text)), None)
            if ahead is not None and not _is_legend(lines, ahead):
                pending.append(line)
                k += 1
                continue
        break
    if not rows:
        return None
    cells = [
        [
            TableCell(text=h, row=0, col=c, is_header=True, prov=_prov(lines[i], lines[i]))
            for c, h in enumerate(header)
        ]
    ]
    for r, (name, glyph, footnote, first, last) in enumerate(rows, start=1):
        mark = _clean(glyph)
        refs = [FootnoteRef(marker=footnote, offset=len(mark))] if footnote else []
        cells.append(
            [
                TableCell(text=name, row=r, col=0, prov=_prov(first, last)),
                TableCell(
                    text=mark,
                    raw=glyph + (footnote or ""),
                    row=r,
                    col=1,
                    footnote_refs=refs,
                    prov=_prov(last, last),
                ),
            ]
        )
    end = rows[-1][4]
    ctx.blocks.append(
        Block(
            kind=BlockKind.table,
            text="\n".join(" | ".join(c.text for c in row) for row in cells),
            table=Table(rows=cells, header_rows=1, n_cols=2, ruled=False),
            prov=_prov(lines[i], end),
        )
    )
    # legends right under the table
    while k < len(lines) and _is_legend(lines, k):
        k = _read_legend(ctx, k)
    return k


def _read_legend(ctx: _Ctx, k: int) -> int:
    """One legend line ("✓ - Inclus…", "+ - Service…", "+" then "1 - Service…") -> a paragraph.

    The form is the PDF reader's: the mark starts the text ("✓ - Inclus…") and a footnote digit
    printed on the mark is a footnote reference right after it, so both readers give the same blocks.
    """
    lines = ctx.lines
    t = lines[k].text.replace("\uf020", " ").strip()
    if m := _LEGEND.match(t):
        mark, digit, body, end = m.group(1), m.group(2), m.group(3), k
    else:  # mark alone, then "1 - …"
        m2 = _FOOTNOTE_LEGEND.match(lines[k + 1].text.strip())
        assert m2 is not None
        mark, digit, body, end = t, m2.group(1), m2.group(2), k + 1
    mark = _clean(mark)
    ctx.blocks.append(
        Block(
            kind=BlockKind.paragraph,
            text=f"{mark} - {_clean(body)}",
            raw="\n".join(x.text for x in lines[k : end + 1]),
            footnote_refs=[FootnoteRef(marker=digit, offset=len(mark))] if digit else [],
            prov=_prov(lines[k], lines[end]),
        )
    )
    return end + 1


# --------------------------------------------------------------------------- main loop


def _starts_block(ctx: _Ctx, i: int) -> bool:
    line = ctx.lines[i]
    return bool(
        _numbered_line(_clean(line.text))
        or _bullet(line.text)
        or _is_legend(ctx.lines, i)
        or _FOOTNOTE.match(_clean(line.text))
        and _footnote_ok(ctx, int(_FOOTNOTE.match(_clean(line.text)).group(1)))
        or _table_header(ctx, i)
        or _plain_heading(ctx, i)
    )


def _footnote_ok(ctx: _Ctx, n: int) -> bool:
    return n == 1 or n == ctx.last_footnote + 1


def _gather(ctx: _Ctx, i: int) -> int:
    """Index after the last line of the paragraph/item/footnote that starts at line i.

    A short line ends the paragraph unless the next line goes on in lower case (indented list
    items wrap shorter than body text).
    """
    j = i
    while j + 1 < len(ctx.lines) and not _starts_block(ctx, j + 1):
        nxt = _clean(ctx.lines[j + 1].text)
        goes_on = (nxt[:1].islower() or nxt[:1].isdigit()) and not ctx.lines[j].text.rstrip().endswith(
            _TERMINAL
        )
        if _ends_paragraph(ctx, ctx.lines[j]) and not goes_on:
            break
        j += 1
    return j + 1


def _walk(ctx: _Ctx) -> None:
    lines = ctx.lines
    i = 0
    while i < len(lines):
        line = lines[i]
        text = _clean(line.text)
        if not text:
            i += 1
            continue
        if (nxt := _read_table(ctx, i)) is not None:
            i = nxt
            continue
        if _is_legend(lines, i):
            i = _read_legend(ctx, i)
            continue
        if (number := ctx.sections.get(i)) is not None:
            ctx.blocks.append(
                Block(
                    kind=BlockKind.heading,
                    text=text,
                    raw=line.text,
                    level=number.count(".") + 2,  # level 1 is the document title, as in the PDF
                    section_number=number,
                    prov=_prov(line, line),
                )
            )
            i += 1
            continue
        if (fm := _FOOTNOTE.match(text)) and _footnote_ok(ctx, int(fm.group(1))) and len(text) > 20:
            end = _gather(ctx, i)
            ctx.last_footnote = int(fm.group(1))
            body = _join(ctx, [fm.group(2)] + [x.text for x in lines[i + 1 : end]])
            ctx.blocks.append(
                Block(
                    kind=BlockKind.footnote,
                    marker=fm.group(1),
                    text=body,
                    raw="\n".join(x.text for x in lines[i:end]),
                    prov=_prov(line, lines[end - 1]),
                )
            )
            i = end
            continue
        if dotted := _dotted_heading(ctx, i):
            ctx.last_dotted = int(dotted[0])
            ctx.blocks.append(
                Block(
                    kind=BlockKind.heading,
                    text=text,
                    raw=line.text,
                    level=DOTTED_LEVEL,
                    section_number=dotted[0],
                    prov=_prov(line, line),
                )
            )
            i += 1
            continue
        if bullet := _bullet(line.text):
            marker, first_text, level = bullet
            end = _gather(ctx, i)
            ctx.blocks.append(
                Block(
                    kind=BlockKind.list_item,
                    marker=marker,
                    level=level,
                    text=_join(ctx, [first_text] + [x.text for x in lines[i + 1 : end]]),
                    raw="\n".join(x.text for x in lines[i:end]),
                    prov=_prov(line, lines[end - 1]),
                )
            )
            i = end
            continue
        if _plain_heading(ctx, i):
            ctx.blocks.append(
                Block(
                    kind=BlockKind.heading,
                    text=text,
                    raw=line.text,
                    level=UNNUMBERED_LEVEL,
                    prov=_prov(line, line),
                )
            )
            i += 1
            continue
        end = _gather(ctx, i)
        ctx.blocks.append(
            Block(
                kind=BlockKind.paragraph,
                text=_join(ctx, [x.text for x in lines[i:end]]),
                raw="\n".join(x.text for x in lines[i:end]),
                prov=_prov(line, lines[end - 1]),
            )
        )
        i = end


def _plain_heading(ctx: _Ctx, i: int) -> bool:
    """An unnumbered heading ("Services proactifs"): a short title line standing alone before a
    full-width paragraph, a list or a table. Conservative: narrow table cells never qualify."""
    lines = ctx.lines
    text = _clean(lines[i].text)
    words = text.split()
    if not (2 <= len(text) <= 70) or len(words) > 9 or not text[0].isupper():
        return False
    if text.endswith(_TERMINAL) or " : " in text or _mark_of(lines[i].text) or re.search(r"\d$", text):
        return False
    if len(words[-1]) == 1:  # "Sévérité B": a row label of a flattened table, not a title
        return False
    if i + 1 >= len(lines):
        return False
    nxt = lines[i + 1]
    nxt_text = _clean(nxt.text)
    if _bullet(nxt.text) or _table_header(ctx, i + 1) is not None:
        return True
    if not nxt_text[:1].isupper():
        return False
    if nxt_text.endswith((".", ":")) and len(nxt_text) < 0.7 * ctx.width:
        return True  # a one-line sentence or introduction under the title
    return len(nxt.text) >= 0.8 * ctx.width and not _ends_paragraph(ctx, nxt)


def _dotted_heading(ctx: _Ctx, i: int) -> tuple[str, str] | None:
    """("1", title) for "1. Vue d’ensemble…" standing alone as a title, numbered 1, 2, 3 in turn."""
    text = _clean(ctx.lines[i].text)
    m = _DOTTED.match(text)
    if not m or i + 1 >= len(ctx.lines):
        return None
    number, title = m.group(1), m.group(2)
    if len(title) > 80 or title.endswith(_TERMINAL) or not title[0].isupper():
        return None
    if int(number) not in (1, ctx.last_dotted + 1):
        return None
    nxt = _clean(ctx.lines[i + 1].text)
    return (number, title) if nxt[:1].isupper() else None


def _split_glued_markers(blocks: list[Block]) -> list[Block]:
    """Split footnote digits glued to a word ("Azure1" -> "Azure" + marker 1) where the document
    has footnotes with that marker; a PDF text layer loses the superscript, not the digit."""
    markers = {b.marker for b in blocks if b.kind == BlockKind.footnote and b.marker and b.marker.isdigit()}
    if not markers:
        return blocks
    out: list[Block] = []
    for block in blocks:
        if block.kind not in (BlockKind.paragraph, BlockKind.list_item, BlockKind.footnote) or not block.text:
            out.append(block)
            continue
        text, refs, pos = "", list(block.footnote_refs), 0
        for m in _GLUED_MARKER.finditer(block.text):
            if m.group(1) not in markers:
                continue
            text += block.text[pos : m.start()]
            refs.append(FootnoteRef(marker=m.group(1), offset=len(text)))
            pos = m.end()
        if pos:
            text += block.text[pos:]
            block = block.model_copy(update={"text": text, "footnote_refs": refs})
        out.append(block)
    return out


def _typical_width(lines: list[_Line]) -> int:
    lengths = sorted(len(x.text) for x in lines if x.text)
    if not lengths:
        return 80
    return max(40, lengths[int(0.9 * (len(lengths) - 1))])


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
