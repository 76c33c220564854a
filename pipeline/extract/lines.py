"""Line heuristics shared by the readers that see lines of text (PDF, plain text): page numbers, the
document's own vocabulary that rejoins a word cut across lines, and joining wrapped lines.

Format-neutral: a "line" here is only its text (and, for :func:`join_texts`, footnote offsets and a
soft-hyphen flag), so the PDF reader and the text reader apply one rule, not two copies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+")
_LAST_WORD = re.compile(r"([^\W\d_]+)$")
_FIRST_WORD = re.compile(r"^([^\W\d_]+)")

_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|seite|página|pagina)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?"
    r"(?:\s*(?:of|sur|de|von|/|di)\s*\d{1,4})?$",
    re.I,
)


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def is_explicit_page_number(text: str) -> bool:
    """ "Page 3", "3 of 8", "3/8": a page number even on a one-page document (a bare "3" is not)."""
    t = text.strip()
    return is_page_number(t) and not t.strip("-–— ").isdigit()


@dataclass(frozen=True)
class Vocabulary:
    """The document's own words, to rejoin a word cut across lines without a hyphen.

    "Planifi" + "cation" is glued when "planification" occurs in the document and one of the two
    pieces never occurs inside a line (so is no word of its own); "in" + "to" stays apart.
    """

    words: frozenset[str]
    interior: frozenset[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Vocabulary:
        """The vocabulary of some lines' texts."""
        words: set[str] = set()
        interior: set[str] = set()
        for text in texts:
            tokens = _WORD.findall(text.casefold())
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


_TAIL = 64  # longer than any word the vocabulary glues


def join_texts(
    parts: list[tuple[str, list[tuple[str, int]], bool]],
    vocab: Vocabulary | None = None,
) -> tuple[str, list[tuple[str, int]]]:
    """Join ``(text, refs, soft_hyphen)`` pieces with single spaces, shifting footnote offsets.

    A piece ending on a soft hyphen is glued to the next one without the hyphen; a piece ending on a
    hard hyphen after a letter is glued to a following lowercase word, keeping the hyphen
    ("vingt-" + "quatre" -> "vingt-quatre"): Word PDFs hyphenate compounds, not syllables.
    """
    out: list[str] = []
    length = 0
    tail = ""  # the last characters joined so far: linear in the paragraph, whatever its length
    refs: list[tuple[str, int]] = []
    soft = False
    for piece, piece_refs, piece_soft in parts:
        if not piece:
            continue
        if (
            not out
            or soft
            or tail.endswith("-")
            and len(tail) > 1
            and tail[-2].isalpha()
            and piece[0].islower()
            or tail.endswith(("/", "\u2011"))
            or (vocab is not None and vocab.glues(tail, piece))
        ):
            sep = ""
        else:
            sep = " "
        base = length + len(sep)
        out += [sep, piece]
        length = base + len(piece)
        tail = (tail + sep + piece)[-_TAIL:]
        refs.extend((m, o + base) for m, o in piece_refs)
        soft = piece_soft
    return "".join(out), refs


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)
