"""Joining lines into running text: spaces, hyphens and footnote offsets."""

from __future__ import annotations

from pipeline.extract.pdf.objects import Line

_TERMINAL = tuple('.!?:;…»)”"')


def join_texts(
    parts: list[tuple[str, list[tuple[str, int]], bool]],
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
        ):
            sep = ""
        else:
            sep = " "
        base = len(text) + len(sep)
        text = text + sep + piece
        refs.extend((m, o + base) for m, o in piece_refs)
        soft = piece_soft
    return text, refs


def join_lines(lines: list[Line], keep_markers: bool = False) -> tuple[str, list[tuple[str, int]]]:
    parts = []
    for ln in lines:
        if keep_markers and ln.marker:
            shift = len(ln.marker) + 1
            parts.append((f"{ln.marker} {ln.text}", [(m, o + shift) for m, o in ln.refs], ln.soft_hyphen))
        else:
            parts.append((ln.text, ln.refs, ln.soft_hyphen))
    return join_texts(parts)


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)
