"""SLA words from the lexicon: severity levels, metric names, coverage, periods, exclusions, credits.

Every word lives in ``pipeline/lexicon/data/<lang>/{severity,metrics}.yaml``; this module only turns
them into matchers. The vocabularies of all languages are merged: a French table in an English
document (or a short cell whose language is mis-detected) still reads, and a word of one language
never means something else in the other for these closed lists.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from pipeline.lexicon import load_all
from pipeline.normalize.model import SlaMetric
from pipeline.textutil import clean_text, fold_for_match, slugify

#: a level right after a prefix: a digit, a letter A-E, or a named level
_LETTER = r"[a-e]"
_SEP = r"\s*(?:$|[-–—:.,;/)(\[]|\s[-–—]\s)"


@functools.cache
def _words(name: str, key: str) -> list[str]:
    """Folded phrases under ``key`` of lexicon ``name``, every language, longest first."""
    out: set[str] = set()
    for data in load_all(name).values():
        for w in (data or {}).get(key) or []:
            out.add(fold_for_match(str(w)))
    return sorted(out, key=lambda w: (-len(w), w))


@functools.cache
def _groups(name: str, key: str) -> dict[str, list[str]]:
    """``{canonical id: folded phrases}`` under ``key`` (a mapping) of lexicon ``name``, all languages.
    Computed once per process (callers only read it)."""
    out: dict[str, set[str]] = {}
    for data in load_all(name).values():
        for gid, words in ((data or {}).get(key) or {}).items():
            out.setdefault(str(gid), set()).update(fold_for_match(str(w)) for w in words or [])
    return {k: sorted(v, key=lambda w: (-len(w), w)) for k, v in out.items()}


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@functools.cache
def _word_re(word: str) -> re.Pattern[str]:
    """One lexicon phrase as a whole-word pattern, compiled the first time a text may hold it."""
    return re.compile(rf"(?<![\w]){_alt([word])}(?![\w])", re.I)


def _has(word: str, folded: str) -> re.Match[str] | None:
    """``word`` as a whole word in folded text; the plain substring test of its first token (folded
    text and folded phrase share case) skips the regex for the phrases a text cannot hold."""
    if word.split(" ", 1)[0] not in folded:
        return None
    return _word_re(word).search(folded)


@functools.cache
def _level_words() -> dict[str, str]:
    """folded level word -> canonical level id ("élevée" -> "high")."""
    return {w: gid for gid, words in _groups("severity", "levels").items() for w in words}


@functools.cache
def _severity_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    named = _alt(sorted(_level_words(), key=lambda w: (-len(w), w)))
    prefixed = re.compile(
        rf"^\s*(?:{_alt(_words('severity', 'prefixes'))})\s*(?:de\s+|d')?"
        rf"(?P<level>\d{{1,2}}\b|{_LETTER}\b|{named})(?={_SEP}|\s)",
        re.I,
    )
    short = re.compile(rf"^\s*(?P<short>(?:{_alt(_words('severity', 'short'))})\s?[0-9])(?={_SEP}|\s)", re.I)
    word = re.compile(rf"^\s*(?P<word>{named})(?={_SEP})", re.I)
    head = re.compile(rf"^\s*(?:{_alt(_words('severity', 'heads'))})\b", re.I)
    return prefixed, short, word, head


_BARE_LEVEL = re.compile(
    rf"^\s*(?P<level>\d{{1,2}}|{_LETTER})(?={_SEP})\s*[-–—:.)]?\s*(?P<rest>.*)$", re.I | re.S
)


def level_id(level: str) -> str:
    """Canonical level key: digits as is, a letter upper-case, a named level its lexicon id."""
    f = fold_for_match(level).strip()
    if re.fullmatch(r"\d+", f):
        return str(int(f))
    if re.fullmatch(_LETTER, f):
        return f.upper()
    return _level_words().get(re.sub(r"\s+", " ", f), f)


def parse_severity(text: str, bare: bool = False) -> tuple[str, str] | None:
    """``(level, rest)``: ``("1", "Arrêt …")`` for "Sévérité 1 Arrêt …", ``("A", "(Critical)")`` for
    "Sev A (Critical)", ``("critical", "production down")`` for "Critique – production down".

    ``bare``: the column is titled "Severity"/"Priorité", so "1", "A" or "2 - High" name a level too.
    """
    text = clean_text(text)
    folded = fold_for_match(text)
    if len(folded) != len(text):  # folding changed lengths (ligatures): match on the text itself
        folded = text.casefold()
    prefixed, short, word, _head = _severity_patterns()
    m = prefixed.match(folded)
    if m:
        return level_id(m.group("level")), text[m.end() :].strip(" :-–—.")
    m = short.match(folded)
    if m:
        return level_id(re.sub(r"\D", "", m.group("short"))), text[m.end() :].strip(" :-–—.")
    m = word.match(folded)
    if m:
        return level_id(m.group("word")), text[m.end() :].strip(" :-–—.")
    if bare:
        b = _BARE_LEVEL.match(text)
        if b:
            return level_id(b.group("level")), b.group("rest").strip(" :-–—")
    return None


def is_severity_label(text: str, lang: str | None = None) -> bool:  # noqa: ARG001 - all languages merged
    """True when ``text`` names a severity or priority level ("Sev 1", "P2", "Priorité haute",
    "Critique – arrêt de production"): such a row is an SLA row, never an offer.

    A named level must stand alone or before a separator: "Critical – outage" is a level,
    "Critical Situation Support" is not.
    """
    return parse_severity(text) is not None


@functools.cache
def _level_subject() -> re.Pattern[str]:
    named = _alt(sorted(_level_words(), key=lambda w: (-len(w), w)))
    subjects = _alt(_words("severity", "subjects"))
    return re.compile(
        rf"(?<!\w)(?:(?P<a>{named})(?:e?s)?\s+(?:{subjects})|(?:{subjects})\s+(?P<b>{named})(?:e?s)?)(?!\w)",
        re.I,
    )


def level_in_sentence(text: str) -> str | None:
    """The level a sentence's subject names: "Urgent incidents are …", "Les incidents critiques …"."""
    m = _level_subject().search(fold_for_match(text)[:80])
    return level_id(m.group("a") or m.group("b")) if m else None


def is_severity_head(text: str) -> bool:
    """A column title that names severity levels ("Severity", "Priorité", "Niveau de gravité")."""
    return bool(_severity_patterns()[3].match(fold_for_match(text)))


@functools.cache
def _description_head() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alt(_words('severity', 'descriptions'))})(?!\w)", re.I)


def is_description_head(text: str) -> bool:
    """A column title that describes the level ("Description", "Impact", "Exemples"), not a commitment."""
    return bool(_description_head().search(fold_for_match(text)))


# ---------------------------------------------------------------------------------------- metrics


@functools.cache
def _metric_phrases() -> list[tuple[str, SlaMetric, str]]:
    """(phrase, metric, first token), longest first; each phrase's pattern is compiled on first need."""
    out = []
    for gid, words in _groups("metrics", "metrics").items():
        metric = SlaMetric(gid)
        for w in words:
            out.append((w, metric, w.split(" ", 1)[0]))
    return sorted(out, key=lambda x: (-len(x[0]), x[0]))


def metric_of(text: str) -> SlaMetric | None:
    """The metric a title or phrase names: the longest lexicon phrase found wins, then the earliest."""
    folded = fold_for_match(text)
    best: tuple[int, int, SlaMetric] | None = None
    for phrase, metric, first in _metric_phrases():
        m = _word_re(phrase).search(folded) if first in folded else None
        if m and (best is None or (len(phrase), -m.start()) > (best[0], best[1])):
            best = (len(phrase), -m.start(), metric)
    return best[2] if best else None


def metric_mentions(text: str) -> list[tuple[int, int, SlaMetric]]:
    """Every metric phrase in ``text`` as (start, end, metric), longest phrases first, no overlaps."""
    folded = fold_for_match(text)
    taken: list[tuple[int, int, SlaMetric]] = []
    for phrase, metric, first in _metric_phrases():
        if first not in folded:
            continue
        for m in _word_re(phrase).finditer(folded):
            if not any(m.start() < e and s < m.end() for s, e, _ in taken):
                taken.append((m.start(), m.end(), metric))
    return sorted(taken)


@functools.cache
def _customer() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alt(_words('metrics', 'customer_side'))})(?!\w)", re.I)


def is_customer_side(title: str) -> bool:
    """A column about the customer's duties ("Your response", "Actions du client"), not a commitment."""
    return bool(_customer().search(fold_for_match(title)))


# ------------------------------------------------------------------------- coverage and periods


_NXD = re.compile(r"(?<![\d/])(\d{1,2})\s*[x×]\s*([5-7])(?![\d/])")
_CLOCK = r"(\d{1,2})\s*(?:h|:|heures?)\s*(\d{2})?\s*(am|pm|a\.m\.|p\.m\.)?"
_WINDOW = re.compile(
    rf"(?:de|from|between|entre)?\s*{_CLOCK}\s*(?:[-–—]|a|to|until|and|et|jusqu'?a)\s*{_CLOCK}",  # folded: à -> a
    re.I,
)
_WINDOW_AMPM = re.compile(
    r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)\s*(?:[-–—]|to|until|and)\s*(\d{1,2})(?::(\d{2}))?\s*"
    r"(am|pm|a\.m\.|p\.m\.)",
    re.I,
)


def _clock(h: str, m: str | None, ampm: str | None) -> str | None:
    hour = int(h)
    if ampm and ampm.lower().startswith("p") and hour < 12:
        hour += 12
    if ampm and ampm.lower().startswith("a") and hour == 12:
        hour = 0
    if hour > 24 or (m and int(m) > 59):
        return None
    return f"{hour:02d}:{int(m or 0):02d}"


def coverage_of(text: str) -> str | None:
    """The hours a clock runs, language-neutral: "24x7", "8x5", "business hours 09:00-18:00",
    "business hours", or None when the text says nothing of it."""
    folded = fold_for_match(text)
    cov = _groups("metrics", "coverage")
    if any(_has(w, folded) for w in cov.get("24x7", [])):
        return "24x7"
    m = _NXD.search(folded)
    if m:
        return f"{int(m.group(1))}x{m.group(2)}"
    business = any(_has(w, folded) for w in cov.get("business_hours", []))
    window = None
    w = _WINDOW_AMPM.search(folded)
    if w:
        a, b = _clock(w.group(1), w.group(2), w.group(3)), _clock(w.group(4), w.group(5), w.group(6))
        window = f"{a}-{b}" if a and b else None
    else:
        for w in _WINDOW.finditer(folded):
            a, b = _clock(w.group(1), w.group(2), w.group(3)), _clock(w.group(4), w.group(5), w.group(6))
            if a and b and a < b:
                window = f"{a}-{b}"
                break
    if window:
        return f"business hours {window}"
    return "business hours" if business else None


def says_coverage(kind: str, text: str) -> bool:
    """True when ``text`` holds a coverage idiom of ``kind`` ("24x7": "24/7", "24 h/24", "around the
    clock"; "business_hours": "heures ouvrées", "office hours") from metrics.yaml ``coverage``."""
    folded = fold_for_match(text)
    return any(
        re.search(rf"(?<!\w){_alt([w])}(?!\w)", folded) for w in _groups("metrics", "coverage").get(kind, [])
    )


def period_of(text: str) -> str | None:
    """ "month" for "par mois calendaire" / "per calendar month", "year", "quarter"; else None."""
    folded = fold_for_match(text)
    for gid, words in _groups("metrics", "periods").items():
        if any(_has(w, folded) for w in words):
            return gid
    return None


@functools.cache
def _pattern(key: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alt(_words('metrics', key))})(?!\w)", re.I)


def find_word(key: str, text: str) -> re.Match[str] | None:
    """First phrase of lexicon ``metrics``/``key`` (exclusions, credits, caps, downtime) in folded text."""
    return _pattern(key).search(fold_for_match(text))


def scope_id_of(scope: str, plan_id: Callable[[str], str] | None = None) -> str:
    """Id of a response scope: a lexicon scope ("all other products" -> "other"), else the plan or
    glossary id (``plan_id``), else the slug."""
    folded = fold_for_match(scope).strip(" .:")
    for gid, words in _groups("metrics", "scopes").items():
        if any(_has(w, folded) for w in words):
            return gid
    return plan_id(scope) if plan_id else slugify(scope)
