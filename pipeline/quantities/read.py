"""Quantities in running text: a number with its unit, read once for every stage (facts, SLA, diff, parity).

A quantity is a number mention (:func:`pipeline.quantities.numbers.numbers_in`: any locale format,
number words, "quatre (4)") followed or preceded by the words of a unit, all of them from the lexicon
data files: durations (with the business-hours flag: "4 h ouvrées", "2 business days", "NBD", "J+1"),
sizes ("1 To" = 1 TB), money ("1 600 € HT", "USD 1,600"), percentages, clock times ("9 h 00" is a
time of day, never a duration) and bare numbers. Values are in base units (minutes, bytes, the
currency's amount) so two languages compare by value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from pipeline.quantities.lexicon import SP, norm_lang, phrase_re, unbounded_words, units
from pipeline.quantities.numbers import NumberMention, numbers_in


class QuantityKind(str, Enum):
    number = "number"
    percent = "percent"
    duration = "duration"
    size = "size"
    money = "money"
    time_of_day = "time_of_day"


@dataclass(frozen=True)
class Quantity:
    """One quantity of a text: ``value`` in base units, ``amount`` and ``unit`` as written (canonical)."""

    kind: QuantityKind
    value: float  # minutes (duration, time of day), bytes (size), amount (money), percent, number
    base: str  # minute | byte | ISO currency code | percent | "" (bare number)
    amount: float  # the number as written: 4 in "4 h"
    unit: str  # canonical unit as written: hour, TB, EUR, percent, "" (bare number)
    start: int
    end: int
    text: str
    business: bool = False
    value_max: float | None = None  # upper bound of a range ("10 – 14 jours")


_TOKEN = re.compile(r"\s*([^\W\d_]+(?:['’][^\W\d_]+)?\$?|[$€£%]|[-–—/])")
_NUMERIC = ("number", "word", "word_digits")


def _next_word(text: str, pos: int) -> tuple[str, int, str] | None:
    """The token after ``pos`` (spaces skipped): ``(lower case, end, as written)``."""
    m = _TOKEN.match(text, pos)
    return (m.group(1).lower(), m.end(), m.group(1)) if m else None


_PREV = re.compile(r"([^\W\d_]+\$?|[$€£])\s*$")
#: How far back :func:`_prev_word` looks first; the whole text only when the word may start earlier.
_PREV_WINDOW = 64


def _prev_word(text: str, pos: int) -> tuple[str, int] | None:
    """The word (or currency sign) just before ``pos``: ``(lower case, start)``.

    Searched in the last ``_PREV_WINDOW`` characters; a match at the window's start (the word may go
    on to the left) or a window of spaces only (the word may lie before it) searches all of ``text[:pos]``.
    """
    start = max(0, pos - _PREV_WINDOW)
    m = _PREV.search(text, start, pos)
    if start and (m.start() == start if m else text[start:pos].isspace()):
        m = _PREV.search(text, 0, pos)
    return (m.group(1).lower(), m.start(1)) if m else None


def quantities_in(
    text: str, lang: str | None, mentions: Sequence[NumberMention] | None = None
) -> list[Quantity]:
    """Every quantity of ``text`` in order, non-overlapping.

    ``mentions``: ``numbers_in(text, lang)`` when the caller has already read them (parity reads a
    text's numbers for the aligner and its quantities for the checks: one reading serves both).
    """
    lang = norm_lang(lang)
    u = units(lang)
    mentions = numbers_in(text, lang) if mentions is None else list(mentions)
    out = _fixed_durations(text, u)
    taken = [(q.start, q.end) for q in out]
    taken_until = -1
    for i, m in enumerate(mentions):
        if m.start < taken_until or not all(m.end <= s or m.start >= e for s, e in taken):
            continue
        q = _read_one(text, mentions, i, u)
        if q is not None:
            out.append(q)
            taken_until = q.end
    return sorted(out, key=lambda q: q.start)


def _read_one(text: str, mentions: list[NumberMention], i: int, u) -> Quantity | None:  # noqa: ANN001
    m = mentions[i]
    if m.kind == "percent":
        return Quantity(QuantityKind.percent, m.value, "percent", m.value, "percent", m.start, m.end, m.text)
    if m.kind == "time":
        return Quantity(QuantityKind.time_of_day, m.value, "minute", m.value, "", m.start, m.end, m.text)
    if m.kind not in _NUMERIC:
        return None
    before = _prev_word(text, m.start)
    if before and before[0] in u.money_before:
        code = u.money[before[0]]
        end = m.end
        tail = _next_word(text, end)
        if tail and tail[0] in u.money_after_prefixed:
            end = tail[1]
        return Quantity(
            QuantityKind.money, m.value, code, m.value, code, before[1], end, text[before[1] : end]
        )
    # a range: "10 – 14 jours", "2 to 4 hours"
    pos, high = m.end, None
    rng = _next_word(text, pos)
    if rng and rng[0] in u.range_words and i + 1 < len(mentions):
        nxt = mentions[i + 1]
        if nxt.kind in _NUMERIC and text[rng[1] : nxt.start].strip() == "":
            pos, high = nxt.end, nxt.value
    return _with_unit(text, m, pos, high, u) or Quantity(
        QuantityKind.number, m.value, "", m.value, "", m.start, m.end, m.text
    )


def _with_unit(text: str, m: NumberMention, pos: int, high: float | None, u) -> Quantity | None:  # noqa: ANN001
    w = _next_word(text, pos)
    if w and w[0] in u.duration_adjectives:
        w = _next_word(text, w[1])
    business = False
    if w and w[0] in u.business_before:
        business, w = True, _next_word(text, w[1])
    if w is None:
        return None
    word, end, written = w
    if word in u.duration and not (word == "h" and written != "h"):
        unit = u.duration[word]
        after = _next_word(text, end)
        if after and after[0] in u.business_after:
            business, end = True, after[1]
        per = u.minutes[unit]
        return _make(QuantityKind.duration, text, m, end, high, per, "minute", unit, business)
    if word in u.size:
        unit = u.size[word]
        return _make(QuantityKind.size, text, m, end, high, u.size_bytes[unit], "byte", unit, False)
    if word in u.money and high is None:
        code = u.money[word]
        return _make(QuantityKind.money, text, m, end, None, 1, code, code, False)
    return None


def _make(kind, text, m, end, high, factor, base, unit, business) -> Quantity:  # noqa: ANN001, PLR0913
    return Quantity(
        kind,
        m.value * factor,
        base,
        m.value,
        unit,
        m.start,
        end,
        text[m.start : end],
        business,
        high * factor if high is not None else None,
    )


@functools.cache
def _fixed_res(
    next_business_day: tuple[str, ...], day_offset: tuple[str, ...]
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The patterns of :func:`_fixed_durations`, compiled once per vocabulary (not once per text)."""
    next_day = offset = None
    if next_business_day:
        next_day = re.compile(rf"(?<!\w)(?:{phrase_re(list(next_business_day))})", re.I)
    if day_offset:
        prefixes = "|".join(re.escape(p) for p in day_offset)
        offset = re.compile(rf"(?<!\w)(?:{prefixes}){SP}?(\d+)\b")
    return next_day, offset


def _fixed_durations(text: str, u) -> list[Quantity]:  # noqa: ANN001
    """Durations written without a separate number: "next business day", "NBD", "J+1"."""
    out: list[Quantity] = []
    day = float(u.minutes["day"])
    next_day, offset = _fixed_res(u.next_business_day, u.day_offset)
    if next_day is not None:
        for m in next_day.finditer(text):
            out.append(
                Quantity(QuantityKind.duration, day, "minute", 1, "day", m.start(), m.end(), m.group(0), True)
            )
    if offset is not None:
        for m in offset.finditer(text):
            n = float(m.group(1))
            out.append(
                Quantity(
                    QuantityKind.duration, n * day, "minute", n, "day", m.start(), m.end(), m.group(0), True
                )
            )
    return out


def read_duration(text: str, lang: str | None = None) -> Quantity | None:
    """The first duration of ``text``; with no ``lang``, the earlier of the French and English readings."""
    found = [
        q
        for code in ([norm_lang(lang)] if lang else ["fr", "en"])
        for q in quantities_in(text, code)
        if q.kind is QuantityKind.duration
    ]
    return min(found, key=lambda q: q.start) if found else None


_MARKS = re.compile(r"[\s.*\u00b9\u00b2\u00b3\u2070-\u2079]+$")


def is_unbounded(text: str | None) -> bool:
    """The whole text says "no limit" ("No limit", "Sans limite", "Illimité."), footnote marks aside:
    a quantity with no bound, where a neighbouring cell holds a number."""
    folded = " ".join(_MARKS.sub("", (text or "").strip()).casefold().split())
    return folded in unbounded_words()
