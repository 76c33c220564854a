"""Facts: quantities in running text, normalised to value + canonical unit, FR and EN alike.

How: :func:`pipeline.quantities.numbers_in` finds every number (any locale format, written
numbers, "deux (2)", clock times, 24x7); each becomes ONE token of a ``Doc`` (the text between
numbers is cut by :func:`pipeline.normalize.tokenmatch.tokenize`, spaCy's language-neutral rules in
plain Python), carrying its kind in ``NORM`` and its value in ``doc.user_data``; token
``Matcher`` patterns (spaCy's pattern syntax) then read "number + unit" shapes (``quatre (4) heures``, ``10 – 14 business days``,
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

from pipeline.normalize.model import Fact, FactKind
from pipeline.normalize.tokenmatch import Doc, Matcher, tokenize
from pipeline.quantities import NumberMention, fmt_number, norm_lang, numbers_in, units

_NUMERIC = ["number", "word", "word_digits"]
#: A number token's NORM is ``_NORM + kind`` (Matcher reads NORM natively: much faster than extensions).
_NORM = "NUM\x1f"


def _k(tok) -> str | None:  # noqa: ANN001 - a tokenmatch Token
    """Number kind of a token (None for words)."""
    norm = tok.norm_
    return norm[len(_NORM) :] if norm.startswith(_NORM) else None


def _v(tok) -> float | None:  # noqa: ANN001
    """Value of a number token."""
    return tok.doc.user_data["nv"][tok.i]


@functools.cache
def _pipe(lang: str) -> Matcher:
    """The "number + unit" Matcher of one language: built once per process."""
    m = Matcher()
    u = units(lang)
    num = {"NORM": {"IN": [_NORM + k for k in _NUMERIC]}}
    storage = sorted(u.size)
    biz_pre = {"LOWER": {"IN": sorted(u.business_before)}, "OP": "?"}
    biz_post = {"LOWER": {"IN": sorted(u.business_after)}, "OP": "?"}
    dur = {"LOWER": {"IN": sorted(u.duration)}}
    rng = {"LOWER": {"IN": sorted(u.range_words)}}
    cur_pre = {"LOWER": {"IN": sorted(u.money_before)}}
    cur_post = {"LOWER": {"IN": sorted(u.money)}}
    time = {"NORM": _NORM + "time"}
    adj = {"LOWER": {"IN": sorted(u.duration_adjectives)}, "OP": "?"}
    m.add("duration", [[num, adj, biz_pre, dur, biz_post], [num, rng, num, adj, biz_pre, dur, biz_post]])
    m.add("storage", [[num, {"LOWER": {"IN": storage}}], [num, rng, num, {"LOWER": {"IN": storage}}]])
    m.add(
        "money",
        [
            [cur_pre, num],
            [num, cur_post],
            [cur_pre, num, {"LOWER": {"IN": sorted(u.money_after_prefixed)}, "OP": "?"}],
        ],
    )
    m.add("percent", [[{"NORM": _NORM + "percent"}]])
    trw = {"LOWER": {"IN": sorted(u.time_range_words)}}
    hour = {"LOWER": "h"}
    # "de 9 h 00 à 17 h 30", "de 9 h à 17 h 30", "entre 9 h et 17 h"
    m.add("time_range", [[time, trw, time], [num, hour, trw, time], [num, hour, trw, num, hour]])
    m.add("time_of_day", [[time]])
    nouns = {"LOWER": {"IN": sorted(u.count_nouns)}}
    count_patterns = [[num, nouns], [num]]
    for word, comparatives in sorted(u.count_comparison.items()):  # "5 or more users"
        count_patterns.append([num, {"LOWER": word}, {"LOWER": {"IN": sorted(comparatives)}}, nouns])
    if u.adjective_before_noun:  # "511 minor versions": one adjective between the number and its noun
        count_patterns.append([num, {"IS_ALPHA": True, "IS_LOWER": True}, nouns])
    m.add("count", count_patterns)
    return m


def _make_doc(text: str, lang: str):
    """A Doc whose number mentions are single tokens; returns (doc, char starts, char ends)."""
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
        for tok, idx in tokenize(text[a:b]):
            words.append(tok)
            starts.append(a + idx)
            ends.append(a + idx + len(tok))
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
    doc = Doc(words, spaces)
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
    lang = norm_lang(lang)
    if not text or not re.search(r"\d|[^\W\d_]", text):
        return []
    matcher = _pipe(lang)
    made = _make_doc(text, lang)
    if made is None:
        return []
    doc, starts, ends = made
    spans = []
    for label, s, e in matcher(doc):
        span = doc[s:e]
        span.label_ = label
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
        u = units(lang)
        unit_tok = next(t for t in span if _k(t) is None and t.lower_ in u.duration)
        canon = u.duration[unit_tok.lower_]
        abbr, minutes = u.abbr[canon], u.minutes[canon]
        business = any(w in u.business_before or w in u.business_after for w in lows)
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
        u = units(lang)
        unit_tok = next(t for t in span if _k(t) is None and t.lower_ in u.size)
        canon = u.size[unit_tok.lower_]
        factor = u.size_bytes[canon]
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
        money = units(lang).money
        cur_tok = next(t for t in span if _k(t) is None and t.lower_ in money)
        currency = money[cur_tok.lower_]
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
