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
_BR = re.compile(r"<br\s*/?>", re.I)


def sup_contents(raw: str | None) -> list[str]:
    """The inner text of every ``<sup>`` in ``raw``, in order (``"4 Il"`` for ``<sup>4 Il</sup>``)."""
    return [html.unescape(m.group(1)).strip() for m in _SUP.finditer(raw or "")]


def strip_markup(raw: str, *, keep_sup: bool = False) -> str:
    """Inline Markdown/HTML -> plain text: link text kept, URLs, anchors, tags, emphasis dropped.

    ``<sup>`` contents are dropped (they are footnote markers) unless ``keep_sup``; a ``<sup>`` that
    swallowed a word (``<sup>4 Il</sup>``) gives its words back to the text.
    """
    return _strip_markup(raw, keep_sup)


@functools.lru_cache(maxsize=65536)
def _strip_markup(raw: str, keep_sup: bool) -> str:
    """``strip_markup``, cached: a pair's raw is read by several checks, table cells repeat."""

    def sup(m: re.Match[str]) -> str:
        inner = m.group(1)
        if keep_sup:
            return inner
        words = re.sub(r"[\d,*†‡§]+", " ", inner)
        return f" {words} " if words.strip() else " "

    text = _ANCHOR.sub(" ", raw)
    text = _SUP.sub(sup, text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _BR.sub(" ", text)
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
    if text.isascii():  # nothing to decompose, no accent to drop
        return text.casefold()
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


# --- numbers ---------------------------------------------------------------------------------


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


@functools.lru_cache(maxsize=65536)
def _readings(tok: str, lang: str) -> frozenset[float]:
    """Every plausible value of a digit token in either locale (a translator may keep the source's)."""
    compact = re.sub(r"[\u00a0\u202f ]", " ", tok).strip()
    out: set[float] = set()
    for form in (compact.replace(",", ""), compact.replace(" ", "").replace(".", "").replace(",", ".")):
        with contextlib.suppress(ValueError):
            out.add(round(float(form.replace(" ", "")), 6))
    return frozenset(out)


_UNIT_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=(?:hour|day|week|month|year|minute)s?\b)", re.I)
_DIGITS_ONLY = re.compile(r"[\d.,\u00a0\u202f ]+")


@functools.lru_cache(maxsize=65536)
def _mentions(text: str, lang: str) -> tuple:
    """``pipeline.quantities.numbers_in``, cached: the aligner reads a text's numbers, the checks its
    quantities (:func:`_quantities`), and both rest on this one reading."""
    from pipeline.quantities import numbers_in

    return tuple(numbers_in(text, lang))


@functools.lru_cache(maxsize=65536)
def _find_numbers(text: str, lang: str) -> tuple[NumberToken, ...]:
    t = _DAY_ORDINAL.sub(r"\1", text)
    # "a two-day workshop": the number word counts like "two days" (same length, offsets kept)
    t = _UNIT_HYPHEN.sub(" ", t)
    out = []
    for m in _mentions(t, lang):
        alts: frozenset[float] = frozenset()
        if m.kind == "number" and _DIGITS_ONLY.fullmatch(m.text):
            alts = _readings(m.text, lang) - {m.value}
        out.append(NumberToken(round(m.value, 6), m.text, m.start, frozenset(alts)))
    return tuple(out)


def find_numbers(text: str, lang: str | None) -> list[NumberToken]:
    """Numbers in ``text`` by value, read by the one quantities reader (``pipeline.quantities``).

    Number words count before a counted noun only (``une heure``, not ``une offre``); ``1 million``
    is 1,000,000; ``24/7`` = ``24 h/24 et 7 j/7``; a day written ``1er``/``1st`` before a month is 1.
    """
    return list(_find_numbers(text, (lang or "en")[:2]))


def numbers_match(src: list[NumberToken], tgt: list[NumberToken]) -> tuple[set[float], set[float]]:
    """Values only in source / only in target, letting ambiguous forms match any of their readings."""
    s_all = set().union(*(n.readings() for n in src)) if src else set()
    t_all = set().union(*(n.readings() for n in tgt)) if tgt else set()
    only_s = {n.value for n in src if not (n.readings() & t_all)}
    only_t = {n.value for n in tgt if not (n.readings() & s_all)}
    return only_s, only_t


# --- units ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitToken:
    value_text: str
    unit: str  # canonical TB/GB/MB/KB …
    written: str
    value: float = 0.0  # in bytes


@functools.lru_cache(maxsize=65536)
def _quantities(text: str, lang: str) -> tuple:
    """``pipeline.quantities.quantities_in``, cached: table cells repeat the same few texts."""
    from pipeline.quantities import quantities_in

    return tuple(quantities_in(text, lang, _mentions(text, lang)))


def find_storage_units(text: str, lang: str | None) -> list[UnitToken]:
    """Sizes (``1 TB`` = ``1 To``, ``256kb`` = ``256 Ko``), read by ``pipeline.quantities``."""
    return list(_sizes(text, (lang or "en")[:2]))


@functools.lru_cache(maxsize=65536)
def _sizes(text: str, lang: str) -> tuple[UnitToken, ...]:
    """``find_storage_units``, cached: the size checks read each side several times."""
    from pipeline.quantities import QuantityKind

    out = []
    for q in _quantities(text, lang):
        if q.kind == QuantityKind.size:
            written = text[q.start : q.end][
                len(re.match(r"[\d.,\u00a0\u202f ]*", text[q.start : q.end]).group(0)) :
            ]
            out.append(UnitToken(f"{q.amount:g}", q.unit, written.strip(), q.value))
    return tuple(out)


def durations(text: str, lang: str | None) -> list[tuple[float, bool]]:
    """Durations as (minutes, business hours?), read by ``pipeline.quantities``."""
    return list(_durations(text, (lang or "en")[:2]))


@functools.lru_cache(maxsize=65536)
def _durations(text: str, lang: str) -> tuple[tuple[float, bool], ...]:
    from pipeline.quantities import QuantityKind

    return tuple((q.value, q.business) for q in _quantities(text, lang) if q.kind == QuantityKind.duration)


# --- language ---------------------------------------------------------------------------------


@functools.cache
def _words(lang: str) -> frozenset[str]:
    from pipeline.lexicon import load

    data = load("function", lang) or {}
    return frozenset(w.lower() for key in ("function", "frequent") for w in data.get(key) or [])


@functools.cache
def function_words() -> frozenset[str]:
    """Function words of every language (a capitalised one opens a sentence, it names nothing)."""
    from pipeline.lexicon import LANGS, load

    return frozenset(
        w.lower() for lang in LANGS for w in (load("function", lang) or {}).get("function") or []
    )


_WORD_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ'’-]+")


def word_tokens(text: str) -> list[str]:
    return _WORD_TOKEN.findall(text)


@functools.lru_cache(maxsize=65536)
def english_ratio(text: str) -> tuple[int, int]:
    """(English function words, French function words) in ``text``: a cheap language signal
    (cached: the untranslated check asks it word by word, and words repeat)."""
    en = fr = 0
    en_w, fr_w = _words("en"), _words("fr")
    for w in word_tokens(text):
        lw = w.lower().strip("'’-")
        if lw in en_w and lw not in fr_w:
            en += 1
        elif lw in fr_w and lw not in en_w:
            fr += 1
        elif "'" in lw or "’" in lw:
            fr += 1 if re.match(r"^(?:l|d|qu|n|s|j|c)['’]", lw) else 0
    return en, fr


# --- names and acronyms -----------------------------------------------------------------------


@functools.cache
def _not_acronyms() -> frozenset[str]:
    from pipeline.lexicon import load

    return frozenset((load("acronyms", "common") or {}).get("not_acronyms") or [])


_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(?![\w])")


def acronyms(text: str) -> set[str]:
    """Do-not-translate acronyms: 2+ capitals (``GCC``, ``ATP``, ``DOD``), not units or labels."""
    return set(_acronyms(text))


@functools.lru_cache(maxsize=65536)
def _acronyms(text: str) -> frozenset[str]:
    """``acronyms``, cached: the aligner, the name learning and the name checks read the same texts."""
    found = set()
    for m in _ACRONYM.finditer(text):
        tok = m.group(1)
        if tok in _not_acronyms() or tok.isdigit() or re.fullmatch(r"[A-Z]\d+", tok):
            continue
        found.add(tok)
    return frozenset(found)


def capitalised_terms(text: str) -> set[str]:
    """Mid-sentence capitalised words and CamelCase names (``SharePoint``, ``Yammer``): alignment anchors."""
    out = set()
    for i, m in enumerate(re.finditer(r"\b[A-Z][a-z]*[A-Z][A-Za-z]*\b|\b[A-Z][a-z]{2,}\b", text)):
        if i == 0 and m.start() == 0:
            continue
        out.add(m.group(0))
    return out


# --- availability marks -----------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def availability_mark(text: str) -> str | None:
    """What an availability cell says (``Yes`` = ``Oui`` = ``✓``; ``—``; ``Rolling out``), from the one
    marks reader (``pipeline.normalize.marks``, vocabulary in lexicon data); None when it is no mark.

    A status word compares by its status level, a mark or word by its availability class; an
    undefined sign reads as itself, so ``✓`` against ``?`` still differs.
    """
    from pipeline.normalize.marks import read_cell

    t = strip_markup(text).strip().rstrip(".").strip()
    t = re.sub(r"(?<=\D)[\d,\s]+$", "", t) if len(t) > 1 else t  # trailing footnote digits ("Yes4,5")
    if not t or len(t) > 40:
        return None
    r = read_cell(t)
    if r is None:
        return None
    if r.status:
        return f"status:{r.status}"
    return r.availability.value if r.known else f"sign:{r.glyph}"
