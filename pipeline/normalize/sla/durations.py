"""SLA durations: "30 min", "quatre (4) heures ouvrées", "J+1", "NBD", "next business day" -> minutes.

Returns the business-hours flag with the minutes: 4 business hours is 240 business minutes, "next
business day" / "J+1" / "NBD" is one business day (1440 business minutes), like "1 jour ouvré".
Number words come from the facts reader (``pipeline.normalize.numbers``) when it knows them.
"""

from __future__ import annotations

import re

from pipeline.textutil import fold_for_match

# Minimal number-word table (FR + EN); the facts engineer's ``numbers`` module is asked first.
_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "twenty-four": 24,
    "thirty": 30, "forty-five": 45, "sixty": 60, "a": 1, "an": 1,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
    "vingt-quatre": 24, "trente": 30, "quarante-cinq": 45, "soixante": 60,
}  # fmt: skip
_UNIT_MIN = {"minute": 1, "min": 1, "heure": 60, "hour": 60, "hr": 60, "h": 60, "jour": 1440, "day": 1440}
_NUM = r"(?P<num>\d+(?:[.,]\d+)?|[a-zéèà-]+)"
DURATION = re.compile(
    _NUM + r"(?:\s*\((?P<digits>\d+)\))?\s*(?P<bizpre>(?:business|working|office)\s+)?"
    r"(?P<unit>minutes?|mins?|heures?|hours?|hrs?|h|jours?|days?)(?![/\w])"
    r"(?P<biz>\s+(?:ouvr[ée]e?s?|ouvrables?|business|de bureau|ouvr[ée]s?))?\b",
    re.I,
)
#: "next business day", "le jour ouvré suivant", "prochain jour ouvrable", "NBD", "J+1": one business day
_NEXT_DAY = re.compile(
    r"\bnext\s+(?:business|working)\s+day\b|\b(?:le\s+)?(?:prochain\s+jour\s+ouvr\w*|jour\s+ouvr\w*\s+suivant)\b"
    r"|\bNBD\b",
    re.I,
)
#: "J+1", "J+2", "D+1": that many business days
_DAY_PLUS = re.compile(r"\b[JD]\s*\+\s*(?P<n>\d)\b(?:\s*ouvr\w*)?")
#: "every hour", "toutes les heures", "chaque jour": one unit
_EVERY_UNIT = re.compile(
    r"\b(?:every|each|per|toutes\s+les|tous\s+les|chaque)\s+(?P<unit>hours?|heures?|days?|jours?)\b", re.I
)
_HALF_HOUR = re.compile(r"\b(?:half\s+an?\s+hour|(?:une\s+)?demi-heure)\b", re.I)
_WITHIN_HOUR = re.compile(r"\b(?:within|in)\s+the\s+hour\b|\bdans\s+l.heure\b", re.I)
_BIZ_BEFORE = re.compile(r"(business|working|ouvr[ée]e?s?|ouvrables?)\s*$", re.I)


def number(word: str) -> float | None:
    word = word.lower().strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", word):
        return float(word.replace(",", "."))
    try:  # the facts engineer's helper
        from pipeline.quantities import number_word

        for lang in ("fr", "en"):
            value = number_word(word, lang)
            if value is not None:
                return float(value)
    except Exception:  # noqa: BLE001 - optional dependency, fall back to the local table
        pass
    return float(_WORDS[word]) if word in _WORDS else None


def parse_duration(text: str) -> tuple[int, bool, str] | None:
    """First duration in ``text``: ``(minutes, business_hours, matched text)``; None when there is none."""
    specials = []
    for pattern, value in ((_NEXT_DAY, (1440, True)), (_HALF_HOUR, (30, False)), (_WITHIN_HOUR, (60, False))):
        m = pattern.search(text)
        if m:
            specials.append((m.start(), value, m.group(0)))
    every = _EVERY_UNIT.search(text)
    if every:
        unit = fold_for_match(every.group("unit"))
        specials.append(
            (every.start(), (60 if unit.startswith(("h", "heure")) else 1440, False), every.group(0))
        )
    for m in _DAY_PLUS.finditer(text):
        specials.append((m.start(), (1440 * int(m.group("n")), True), m.group(0)))
        break
    first_special = min(specials) if specials else None
    for m in DURATION.finditer(text):
        if first_special and first_special[0] < m.start():
            break
        value = float(m.group("digits")) if m.group("digits") else number(m.group("num"))
        if value is None:
            continue
        unit = fold_for_match(m.group("unit")).rstrip("s")
        unit = {"hr": "hour"}.get(unit, unit)
        factor = _UNIT_MIN.get(unit, _UNIT_MIN.get(unit[:-1], 0)) if unit else 0
        if not factor:
            continue
        biz = bool(m.group("biz") or m.group("bizpre")) or bool(_BIZ_BEFORE.search(text[: m.start()]))
        return int(round(value * factor)), biz, m.group(0).strip()
    if first_special:
        (minutes, biz), matched = first_special[1], first_special[2]
        return minutes, biz, matched
    return None
