"""Unreadable text layers, page by page: a damaged PDF must say so, not feed gibberish downstream.

A PDF can draw a page perfectly while its text layer is garbage: bytes flipped in a content stream,
a stream cut short, a font whose ToUnicode map is missing or belongs to another font. Four kinds
of evidence, each measured on the page alone:

- **the content stream broke** (seen while pdfminer reads it, through the hooks below): a
  compressed stream that does not inflate to its end, an operator no PDF defines, or a stream that
  ends inside a string, array or dictionary or with operands no operator took;
- **glyphs with no text**: ``(cid:N)`` placeholders, U+FFFD and control characters, as a share of
  the page's characters;
- **no words of any language we read**: the share of the page's words that are function words of
  French or English (``lexicon/data/<lang>/function.yaml``) — real pages, tables included, stay
  well above the threshold; a font read through the wrong table falls to almost nothing.

Thresholds were calibrated on every page of every real PDF of the shared corpus (none flagged) and
on damaged copies (all flagged): ``benchmarks/garbled_calibration.md``, made by
``benchmarks/calibrate_garbled.py``.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

import pdfminer.pdftypes
from pdfminer.pdfinterp import PDFContentParser, PDFPageInterpreter

from pipeline import lexicon
from pipeline.extract.pdf import inflate_cap  # noqa: F401 - its capped fallback is the one wrapped below

#: pages with fewer words than this are judged by the stream and glyph evidence only
MIN_WORDS = 20
#: below this share of known words a page with enough words is unreadable (real pages: >= 0.25)
MIN_WORD_SHARE = 0.08
#: above this share of glyphs without text a page is unreadable (real pages: 0)
MAX_BAD_GLYPH_SHARE = 0.02


@functools.cache
def known_words() -> frozenset[str]:
    """Words of the languages we read (``lexicon/data/<lang>/function.yaml``: function words, the
    detection words and the weak answers of French and English); extended by the user lexicon path."""
    out: set[str] = set()
    for lang in ("fr", "en"):
        data = lexicon.load("function", lang)
        for key in ("function", "detection_words", "weak"):
            out.update(str(w).lower() for w in data.get(key, []))
    return frozenset(out)


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CID = re.compile(r"^\(cid:\d+\)$")
_CID_ANY = re.compile(r"\(cid:\d+\)")

# ----------------------------------------------------------------------- hooks into pdfminer
_events: Counter[str] = Counter()
_parsers: list[PDFContentParser] = []

_inflate_fallback = pdfminer.pdftypes.decompress_corrupted


def _counted_fallback(data: bytes) -> bytes:
    """pdfminer calls this when a compressed stream does not inflate cleanly: data was lost."""
    _events["stream"] += 1
    return _inflate_fallback(data)


def _unknown_operator(self: PDFPageInterpreter, name: str):  # noqa: ANN202
    """``hasattr(interpreter, "do_X")`` is how pdfminer looks an operator up: a miss is counted."""
    if name.startswith("do_"):
        _events["operator"] += 1
    raise AttributeError(name)


_parser_init = PDFContentParser.__init__


def _tracked_init(self: PDFContentParser, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
    _parser_init(self, *args, **kwargs)
    _parsers.append(self)


_execute = PDFPageInterpreter.execute


def _checked_execute(self: PDFPageInterpreter, streams) -> None:  # noqa: ANN001
    """Run the content stream, then look at where the parser stopped: mid-string, mid-array or with
    operands left over means the stream ended where no valid one can."""
    mark = len(_parsers)
    try:
        _execute(self, streams)
    finally:
        for parser in _parsers[mark:]:
            state = getattr(parser, "_parse1", None)
            if (
                getattr(state, "__name__", "_parse_main") != "_parse_main"
                or getattr(parser, "context", None)
                or getattr(parser, "curstack", None)
            ):
                _events["unfinished"] += 1
        if self.argstack:
            _events["unfinished"] += 1
        del _parsers[mark:]


pdfminer.pdftypes.decompress_corrupted = _counted_fallback
PDFPageInterpreter.__getattr__ = _unknown_operator  # type: ignore[attr-defined]
PDFContentParser.__init__ = _tracked_init  # type: ignore[method-assign]
PDFPageInterpreter.execute = _checked_execute  # type: ignore[method-assign]


def snapshot() -> Counter[str]:
    """The stream events so far; :func:`assess` takes the difference over one page."""
    return Counter(_events)


# ----------------------------------------------------------------------------------- the verdict
@dataclass(frozen=True)
class PageReading:
    """What one page's text layer looks like (the calibration table prints these)."""

    words: int
    word_share: float
    glyphs: int
    bad_glyph_share: float
    stream_events: dict[str, int]


def read_page(chars: list[dict], line_texts: list[str], before: Counter[str]) -> PageReading:
    """Measure one page from its glyphs, its rebuilt lines and the stream events since ``before``."""
    bad = sum(1 for c in chars if _bad_glyph(c.get("text", "")))
    words = [w.lower() for t in line_texts for w in _WORD.findall(_CID_ANY.sub(" ", t))]
    known_set = known_words()
    known = sum(1 for w in words if w in known_set)
    return PageReading(
        words=len(words),
        word_share=known / len(words) if words else 1.0,
        glyphs=len(chars),
        bad_glyph_share=bad / len(chars) if chars else 0.0,
        stream_events={k: v for k, v in (_events - before).items() if v > 0},
    )


def _bad_glyph(g: str) -> bool:
    """A glyph drawn with no character behind it. Private-use code points are not counted: Word
    writes symbol-font bullets there (U+F0B7), on sound pages."""
    if len(g) == 1:  # nearly every glyph: no regex, no generator (16,000 per 8 pages)
        return g == "\ufffd" or (g < " " and g not in "\t\n\r")
    if _CID.match(g):
        return True
    return any(ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r") for ch in g)


_EVENT_WORDS = {
    "stream": "a compressed content stream is cut short or corrupt",
    "operator": "the content stream holds operators no PDF defines",
    "unfinished": "the content stream ends in the middle of an instruction",
}


def verdict(reading: PageReading) -> str | None:
    """Why the page's text cannot be trusted, or None when it reads as text."""
    for event, why in _EVENT_WORDS.items():
        if reading.stream_events.get(event):
            return why
    if reading.bad_glyph_share > MAX_BAD_GLYPH_SHARE:
        return f"{reading.bad_glyph_share:.0%} of its glyphs map to no character (font without a usable ToUnicode map)"
    if reading.words >= MIN_WORDS and reading.word_share < MIN_WORD_SHARE:
        return (
            f"only {reading.word_share:.0%} of its words are French or English words (wrong font encoding?)"
        )
    return None
