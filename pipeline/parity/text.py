"""Language-aware text anchors shared by the aligner and the parity checks.

Everything here works on plain strings (no models), so it can be tested on the gold segment pairs
and reused by both the aligner (anchors as alignment evidence) and the checks (anchors that must
survive translation). Numbers are compared *by value*: ``500,000`` (en) = ``500 000`` (fr),
``99.97%`` = ``99,97 %``; the idioms translators use for round-the-clock service (``24/7`` =
``24 h/24 et 7 j/7``, ``seven days a week`` = ``7 jours sur 7``) and number words before a unit
(``one hour`` = ``une heure``, ``deux (2)`` = ``2``) are folded before comparing.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import unicodedata
from dataclasses import dataclass

# --- markup -----------------------------------------------------------------------------------

_SUP = re.compile(r"<sup>(.*?)</sup>", re.I | re.S)
_ANCHOR = re.compile(r"<a\s+name=[^>]*>\s*</a>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*([^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_EMPH = re.compile(r"(\*\*|__|\*|`)")
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009]+")


def sup_contents(raw: str | None) -> list[str]:
    """The inner text of every ``<sup>`` in ``raw``, in order (``"4 Il"`` for ``<sup>4 Il</sup>``)."""
    return [html.unescape(m.group(1)).strip() for m in _SUP.finditer(raw or "")]


def strip_markup(raw: str, *, keep_sup: bool = False) -> str:
    """Inline Markdown/HTML -> plain text: link text kept, URLs, anchors, tags, emphasis dropped.

    ``<sup>`` contents are dropped (they are footnote markers) unless ``keep_sup``; a ``<sup>`` that
    swallowed a word (``<sup>4 Il</sup>``) gives its words back to the text.
    """

    def sup(m: re.Match[str]) -> str:
        inner = m.group(1)
        if keep_sup:
            return inner
        words = re.sub(r"[\d,*†‡§]+", " ", inner)
        return f" {words} " if words.strip() else " "

    text = _ANCHOR.sub(" ", raw)
    text = _SUP.sub(sup, text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.I)
    text = _TAG.sub(" ", text)
    text = _EMPH.sub("", text)
    text = html.unescape(text)
    return _SPACES.sub(" ", text).strip()


def markdown_urls(raw: str | None) -> list[str]:
    return [html.unescape(m.group(2)) for m in _MD_LINK.finditer(raw or "") if m.group(2)]


def normalize_url(url: str) -> str:
    """Compare URLs modulo locale path parts (``/en-us/`` = ``/fr-fr/``), case of host, trailing slash."""
    u = html.unescape(url.strip())
    u = re.sub(r"/(?:[a-z]{2}-[a-z]{2})(?=/)", "/xx-xx", u, flags=re.I)
    u = re.sub(r"^https?://", "//", u, flags=re.I)
    u = u.rstrip("/")
    m = re.match(r"(//[^/]+)(.*)", u)
    if m:
        u = m.group(1).lower() + m.group(2)
    return u


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


# --- numbers ----------------------------------------------------------------------------------

_WORD_NUMBERS = {
    "en": {
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "fifteen": 15,
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "ninety": 90,
        "hundred": 100,
    },
    "fr": {
        "un": 1,
        "une": 1,
        "deux": 2,
        "trois": 3,
        "quatre": 4,
        "cinq": 5,
        "six": 6,
        "sept": 7,
        "huit": 8,
        "neuf": 9,
        "dix": 10,
        "onze": 11,
        "douze": 12,
        "quinze": 15,
        "vingt": 20,
        "trente": 30,
        "quarante": 40,
        "cinquante": 50,
        "soixante": 60,
        "quatre-vingt-dix": 90,
        "cent": 100,
    },
}
#: Nouns after which a number word is a quantity ("seven days", "une heure"), not an article.
_COUNTED = (
    r"(?:business\s+|working\s+)?(?:hours?|days?|weeks?|months?|years?|minutes?|seconds?|quarters?|"
    r"heures?|jours?(?:\s+ouvr[ée]s)?|semaines?|mois|ans?|années?|"
    r"minutes?|secondes?|trimestres?|TB|GB|MB|To|Go|Mo)\b"
)


def _fold_idioms(text: str, lang: str) -> str:
    """Rewrite round-the-clock idioms and '(2)' duplicates so each quantity is written once."""
    t = text
    # dates: "1er septembre" / "1st September" are the day 1, like "1 September"
    t = _DAY_ORDINAL.sub(r"\1", t)
    # 24/7, 24x7, 24 x 7
    t = re.sub(r"\b24\s*[/x×]\s*7\b", " 24 h 7 d ", t, flags=re.I)
    # 24 h/24, 24h/24, 24H/24, 7 j/7, 7j/7, 24 heures sur 24, 7 jours sur 7, 365 jours par an
    t = re.sub(r"\b(\d+)\s*([hj])\s*/\s*\1\b", r" \1 \2 ", t, flags=re.I)
    t = re.sub(r"\b(\d+)\s+(heures|jours)\s+sur\s+\1\b", r" \1 \2 ", t, flags=re.I)
    # 24 hours a day / 7 days a week / 24-hour basis / around-the-clock
    t = re.sub(r"\b(\d+)-(hour|day|minute)\b", r"\1 \2", t, flags=re.I)
    # "a two-day workshop", "a four-hour window": the number word counts like "two days"
    t = re.sub(r"\b([a-z]+)-(hour|day|week|month|year|minute)s?\b", r"\1 \2s", t, flags=re.I)
    # "deux (2)" / "two (2)": the digit repeats the word
    words = "|".join(sorted(_WORD_NUMBERS.get(lang, {}), key=len, reverse=True))
    if words:
        t = re.sub(rf"\b({words})\s*\((\d+)\)", r" \2 ", t, flags=re.I)
    return t


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
)
#: A day of the month written as an ordinal before a month name.
_DAY_ORDINAL = re.compile(rf"\b(\d{{1,2}})(?:er|re|ᵉʳ|st|nd|rd|th)(?=\s+(?:of\s+)?(?:{_MONTHS})\b)", re.I)


@dataclass(frozen=True)
class NumberToken:
    value: float
    text: str
    start: int
    #: Other readings of an ambiguous form: ``200,000`` in French text (English thousands left as is)
    #: reads 200 by French rules and 200000 by English ones; ``99.97`` in French text reads 99.97.
    alts: frozenset[float] = frozenset()

    def readings(self) -> frozenset[float]:
        return self.alts | {self.value}


_NUMBER = re.compile(r"(?<![\w.,])\d[\d,.\u00a0\u202f ]*(?<=\d)(?![\w])")


def _readings(tok: str, lang: str) -> tuple[float, set[float]]:
    """Primary value of a numeric token in ``lang`` plus its other plausible readings."""
    compact = re.sub(r"[\u00a0\u202f ]", " ", tok)
    readings: list[float] = []

    def add(s: str) -> None:
        with contextlib.suppress(ValueError):
            readings.append(round(float(s), 6))

    en_thousands = re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", compact)
    fr_thousands = re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", compact)
    if lang == "fr":
        if fr_thousands:
            add(compact.replace(" ", "").replace(".", "").replace(",", "."))
        elif re.fullmatch(r"\d+(?:,\d+)?", compact):
            add(compact.replace(",", "."))
        if en_thousands or re.fullmatch(r"\d+\.\d+", compact):
            add(compact.replace(",", ""))
    else:
        if en_thousands:
            add(compact.replace(",", ""))
        elif re.fullmatch(r"\d+(?:\.\d+)?", compact):
            add(compact)
        if fr_thousands or re.fullmatch(r"\d+,\d+", compact):
            add(compact.replace(" ", "").replace(".", "").replace(",", "."))
    if not readings:
        return float("nan"), set()
    return readings[0], set(readings[1:])


def _shared_readings(token: str, lang: str) -> set[float]:
    """The facts engineer's locale-aware reading (``pipeline.quantities``), when present."""
    try:
        from pipeline.quantities import parse_number
    except ImportError:  # pragma: no cover - optional during development
        return set()
    try:
        value = parse_number(token, lang)
    except Exception:  # a helper bug must not break parity
        return set()
    return {round(float(value), 6)} if value is not None else set()


def find_numbers(text: str, lang: str | None) -> list[NumberToken]:
    """Numbers in ``text`` with their value, read with the conventions of ``lang`` (en/fr).

    Number words count only before a counted noun (``seven days``, ``une heure``) so that French
    articles (``un``, ``une``) are not read as 1.
    """
    lang = (lang or "en")[:2]
    t = _fold_idioms(text, lang)
    out: list[NumberToken] = []
    for m in _NUMBER.finditer(t):
        for part in _split_runs(m.group(0), lang):
            value, alts = _readings(part, lang)
            alts |= _shared_readings(part, lang) - {value}
            if value == value:  # not NaN
                out.append(NumberToken(value, part, m.start(), frozenset(alts)))
    words = _WORD_NUMBERS.get(lang, {})
    if words:
        alt = "|".join(sorted(words, key=len, reverse=True))
        for m in re.finditer(rf"\b({alt})\s+{_COUNTED}", t, flags=re.I):
            out.append(NumberToken(float(words[m.group(1).lower()]), m.group(0), m.start()))
    out.sort(key=lambda n: n.start)
    return out


def _split_runs(run: str, lang: str) -> list[str]:
    """Split ``"1, 2, 6"`` or ``"5 10"`` into numbers, keeping ``500 000`` / ``500,000`` whole."""
    run = run.strip(" ,.")
    pieces = re.split(r"(?:,\s+|\s+(?!\d{3}(?!\d))|,(?!\d{3}(?!\d))(?!\d{1,2}(?!\d))|\.(?!\d))", run)
    return [p.strip(" ,.") for p in pieces if p and p.strip(" ,.")]


def numbers_match(src: list[NumberToken], tgt: list[NumberToken]) -> tuple[set[float], set[float]]:
    """Values only in source / only in target, letting ambiguous forms match any of their readings."""
    s_all = set().union(*(n.readings() for n in src)) if src else set()
    t_all = set().union(*(n.readings() for n in tgt)) if tgt else set()
    only_s = {n.value for n in src if not (n.readings() & t_all)}
    only_t = {n.value for n in tgt if not (n.readings() & s_all)}
    return only_s, only_t


def number_values(text: str, lang: str | None) -> set[float]:
    return {n.value for n in find_numbers(text, lang)}


# --- units ------------------------------------------------------------------------------------

#: Accepted spellings per canonical unit; anything else in the same family is a wrong form.
_UNIT_FORMS = {
    "TB": {"en": {"TB"}, "fr": {"To", "TB"}},
    "GB": {"en": {"GB"}, "fr": {"Go", "GB"}},
    "MB": {"en": {"MB"}, "fr": {"Mo", "MB"}},
    "KB": {"en": {"KB"}, "fr": {"Ko", "KB", "ko"}},
}
_UNIT_RE = re.compile(
    r"(?<![\w])(\d[\d.,\u00a0\u202f ]*)\s?(TB|GB|MB|KB|To|Go|Mo|Ko|tb|gb|mb|kb|to|go|mo|ko|TO|GO|MO|KO|tB|gB|mB)\b"
)
_TIME_UNITS = {
    "minute": r"minutes?|mins?|minutes?",
    "hour": r"hours?|hrs?|heures?|h",
    "day": r"days?|jours?|j|d",
    "week": r"weeks?|semaines?",
    "month": r"months?|mois",
    "year": r"years?|ans?|années?",
}


@dataclass(frozen=True)
class UnitToken:
    value_text: str
    unit: str  # canonical TB/GB/MB/KB
    written: str


def find_storage_units(text: str, lang: str | None) -> list[UnitToken]:
    out = []
    for m in _UNIT_RE.finditer(text):
        written = m.group(2)
        if lang == "en" and written.lower() in {"to", "go", "mo"} and written != written.upper():
            continue  # English "1 to 5", "go"
        canonical = {"t": "TB", "g": "GB", "m": "MB", "k": "KB"}[written[0].lower()]
        out.append(UnitToken(m.group(1).strip(), canonical, written))
    return out


def bad_unit_forms(text: str, lang: str | None) -> list[UnitToken]:
    """Storage units written in a form the language does not use (``1 to``, ``25 TO``, ``15 GO``)."""
    lang = (lang or "en")[:2]
    return [
        u for u in find_storage_units(text, lang) if u.written not in _UNIT_FORMS[u.unit].get(lang, {u.unit})
    ]


def time_units(text: str, lang: str | None) -> dict[str, int]:
    """How many times each time unit follows a number (``4 hours`` / ``4 heures``)."""
    t = _fold_idioms(text, (lang or "en")[:2])
    counts: dict[str, int] = {}
    for unit, alt in _TIME_UNITS.items():
        n = len(re.findall(rf"\b\d+(?:[.,]\d+)?\s*(?:{alt})\b", t, flags=re.I))
        if n:
            counts[unit] = n
    return counts


# --- language ---------------------------------------------------------------------------------

_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "for",
        "with",
        "is",
        "are",
        "to",
        "in",
        "your",
        "you",
        "this",
        "that",
        "by",
        "on",
        "be",
        "can",
        "or",
        "from",
        "an",
        "as",
        "at",
        "it",
        "its",
        "not",
        "all",
        "more",
        "see",
        "about",
        "which",
        "will",
        "when",
        "have",
        "has",
        "if",
        "their",
        "they",
        "these",
        "those",
        "was",
        "were",
        "than",
        "into",
        "use",
        "using",
        "how",
        "what",
        "learn",
        "only",
        "other",
        "per",
        "each",
        "such",
        "must",
        "should",
        "may",
        "includes",
        "include",
        "available",
        "service",
        "services",
        "support",
        "plans",
        "plan",
        "users",
        "user",
        "health",
        "continuity",
        "storage",
        "limits",
        "feature",
        "features",
        "information",
        "customers",
        "customer",
        "issues",
        "issue",
        "business",
        "hours",
        "data",
    ]
)
_FR_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "et",
        "pour",
        "avec",
        "est",
        "sont",
        "dans",
        "votre",
        "vous",
        "ce",
        "cette",
        "ces",
        "sur",
        "par",
        "un",
        "une",
        "en",
        "au",
        "aux",
        "qui",
        "que",
        "ne",
        "pas",
        "plus",
        "peut",
        "peuvent",
        "être",
        "leur",
        "leurs",
        "ou",
        "il",
        "elle",
        "ils",
        "où",
        "lors",
        "comme",
        "afin",
        "entre",
        "selon",
        "service",
        "services",
        "prise",
        "charge",
        "plans",
        "utilisateurs",
        "données",
        "informations",
        "clients",
        "problèmes",
        "heures",
    ]
)


def word_tokens(text: str) -> list[str]:
    return re.findall(r"[A-Za-zÀ-ÖØ-öø-ÿ'’-]+", text)


def english_ratio(text: str) -> tuple[int, int]:
    """(English function words, French function words) in ``text``: a cheap language signal."""
    en = fr = 0
    for w in word_tokens(text):
        lw = w.lower().strip("'’-")
        if lw in _EN_WORDS and lw not in _FR_WORDS:
            en += 1
        elif lw in _FR_WORDS and lw not in _EN_WORDS:
            fr += 1
        elif "'" in lw or "’" in lw:
            fr += 1 if re.match(r"^(?:l|d|qu|n|s|j|c)['’]", lw) else 0
    return en, fr


# --- names and acronyms -----------------------------------------------------------------------

#: Brand words of product names that are never translated.
BRAND_WORDS = frozenset(
    [
        "Microsoft",
        "Office",
        "Exchange",
        "SharePoint",
        "OneDrive",
        "Teams",
        "Azure",
        "Yammer",
        "Skype",
        "Outlook",
        "Windows",
        "Intune",
        "Defender",
        "Dynamics",
        "Stream",
        "Planner",
        "Viva",
        "Bookings",
        "Kaizala",
        "Lync",
        "OneNote",
        "Visio",
        "Project",
        "Access",
        "Word",
        "Excel",
        "PowerPoint",
        "Sway",
        "Delve",
        "Forms",
    ]
)
#: Upper-case tokens that are units, labels or words, not do-not-translate acronyms.
_NOT_ACRONYMS = frozenset(
    [
        "TB",
        "GB",
        "MB",
        "KB",
        "TO",
        "GO",
        "MO",
        "KO",
        "NOTE",
        "TIP",
        "IMPORTANT",
        "WARNING",
        "CAUTION",
        "ID",
        "IT",
        "US",
        "FAQ",
        "URL",
        "PDF",
        "FR",
        "EN",
        "OS",
        "API",
        "ROBOTS",
        "NOINDEX",
        "NOFOLLOW",
        "UTC",
        "PST",
        "GMT",
        "AM",
        "PM",
        "USD",
        "EUR",
        "N/A",
        "NA",
        "OK",
        "X",
    ]
)


def acronyms(text: str) -> set[str]:
    """Do-not-translate acronyms: 2+ capitals (``GCC``, ``ATP``, ``DOD``), not units or labels."""
    found = set()
    for m in re.finditer(r"(?<![\w-])([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(?![\w])", text):
        tok = m.group(1)
        if tok in _NOT_ACRONYMS or tok.isdigit() or re.fullmatch(r"[A-Z]\d+", tok):
            continue
        found.add(tok)
    return found


def brand_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]+", text) if w in BRAND_WORDS]


def capitalised_terms(text: str) -> set[str]:
    """Mid-sentence capitalised words and CamelCase names (``SharePoint``, ``Yammer``): alignment anchors."""
    out = set()
    for i, m in enumerate(re.finditer(r"\b[A-Z][a-z]*[A-Z][A-Za-z]*\b|\b[A-Z][a-z]{2,}\b", text)):
        if i == 0 and m.start() == 0:
            continue
        out.add(m.group(0))
    return out


# --- availability marks -----------------------------------------------------------------------

_MARKS = {
    "yes": "yes",
    "oui": "yes",
    "✓": "yes",
    "✔": "yes",
    "included": "yes",
    "inclus": "yes",
    "incluse": "yes",
    "no": "no",
    "non": "no",
    "aucun": "no",
    "aucune": "no",
    "✗": "no",
    "not available": "no",
    "non disponible": "no",
    "+": "addon",
}


def availability_mark(text: str) -> str | None:
    """``yes``/``no``/``addon`` when a cell is an availability mark (``Yes``, ``Oui``, ``✓``, ``Non``)."""
    t = strip_markup(text).strip().rstrip(".").strip()
    t = re.sub(r"[\d,\s]+$", "", t) if len(t) > 1 else t  # trailing footnote digits ("Yes4,5")
    return _MARKS.get(t.casefold())


@functools.cache
def _fr_stopwords() -> frozenset[str]:
    return _FR_WORDS
