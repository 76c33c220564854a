"""Joining PDF lines into running text (footnote markers kept); the rules are in :mod:`pipeline.extract.lines`."""

from __future__ import annotations

from pipeline.extract.lines import Vocabulary, ends_sentence, join_texts
from pipeline.extract.pdf.objects import Line


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


__all__ = ["Vocabulary", "ends_sentence", "join_lines", "join_texts"]
