"""Locale-aware numbers: digits in FR/EN formats, written numbers, and the number mentions of a text.

Pure functions, no state. French writes ``500 000`` (plain, no-break or narrow no-break space) and
``1,5``; English writes ``500,000`` and ``1.5``; machine translation leaves either in either language,
so both readings are accepted in both languages and mentions compare **by value**, never by string.
``24/7`` and ``24 h/24 et 7 j/7`` are one mention of kind ``24x7`` (value 168), so a faithful
translation carries the same values even when the typography differs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# Written numbers

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_FR_UNITS = {
    "zéro": 0, "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60,
}  # fmt: skip
_MULTIPLIERS = {
    "en": {"hundred": 100, "thousand": 1000, "million": 1_000_000, "millions": 1_000_000, "billion": 1e9},
    "fr": {"cent": 100, "cents": 100, "mille": 1000, "million": 1_000_000, "millions": 1_000_000,
           "milliard": 1e9, "milliards": 1e9},
}  # fmt: skip
_CONNECTORS = {"en": {"and"}, "fr": {"et"}}
#: Words that are a number only before a unit noun ("une heure", "one hour", "an hour").
_ARTICLE_LIKE = {"un", "une", "one", "a", "an"}


def _lang(lang: str | None) -> str:
    return "fr" if (lang or "").lower().startswith("fr") else "en"


def _units(lang: str) -> dict[str, int]:
    return _FR_UNITS if lang == "fr" else _EN_UNITS


def number_word(word: str, lang: str) -> int | None:
    """The value of one written number word or hyphenated compound ("quinze", "vingt-quatre", "twenty-four").

    Returns None for anything that is not entirely number words. "a"/"an" count as 1 only in
    :func:`parse_number_phrase` contexts, never here.
    """
    value = parse_number_phrase(word, lang)
    return int(value) if value is not None and float(value).is_integer() else None


def _split_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-‑]+", text.strip().lower()) if w]


def parse_number_phrase(text: str, lang: str) -> float | None:
    """Value of a written-number phrase: "vingt et un", "quatre-vingt-dix", "one hundred and five"."""
    lang = _lang(lang)
    units, mult, conn = _units(lang), _MULTIPLIERS[lang], _CONNECTORS[lang]
    words = _split_words(text)
    if not words or words[0] in conn or words[-1] in conn:
        return None
    total, current, seen = 0.0, 0.0, False
    for i, w in enumerate(words):
        if w in conn:
            # only "vingt et un", "soixante et onze", "one hundred and five"; "deux et trois" is two numbers
            prev, nxt = words[i - 1], words[i + 1]
            if lang == "fr" and not (units.get(prev, 0) >= 20 and nxt in ("un", "une", "onze")):
                return None
            if lang == "en" and prev not in mult:
                return None
            continue
        if lang == "fr" and w in ("vingt", "vingts") and current == 4:
            current = 80  # quatre-vingt(s)
        elif w in units:
            current += units[w]
        elif w in mult:
            m = mult[w]
            if m == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * m
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


# ---------------------------------------------------------------------------------------------
# Digits

_SP = "[ \u00a0\u202f\u2007\u2009]"
#: An integer part with thousands separators (space-like or comma), or plain digits, then decimals.
_DIGITS_RE = re.compile(
    rf"(?<![\w.,])(?P<int>\d{{1,3}}(?:{_SP}\d{{3}})+(?!\d)|\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d+)"
    r"(?:[.,](?P<dec>\d+)(?!\d))?"
    r"(?!(?:e|er|ère|ème|eme|nd|rd|th|st)\b)"  # ordinals: "2ème", "4e", "3rd" are no quantities
)


def parse_number(text: str, lang: str | None = None) -> float | None:
    """Parse one number as written in FR or EN: "500 000", "500,000", "1,5", "1.5", "$60,000,000", "99,97".

    A comma followed by exactly three digits (and no other decimal mark) is a thousands separator
    in both languages (MT keeps "200,000" in French); otherwise a comma is a decimal mark.
    Currency signs and surrounding spaces are ignored. Returns None when the text is not one number.
    """
    s = text.strip().strip("$€£").strip()
    s = re.sub(r"^(?:US|CA)?\$|\$$|(?:USD|EUR)$", "", s).strip()
    m = _DIGITS_RE.fullmatch(s)
    if not m:
        words = parse_number_phrase(s, lang or "en")
        return words
    return _value(m)


def _value(m: re.Match[str]) -> float:
    integer = re.sub(r"[^\d]", "", m.group("int"))
    dec = m.group("dec")
    return float(f"{integer}.{dec}") if dec else float(integer)


# ---------------------------------------------------------------------------------------------
# Mentions

#: Nouns after which an article-like word ("une", "one", "an") is a number.
UNIT_NOUNS = {
    "en": {"minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months",
           "year", "years", "business", "working", "calendar"},
    "fr": {"minute", "minutes", "heure", "heures", "jour", "jours", "semaine", "semaines", "mois", "an",
           "ans", "année", "années"},
}  # fmt: skip


_TIME_UNITS_EN = {"minute", "hour", "day", "week", "month", "year"}


@dataclass(frozen=True)
class NumberMention:
    """One number in a text. ``kind``: number | word | word_digits | percent | time | 24x7.

    ``value`` is what the text means (for ``time``: minutes since midnight; for ``24x7``: 168);
    for ``word_digits`` ("deux (2)") ``value`` is the digits and ``word_value`` the word, so a
    mismatch ("deux (3)") is visible.
    """

    value: float
    start: int
    end: int
    text: str
    kind: str
    word_value: float | None = None


_W = r"[^\W\d_]+"
_AMPM = r"(?P<ampm>[AaPp]\.?\s?[Mm]\.?)(?![\w])"
_ALWAYS_RE = re.compile(
    r"(?<![\w/])(?:"
    rf"24{_SP}?(?:h|heures?){_SP}?(?:/|sur){_SP}?24\s*(?:,|et|and)?\s*7{_SP}?(?:j|jours?){_SP}?(?:/|sur){_SP}?7"
    r"|24\s?(?:/|x|×)\s?7"
    r"|(?:24|twenty-four) hours a day,?\s*(?:and\s+)?(?:7|seven) days a week"
    rf"|24 heures sur 24,?\s*(?:et\s+)?(?:7|sept) jours sur 7"
    r")(?![\w/])",
    re.IGNORECASE,
)
#: "24h/24" alone (around the clock) = "24-hour"; "7j/7" = "seven days a week"; "365 j/an" = 365.
_ROUND_RE = re.compile(
    rf"(?<![\w/])(?:(?P<d>24){_SP}?(?:h|heures?){_SP}?(?:/|sur){_SP}?24|(?P<w>7){_SP}?(?:j|jours?){_SP}?(?:/|sur){_SP}?7"
    rf"|(?P<y>365){_SP}?(?:j|jours?|days?){_SP}?(?:/|par|per|a){_SP}?(?:an|année|year))(?![\w/])",
    re.IGNORECASE,
)
_TIME_RE = re.compile(
    rf"(?<![\w.,:])(?:(?P<h1>\d{{1,2}}){_SP}?h{_SP}?(?P<m1>\d{{2}})(?![\d])"
    rf"|(?P<h2>\d{{1,2}}):(?P<m2>\d{{2}})(?![\d])(?:{_SP}?{_AMPM})?"
    rf"|(?P<h3>\d{{1,2}}){_SP}?(?P<ampm3>[AaPp]\.?[Mm]\.?)(?![\w]))"
)
_WORD_DIGITS_RE = re.compile(rf"(?P<word>{_W}(?:[\-‑]{_W})*){_SP}*\((?P<digits>\d+)\)")
_WORD_RE = re.compile(rf"{_W}(?:[\-‑]{_W})*(?:\s+(?:et|and)\s+{_W})?")
_SCALES = {"thousand": 1e3, "mille": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
           "milliard": 1e9, "milliards": 1e9}  # fmt: skip
_SCALE_TAIL = re.compile(rf"{_SP}+({'|'.join(_SCALES)})\b", re.IGNORECASE)
_PERCENT_TAIL = re.compile(rf"{_SP}?(?:%|pour{_SP}cent\b|percent\b)")


def _clock(h: int, m: int, ampm: str | None) -> int | None:
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= h <= 12:
            return None
        h = (h % 12) + (12 if pm else 0)
    if h > 24 or m > 59:
        return None
    return h * 60 + m


def word_digit_pairs(text: str, lang: str) -> list[NumberMention]:
    """Every "deux (2)" / "four (4)" pattern: ``word_value`` from the word, ``value`` from the digits."""
    out = []
    for m in _WORD_DIGITS_RE.finditer(text):
        wv = parse_number_phrase(m.group("word"), lang)
        if wv is None:
            # "vingt-quatre (24)" is caught whole; "de deux (2)" is caught on its last word
            words = m.group("word").split()
            wv = parse_number_phrase(words[-1], lang) if words else None
            if wv is None:
                continue
        out.append(NumberMention(float(m.group("digits")), m.start(), m.end(), m.group(0), "word_digits", wv))
    return out


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def numbers_in(text: str, lang: str) -> list[NumberMention]:
    """Every number mention of ``text``, in order, non-overlapping (longest reading first).

    Digit numbers of every format, percents, clock times ("9 h 00", "9:00 AM"), the 24x7 family,
    "deux (2)" pairs and written numbers. Article-like words ("une", "one", "an") count only
    before a time unit ("une heure"); French "les deux" (both) is not a number.
    """
    lang = _lang(lang)
    found: list[NumberMention] = []
    taken: list[tuple[int, int]] = []

    def add(mention: NumberMention) -> None:
        if _free(taken, mention.start, mention.end):
            found.append(mention)
            taken.append((mention.start, mention.end))

    for m in _ALWAYS_RE.finditer(text):
        add(NumberMention(168.0, m.start(), m.end(), m.group(0), "24x7"))
    for m in _ROUND_RE.finditer(text):
        value = 24.0 if m.group("d") else 7.0 if m.group("w") else 365.0
        add(NumberMention(value, m.start(), m.end(), m.group(0), "number"))
    for m in _TIME_RE.finditer(text):
        if m.group("h1") is not None:
            v = _clock(int(m.group("h1")), int(m.group("m1")), None)
        elif m.group("h2") is not None:
            v = _clock(int(m.group("h2")), int(m.group("m2")), m.group("ampm"))
        else:
            v = _clock(int(m.group("h3")), 0, m.group("ampm3"))
        if v is not None:
            add(NumberMention(float(v), m.start(), m.end(), m.group(0), "time"))
    for wd in word_digit_pairs(text, lang):
        add(wd)
    for m in _DIGITS_RE.finditer(text):
        tail = _PERCENT_TAIL.match(text, m.end())
        scale = _SCALE_TAIL.match(text, m.end())
        if scale:
            value = _value(m) * _SCALES[scale.group(1).lower()]
            add(NumberMention(value, m.start(), scale.end(), text[m.start() : scale.end()], "number"))
        elif tail:
            add(NumberMention(_value(m), m.start(), tail.end(), text[m.start() : tail.end()], "percent"))
        else:
            add(NumberMention(_value(m), m.start(), m.end(), m.group(0), "number"))
    for m in _WORD_RE.finditer(text):
        mention = _word_mention(text, m, lang)
        if mention:
            add(mention)
    return sorted(found, key=lambda x: x.start)


def _word_mention(text: str, m: re.Match[str], lang: str) -> NumberMention | None:
    phrase = m.group(0)
    value = parse_number_phrase(phrase, lang)
    if value is None and lang == "en" and phrase.lower() in ("a", "an"):
        # "within an hour", "in a day": a quantity; "once a day" / "hours a day" are rates
        before = text[max(0, m.start() - 12) : m.start()].lower()
        after = re.match(rf"{_SP}+({_W})", text[m.end() :])
        if (
            after
            and after.group(1).lower() in _TIME_UNITS_EN
            and re.search(r"\b(within|in|for|than|after|about)\s+$", before)
        ):
            return NumberMention(1.0, m.start(), m.end(), phrase, "word")
        return None
    if value is None:
        # "deux et" / "two and" captured with a trailing connector word: try the first part alone
        first = re.match(rf"{_W}(?:[\-‑]{_W})*", phrase)
        if not first or first.group(0) == phrase:
            return None
        phrase = first.group(0)
        value = parse_number_phrase(phrase, lang)
        if value is None:
            return None
    end = m.start() + len(phrase)
    low = phrase.lower()
    if value is None:
        return None
    after = re.match(rf"{_SP}*({_W})", text[end:])
    next_word = after.group(1).lower() if after else ""
    if low in _ARTICLE_LIKE and next_word not in UNIT_NOUNS[lang]:
        return None
    if lang == "fr" and low == "deux":
        before = text[max(0, m.start() - 8) : m.start()].lower()
        if re.search(r"\b(les|des|aux)\s*$", before):
            return None
    if lang == "fr" and low == "neuf" and next_word not in UNIT_NOUNS[lang]:
        return None  # "neuf" is far more often "new"
    return NumberMention(float(value), m.start(), end, phrase, "word")


def values(text: str, lang: str) -> list[float]:
    """Sorted values of :func:`numbers_in` — the multiset two parallel segments should share."""
    return sorted(m.value for m in numbers_in(text, lang))


def fmt_number(value: float) -> str:
    """Shortest stable rendering: 1.0 -> "1", 0.5 -> "0.5", 1e12 -> "1000000000000"."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")
