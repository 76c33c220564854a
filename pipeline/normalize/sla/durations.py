"""SLA durations: "30 min", "quatre (4) heures ouvrées", "J+1", "NBD", "next business day" -> minutes.

The reading is the shared one (:func:`pipeline.quantities.read_duration`, words and units in the
lexicon's ``units.yaml``/``numbers.yaml``): 4 business hours is 240 business minutes, "next business
day" / "J+1" / "NBD" one business day (1440 business minutes). The forms a time target takes that
are not quantities of a number and a unit are read here: an interval without a number
("hourly", "toutes les heures", "quotidienne": ``metrics.yaml`` ``frequencies``), "half an hour" / "une demi-heure", "within the hour" / "dans l'heure" (``spans``).
"""

from __future__ import annotations

import functools
import re

from pipeline.lexicon import load_all
from pipeline.quantities import read_duration
from pipeline.textutil import fold_for_match


@functools.cache
def _spans() -> list[tuple[int, re.Pattern[str]]]:
    """``metrics.yaml`` ``spans``: "half an hour" -> 30, "dans l'heure" -> 60 (every language), on the
    text itself (case-insensitive), so the matched phrase is the document's."""
    out = []
    for data in load_all("metrics").values():
        for minutes, words in ((data or {}).get("spans") or {}).items():
            alt = "|".join(
                re.escape(str(w)).replace(r"\ ", r"\s+").replace("'", "['’]")
                for w in sorted(words, key=lambda w: (-len(str(w)), str(w)))
            )
            out.append((int(minutes), re.compile(rf"\b(?:{alt})\b", re.I)))
    return sorted(out, key=lambda x: x[0])


def _specials(text: str) -> list[tuple[int, int, bool, str]]:
    out = []
    for minutes, pattern in _spans():
        m = pattern.search(text)
        if m:
            out.append((m.start(), minutes, False, m.group(0)))
    lead = len(text) - len(text.lstrip())
    folded = fold_for_match(text)
    if len(folded) == len(text.strip()):  # offsets of the folded text are the text's (after ``lead``)
        for minutes, pattern in _frequencies():
            m = pattern.search(folded)
            if m:
                out.append((lead + m.start(), minutes, False, text[lead + m.start() : lead + m.end()]))
    return out


@functools.cache
def _frequencies() -> list[tuple[int, re.Pattern[str]]]:
    """``metrics.yaml`` ``frequencies``: "daily" -> 1440, "toutes les heures" -> 60 (every language)."""
    out = []
    for data in load_all("metrics").values():
        for minutes, words in ((data or {}).get("frequencies") or {}).items():
            alt = "|".join(re.escape(fold_for_match(str(w))) for w in words)
            out.append((int(minutes), re.compile(rf"(?<!\w)(?:{alt})(?!\w)")))
    return out


def parse_duration(text: str) -> tuple[int, bool, str] | None:
    """First duration in ``text``: ``(minutes, business_hours, matched text)``; None when there is none."""
    found = [(s, m, b, t) for s, m, b, t in _specials(text)]
    q = read_duration(text)
    if q is not None:
        found.append((q.start, int(round(q.value)), q.business, q.text))
    if not found:
        return None
    _start, minutes, business, matched = min(found, key=lambda x: x[0])
    return minutes, business, matched
