"""The number and unit vocabularies of :mod:`pipeline.quantities`, read once from the lexicon data files.

Every word a quantity reader knows (number words, unit aliases, business-day words, currency signs)
comes from ``pipeline/lexicon/data/<lang>/{numbers,units}.yaml``: a new alias is a data change.
Machine translation leaves either language's units in either text, so unit aliases are read as the
union of all languages, except where a spelling is a common word of the other language (French size
units "to", "go", "mo" are English words; count nouns are per language).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from pipeline.lexicon import LANGS, load, load_all

#: Space-like characters inside numbers and between a number and its unit.
SP = "[ \u00a0\u202f\u2007\u2009]"


def norm_lang(lang: str | None) -> str:
    """``fr`` for any French tag (``fr-FR``), else ``en``."""
    return "fr" if (lang or "").lower().startswith("fr") else "en"


@dataclass(frozen=True)
class NumberWords:
    """One language's number words and the few grammar switches that go with them."""

    words: dict[str, float]
    multipliers: dict[str, float]
    connectors: frozenset[str]
    connector_rule: str  # "after_multiplier" (one hundred and five) | "after_tens" (vingt et un)
    connector_next: frozenset[str]
    times: dict[str, float]
    only_before_unit: frozenset[str]
    unit_nouns: frozenset[str]
    indefinite: frozenset[str]
    indefinite_after: tuple[str, ...]
    indefinite_units: frozenset[str]
    not_after: dict[str, tuple[str, ...]]


@functools.cache
def number_words(lang: str) -> NumberWords:
    d: dict[str, Any] = load("numbers", norm_lang(lang))
    return NumberWords(
        words={k: float(v) for k, v in d["words"].items()},
        multipliers={k: float(v) for k, v in d["multipliers"].items()},
        connectors=frozenset(d["connectors"]),
        connector_rule=d["connector_rule"],
        connector_next=frozenset(d.get("connector_next", [])),
        times={k: float(v) for k, v in (d.get("times") or {}).items()},
        only_before_unit=frozenset(d.get("only_before_unit", [])),
        unit_nouns=frozenset(d.get("unit_nouns", [])),
        indefinite=frozenset(d.get("indefinite", [])),
        indefinite_after=tuple(d.get("indefinite_after", [])),
        indefinite_units=frozenset(d.get("indefinite_units", [])),
        not_after={k: tuple(v) for k, v in (d.get("not_after") or {}).items()},
    )


def _union(name: str, key: str) -> list[Any]:
    """``key`` of lexicon ``name`` across every language and ``common`` (lists concatenated, order kept)."""
    out: list[Any] = []
    for data in load_all(name).values():
        for item in data.get(key) or []:
            if item not in out:
                out.append(item)
    return out


def _union_map(name: str, key: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for data in load_all(name).values():
        out.update({k: float(v) for k, v in (data.get(key) or {}).items()})
    return out


def phrase_re(phrases: list[str]) -> str:
    """An alternation of phrases (longest first); inner spaces match any space; words end on a boundary."""
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        body = f"{SP}+".join(re.escape(w) for w in p.split())
        parts.append(body + (r"\b" if p[-1:].isalnum() else ""))
    return "|".join(parts)


@functools.cache
def scales() -> dict[str, float]:
    """Scale words after digits in every language ("2 millions", "3 thousand")."""
    return _union_map("numbers", "scales")


@functools.cache
def percent_words() -> list[str]:
    return _union("numbers", "percent")


@functools.cache
def ordinal_suffixes() -> list[str]:
    return _union("numbers", "ordinal_suffixes")


@functools.cache
def always_patterns() -> list[str]:
    """Round-the-clock idioms ("24/7", "24 h/24 et 7 j/7") as regular expressions, every language."""
    return _union("numbers", "always")


@functools.cache
def round_patterns() -> list[tuple[float, str]]:
    """(value, regular expression) of the halves of it ("24h/24" = 24), every language."""
    return [
        (float(value), pattern)
        for data in load_all("numbers").values()
        for value, patterns in (data.get("round") or {}).items()
        for pattern in patterns
    ]


@functools.cache
def unbounded_words() -> frozenset[str]:
    """Words that say a quantity has no bound ("No limit", "illimité"), every language, folded."""
    return frozenset(" ".join(str(w).casefold().split()) for w in _union("numbers", "unbounded"))


@functools.cache
def connectors() -> list[str]:
    return _union("numbers", "connectors")


@dataclass(frozen=True)
class Units:
    """Unit vocabularies: alias (lower case) -> canonical unit."""

    duration: dict[str, str]  # alias -> minute | hour | day | week | month | year (every language)
    minutes: dict[str, int]  # canonical -> minutes
    abbr: dict[str, str]  # canonical -> shown abbreviation
    business_before: frozenset[str]
    business_after: frozenset[str]
    duration_adjectives: frozenset[str]
    size: dict[str, str]  # alias -> KB | MB … (common + this language)
    size_bytes: dict[str, float]
    money: dict[str, str]  # alias -> ISO code (every language)
    money_before: frozenset[str]
    money_after_prefixed: frozenset[str]
    range_words: frozenset[str]
    time_range_words: frozenset[str]
    count_nouns: frozenset[str]
    count_comparison: dict[str, tuple[str, ...]]
    adjective_before_noun: bool
    next_business_day: tuple[str, ...]
    day_offset: tuple[str, ...]


def _aliases(data: dict[str, Any] | None) -> dict[str, str]:
    return {alias.lower(): canon for canon, aliases in (data or {}).items() for alias in aliases}


@functools.cache
def units(lang: str) -> Units:
    lang = norm_lang(lang)
    every = load_all("units")
    common = every["common"]
    duration: dict[str, str] = {}
    money: dict[str, str] = {}
    for data in every.values():
        duration.update(_aliases(data.get("duration")))
        money.update(_aliases(data.get("money")))
    own = load("units", lang)
    return Units(
        duration=duration,
        minutes={k: int(v) for k, v in common["duration_minutes"].items()},
        abbr=dict(common["duration_abbr"]),
        business_before=frozenset(_union("units", "business_before")),
        business_after=frozenset(_union("units", "business_after")),
        duration_adjectives=frozenset(_union("units", "duration_adjectives")),
        size={**_aliases(common.get("size")), **_aliases(own.get("size"))},
        size_bytes={k: float(v) for k, v in common["size_bytes"].items()},
        money=money,
        money_before=frozenset(_union("units", "money_before")),
        money_after_prefixed=frozenset(_union("units", "money_after_prefixed")),
        range_words=frozenset(_union("units", "range_words")),
        time_range_words=frozenset(_union("units", "time_range_words")),
        count_nouns=frozenset(own.get("count_nouns") or []),
        count_comparison={k: tuple(v) for k, v in (own.get("count_comparison") or {}).items()},
        adjective_before_noun=bool(own.get("adjective_before_noun", False)),
        next_business_day=tuple(_union("units", "next_business_day")),
        day_offset=tuple(_union("units", "day_offset")),
    )


__all__ = ["LANGS", "SP", "NumberWords", "Units", "norm_lang", "number_words", "phrase_re", "units"]
