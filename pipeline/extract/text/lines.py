"""The text reader's lines: their classes (marks, legends, bullets, numbered sections) and re-flow."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.extract.lines import Vocabulary, join_texts
from pipeline.extract.model import (
    Block,
    Provenance,
)
from pipeline.textutil import ADDON_MARK, INCLUDED_MARK, SYMBOL_GLYPHS, clean_text

#: every heuristic looks at the clean form of the same few lines: clean each distinct line once
_clean = lru_cache(maxsize=1 << 16)(clean_text)


#: raw glyphs that mark availability in the mark column: those clean_text maps to the included or
#: add-on mark (U+F0C8 -> "+"), from the one symbol-glyph table
MARK_GLYPHS = "".join(sorted(k for k, v in SYMBOL_GLYPHS.items() if v in (INCLUDED_MARK, ADDON_MARK)))


_MARK_SET = frozenset(MARK_GLYPHS)


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
