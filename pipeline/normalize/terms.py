"""Typed conditions and prices of an offer, and its availability, read from the offer's own paragraph.

Why: outside tables, vendors write availability in prose — "Reviews are included from 50 seats;
below that, 450 EUR per review", "Only for the Business and Enterprise levels", "Réservé aux clients
de l'Union européenne". Each clause becomes an :class:`OfferTerm` (minimum, maximum, plans, regions,
price) with its numbers read by :mod:`pipeline.quantities`; the cue words live in
``pipeline/lexicon/data/<lang>/conditions.yaml``. Nothing here knows a vendor or a plan name: names
are the capitalised words of the restricting clause.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.lexicon import LANGS, LexiconError, load
from pipeline.normalize.model import Availability, OfferTerm, TermKind
from pipeline.quantities import quantities_in
from pipeline.textutil import clean_text, fold_for_match


@dataclass(frozen=True)
class _Cues:
    minimum: tuple[str, ...]
    maximum: tuple[str, ...]
    per: tuple[str, ...]
    only: tuple[str, ...]
    plan_nouns: frozenset[str]
    region_cues: tuple[str, ...]
    stop: frozenset[str]
    conjunctions: frozenset[str]
    availability: dict[str, tuple[str, ...]]
    price_notes: tuple[str, ...]
    abbreviations: tuple[str, ...]
    minimum_after: tuple[str, ...]
    maximum_after: tuple[str, ...]


def _f(text: str) -> str:
    return fold_for_match(text).replace("’", "'")


@functools.cache
def cues(lang: str) -> _Cues:
    try:
        data = load("conditions", lang if lang in LANGS else "en") or {}
    except LexiconError as exc:  # a missing file is no cues; a malformed one is an error
        if not str(exc).startswith("no lexicon"):
            raise
        data = {}

    def words(key: str) -> tuple[str, ...]:
        return tuple(sorted({_f(str(w)) for w in data.get(key, [])}, key=len, reverse=True))

    return _Cues(
        words("minimum"),
        words("maximum"),
        words("per"),
        words("only"),
        frozenset(words("plan_nouns")),
        words("region_cues"),
        frozenset(words("stop_words")),
        frozenset(words("conjunctions")),
        {k: tuple(_f(str(w)) for w in v) for k, v in (data.get("availability") or {}).items()},
        words("price_notes"),
        words("abbreviations"),
        words("minimum_after"),
        words("maximum_after"),
    )


def _has(folded: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded) is not None


def _ends_with_cue(before: str, words: tuple[str, ...]) -> bool:
    f = _f(before).rstrip()
    return any(f.endswith(w) and (len(f) == len(w) or not f[-len(w) - 1].isalnum()) for w in words if w)


def clauses(text: str, lang: str = "en") -> list[str]:
    """Sentences, then their ";" parts: the unit a condition is read from ("excl. VAT" is no break)."""
    abbreviations = {a for one in LANGS for a in cues(one).abbreviations} | set(cues(lang).abbreviations)
    sentences: list[str] = []
    for piece in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", clean_text(text)):
        if sentences and any(_f(sentences[-1]).endswith(" " + a) for a in abbreviations):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    out = []
    for sentence in sentences:
        out += [c.strip() for c in re.split(r"\s;\s|;\s", sentence) if c.strip()]
    return out


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _noun_after(text: str, c: _Cues) -> tuple[str | None, str]:
    """ "upgrades per year" -> ("upgrades", rest); up to three words, stopped by a "per" word."""
    words: list[str] = []
    pos = 0
    for m in re.finditer(r"\S+", text):
        token = m.group(0)
        w = _WORD.fullmatch(token.rstrip(".,;:)"))
        if not w or _f(w.group(0)) in c.per or _f(w.group(0)) in c.conjunctions or len(words) == 3:
            break
        words.append(w.group(0))
        pos = m.end()
        if token[-1] in ".,;:)":
            break
    return (" ".join(words) or None), text[pos:]


def _per(rest: str, c: _Cues) -> str | None:
    for note in c.price_notes:  # "290 EUR HT par visite"
        f = _f(rest.lstrip())
        if f.startswith(note) and (len(f) == len(note) or not f[len(note)].isalnum()):
            rest = rest.lstrip()[len(note) :]
            break
    m = re.match(r"\s*(\S+)\s+(?:(?:a|an|the|le|la|les|l')\s+)?([^\W\d_][\w'’-]*)", rest)
    if m and _f(m.group(1)) in c.per:
        return m.group(2)
    return None


def _names(clause: str, c: _Cues) -> list[str]:
    """Capitalised word runs of a clause, its first word apart: "Only for the Business and Enterprise
    levels" -> ["Business", "Enterprise"]."""
    names: list[str] = []
    current: list[str] = []
    for i, m in enumerate(_WORD.finditer(clause)):
        word = re.split(r"['’]", m.group(0))[-1]
        if i and word[:1].isupper() and _f(word) not in c.stop:
            current.append(word)
            continue
        if current:
            names.append(" ".join(current))
            current = []
    if current:
        names.append(" ".join(current))
    return names


def _region(tail: str, c: _Cues) -> str | None:
    """ "the European Union only." -> "European Union"; "l'Union européenne." -> "Union européenne"."""
    words = [w for w in re.split(r"[\s'’]+", tail.strip(" .,;:")) if w]
    while words and _f(words[0]) in c.stop:
        words.pop(0)
    while words and (_f(words[-1]) in c.stop or _f(words[-1]) in c.only):
        words.pop()
    return " ".join(words) if words and words[0][:1].isupper() and len(words) <= 5 else None


def read_terms(text: str, lang: str) -> list[OfferTerm]:
    """Every typed condition and price of an offer's paragraph, in order."""
    c = cues(lang)
    out: list[OfferTerm] = []
    for clause in clauses(text, lang):
        folded = _f(clause)
        says_included = any(_has(folded, p) for p in c.availability.get("included", ()))
        for q in quantities_in(clause, lang):
            before = clause[: q.start]
            bound = (
                TermKind.minimum
                if _ends_with_cue(before, c.minimum)
                else TermKind.maximum
                if _ends_with_cue(before, c.maximum)
                else None
            )
            if q.kind.value == "money":
                out.append(
                    OfferTerm(  # "for contracts above EUR 100,000": a threshold in money, not a price
                        kind=bound or TermKind.price,
                        text=clause,
                        value=q.value,
                        unit=q.base or q.unit,
                        per=_per(clause[q.end :], c),
                        availability=(Availability.included if says_included else None)
                        if bound
                        else Availability.additional,
                    )
                )
                continue
            if q.kind.value != "number" or q.unit:
                continue
            unit, rest = _noun_after(clause[q.end :], c)
            if unit is None:
                continue
            if bound is None:  # "for 50 seats or more", "10 utilisateurs maximum"
                after = _f(rest).lstrip(" ,")
                bound = next(
                    (
                        kind
                        for kind, words in (
                            (TermKind.minimum, c.minimum_after),
                            (TermKind.maximum, c.maximum_after),
                        )
                        if any(
                            after == w or after.startswith(w + " ") or after.startswith(w + ".")
                            for w in words
                        )
                    ),
                    None,
                )
            if bound is None:
                continue
            out.append(
                OfferTerm(
                    kind=bound,
                    text=clause,
                    value=q.value,
                    unit=unit,
                    per=_per(rest, c),
                    availability=Availability.included if says_included else None,
                )
            )
        cue = next((w for w in c.only if _has(folded, w)), None)
        if cue is None:
            continue
        region = next((w for w in c.region_cues if _has(folded, w)), None)
        if region is not None:
            at = folded.find(region) + len(region)
            name = _region(clause[at:], c)  # fold_for_match keeps lengths for Latin text
            if name:
                out.append(OfferTerm(kind=TermKind.regions, text=clause, names=[name]))
            continue
        names = _names(clause, c)
        if names and (any(_has(folded, n) for n in c.plan_nouns) or len(names) >= 2):
            out.append(OfferTerm(kind=TermKind.plans, text=clause, names=names))
    return out


def prose_availability(text: str, lang: str, terms: list[OfferTerm]) -> Availability | None:
    """The availability an offer's paragraph states, if any.

    Included above a threshold and priced below it is ``included_conditional``; a price alone makes
    it ``additional``; a restriction to plans or regions alone says nothing about inclusion.
    """
    c = cues(lang)
    folded = _f(text)
    said = next(
        (
            cls
            for cls in ("not_available", "additional", "included")
            if any(_has(folded, p) for p in c.availability.get(cls, ()))
        ),
        None,
    )
    kinds = {t.kind for t in terms}
    threshold = any(
        t.kind in (TermKind.minimum, TermKind.maximum) and t.availability is Availability.included
        for t in terms
    )
    if threshold and TermKind.price in kinds:
        return Availability.included_conditional
    if said is not None:
        return Availability(said)
    if TermKind.price in kinds:
        return Availability.additional
    return None
