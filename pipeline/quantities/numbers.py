"""Locale-aware numbers: digits in FR/EN formats, written numbers, and the number mentions of a text.

Pure functions, no state. French writes ``500 000`` (plain, no-break or narrow no-break space) and
``1,5``; English writes ``500,000`` and ``1.5``; machine translation leaves either in either language,
so both readings are accepted in both languages and mentions compare **by value**, never by string.
``24/7`` and ``24 h/24 et 7 j/7`` are one mention of kind ``24x7`` (value 168), so a faithful
translation carries the same values even when the typography differs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.quantities.lexicon import SP as _SP
from pipeline.quantities.lexicon import (
    always_patterns,
    connectors,
    norm_lang,
    number_words,
    ordinal_suffixes,
    percent_words,
    phrase_re,
    round_patterns,
    scales,
    units,
)

# ---------------------------------------------------------------------------------------------
# Written numbers


def number_word(word: str, lang: str) -> int | None:
    """The value of one written number word or hyphenated compound ("quinze", "vingt-quatre", "twenty-four").

    Returns None for anything that is not entirely number words. "a"/"an" count as 1 only in
    :func:`numbers_in` contexts, never here.
    """
    value = parse_number_phrase(word, lang)
    return int(value) if value is not None and float(value).is_integer() else None


def _split_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-‑]+", text.strip().lower()) if w]


def parse_number_phrase(text: str, lang: str) -> float | None:
    """Value of a written-number phrase: "vingt et un", "quatre-vingt-dix", "one hundred and five"."""
    nw = number_words(lang)
    units, mult, conn = nw.words, nw.multipliers, nw.connectors
    words = _split_words(text)
    if not words or words[0] in conn or words[-1] in conn:
        return None
    total, current, seen = 0.0, 0.0, False
    for i, w in enumerate(words):
        if w in conn:
            # only "vingt et un", "soixante et onze", "one hundred and five"; "deux et trois" is two numbers
            prev, nxt = words[i - 1], words[i + 1]
            if nw.connector_rule == "after_tens" and not (
                units.get(prev, 0) >= 20 and nxt in nw.connector_next
            ):
                return None
            if nw.connector_rule == "after_multiplier" and prev not in mult:
                return None
            continue
        if w in nw.times and current == nw.times[w]:
            current *= units[w]  # quatre-vingt(s)
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


#: An integer part with thousands separators (space-like or comma), or plain digits, then decimals.
@functools.cache
def _digits_re() -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w.,])(?P<int>\d{{1,3}}(?:{_SP}\d{{3}})+(?!\d)|\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d+)"
        r"(?:[.,](?P<dec>\d+)(?!\d))?"
        rf"(?!(?:{'|'.join(map(re.escape, ordinal_suffixes()))})\b)"  # ordinals: "2ème", "4e", "3rd"
    )


def parse_number(text: str, lang: str | None = None) -> float | None:
    """Parse one number as written in FR or EN: "500 000", "500,000", "1,5", "1.5", "$60,000,000", "99,97".

    A comma followed by exactly three digits (and no other decimal mark) is a thousands separator
    in both languages (MT keeps "200,000" in French); otherwise a comma is a decimal mark.
    Currency signs and surrounding spaces are ignored. Returns None when the text is not one number.
    """
    s = _currency_re(norm_lang(lang)).sub("", text.strip()).strip()
    m = _digits_re().fullmatch(s)
    if not m:
        words = parse_number_phrase(s, lang or "en")
        return words
    return _value(m)


@functools.cache
def _currency_re(lang: str) -> re.Pattern[str]:
    """A currency sign or code (units.yaml ``money`` aliases: "$", "US$", "€", "EUR") opening or closing a number."""
    alt = "|".join(re.escape(a) for a in sorted(units(lang).money, key=lambda a: (-len(a), a)))
    return re.compile(rf"^(?:{alt})\s*|\s*(?:{alt})$", re.I)


def _value(m: re.Match[str]) -> float:
    integer = m.group("int")
    if not integer.isdecimal():  # thousands separators
        integer = re.sub(r"[^\d]", "", integer)
    dec = m.group("dec")
    return float(f"{integer}.{dec}") if dec else float(integer)


# ---------------------------------------------------------------------------------------------
# Mentions


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


def _idiom(pattern: str) -> str:
    return pattern.replace("{SP}", _SP)


@functools.cache
def _always_re() -> re.Pattern[str]:
    """Round-the-clock idioms of every language (lexicon ``numbers.yaml`` ``always``): one mention, 168."""
    alts = "|".join(_idiom(p) for p in always_patterns())
    return re.compile(rf"(?<![\w/])(?:{alts})(?![\w/])", re.IGNORECASE)


@functools.cache
def _round_re() -> tuple[re.Pattern[str], dict[str, float]]:
    """The halves of it ("24h/24" = 24, "7j/7" = 7, "365 j/an" = 365): a named group per pattern."""
    groups, value_of = [], {}
    for k, (value, pattern) in enumerate(round_patterns()):
        groups.append(f"(?P<r{k}>{_idiom(pattern)})")
        value_of[f"r{k}"] = value
    return re.compile(rf"(?<![\w/])(?:{'|'.join(groups)})(?![\w/])", re.IGNORECASE), value_of


_TIME_RE = re.compile(
    rf"(?<![\w.,:])(?:(?P<h1>\d{{1,2}}){_SP}?h{_SP}?(?P<m1>\d{{2}})(?![\d])"
    rf"|(?P<h2>\d{{1,2}}):(?P<m2>\d{{2}})(?![\d])(?:{_SP}?{_AMPM})?"
    rf"|(?P<h3>\d{{1,2}}){_SP}?(?P<ampm3>[AaPp]\.?[Mm]\.?)(?![\w]))"
)
_WORD_DIGITS_RE = re.compile(rf"(?P<word>{_W}(?:[\-‑]{_W})*){_SP}*\((?P<digits>\d+)\)")


@functools.cache
def _word_re() -> re.Pattern[str]:
    """A word or hyphenated compound, with a connector and one more word; group 1 is its first word."""
    return re.compile(rf"({_W})(?:[\-‑]{_W})*(?:\s+(?:{'|'.join(map(re.escape, connectors()))})\s+{_W})?")


@functools.cache
def _first_words(lang: str) -> frozenset[str]:
    """The words a written number can start with: :func:`parse_number_phrase` reads nothing else first,
    so a phrase starting with any other word (not an indefinite article either) is no number."""
    nw = number_words(lang)
    return frozenset(nw.words) | frozenset(nw.multipliers) | frozenset(nw.times)


_DIGIT = re.compile(r"\d")
_COMPOUND = re.compile(rf"{_W}(?:[\-‑]{_W})*")


@functools.cache
def _scale_tail() -> re.Pattern[str]:
    return re.compile(rf"{_SP}+({phrase_re(list(scales()))})", re.IGNORECASE)


@functools.cache
def _percent_tail() -> re.Pattern[str]:
    return re.compile(rf"{_SP}?(?:{phrase_re(percent_words())})")


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
    out: list[NumberMention] = []
    if "(" not in text:
        return out
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
    lang = norm_lang(lang)
    found: list[NumberMention] = []
    taken: list[tuple[int, int]] = []

    def add(mention: NumberMention) -> None:
        if _free(taken, mention.start, mention.end):
            found.append(mention)
            taken.append((mention.start, mention.end))

    for m in _always_re().finditer(text):
        add(NumberMention(168.0, m.start(), m.end(), m.group(0), "24x7"))
    round_re, value_of = _round_re()
    for m in round_re.finditer(text):
        add(NumberMention(value_of[m.lastgroup], m.start(), m.end(), m.group(0), "number"))
    if _DIGIT.search(text) is None:  # clock times, "deux (2)" and digit numbers all need a digit
        return _words_in(text, lang, found, add)
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
    for m in _digits_re().finditer(text):
        tail = _percent_tail().match(text, m.end())
        scale = _scale_tail().match(text, m.end())
        if scale:
            value = _value(m) * scales()[re.sub(rf"{_SP}+", " ", scale.group(1).lower())]
            add(NumberMention(value, m.start(), scale.end(), text[m.start() : scale.end()], "number"))
        elif tail:
            add(NumberMention(_value(m), m.start(), tail.end(), text[m.start() : tail.end()], "percent"))
        else:
            add(NumberMention(_value(m), m.start(), m.end(), m.group(0), "number"))
    return _words_in(text, lang, found, add)


def _words_in(
    text: str, lang: str, found: list[NumberMention], add: Callable[[NumberMention], None]
) -> list[NumberMention]:
    """The written numbers of ``text`` added to ``found`` (what :func:`numbers_in` read first), in order."""
    first_words, indefinite = _first_words(lang), number_words(lang).indefinite
    for m in _word_re().finditer(text):
        if m.group(1).lower() not in first_words and m.group(0).lower() not in indefinite:
            continue  # parse_number_phrase reads no number from it: it starts with no number word
        mention = _word_mention(text, m, lang)
        if mention:
            add(mention)
    return sorted(found, key=lambda x: x.start)


def _word_mention(text: str, m: re.Match[str], lang: str) -> NumberMention | None:
    phrase = m.group(0)
    value = parse_number_phrase(phrase, lang)
    nw = number_words(lang)
    if value is None and phrase.lower() in nw.indefinite:
        # "within an hour", "in a day": a quantity; "once a day" / "hours a day" are rates
        before = text[max(0, m.start() - 12) : m.start()].lower()
        after = re.match(rf"{_SP}+({_W})", text[m.end() :])
        if (
            after
            and after.group(1).lower() in nw.indefinite_units
            and re.search(rf"\b({'|'.join(map(re.escape, nw.indefinite_after))})\s+$", before)
        ):
            return NumberMention(1.0, m.start(), m.end(), phrase, "word")
        return None
    if value is None:
        # "deux et" / "two and" captured with a trailing connector word: try the first part alone
        first = _COMPOUND.match(phrase)
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
    if low in nw.only_before_unit and next_word not in nw.unit_nouns:
        return None  # an article ("une offre", "one of"), or "neuf" that means "new"
    if low in nw.not_after:
        before = text[max(0, m.start() - 8) : m.start()].lower()
        if re.search(rf"\b({'|'.join(map(re.escape, nw.not_after[low]))})\s*$", before):
            return None  # "les deux" = both
    return NumberMention(float(value), m.start(), end, phrase, "word")


def values(text: str, lang: str) -> list[float]:
    """Sorted values of :func:`numbers_in` — the multiset two parallel segments should share."""
    return sorted(m.value for m in numbers_in(text, lang))


def fmt_number(value: float) -> str:
    """Shortest stable rendering: 1.0 -> "1", 0.5 -> "0.5", 1e12 -> "1000000000000"."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")
