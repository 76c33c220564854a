"""Pair checks in the style of translate-toolkit's ``pofilter``: one small named function per check.

Each check reads one aligned pair (source side, target side: plain text, inline markup, links,
footnote markers, languages) and returns zero or more ``Issue``s. ``CHECKS`` lists them with their
category (critical -> error, functional -> warning, cosmetic -> info). The checks know nothing of
alignment or models, so they run as well on the gold segment pairs as on aligned editions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.parity.model import CheckCategory, ParityKind
from pipeline.parity.text import (
    BRAND_WORDS,
    acronyms,
    availability_mark,
    bad_unit_forms,
    english_ratio,
    find_numbers,
    find_storage_units,
    fold,
    markdown_urls,
    normalize_url,
    numbers_match,
    strip_markup,
    sup_contents,
    time_units,
    word_tokens,
)


@dataclass
class Side:
    """One side of an aligned pair, as the checks see it."""

    text: str
    lang: str
    raw: str | None = None
    kind: str | None = None
    urls: list[str] = field(default_factory=list)
    footnote_refs: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    @classmethod
    def from_markup(cls, raw: str, lang: str, kind: str | None = None) -> Side:
        """A side built from inline Markdown only (gold pairs, tests)."""
        refs = [m for s in sup_contents(raw) for m in re.findall(r"\d+|[*†‡§]", s)]
        return cls(
            text=strip_markup(raw), lang=lang, raw=raw, kind=kind, urls=markdown_urls(raw), footnote_refs=refs
        )


@dataclass
class Issue:
    kind: ParityKind
    category: CheckCategory
    message: str
    detail: dict[str, str] = field(default_factory=dict)


@dataclass
class CheckContext:
    glossary: Any = None  # pipeline.normalize.glossary.Glossary when given
    dnt_names: tuple[str, ...] = ()
    #: False when one edition cannot carry link targets (a PDF prints link text, not URLs).
    compare_links: bool = True
    #: Every link target of each edition (normalised): a link missing from one pair but present
    #: elsewhere in the other edition has moved across a sentence boundary (cosmetic).
    source_urls: frozenset[str] = frozenset()
    target_urls: frozenset[str] = frozenset()


Check = Callable[[Side, Side, CheckContext], list[Issue]]


def _fmt(values: set[float]) -> str:
    return ", ".join(f"{v:g}" for v in sorted(values))


# --- critical ---------------------------------------------------------------------------------


def check_numbers(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Numbers equal by value in both languages (500,000 = 500 000; 24/7 = 24 h/24 et 7 j/7)."""
    only_s, only_t = numbers_match(find_numbers(src.text, src.lang), find_numbers(tgt.text, tgt.lang))
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
        )
    ]


def check_units(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Storage units match (TB = To, GB = Go) and are written in the target's form (not ``1 to``)."""
    issues = []
    s_units = sorted(u.unit for u in find_storage_units(src.text, src.lang))
    t_units = sorted(u.unit for u in find_storage_units(tgt.text, tgt.lang))
    if s_units != t_units:
        issues.append(
            Issue(
                ParityKind.unit_mismatch,
                CheckCategory.critical,
                f"storage units differ: source {' '.join(s_units) or '-'}, target {' '.join(t_units) or '-'}",
            )
        )
    bad = bad_unit_forms(tgt.text, tgt.lang)
    if bad:
        forms = ", ".join(f"{u.value_text} {u.written}" for u in bad)
        issues.append(
            Issue(
                ParityKind.unit_mismatch,
                CheckCategory.functional,
                f"unit written in the wrong form for {tgt.lang}: {forms}",
                {"written": forms},
            )
        )
    s_time, t_time = time_units(src.text, src.lang), time_units(tgt.text, tgt.lang)
    s_words, t_words = fold(src.text), fold(tgt.text)
    lost = [u for u in s_time if u not in t_time and not re.search(_UNIT_WORDS[u], t_words)]
    gained = [u for u in t_time if u not in s_time and not re.search(_UNIT_WORDS[u], s_words)]
    if s_time and t_time and (lost or gained):
        issues.append(
            Issue(
                ParityKind.unit_mismatch,
                CheckCategory.critical,
                f"time units differ: source {sorted(s_time)}, target {sorted(t_time)}",
            )
        )
    return issues


_UNIT_WORDS = {
    "minute": r"\bmin",
    "hour": r"\b(?:hour|heure|\d+\s*h\b)",
    "day": r"\b(?:day|jour|\d+\s*j\b|24/7)",
    "week": r"\b(?:week|semaine)",
    "month": r"\b(?:month|mois)",
    "year": r"\b(?:year|an|annee)",
}


def check_availability_mark(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """An availability cell says the same thing (Yes = Oui = ✓, No = Non)."""
    s, t = availability_mark(src.raw or src.text), availability_mark(tgt.raw or tgt.text)
    if s is None or s == t:
        return []
    return [
        Issue(
            ParityKind.availability_mismatch,
            CheckCategory.critical,
            f"availability mark differs: source {s}, target {t or 'not a mark'}",
            {"source_mark": s, "target_mark": t or ""},
        )
    ]


# --- functional -------------------------------------------------------------------------------


def check_footnotes(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Footnote markers: same markers, same place, and no ``<sup>`` that swallowed a word."""
    issues = []
    s_refs, t_refs = sorted(set(src.footnote_refs)), sorted(set(tgt.footnote_refs))
    if s_refs != t_refs:
        issues.append(
            Issue(
                ParityKind.footnote_mismatch,
                CheckCategory.critical,
                f"footnote markers differ: source {','.join(s_refs) or '-'}, target {','.join(t_refs) or '-'}",
                {"source_markers": ",".join(s_refs), "target_markers": ",".join(t_refs)},
            )
        )
    for inner in sup_contents(tgt.raw):
        words = re.findall(r"[^\W\d_]{2,}", inner)
        if words:
            issues.append(
                Issue(
                    ParityKind.footnote_mismatch,
                    CheckCategory.functional,
                    f"footnote marker swallowed text: <sup>{inner}</sup>",
                    {"sup": inner},
                )
            )
    if s_refs == t_refs and s_refs and src.raw and tgt.raw:
        s_lead, t_lead = _leading_marker(src.raw), _leading_marker(tgt.raw)
        if s_lead != t_lead:
            issues.append(
                Issue(
                    ParityKind.footnote_mismatch,
                    CheckCategory.functional,
                    "footnote marker moved (start of text in one language, inside it in the other)",
                )
            )
    return issues


def _leading_marker(raw: str) -> bool:
    return bool(re.match(r"^\s*(?:\*\*)?\s*<sup>", raw, flags=re.I))


def check_links(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """The same link targets on both sides (modulo locale in the path)."""
    if not ctx.compare_links:
        return []
    s_urls = {normalize_url(u) for u in src.urls if u}
    t_urls = {normalize_url(u) for u in tgt.urls if u}
    if s_urls == t_urls:
        return []
    only_s, only_t = sorted(s_urls - t_urls), sorted(t_urls - s_urls)
    moved = (not only_s or set(only_s) <= ctx.target_urls) and (not only_t or set(only_t) <= ctx.source_urls)
    if moved and (ctx.source_urls or ctx.target_urls):
        return [
            Issue(
                ParityKind.link_mismatch,
                CheckCategory.cosmetic,
                f"link moved across a sentence boundary: {', '.join(only_s + only_t)}",
            )
        ]
    return [
        Issue(
            ParityKind.link_mismatch,
            CheckCategory.functional,
            f"links differ: only in source {only_s or '-'}, only in target {only_t or '-'}",
        )
    ]


#: Brand words that survive every localisation of a product name (``OneDrive Entreprise`` keeps
#: ``OneDrive``): their absence from the target means the name was translated or dropped.
STRICT_BRANDS = frozenset(
    [
        "Microsoft",
        "SharePoint",
        "OneDrive",
        "Teams",
        "Azure",
        "Yammer",
        "Skype",
        "Outlook",
        "Intune",
        "OneNote",
        "PowerPoint",
        "Excel",
    ]
)

#: Programme names and acronyms that are never translated, even where product names are localised.
KNOWN_DNT_ACRONYMS = frozenset({"GCC", "GCC-H", "DOD", "ITAR", "FEDRAMP", "HIPAA", "GDPR"})


def _glossary_dnt(ctx: CheckContext, name: str) -> bool:
    if ctx.glossary is None:
        return False
    try:
        return bool(ctx.glossary.is_dnt(name))
    except Exception:  # a glossary without is_dnt
        return False


def _dnt_words(ctx: CheckContext) -> set[str]:
    return set(BRAND_WORDS)


def check_names(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Do-not-translate names and acronyms kept as written (``GCC High``, ``Microsoft Teams``)."""
    issues = []
    missing_acr = sorted(
        a for a in acronyms(src.text) if not re.search(rf"(?<![\w]){re.escape(a)}(?![\w])", tgt.text)
    )
    if missing_acr:
        new_acr = sorted(acronyms(tgt.text) - acronyms(src.text))
        src_paren = re.findall(r"\(([^)]*)\)", src.text)
        tgt_paren = re.findall(r"\(([^)]*)\)", tgt.text)
        known = [a for a in missing_acr if a.upper() in KNOWN_DNT_ACRONYMS or _glossary_dnt(ctx, a)]
        paraphrased = [
            a
            for a in missing_acr
            if any(a in p for p in src_paren) and tgt_paren and not any(a in p for p in tgt_paren)
        ]
        if known or paraphrased:
            names = sorted(set(known + paraphrased))
            issues.append(
                Issue(
                    ParityKind.name_mismatch,
                    CheckCategory.functional,
                    f"do-not-translate name not kept in target: {', '.join(names)}",
                    {"names": ", ".join(names)},
                )
            )
        elif new_acr:
            issues.append(
                Issue(
                    ParityKind.name_mismatch,
                    CheckCategory.functional,
                    f"acronym translated: {', '.join(missing_acr)} -> {', '.join(new_acr)}",
                    {"names": ", ".join(missing_acr), "target_names": ", ".join(new_acr)},
                )
            )
        else:
            issues.append(
                Issue(
                    ParityKind.name_mismatch,
                    CheckCategory.cosmetic,
                    f"acronym not in target (spelled out or localised?): {', '.join(missing_acr)}",
                    {"names": ", ".join(missing_acr)},
                )
            )
    t_words = re.findall(r"[A-Za-z]+", tgt.text)
    altered = []
    for w in sorted({w for w in re.findall(r"[A-Za-z]+", src.text) if w in _dnt_words(ctx)}):
        if w in t_words:
            continue
        if any(tw.lower() == w.lower() for tw in t_words):
            altered.append(f"{w} -> {next(tw for tw in t_words if tw.lower() == w.lower())}")
    for w in sorted({w for w in re.findall(r"[A-Za-z]+", src.text) if w in STRICT_BRANDS}):
        if not any(tw.lower() == w.lower() for tw in t_words):
            altered.append(f"{w} -> (missing)")
    if altered:
        issues.append(
            Issue(
                ParityKind.name_mismatch,
                CheckCategory.functional,
                f"product name altered: {', '.join(altered)}",
                {"names": ", ".join(altered)},
            )
        )
    for name in ctx.dnt_names:
        if re.search(rf"\b{re.escape(name)}\b", src.text) and not re.search(
            rf"\b{re.escape(name)}\b", tgt.text
        ):
            issues.append(
                Issue(
                    ParityKind.name_mismatch,
                    CheckCategory.functional,
                    f"do-not-translate name not kept: {name}",
                    {"names": name},
                )
            )
    return issues


def _is_name_like(text: str) -> bool:
    """Product/plan names, numbers, marks: text that may legitimately be identical in both languages."""
    for w in word_tokens(text):
        if w[0].isupper() or w.lower() in {"plan", "and", "or", "e", "per", "x"} or len(w) < 3:
            continue
        return False
    return True


def check_untranslated(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Target text (or a run of it) still in the source language; names and numbers are fine."""
    if tgt.lang == src.lang or not tgt.text.strip():
        return []
    s_plain, t_plain = " ".join(src.text.split()).strip(" .:"), " ".join(tgt.text.split()).strip(" .:")
    if s_plain == t_plain and not _is_name_like(tgt.text):
        return [
            Issue(ParityKind.untranslated, CheckCategory.critical, "target is the untranslated source text")
        ]
    if tgt.lang != "fr" or src.lang != "en":
        return []
    run = _english_run(tgt.text)
    if run:
        return [
            Issue(
                ParityKind.untranslated,
                CheckCategory.functional,
                f"part of the target is still English: “{run}”",
                {"run": run},
            )
        ]
    return []


def _english_run(text: str) -> str | None:
    """A stretch of >= 6 words with >= 3 English function words and no French one."""
    words = word_tokens(text)
    best = None
    i = 0
    while i < len(words):
        j = i
        en = 0
        while j < len(words):
            e, f = english_ratio(words[j])
            if f:
                break
            en += e
            j += 1
        if j - i >= 6 and en >= 3 and (best is None or j - i > len(best)):
            best = words[i:j]
        i = j + 1
    return " ".join(best) if best else None


def check_terminology(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """A glossary term in the source is rendered as the glossary says in the target."""
    g = ctx.glossary
    if g is None:
        return []
    issues = []
    s_fold, t_fold = fold(src.text), fold(tgt.text)
    for term in getattr(g, "terms", []) or []:
        ens = [e for e in (getattr(term, "en", None) or []) if e]
        frs = [f for f in (getattr(term, "fr", None) or []) if f]
        if not ens or not frs:
            continue
        hit = next((e for e in ens if re.search(rf"(?<!\w){re.escape(fold(e))}(?!\w)", s_fold)), None)
        if hit is None:
            continue
        allowed = frs + ens if _term_is_dnt(g, term, hit) else frs
        if not any(re.search(rf"(?<!\w){re.escape(fold(f))}(?!\w)", t_fold) for f in allowed):
            issues.append(
                Issue(
                    ParityKind.terminology,
                    CheckCategory.functional,
                    f"glossary term “{hit}” should be rendered “{frs[0]}”",
                    {"term": hit, "expected": " | ".join(frs)},
                )
            )
    return issues


def _term_is_dnt(glossary: Any, term: Any, name: str) -> bool:
    if getattr(term, "dnt", False):
        return True
    try:
        return bool(glossary.is_dnt(name))
    except Exception:  # glossary without is_dnt
        return False


#: The checks, in report order, with their category (critical -> error, functional -> warning).
CHECKS: list[tuple[str, Check]] = [
    ("numbers", check_numbers),
    ("units", check_units),
    ("availability", check_availability_mark),
    ("footnotes", check_footnotes),
    ("links", check_links),
    ("names", check_names),
    ("untranslated", check_untranslated),
    ("terminology", check_terminology),
]


def run_checks(src: Side, tgt: Side, ctx: CheckContext | None = None) -> list[Issue]:
    ctx = ctx or CheckContext()
    out: list[Issue] = []
    for _name, check in CHECKS:
        out.extend(check(src, tgt, ctx))
    return out
