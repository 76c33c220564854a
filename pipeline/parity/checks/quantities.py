"""Critical pair checks on quantities: numbers, sizes and their unit forms, durations, availability marks."""

from __future__ import annotations

import functools
import re

from pipeline.lexicon import load
from pipeline.parity.checks.base import CheckContext, Issue, Side, _fmt
from pipeline.parity.model import CheckCategory, ParityKind
from pipeline.parity.terms import contains
from pipeline.parity.text import (
    availability_mark,
    durations,
    find_numbers,
    find_storage_units,
    numbers_match,
    strip_markup,
)

_ONE_UNIT = (
    r"\b(?:a|an|one|single|each|per|every)\s+(?:single\s+)?(?:minute|hour|day|week|month|year|quarter)s?\b"
)


def _word_values(text: str, lang: str) -> set[float]:
    """Values of every number word of ``text``, wherever it stands (``Level One``)."""
    from pipeline.quantities import number_word

    out = set()
    for w in re.findall(r"[^\W\d_]+", text):
        v = number_word(w.lower(), lang[:2])
        if v is not None:
            out.add(float(v))
    return out | _multiplicative_values(text, lang)


@functools.cache
def _multiplicatives(lang: str) -> dict[str, float]:
    return {
        k.lower(): float(v)
        for k, v in ((load("numbers", lang[:2]) or {}).get("multiplicatives") or {}).items()
    }


def _multiplicative_values(text: str, lang: str) -> set[float]:
    """Counts said by a word that is no number word (``double byte`` = ``deux octets``, ``both`` = ``tous deux``)."""
    words = _multiplicatives(lang)
    return {words[w] for w in re.findall(r"[^\W\d_]+", text.lower()) if w in words}


def _in_added_names(value: float, text: str, other: str, lang: str, ctx: CheckContext | None) -> bool:
    """Every occurrence of ``value`` in ``text`` lies inside a learned name the other side lacks
    (a link text that names the product, ``… dans Office 365``): a name added, not a number changed."""
    if ctx is None:
        return False
    names = [t for t in ctx.terms.dnt if re.search(r"\d", t) and contains(text, t) and not contains(other, t)]
    if not names:
        return False
    rest = text
    for t in sorted(names, key=len, reverse=True):
        rest = re.sub(rf"(?<![\w-]){re.escape(t)}(?![\w])", " ", rest)
    return all(n.value != value for n in find_numbers(rest, lang))


def _glued(value: float, text: str) -> bool:
    """``value`` glued to a letter in ``text`` (``Yes15``: a footnote marker; ``H.264``: a code)."""
    return bool(re.search(rf"[^\W\d_][.-]?{re.escape(f'{value:g}')}\b", text))


def check_numbers(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Numbers equal by value in both languages (500,000 = 500 000; 24/7 = 24 h/24 et 7 j/7; five = cinq)."""
    only_s, only_t = numbers_match(find_numbers(src.text, src.lang), find_numbers(tgt.text, tgt.lang))
    if only_s and src.lang != tgt.lang:  # words left in the source language ("the two websites")
        left = numbers_match(find_numbers(src.text, src.lang), find_numbers(tgt.text, src.lang))
        if not left[0]:
            only_s = set()
    if only_t == {1.0} and re.search(_ONE_UNIT, src.text, flags=re.IGNORECASE):
        only_t = set()  # "a single month" / "per month" = "un mois"
    only_t = {v for v in only_t if not _glued(v, src.text)}
    if only_t:  # "Level One" = "niveau 1": a number word the reader skips
        only_t -= _word_values(src.text, src.lang)
    only_s = {v for v in only_s if not _glued(v, tgt.text)}
    if only_s:
        only_s -= _multiplicative_values(tgt.text, tgt.lang)
    if only_t and not only_s:
        only_t = {v for v in only_t if not _in_added_names(v, tgt.text, src.text, tgt.lang, ctx)}
    if not only_s and not only_t:
        return []
    parts = []
    if only_s:
        parts.append(f"only in source: {_fmt(only_s)}")
    if only_t:
        parts.append(f"only in target: {_fmt(only_t)}")
    return [
        Issue(
            ParityKind.number_mismatch,
            CheckCategory.critical,
            "numbers differ (" + "; ".join(parts) + ")",
            {"source_only": _fmt(only_s), "target_only": _fmt(only_t)},
            "P101",
        )
    ]


def check_sizes(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Sizes equal by value (1 TB = 1 To, 256kb = 256 Ko)."""
    s = sorted(u.value for u in find_storage_units(src.text, src.lang))
    t = sorted(u.value for u in find_storage_units(tgt.text, tgt.lang))
    if s == t:
        return []
    s_units = " ".join(f"{u.value_text} {u.unit}" for u in find_storage_units(src.text, src.lang))
    t_units = " ".join(f"{u.value_text} {u.unit}" for u in find_storage_units(tgt.text, tgt.lang))
    return [
        Issue(
            ParityKind.unit_mismatch,
            CheckCategory.critical,
            f"sizes differ: source {s_units or '-'}, target {t_units or '-'}",
            code="P102",
        )
    ]


def check_unit_form(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """A size unit written in a case the language does not use (``1 to``, ``25 TO`` for To)."""
    bad = [
        u
        for u in find_storage_units(tgt.text, tgt.lang)
        if len(u.written) == 2 and u.written[1] in "oO" and u.written != u.written[0].upper() + "o"
    ]
    if not bad or tgt.lang[:2] != "fr":
        return []
    forms = ", ".join(f"{u.value_text} {u.written}" for u in bad)
    return [
        Issue(
            ParityKind.unit_mismatch,
            CheckCategory.functional,
            f"unit written in the wrong form: {forms}",
            {"written": forms},
            "P103",
        )
    ]


def check_durations(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Durations equal by value; a business-hours qualifier lost or added is an SLA mismatch."""
    s, t = durations(src.text, src.lang), durations(tgt.text, tgt.lang)
    if not s or not t:
        return []  # a duration with no duration at all opposite is a number/unit matter
    if sorted(v for v, _ in s) != sorted(v for v, _ in t):
        return [
            Issue(
                ParityKind.unit_mismatch,
                CheckCategory.critical,
                f"durations differ: source {_minutes(s)}, target {_minutes(t)}",
                code="P104",
            )
        ]
    if sorted(s) != sorted(t):
        lost = any(b for _, b in s) and not any(b for _, b in t)
        return [
            Issue(
                ParityKind.sla_mismatch,
                CheckCategory.critical,
                "business-hours qualifier " + ("lost in the target" if lost else "differs"),
                {"source": _minutes(s), "target": _minutes(t)},
                "P105",
            )
        ]
    return []


def _minutes(ds: list[tuple[float, bool]]) -> str:
    return ", ".join(f"{v:g} min{' (business)' if b else ''}" for v, b in sorted(ds))


def check_availability_mark(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """An availability cell says the same thing (Yes = Oui = ✓, No = Non)."""
    s, t = availability_mark(src.raw or src.text), availability_mark(tgt.raw or tgt.text)
    if s is None or s == t:
        return []
    if t is None and (s.startswith("status:") or len(re.sub(r"\s", "", strip_markup(tgt.text))) > 4):
        return []  # a status or mark put into words the vocabulary lacks; "N °" for "No" stays a finding
    return [
        Issue(
            ParityKind.availability_mismatch,
            CheckCategory.critical,
            f"availability mark differs: source {s}, target {t or 'not a mark'}",
            {"source_mark": s, "target_mark": t or ""},
            "P106",
        )
    ]
