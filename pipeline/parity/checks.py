"""Pair checks in the style of Xbench / Verifika / ``pofilter``: one small named function per check.

Each check reads one aligned pair (source side, target side: plain text, inline markup, links,
footnote markers, languages) and returns zero or more ``Issue``s, each with a stable code and a
category (critical -> error, functional -> warning, cosmetic / typography -> info). The checks
know nothing of alignment or models, so they run as well on the gold segment pairs as on aligned
editions. Checks over a whole document (inconsistencies) live in ``parity.consistency``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.parity.model import CheckCategory, ParityKind
from pipeline.parity.terms import Terms, alterations
from pipeline.parity.text import (
    acronyms,
    availability_mark,
    durations,
    english_ratio,
    find_numbers,
    find_storage_units,
    fold,
    markdown_urls,
    normalize_url,
    numbers_match,
    strip_markup,
    sup_contents,
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
    code: str = ""


@dataclass
class CheckContext:
    glossary: Any = None  # pipeline.normalize.glossary.Glossary when given
    dnt_names: tuple[str, ...] = ()
    #: Do-not-translate terms learned from the pair of editions (and the corpus), glossary merged in.
    terms: Terms = field(default_factory=Terms)
    #: False when one edition cannot carry link targets (a PDF prints link text, not URLs).
    compare_links: bool = True
    #: Every link target of each edition (normalised): a link missing from one pair but present
    #: elsewhere in the other edition has moved across a sentence boundary (cosmetic).
    source_urls: frozenset[str] = frozenset()
    target_urls: frozenset[str] = frozenset()
    #: Target/source length ratio of the two editions (partial omission is judged against it).
    length_ratio: float = 1.1


Check = Callable[[Side, Side, CheckContext], list[Issue]]


def _fmt(values: set[float]) -> str:
    return ", ".join(f"{v:g}" for v in sorted(values))


# --- critical ---------------------------------------------------------------------------------


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
    return out


def check_numbers(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Numbers equal by value in both languages (500,000 = 500 000; 24/7 = 24 h/24 et 7 j/7; five = cinq)."""
    only_s, only_t = numbers_match(find_numbers(src.text, src.lang), find_numbers(tgt.text, tgt.lang))
    if only_s and src.lang != tgt.lang:  # words left in the source language ("the two websites")
        left = numbers_match(find_numbers(src.text, src.lang), find_numbers(tgt.text, src.lang))
        if not left[0]:
            only_s = set()
    if only_t == {1.0} and re.search(_ONE_UNIT, src.text, flags=re.IGNORECASE):
        only_t = set()  # "a single month" / "per month" = "un mois"
    only_t = {v for v in only_t if not re.search(rf"[^\W\d_]{v:g}\b", src.text)}  # "Yes15": a glued marker
    only_t -= _word_values(src.text, src.lang)  # "Level One" = "niveau 1": a number word the reader skips
    only_s = {v for v in only_s if not re.search(rf"[^\W\d_]{v:g}\b", tgt.text)}
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
                "P107",
            )
        )
    for inner in sup_contents(tgt.raw):
        if re.findall(r"[^\W\d_]{2,}", inner) and not any(inner == s for s in sup_contents(src.raw)):
            issues.append(
                Issue(
                    ParityKind.footnote_mismatch,
                    CheckCategory.critical,
                    f"footnote marker swallowed text: <sup>{inner}</sup>",
                    {"sup": inner},
                    "P108",
                )
            )
    if (
        s_refs == t_refs
        and s_refs
        and src.raw
        and tgt.raw
        and _leading_marker(src.raw) != _leading_marker(tgt.raw)
    ):
        issues.append(
            Issue(
                ParityKind.footnote_mismatch,
                CheckCategory.functional,
                "footnote marker moved (start of text in one language, inside it in the other)",
                code="P109",
            )
        )
    return issues


def _leading_marker(raw: str) -> bool:
    return bool(re.match(r"^\s*(?:\*\*)?\s*<sup>", raw, flags=re.I))


# --- functional -------------------------------------------------------------------------------


def check_links(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """The same link targets on both sides (modulo locale in the path)."""
    if not ctx.compare_links:
        return []
    s_urls = {normalize_url(u) for u in src.urls if u}
    t_urls = {normalize_url(u) for u in tgt.urls if u}
    # a link the extraction did not attach to the segment, or one whose text is empty (its own
    # finding, P112), is still in the markup of the pair
    s_raw = {normalize_url(u) for u in markdown_urls(src.raw)}
    t_raw = {normalize_url(u) for u in markdown_urls(tgt.raw)}
    s_urls, t_urls = s_urls | (t_urls & s_raw), t_urls | (s_urls & t_raw)
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
                code="P110",
            )
        ]
    what = "link target changed" if only_s and only_t else "link lost" if only_s else "link added"
    return [
        Issue(
            ParityKind.link_mismatch,
            CheckCategory.functional,
            f"{what}: only in source {only_s or '-'}, only in target {only_t or '-'}",
            code="P111",
        )
    ]


_EMPTY_LINK = re.compile(r"(?<!!)\[\s*\]\(([^)\s]+)[^)]*\)")
_BOLD = re.compile(r"\*\*|__")
_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
_BROKEN_ENTITY = re.compile(r"&\s+(?:amp|lt|gt|quot|nbsp)\s*;|&(?:amp|lt|gt|quot|nbsp)\s+;")


def check_markup(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Markup survives: no empty link text, bold and ``<sup>`` pairs and entities as in the source."""
    if not src.raw or not tgt.raw:
        return []
    out = []
    empty_t, empty_s = _EMPTY_LINK.findall(tgt.raw), _EMPTY_LINK.findall(src.raw)
    if len(empty_t) > len(empty_s):
        out.append(
            Issue(
                ParityKind.markup_mismatch,
                CheckCategory.critical,
                f"link with empty text: [](…{empty_t[0][-40:]})",
                {"url": empty_t[0]},
                "P112",
            )
        )
    s_bold, t_bold = len(_BOLD.findall(src.raw)), len(_BOLD.findall(tgt.raw))
    own = all(len(strip_markup(side.raw or "")) <= 1.3 * len(side.text) + 10 for side in (src, tgt))
    if own and s_bold != t_bold and (s_bold % 2 == 0):  # a raw shared by a whole line is not this pair's
        out.append(
            Issue(
                ParityKind.markup_mismatch,
                CheckCategory.functional,
                f"bold markers differ: {s_bold} in source, {t_bold} in target",
                code="P113",
            )
        )
    broken = [b for b in _BROKEN_ENTITY.findall(tgt.raw) if b not in src.raw]
    if broken:  # "&amp;" written "&" renders the same: only a broken entity is a defect
        out.append(
            Issue(
                ParityKind.markup_mismatch,
                CheckCategory.functional,
                f"HTML entity broken: {', '.join(broken)}",
                code="P115",
            )
        )
    return out


def check_names(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Learned do-not-translate terms kept as written (case, accents, suffix, every occurrence)."""
    out = []
    for alt in alterations(src.text, tgt.text, ctx.terms):
        if alt.how == "case" and alt.term.isupper() and sum(c.isupper() for c in alt.found) > 1:
            continue  # DOD / DoD: an acronym's capitals kept
        if alt.how == "occurrence":  # a repeated name said once: usually rephrasing, shown as info
            msg = f"do-not-translate name kept {alt.found} times: {alt.term}"
            out.append(
                Issue(
                    ParityKind.name_mismatch,
                    CheckCategory.cosmetic,
                    msg,
                    {"names": alt.term, "how": alt.how},
                    "P118",
                )
            )
            continue
        if alt.how == "case":
            msg, code, cat = (
                f"name capitalised differently: {alt.term} -> {alt.found}",
                "P117",
                CheckCategory.functional,
            )
        elif alt.how == "dropped":
            msg, code, cat = f"do-not-translate name not kept: {alt.term}", "P116", CheckCategory.functional
        elif alt.how == "occurrence":
            msg, code, cat = (
                f"do-not-translate name kept {alt.found} times: {alt.term}",
                "P118",
                CheckCategory.functional,
            )
        else:
            msg, code, cat = (
                f"name altered ({alt.how}): {alt.term} -> {alt.found}",
                "P119",
                CheckCategory.functional,
            )
        out.append(
            Issue(
                ParityKind.name_mismatch,
                cat,
                msg,
                {"names": alt.term, "how": alt.how, "found": alt.found},
                code,
            )
        )
    out += _paraphrased_acronyms(src, tgt, ctx)
    out += _lowercased_acronyms(src, tgt, ctx, {i.detail.get("names") for i in out})
    out += _shouted_words(src, tgt, ctx)
    for name in ctx.dnt_names:
        if (
            name not in ctx.terms.dnt
            and re.search(rf"\b{re.escape(name)}\b", src.text)
            and not re.search(rf"\b{re.escape(name)}\b", tgt.text)
        ):
            out.append(
                Issue(
                    ParityKind.name_mismatch,
                    CheckCategory.functional,
                    f"do-not-translate name not kept: {name}",
                    {"names": name, "how": "dropped"},
                    "P116",
                )
            )
    return out


def _lowercased_acronyms(src: Side, tgt: Side, ctx: CheckContext, done: set) -> list[Issue]:
    """An acronym of the source written in lower case in the target (``CAL`` -> ``cal``): no learning needed."""
    out = []
    for a in sorted(acronyms(src.text) - done):
        if len(a) < 3 or re.search(rf"(?<![\w-]){re.escape(a)}(?![\w])", tgt.text):
            continue
        m = re.search(rf"(?<![\w-]){re.escape(a)}(?![\w])", tgt.text, flags=re.IGNORECASE)
        if m and fold(m.group(0)) in ctx.terms.target_words:
            continue  # "NON-GCC" -> "non GCC": the target language's own word
        if m and sum(c.isupper() for c in m.group(0)) <= 1:
            out.append(
                Issue(
                    ParityKind.name_mismatch,
                    CheckCategory.functional,
                    f"name capitalised differently: {a} -> {m.group(0)}",
                    {"names": a, "how": "case", "found": m.group(0)},
                    "P117",
                )
            )
    return out


def _shouted_words(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """A target-language word written in capitals the source does not have (``protégé PAR RMS``)."""
    out = []
    for m in re.finditer(r"(?<![\w-])([A-ZÀ-Ý]{3,})(?![\w-])", tgt.text):
        w = m.group(1)
        if w.lower() in src.text.lower() or fold(w) not in ctx.terms.target_words or w in ctx.terms.dnt:
            continue  # DoD / DOD; a unit after a number is the unit check's
        if re.search(r"\d\s*$", tgt.text[: m.start()]):
            continue
        if any(w in forms for forms in ctx.terms.localised.values()):
            continue
        out.append(
            Issue(
                ParityKind.name_mismatch,
                CheckCategory.functional,
                f"word written in capitals: {w}",
                {"names": w, "how": "case", "found": w},
                "P129",
            )
        )
    return out


def _paraphrased_acronyms(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """An acronym defined in parentheses (``(GCC High)``) whose target drops it or says something else."""
    t_paren = re.findall(r"\(([^)]*)\)", tgt.text)
    if any(acronyms(p) for p in t_paren):
        return []
    out = []
    for inner in re.findall(r"\(([^)]*)\)", src.text):
        words = inner.split()
        if len(words) > 3 or not all(w[:1].isupper() for w in words):
            continue  # "(IM, Presence, Audio …)" is a list to translate, not a name
        for a in sorted(acronyms(inner)):
            if a in ctx.terms.dnt or re.search(rf"(?<![\w-]){re.escape(a)}(?![\w])", tgt.text):
                continue  # a learned term is judged by the alterations above
            if any(
                re.search(rf"(?<![\w-]){re.escape(f)}(?![\w])", tgt.text) for f in ctx.terms.accepted_forms(a)
            ):
                continue
            out.append(
                Issue(
                    ParityKind.name_mismatch,
                    CheckCategory.functional,
                    f"acronym in parentheses {'paraphrased' if t_paren else 'dropped'}: ({inner})",
                    {"names": a, "how": "paraphrased", "found": ""},
                    "P119",
                )
            )
    return out


def _english_words(text: str) -> bool:
    """Has English content words and no French one (``Available``; not ``1 redirection``)."""
    en, fr = english_ratio(text)
    return en >= 1 and fr == 0


def check_untranslated(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Target text (or a run of it) still in the source language; names and numbers are fine."""
    if tgt.lang == src.lang or not tgt.text.strip():
        return []
    s_plain, t_plain = " ".join(src.text.split()).strip(" .:"), " ".join(tgt.text.split()).strip(" .:")
    if (
        s_plain == t_plain
        and tgt.lang[:2] == "fr"
        and _english_words(t_plain)
        and not _all_names(t_plain, ctx)
    ):
        return [
            Issue(
                ParityKind.untranslated,
                CheckCategory.functional,
                "target is the untranslated source text",
                {"run": t_plain},
                "P120",
            )
        ]
    if tgt.lang[:2] != "fr" or src.lang[:2] != "en":
        return []
    run = _english_run(tgt.text)
    if run:
        return [
            Issue(
                ParityKind.untranslated,
                CheckCategory.functional,
                f"part of the target is still English: “{run}”",
                {"run": run},
                "P121",
            )
        ]
    return []


def _all_names(text: str, ctx: CheckContext) -> bool:
    """A name: several words all capitalised, or every word in a learned do-not-translate term."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if len(words) > 1 and all(w[0].isupper() for w in words):
        return True
    rest = text
    for term in sorted((t for t in ctx.terms.dnt if t in text), key=len, reverse=True):
        rest = re.sub(rf"(?<![\w-]){re.escape(term)}(?![\w])", " ", rest)
    return not re.search(r"[^\W\d_]{3,}", rest)


def _english_run(text: str) -> str | None:
    """A stretch of >= 6 words with >= 3 English words and no French one."""
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
            en += e if not words[j][:1].isupper() else 0  # a capitalised word may be a name kept as is
            j += 1
        if j - i >= 6 and en >= 3 and (best is None or j - i > len(best)):
            best = words[i:j]
        i = j + 1
    return " ".join(best) if best else None


_REPEAT = re.compile(r"(?<![\w-])([^\W\d_]{2,})(?:\s+\1)+(?![\w-])", re.IGNORECASE)
#: "module de module": a word repeated around a linking preposition (not "bout en bout", "côte à côte")
_REPEAT_SPLIT = re.compile(r"(?<![\w-])([^\W\d_]{4,})\s+(?:de|du|des|of|the)\s+\1(?![\w-])", re.IGNORECASE)


def check_repeated_words(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """A word written twice in a row (``module module``) or around a short word (``module de module``)."""
    out = []
    s_words = re.findall(r"[^\W\d_]{4,}", src.text.lower())
    src_repeats = len(s_words) != len(set(s_words))  # "each folder in the … folder": a repeat the source has
    for rx, code in ((_REPEAT, "P122"), (_REPEAT_SPLIT, "P123")):
        if code == "P123" and src_repeats:
            continue
        for m in rx.finditer(tgt.text):
            word = m.group(1)
            if re.search(rf"(?<![\w-]){re.escape(m.group(0))}(?![\w-])", src.text, flags=re.IGNORECASE):
                continue  # the source repeats it too ("Plan 1 Plan 2" lists, "vous vous")
            if code == "P122" and word.lower() in ("vous", "nous", "nos", "ha"):
                continue
            out.append(
                Issue(
                    ParityKind.repeated_word,
                    CheckCategory.functional,
                    f"repeated word: “{m.group(0)}”",
                    {"run": m.group(0)},
                    code,
                )
            )
    return out


def check_omission(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """A long source with a target far shorter than the editions' ratio predicts: part left out."""
    ls, lt = len(src.text), len(tgt.text)
    if ls < 80 or not lt:
        return []
    expected = ls * ctx.length_ratio
    if lt >= 0.5 * expected:
        return []
    return [
        Issue(
            ParityKind.omission,
            CheckCategory.functional,
            f"target much shorter than expected ({lt} characters for {ls}; ratio {lt / ls:.2f})",
            {"ratio": f"{lt / ls:.2f}"},
            "P124",
        )
    ]


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
                    "P125",
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


def check_sentence_case(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """A target sentence that starts in lower case where the source starts with a capital."""
    s, t = src.text.lstrip(' *"“«(-–'), tgt.text.lstrip(' *"“«(-–')
    if not s or not t or not s[0].isupper() or not t[0].islower() or src.kind == "table_cell":
        return []
    first = re.match(r"[^\W\d_][\w'’-]*", t)
    if first and any(c.isupper() for c in first.group(0)[1:]):
        return []  # "eDiscovery", "iPad": a name that starts in lower case
    return [
        Issue(
            ParityKind.name_mismatch,
            CheckCategory.functional,
            "sentence starts in lower case",
            {"names": first.group(0) if first else t[:10], "how": "case"},
            "P131",
        )
    ]


# --- typography (French; info, not gated) ------------------------------------------------------

_NBSP = "\u00a0\u202f"


def check_fr_typography(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """French punctuation: a non-breaking space before ``: ; ! ?`` and inside ``« »``."""
    if tgt.lang[:2] != "fr":
        return []
    text = _visible(tgt.raw) if tgt.raw else tgt.text
    text = re.sub(r"https?://\S+|\b\d{1,2}:\d{2}\b|\w+://", " ", text)
    bad = []
    for m in re.finditer(r"(\S?)([ ]?)([:;!?])(?=\s|$)", text):
        before, space, mark = m.groups()
        if not before or before in _NBSP:
            continue
        bad.append(f"“{before}{space}{mark}”")
    for m in re.finditer(r"«(?![" + _NBSP + r"])|(?<![" + _NBSP + r"])»", text):
        bad.append(f"“{m.group(0)}”")
    if not bad:
        return []
    return [
        Issue(
            ParityKind.typography,
            CheckCategory.typography,
            "French punctuation without a non-breaking space: " + ", ".join(sorted(set(bad))[:5]),
            {"marks": " ".join(sorted(set(bad)))},
            "P130",
        )
    ]


def _visible(raw: str) -> str:
    """Inline markup removed, spaces (non-breaking ones included) kept as written."""
    t = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", raw)
    t = re.sub(r"<[^>]+>", "", t)
    return re.sub(r"\*\*|__|`", "", t)


#: The pair checks, in report order.
CHECKS: list[tuple[str, Check]] = [
    ("numbers", check_numbers),
    ("sizes", check_sizes),
    ("unit_form", check_unit_form),
    ("durations", check_durations),
    ("availability", check_availability_mark),
    ("footnotes", check_footnotes),
    ("links", check_links),
    ("markup", check_markup),
    ("names", check_names),
    ("untranslated", check_untranslated),
    ("repeated_words", check_repeated_words),
    ("sentence_case", check_sentence_case),
    ("omission", check_omission),
    ("terminology", check_terminology),
    ("fr_typography", check_fr_typography),
]


def run_checks(src: Side, tgt: Side, ctx: CheckContext | None = None) -> list[Issue]:
    ctx = ctx or CheckContext()
    out: list[Issue] = []
    for _name, check in CHECKS:
        out.extend(check(src, tgt, ctx))
    return out


__all__ = ["CHECKS", "CheckContext", "Issue", "Side", "acronyms", "run_checks"]
