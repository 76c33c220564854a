"""Chars -> lines: baseline clustering, superscript footnote markers, spacing, bullets.

Works from ``page.chars`` only (one pass, no ``extract_text``). Word and LibreOffice PDFs do not
always emit space glyphs, so spaces are inferred from gaps; symbol-font glyphs are mapped through
:data:`pipeline.textutil.SYMBOL_GLYPHS` while the text is assembled, so footnote offsets stay exact.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from pipeline.extract.pdf.objects import Char, Line
from pipeline.textutil import SYMBOL_GLYPHS

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_ITALIC = re.compile(r"italic|oblique", re.I)
_ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}

#: glyphs that open a bulleted list item when they stand apart from the text that follows
BULLETS = frozenset("•◦▪■●○➢►▶–—-o·*\uf0b7\uf0a7\uf0d8\uf076\uf0fc")
#: bullets accepted even when glued to the text ("•des services")
STRONG_BULLETS = frozenset("•◦▪■●○➢►▶\uf0b7\uf0a7\uf0d8")

#: a superscript run that is a footnote reference: optional words, the marker, optional words
_SUP_MARKER = re.compile(
    r"^(?P<pre>.*?)\s*(?P<num>\d{1,3}(?:\s*[,;]\s*\d{1,3})*|\*{1,3}|[†‡§]+)\s*(?P<post>.*?)$"
)

SUP_SIZE_RATIO = 0.85  # a superscript glyph is at most this fraction of the line's size …
SUP_MIN_RISE = 0.1  # … and sits at least this fraction of the size above the baseline …
SUP_MAX_RISE = 0.8  # … but not so far up that it belongs to the line above


@functools.lru_cache(maxsize=512)
def fontname_is_bold(fontname: str) -> bool:
    return bool(_BOLD.search(fontname.split("+")[-1]))


@functools.lru_cache(maxsize=512)
def fontname_is_italic(fontname: str) -> bool:
    return bool(_ITALIC.search(fontname.split("+")[-1]))


def baseline(c: Char) -> float:
    """The glyph's baseline in top-down page coordinates (superscript rise included); computed once."""
    bl = c.get("_baseline")
    if bl is None:
        m = c.get("matrix")
        bl = c["bottom"] - (m[5] - c["y0"]) if m and c.get("upright", True) else c["bottom"]
        c["_baseline"] = bl
    return bl


@functools.lru_cache(maxsize=4096)
def _is_blank(text: str) -> bool:
    return all(ch.isspace() or ch in _ZERO_WIDTH or SYMBOL_GLYPHS.get(ch) == " " for ch in text)


class _Row:
    __slots__ = ("bl", "size", "chars")

    def __init__(self, c: Char, bl: float) -> None:
        self.bl = bl
        self.size = c["size"]
        self.chars = [c]


def cluster_rows(chars: Iterable[Char]) -> list[list[Char]]:
    """Group chars into rows by baseline; raised small glyphs join the row they annotate."""
    keyed = sorted(((baseline(c), c) for c in chars), key=lambda t: (t[0], t[1]["x0"]))
    rows: list[_Row] = []
    for bl, c in keyed:
        if rows:
            r = rows[-1]
            if abs(bl - r.bl) <= max(1.0, 0.2 * min(c["size"], r.size)):
                r.chars.append(c)
                r.size = max(r.size, c["size"])
                continue
        rows.append(_Row(c, bl))
    # attach superscript-only rows to the row whose baseline lies just below them
    out: list[_Row] = []
    for i, r in enumerate(rows):
        small = max((c["size"] for c in r.chars if not _is_blank(c["text"])), default=r.size)
        target = None
        for other in rows[i + 1 : i + 4]:
            rise = other.bl - r.bl
            if rise > SUP_MAX_RISE * other.size:
                break
            if (
                small <= SUP_SIZE_RATIO * other.size
                and rise >= SUP_MIN_RISE * other.size
                and _overlaps_x(r, other)
            ):
                target = other
                break
        if target is not None:
            target.chars.extend(r.chars)
        else:
            out.append(r)
    return [r.chars for r in out]


def _overlaps_x(small: _Row, row: _Row) -> bool:
    x0 = min(c["x0"] for c in row.chars) - 2 * row.size
    x1 = max(c["x1"] for c in row.chars) + 2 * row.size
    return any(x0 <= c["x0"] <= x1 for c in small.chars)


def split_segments(row: list[Char], gap_factor: float) -> list[list[Char]]:
    """Split a row sorted by x at gaps wider than ``gap_factor`` × font size (columns, footer parts)."""
    segs: list[list[Char]] = []
    last_x1 = None
    for c in row:
        if _is_blank(c["text"]):
            if segs:
                segs[-1].append(c)
            continue
        if last_x1 is not None and c["x0"] - last_x1 > gap_factor * c["size"]:
            segs.append([c])
        elif segs:
            segs[-1].append(c)
        else:
            segs.append([c])
        last_x1 = c["x1"] if last_x1 is None else max(last_x1, c["x1"])
    return segs


def dominant_size(chars: Iterable[Char]) -> float:
    """The line's text size: the largest size carried by at least a fifth of its glyphs.

    Not simply the most common one: a short word followed by a long superscript run
    ("charge" + "élevées 3") must keep the word's size, or the superscript goes unseen.
    """
    sizes = Counter(round(c["size"], 1) for c in chars if not _is_blank(c["text"]))
    if not sizes:
        return 0.0
    total = sum(sizes.values())
    return max(s for s, n in sizes.items() if n >= 0.2 * total)


def make_line(chars: list[Char], page: int) -> Line | None:
    """Assemble one line's text from x-sorted chars; split superscript footnote markers off."""
    ink = [c for c in chars if not _is_blank(c["text"])]
    if not ink:
        return None
    size = dominant_size(ink)
    normal = [c for c in ink if c["size"] > SUP_SIZE_RATIO * size] or ink
    row_bl = Counter(round(baseline(c), 1) for c in normal).most_common(1)[0][0]
    sup = [c["size"] <= SUP_SIZE_RATIO * size and baseline(c) <= row_bl - SUP_MIN_RISE * size for c in chars]

    out: list[str] = []
    refs: list[tuple[str, int]] = []
    pending = False
    prev_x1: float | None = None
    soft_hyphen = False
    first_marker: str | None = None
    i = 0
    n = len(chars)

    def emit(text: str, x0: float, csize: float) -> None:
        nonlocal pending, prev_x1, soft_hyphen
        if prev_x1 is not None and x0 - prev_x1 > 0.2 * csize:
            pending = True
        for ch in text:
            ch = SYMBOL_GLYPHS.get(ch, ch)
            ch = _LIGATURES.get(ch, ch)
            if ch == "\u00ad":
                soft_hyphen = True
                continue
            if ch in _ZERO_WIDTH:
                continue
            if ch.isspace():
                pending = True
                continue
            if pending and out:
                out.append(" ")
            pending = False
            soft_hyphen = False
            out.append(ch)

    while i < n:
        c = chars[i]
        if sup[i] and not _is_blank(c["text"]):
            j = i
            while j < n and (sup[j] or (_is_blank(chars[j]["text"]) and j + 1 < n and sup[j + 1])):
                j += 1
            run = chars[i:j]
            run_text = _plain(run)
            m = _SUP_MARKER.match(run_text) if any(ch.isdigit() or ch in "*†‡§" for ch in run_text) else None
            if m and m.group("num"):
                if m.group("pre"):
                    emit(m.group("pre"), run[0]["x0"], size)
                    prev_x1 = run[0]["x1"]
                offset = len("".join(out))
                markers = [x.strip() for x in re.split(r"[,;]", m.group("num")) if x.strip()]
                if offset == 0 and not refs:
                    first_marker = ", ".join(markers)
                else:
                    refs.extend((mk, offset) for mk in markers)
                if m.group("post"):
                    pending = True
                    emit(m.group("post"), run[-1]["x0"], size)
                prev_x1 = max(x["x1"] for x in run)
                pending = pending or False
            else:
                for x in run:
                    emit(x["text"], x["x0"], size)
                    prev_x1 = x["x1"] if prev_x1 is None else max(prev_x1, x["x1"])
            i = j
            continue
        emit(c["text"], c["x0"], c["size"] if c["size"] > 0 else size)
        if not _is_blank(c["text"]):
            prev_x1 = c["x1"] if prev_x1 is None else max(prev_x1, c["x1"])
        i += 1

    text = "".join(out).strip()
    if not text:
        return None
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    weight = Counter(fontname_is_bold(c["fontname"]) for c in normal)
    italic = Counter(fontname_is_italic(c["fontname"]) for c in normal)
    line = Line(
        page=page,
        x0=min(c["x0"] for c in ink),
        top=min(c["top"] for c in normal),
        x1=max(c["x1"] for c in ink),
        bottom=max(c["bottom"] for c in normal),
        text=text,
        size=size,
        bold=weight[True] >= 0.6 * len(normal),
        italic=italic[True] >= 0.6 * len(normal),
        refs=refs,
        footnote_marker=first_marker,
        soft_hyphen=soft_hyphen,
    )
    _split_bullet(line, ink)
    return line


def _plain(run: list[Char]) -> str:
    """Text of a superscript run, spaces from gaps, glyphs mapped."""
    parts: list[str] = []
    prev_x1 = None
    for c in run:
        t = "".join(SYMBOL_GLYPHS.get(ch, ch) for ch in c["text"])
        if prev_x1 is not None and c["x0"] - prev_x1 > 0.2 * c["size"]:
            parts.append(" ")
        parts.append(t)
        if not _is_blank(c["text"]):
            prev_x1 = c["x1"]
    return " ".join("".join(parts).split())


def _split_bullet(line: Line, ink: list[Char]) -> None:
    """Take a leading bullet glyph off the text when it stands apart (or is an unmistakable bullet)."""
    first = SYMBOL_GLYPHS.get(ink[0]["text"], ink[0]["text"])
    if first not in BULLETS or len(ink) < 2 or line.footnote_marker:
        return
    gap = ink[1]["x0"] - ink[0]["x1"]
    if first in STRONG_BULLETS or gap > 0.45 * ink[0]["size"]:
        rest = line.text[len(first) :].lstrip()
        if not rest:
            return
        shift = len(line.text) - len(rest)
        line.marker = first
        line.text = rest
        line.text_x0 = ink[1]["x0"]
        line.refs = [(m, max(0, o - shift)) for m, o in line.refs]


def chars_to_lines(chars: Iterable[Char], page: int, gap_factor: float | None = 2.5) -> list[Line]:
    """All lines of a set of chars, top to bottom then left to right.

    ``gap_factor`` splits rows at wide gaps into separate segments (``None``: keep whole rows,
    as inside a table cell). A lone bullet segment is glued back onto the text it introduces.
    """
    lines: list[Line] = []
    for row in cluster_rows(chars):
        row.sort(key=lambda c: c["x0"])
        segs = split_segments(row, gap_factor) if gap_factor else [row]
        segs = _glue_bullets(segs)
        for seg in segs:
            line = make_line(seg, page)
            if line is not None:
                lines.append(line)
    lines.sort(key=lambda ln: (round(ln.top), ln.x0))
    return lines


def _glue_bullets(segs: list[list[Char]]) -> list[list[Char]]:
    out: list[list[Char]] = []
    for seg in segs:
        if out:
            ink = [c for c in out[-1] if not _is_blank(c["text"])]
            if len(ink) == 1 and SYMBOL_GLYPHS.get(ink[0]["text"], ink[0]["text"]) in BULLETS:
                out[-1] = out[-1] + seg
                continue
        out.append(seg)
    return out
