"""Facts: quantities in running text, normalised to value + canonical unit, FR and EN alike.

How: :func:`pipeline.normalize.numbers.numbers_in` finds every number (any locale format, written
numbers, "deux (2)", clock times, 24x7); each becomes ONE token of a spaCy ``Doc`` (the text between
numbers is cut by the blank multi-language spaCy tokenizer), carrying its kind in ``NORM`` and its value in ``doc.user_data``; spaCy
``Matcher`` patterns then read "number + unit" shapes (``quatre (4) heures``, ``10 – 14 business days``,
``50 000 $``, ``1 To``, ``9 h 00 à 17 h 30``). Cutting numbers out first is why this works on
``500 000`` (narrow no-break space) and ``100GB``, which the stock tokenizers split or glue
inconsistently.

``Fact.normalized`` is language-neutral ("48 h", "2 h business", "50000 USD", "1 TB", "20 %",
"09:00–17:30") so the French and English editions of a sentence give equal multisets.
Ids are local (``f-1`` …); the caller re-ids and sets offer, segment and provenance.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.normalize.model import Fact, FactKind
from pipeline.normalize.numbers import NumberMention, fmt_number, numbers_in

# (canonical abbreviation, minutes)
_DURATION_UNITS: dict[str, tuple[str, int]] = {}
for _words, _unit in [
    (("minute", "minutes", "min", "mins", "mn"), ("min", 1)),
    (("hour", "hours", "hr", "hrs", "h", "heure", "heures"), ("h", 60)),
    (("day", "days", "jour", "jours", "j"), ("d", 1440)),
    (("week", "weeks", "semaine", "semaines"), ("wk", 10080)),
    (("month", "months", "mois"), ("mo", 43200)),
    (("year", "years", "an", "ans", "année", "années"), ("yr", 525600)),
]:
    for _w in _words:
        _DURATION_UNITS[_w] = _unit

_BUSINESS_PRE = {"business", "working"}
_BUSINESS_POST = {"ouvrées", "ouvrés", "ouvrée", "ouvré", "ouvrables", "ouvrable"}

# storage: lower-case spelling -> (canonical unit, bytes); per language, so English "1 to 5" is no storage
_STORAGE_COMMON = {
    "kb": ("KB", 1e3), "mb": ("MB", 1e6), "gb": ("GB", 1e9), "tb": ("TB", 1e12), "pb": ("PB", 1e15),
    "kilobytes": ("KB", 1e3), "megabytes": ("MB", 1e6), "gigabytes": ("GB", 1e9), "terabytes": ("TB", 1e12),
}  # fmt: skip
_STORAGE_FR = {
    "ko": ("KB", 1e3), "mo": ("MB", 1e6), "go": ("GB", 1e9), "to": ("TB", 1e12), "po": ("PB", 1e15),
    "kilooctets": ("KB", 1e3), "mégaoctets": ("MB", 1e6), "gigaoctets": ("GB", 1e9), "téraoctets": ("TB", 1e12),
}  # fmt: skip

_CURRENCY = {"$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD", "us$": "USD",
             "€": "EUR", "eur": "EUR", "euros": "EUR", "euro": "EUR", "£": "GBP", "gbp": "GBP",
             "chf": "CHF", "cad": "CAD", "aud": "AUD", "jpy": "JPY", "sek": "SEK", "nok": "NOK", "dkk": "DKK"}  # fmt: skip
#: ISO 4217 codes written before the amount in contracts ("EUR 1,600", "USD 60,000").
_ISO_CURRENCY_PRE = ["usd", "eur", "gbp", "chf", "cad", "aud", "jpy", "sek", "nok", "dkk"]

_COUNT_NOUNS = {
    "en": {"items", "item", "users", "user", "groups", "sites", "site", "licenses", "license", "files",
           "folders", "libraries", "lists", "characters", "messages", "recipients", "mailboxes", "members",
           "owners", "participants", "attendees", "people", "documents", "versions", "channels", "teams",
           "seats", "devices", "accounts", "subscriptions", "requests", "incidents", "tickets", "contacts",
           "calls", "columns", "rows", "views", "lookups", "entries", "objects", "guests", "collections",
           "subsites", "apps", "tenants", "calendars", "rules", "policies", "hours_of_service"},
    "fr": {"éléments", "élément", "utilisateurs", "utilisateur", "groupes", "sites", "site", "licences",
           "licence", "fichiers", "dossiers", "bibliothèques", "listes", "caractères", "messages",
           "destinataires", "boîtes", "membres", "propriétaires", "participants", "personnes", "documents",
           "versions", "canaux", "équipes", "postes", "appareils", "périphériques", "comptes", "abonnements",
           "demandes", "incidents", "tickets", "contacts", "appels", "colonnes", "lignes", "affichages",
           "recherches", "entrées", "objets", "invités", "collections", "sous-sites", "applications",
           "clients", "calendriers", "règles", "stratégies"},
}  # fmt: skip

#: Words between a number and its time unit: "des 7 derniers jours", "the past 7 calendar days".
_DURATION_ADJ = {"derniers", "dernières", "premiers", "premières", "prochains", "prochaines", "suivants",
                 "suivantes", "consécutifs", "consécutives", "calendaires", "complets", "pleins", "calendar",
                 "consecutive", "full"}  # fmt: skip
_RANGE_WORDS = {"-", "–", "—", "to", "à", "a", "au", "through"}
_TIME_RANGE_WORDS = {"-", "–", "—", "to", "à", "a", "au", "until", "till", "jusqu'à"}
_NUMERIC = ["number", "word", "word_digits"]
#: A number token's NORM is ``_NORM + kind`` (Matcher reads NORM natively: much faster than extensions).
_NORM = "NUM\x1f"


def _k(tok) -> str | None:  # noqa: ANN001 - a spaCy Token
    """Number kind of a token (None for words)."""
    norm = tok.norm_
    return norm[len(_NORM) :] if norm.startswith(_NORM) else None


def _v(tok) -> float | None:  # noqa: ANN001
    """Value of a number token."""
    return tok.doc.user_data["nv"][tok.i]


@dataclass(frozen=True)
class _Pipe:
    nlp: object
    matcher: object


@functools.cache
def _blank():  # noqa: ANN202 - a spaCy Language
    """The blank multi-language tokenizer, shared by FR and EN.

    ``spacy.blank("fr")`` takes seconds to build (thousands of elision/hyphen exceptions) and
    adds nothing here: numbers are cut out before tokenizing and the language-specific knowledge
    (units, number words, business-day words) lives in the Matcher patterns.
    """
    import spacy

    return spacy.blank("xx")


@functools.cache
def _pipe(lang: str) -> _Pipe:
    """Blank spaCy tokenizer + Matcher for one language: built once per process."""
    from spacy.matcher import Matcher

    nlp = _blank()
    m = Matcher(nlp.vocab)
    num = {"NORM": {"IN": [_NORM + k for k in _NUMERIC]}}
    storage = sorted(_STORAGE_COMMON) + (sorted(_STORAGE_FR) if lang == "fr" else [])
    biz_pre = {"LOWER": {"IN": sorted(_BUSINESS_PRE)}, "OP": "?"}
    biz_post = {"LOWER": {"IN": sorted(_BUSINESS_POST)}, "OP": "?"}
    dur = {"LOWER": {"IN": sorted(_DURATION_UNITS)}}
    rng = {"LOWER": {"IN": sorted(_RANGE_WORDS)}}
    cur_pre = {"LOWER": {"IN": ["$", "€", "£", "us$", *_ISO_CURRENCY_PRE]}}
    cur_post = {"LOWER": {"IN": sorted(_CURRENCY)}}
    time = {"NORM": _NORM + "time"}
    adj = {"LOWER": {"IN": sorted(_DURATION_ADJ)}, "OP": "?"}
    m.add("duration", [[num, adj, biz_pre, dur, biz_post], [num, rng, num, adj, biz_pre, dur, biz_post]])
    m.add("storage", [[num, {"LOWER": {"IN": storage}}], [num, rng, num, {"LOWER": {"IN": storage}}]])
    m.add(
        "money",
        [[cur_pre, num], [num, cur_post], [cur_pre, num, {"LOWER": {"IN": ["usd", "us"]}, "OP": "?"}]],
    )
    m.add("percent", [[{"NORM": _NORM + "percent"}]])
    trw = {"LOWER": {"IN": sorted(_TIME_RANGE_WORDS | {"et", "and"})}}
    hour = {"LOWER": "h"}
    # "de 9 h 00 à 17 h 30", "de 9 h à 17 h 30", "entre 9 h et 17 h"
    m.add("time_range", [[time, trw, time], [num, hour, trw, time], [num, hour, trw, num, hour]])
    m.add("time_of_day", [[time]])
    nouns = {"LOWER": {"IN": sorted(_COUNT_NOUNS[lang])}}
    count_patterns = [[num, nouns], [num]]
    if lang == "en":  # "5 or more users", "511 minor versions"
        count_patterns.append([num, {"LOWER": "or"}, {"LOWER": {"IN": ["more", "fewer", "less"]}}, nouns])
        count_patterns.append([num, {"IS_ALPHA": True, "IS_LOWER": True}, nouns])
    m.add("count", count_patterns)
    return _Pipe(nlp, m)


def _norm_lang(lang: str | None) -> str:
    return "fr" if (lang or "").lower().startswith("fr") else "en"


def _make_doc(text: str, lang: str):
    """A Doc whose number mentions are single tokens; returns (doc, char starts, char ends)."""
    pipe = _pipe(lang)
    from spacy.tokens import Doc

    mentions = numbers_in(text, lang)
    if not mentions:
        return None
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[int] = []
    ends: list[int] = []
    kinds: list[NumberMention | None] = []

    def gap(a: int, b: int) -> None:
        if a >= b:
            return
        for tok in pipe.nlp.tokenizer(text[a:b]):
            if tok.is_space:
                continue
            words.append(tok.text)
            starts.append(a + tok.idx)
            ends.append(a + tok.idx + len(tok.text))
            kinds.append(None)

    pos = 0
    for mention in mentions:
        gap(pos, mention.start)
        words.append(mention.text)
        starts.append(mention.start)
        ends.append(mention.end)
        kinds.append(mention)
        pos = mention.end
    gap(pos, len(text))
    for i in range(len(words)):
        spaces.append(i + 1 < len(words) and starts[i + 1] > ends[i])
    doc = Doc(pipe.nlp.vocab, words=words, spaces=spaces)
    doc.user_data["nv"] = [m.value if m is not None else None for m in kinds]
    for tok, mention in zip(doc, kinds, strict=True):
        if mention is not None:
            tok.norm_ = _NORM + mention.kind
    return doc, starts, ends


def _is_bare_count(tok, raw: str) -> bool:
    """A number alone is a count only when it looks like one: "500 000", "500,000", "2 millions"."""
    v = _v(tok)
    if _k(tok) != "number" or v is None or not float(v).is_integer():
        return False
    if v >= 1_000_000:
        return True
    if v >= 1000 and re.search(r"\d[ ,\u00a0\u202f\u2009]\d{3}", raw):
        return True
    return v >= 10000


def find_facts(text: str, lang: str) -> list[Fact]:
    """Every quantity fact of ``text`` (one paragraph, sentence or cell) in order; ids ``f-1`` …"""
    lang = _norm_lang(lang)
    if not text or not re.search(r"\d|[^\W\d_]", text):
        return []
    pipe = _pipe(lang)
    made = _make_doc(text, lang)
    if made is None:
        return []
    doc, starts, ends = made
    vocab = doc.vocab.strings
    spans = []
    for match_id, s, e in pipe.matcher(doc):
        span = doc[s:e]
        span.label_ = vocab[match_id]
        spans.append(span)
    # longest first; among equals the earlier pattern (duration before count) wins
    order = {
        name: i
        for i, name in enumerate(
            ["duration", "storage", "money", "percent", "time_range", "time_of_day", "count"]
        )
    }
    spans.sort(key=lambda sp: (-(sp.end - sp.start), order[sp.label_], sp.start))
    # greedy, longest first, over spans that do make a fact ("4 h et 2 h" is no time range: two durations)
    taken: set[int] = set()
    chosen: list[tuple[int, Fact]] = []
    for span in spans:
        if taken.intersection(range(span.start, span.end)):
            continue
        fact = _to_fact(span, text[starts[span.start] : ends[span.end - 1]], lang)
        if fact is not None:
            taken.update(range(span.start, span.end))
            chosen.append((span.start, fact))
    facts: list[Fact] = []
    for _, fact in sorted(chosen, key=lambda x: x[0]):
        facts.append(fact.model_copy(update={"id": f"f-{len(facts) + 1}"}))
    return facts


def _nums(span) -> list:
    return [t for t in span if _k(t) is not None]


def _bounds(nums: list) -> tuple[float, float | None, str]:  # noqa: ANN001
    """Value, optional upper bound of a range ("10 – 14"), and how they read ("10–14")."""
    n1 = _v(nums[0])
    n2 = _v(nums[1]) if len(nums) > 1 else None
    return n1, n2, fmt_number(n1) + (f"–{fmt_number(n2)}" if n2 is not None else "")


def _to_fact(span, raw: str, lang: str) -> Fact | None:
    label = span.label_
    nums = _nums(span)
    lows = [t.lower_ for t in span]
    if label == "duration":
        unit_tok = next(t for t in span if _k(t) is None and t.lower_ in _DURATION_UNITS)
        abbr, minutes = _DURATION_UNITS[unit_tok.lower_]
        business = any(w in _BUSINESS_PRE or w in _BUSINESS_POST for w in lows)
        if unit_tok.lower_ == "h" and not unit_tok.text.islower():
            return None
        n1, n2, shown = _bounds(nums)
        return Fact(
            id="f-0",
            kind=FactKind.duration,
            value=n1 * minutes,
            value_max=n2 * minutes if n2 is not None else None,
            unit="minute",
            business=business,
            text=raw,
            normalized=f"{shown} {abbr}" + (" business" if business else ""),
        )
    if label == "storage":
        tables = dict(_STORAGE_COMMON, **(_STORAGE_FR if lang == "fr" else {}))
        unit_tok = next(t for t in span if _k(t) is None and t.lower_ in tables)
        canon, factor = tables[unit_tok.lower_]
        n1, n2, shown = _bounds(nums)
        return Fact(
            id="f-0",
            kind=FactKind.storage,
            value=n1 * factor,
            value_max=n2 * factor if n2 is not None else None,
            unit="byte",
            text=raw,
            normalized=f"{shown} {canon}",
        )
    if label == "money":
        cur_tok = next(t for t in span if _k(t) is None and t.lower_ in _CURRENCY)
        currency = _CURRENCY[cur_tok.lower_]
        v = _v(nums[0])
        return Fact(
            id="f-0",
            kind=FactKind.money,
            value=v,
            unit=currency,
            text=raw,
            normalized=f"{fmt_number(v)} {currency}",
        )
    if label == "percent":
        v = _v(nums[0])
        return Fact(
            id="f-0",
            kind=FactKind.percent,
            value=v,
            unit="percent",
            text=raw,
            normalized=f"{fmt_number(v)} %",
        )
    if label == "time_of_day":
        v = _v(nums[0])
        return Fact(
            id="f-0", kind=FactKind.time_of_day, value=v, unit="minute", text=raw, normalized=_clock(v)
        )
    if label == "time_range":
        a, b = (_v(n) if _k(n) == "time" else _v(n) * 60 for n in (nums[0], nums[-1]))
        if any(_k(n) != "time" and not 0 <= _v(n) <= 24 for n in (nums[0], nums[-1])) or b <= a:
            return None
        return Fact(
            id="f-0",
            kind=FactKind.time_range,
            value=a,
            value_max=b,
            unit="minute",
            text=raw,
            normalized=f"{_clock(a)}–{_clock(b)}",
        )
    if label == "count":
        tok = nums[0]
        if _k(tok) != "number" or (_part_of_name(tok) and not re.search(r"\d[ ,\u00a0\u202f]\d{3}", raw)):
            return None
        if len(span) == 1 and not _is_bare_count(tok, raw):
            return None
        if len(span) == 2 and _looks_like_year_or_name(tok, raw):
            return None
        v = _v(tok)
        return Fact(id="f-0", kind=FactKind.count, value=v, unit="item", text=raw, normalized=fmt_number(v))
    return None


def _part_of_name(tok) -> bool:
    """ "Office 365 Apps", "Windows 10 devices", "Plan 2 users": a number glued to a capitalised name."""
    if tok.i == 0:
        return False
    prev = tok.doc[tok.i - 1]
    return prev.is_alpha and prev.text[:1].isupper() and prev.whitespace_ != ""


def _looks_like_year_or_name(tok, raw: str) -> bool:
    v = _v(tok)
    return (
        v is None
        or not float(v).is_integer()
        or (1900 <= v <= 2100 and raw[:4].isdigit() and len(raw.split()[0]) == 4)
    )


def _clock(minutes: float) -> str:
    m = int(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def fact_keys(facts: list[Fact]) -> list[str]:
    """Sorted ``kind:normalized`` keys: the multiset two parallel texts should share."""
    return sorted(f"{f.kind.value}:{f.normalized}" for f in facts)


def fact_value_keys(facts: list[Fact]) -> list[tuple]:
    """Sorted ``(kind, value, value_max, unit, business)``: equal even across unit choices ("24 h" == "1 d")."""
    return sorted((f.kind.value, f.value, f.value_max or 0.0, f.unit, f.business) for f in facts)


def bench(paths: list[str]) -> dict[str, float]:
    """Time :func:`find_facts` over every non-empty line (paragraph or table row) of the given files."""
    import time
    from pathlib import Path

    lines: list[tuple[str, str]] = []
    for p in paths:
        lang = "fr" if Path(p).stem.startswith("fr") else "en"
        lines += [(ln, lang) for ln in Path(p).read_text(encoding="utf-8").splitlines() if ln.strip()]
    find_facts("1 TB", "en"), find_facts("1 To", "fr")  # load both pipelines outside the timing
    worst, n_facts = 0.0, 0
    t0 = time.perf_counter()
    for ln, lang in lines:
        t = time.perf_counter()
        n_facts += len(find_facts(ln, lang))
        worst = max(worst, time.perf_counter() - t)
    total = time.perf_counter() - t0
    return {"files": len(paths), "lines": len(lines), "facts": n_facts, "total_s": round(total, 3),
            "ms_per_line": round(1000 * total / max(len(lines), 1), 3), "worst_ms": round(1000 * worst, 3)}  # fmt: skip


if __name__ == "__main__":  # pragma: no cover - python -m pipeline.normalize.facts FILE… (benchmark)
    import json
    import sys

    print(json.dumps(bench(sys.argv[1:]), sort_keys=True))
