"""Footnote paragraphs under tables: one paragraph holding several ``<sup>n</sup> text`` entries."""

from __future__ import annotations

import re

from pipeline.extract.markdown.inline import _Event, _parse_sup

_SUP_SPAN = re.compile(r"<sup(?:\s[^>]{0,200})?>", re.I)


_ENTRY_TAIL = re.compile(r"(?:\s*(?:<br\s*/?\s*>|>))+\s*$", re.I)


def _split_footnotes(events: list[_Event]) -> list[tuple[str, list[_Event], int, int]] | None:
    """Split a paragraph that starts with ``<sup>n</sup>`` into (marker, events, line, k) entries,
    k being the rank of the entry's ``<sup>`` among the paragraph's ``<sup>`` tags.

    An entry starts at a marker that begins the paragraph, a line, follows a ``<br/>``, or follows
    a stray ``>`` (a source quirk: several notes run together on one line as "… > <sup>2</sup> …").
    Returns None when the paragraph is not a footnote paragraph.
    """
    entries: list[tuple[str, list[_Event], int, int]] = []
    current: list[_Event] | None = None
    at_start = True
    sups = -1
    for ev in events:
        sups += ev.kind == "sup"
        if ev.kind == "sup" and at_start:
            found, before, after = _parse_sup(ev.value)
            if found and not before:
                current = []
                if after:
                    current.append(_Event("text", after + " ", ev.line))
                entries.append((", ".join(found), current, ev.line, sups))
                at_start = False
                continue
        if current is None:
            if ev.kind == "text" and not ev.value.strip():
                continue
            if ev.kind in ("anchor", "br", "soft"):
                continue
            return None
        if ev.kind in ("br", "soft"):
            at_start = True
        elif ev.kind == "text":
            stripped = ev.value.rstrip()
            if stripped.endswith(">") and not stripped.endswith("->"):
                current.append(_Event("text", stripped[:-1], ev.line))
                at_start = True
                continue
            if ev.value.strip():
                at_start = False
        current.append(ev)
    return entries or None


def _entry_raws(raw: str, ranks: list[int]) -> list[str] | None:
    """The inline Markdown of each footnote entry: ``raw`` cut at the entry's ``<sup>`` tags (by rank),
    without the separators between entries (``<br/>``, a stray ``>``). None if the tags don't line up."""
    starts = [m.start() for m in _SUP_SPAN.finditer(raw)]
    if not ranks or max(ranks) >= len(starts):
        return None
    cuts = [starts[k] for k in ranks] + [len(raw)]
    return [_strip_tail(raw[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]


def _strip_tail(piece: str) -> str:
    """Drop trailing entry separators; only the last 200 characters are searched (bounded regex)."""
    piece = piece.strip()
    return (piece[:-200] + _ENTRY_TAIL.sub("", piece[-200:])).strip()
