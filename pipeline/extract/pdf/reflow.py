"""Joining lines into running text: spaces, hyphens and footnote offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.extract.pdf.objects import Line

_WORD = re.compile(r"[^\W\d_]+")
_LAST_WORD = re.compile(r"([^\W\d_]+)$")
_FIRST_WORD = re.compile(r"^([^\W\d_]+)")


@dataclass(frozen=True)
class Vocabulary:
    """The document's own words, to rejoin a word cut across lines without a hyphen.

    "Planifi" + "cation" is glued when "planification" occurs in the document and one of the two
    pieces never occurs inside a line (so is no word of its own); "in" + "to" stays apart.
    """

    words: frozenset[str]
    interior: frozenset[str]

    @classmethod
    def of(cls, lines: Iterable[Line]) -> Vocabulary:
        words: set[str] = set()
        interior: set[str] = set()
        for ln in lines:
            tokens = _WORD.findall(ln.text.casefold())
            words.update(tokens)
            interior.update(tokens[1:-1])
        return cls(frozenset(words), frozenset(interior))

    def glues(self, left: str, right: str) -> bool:
        m1, m2 = _LAST_WORD.search(left), _FIRST_WORD.match(right)
        if not m1 or not m2 or not right[:1].islower():
            return False
        w1, w2 = m1.group(1).casefold(), m2.group(1).casefold()
        return (w1 + w2) in self.words and (w1 not in self.interior or w2 not in self.interior)


_TERMINAL = tuple('.!?:;…»)”"')


def join_texts(
    parts: list[tuple[str, list[tuple[str, int]], bool]],
    vocab: Vocabulary | None = None,
) -> tuple[str, list[tuple[str, int]]]:
    """Join ``(text, refs, soft_hyphen)`` pieces with single spaces, shifting footnote offsets.

    A piece ending on a soft hyphen is glued to the next one without the hyphen; a piece ending on a
    hard hyphen after a letter is glued to a following lowercase word, keeping the hyphen
    ("vingt-" + "quatre" -> "vingt-quatre"): Word PDFs hyphenate compounds, not syllables.
    """
    text = ""
    refs: list[tuple[str, int]] = []
    soft = False
    for piece, piece_refs, piece_soft in parts:
        if not piece:
            continue
        if (
            not text
            or soft
            or text.endswith("-")
            and len(text) > 1
            and text[-2].isalpha()
            and piece[0].islower()
            or text.endswith(("/", "\u2011"))
            or (vocab is not None and vocab.glues(text, piece))
        ):
            sep = ""
        else:
            sep = " "
        base = len(text) + len(sep)
        text = text + sep + piece
        refs.extend((m, o + base) for m, o in piece_refs)
        soft = piece_soft
    return text, refs


def join_lines(
    lines: list[Line], keep_markers: bool = False, vocab: Vocabulary | None = None
) -> tuple[str, list[tuple[str, int]]]:
    parts = []
    for ln in lines:
        if keep_markers and ln.marker:
            shift = len(ln.marker) + 1
            parts.append((f"{ln.marker} {ln.text}", [(m, o + shift) for m, o in ln.refs], ln.soft_hyphen))
        else:
            parts.append((ln.text, ln.refs, ln.soft_hyphen))
    return join_texts(parts, vocab)


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)
