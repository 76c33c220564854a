"""Pair checks on names: do-not-translate terms kept, acronyms, capitals, glossary terminology."""

from __future__ import annotations

import functools
import re
from typing import Any

from pipeline.parity.checks.base import CheckContext, Issue, Side
from pipeline.parity.model import CheckCategory, ParityKind
from pipeline.parity.terms import alterations
from pipeline.parity.text import (
    acronyms,
    fold,
    function_words,
)


def check_names(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """Learned do-not-translate terms kept as written (case, accents, suffix, every occurrence)."""
    out = []
    for alt in alterations(src.text, tgt.text, ctx.terms):
        if (
            alt.how == "case"
            and (alt.term.isupper() or alt.found.isupper())
            and min(sum(c.isupper() for c in t) for t in (alt.term, alt.found)) > 1
        ):
            continue  # DOD / DoD either way: an acronym's capitals kept
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
        if alt.how == "dropped" and _localised_with_its_acronym(alt.term, src.text, tgt.text):
            continue
        if alt.how == "case":
            msg, code, cat = (
                f"name capitalised differently: {alt.term} -> {alt.found}",
                "P117",
                CheckCategory.functional,
            )
        elif alt.how == "dropped" and _word_of_a_longer_name(alt.term, src.text, ctx.terms.dnt):
            # "OneDrive for Business" -> "OneDrive Entreprise": the pair learned the word, not the
            # name, and whether the whole name is localised is the glossary's call: shown as info
            msg, code, cat = f"word of a longer name not kept: {alt.term}", "P116", CheckCategory.cosmetic
        elif (
            alt.how == "dropped" and alt.term in ctx.terms.parts and _before_a_common_noun(alt.term, src.text)
        ):
            continue  # "Online meetings": the ordinary word, not the suffix of "Exchange Online"
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


@functools.cache
def _name_joins() -> frozenset[str]:
    from pipeline.lexicon import LANGS, load

    return frozenset(w for lang in LANGS for w in (load("function", lang) or {}).get("name_joins") or [])


_NAME_TOKEN = r"(?:[A-Z][\w'’-]*|\d[\w.]*)"


def _word_of_a_longer_name(term: str, source: str, dnt: frozenset[str]) -> bool:
    """Ordinary capitalised words (``Business``, ``Business Online``; not ``SharePoint`` nor ``GCC``) standing, at
    every occurrence in the source, inside a run of capitalised words (``EU Model Clauses``), perhaps
    joined by a word that joins names (``OneDrive for Business``; ``name_joins`` in function.yaml)."""
    if not re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", term):
        return False  # "SharePoint", "GCC", "Office 365" are names however they stand
    stop = function_words()
    words = "|".join(sorted(_name_joins(), key=len, reverse=True))
    before = re.compile(rf"({_NAME_TOKEN})[ \u00a0]+(?:(?:{words})[ \u00a0]+)?$")
    after = re.compile(rf"^[ \u00a0]+(?:(?:{words})[ \u00a0]+)?({_NAME_TOKEN})")

    def named(m: re.Match[str] | None, text: str, offset: int) -> bool:
        if m is None or m.group(1).lower() in stop:
            return False  # "Use Teams": a capitalised function word names nothing
        word = m.group(1)
        opens = re.search(r"(?:^|[.!?:;]\s+)$", text[: offset + m.start(1)]) is not None
        joined = len(m.group(0).split()) == 2  # the name word and a joining word
        # a sentence's first word is capitalised anyway: it is a name when learned, written like
        # one (inner capitals, digits), or joined to the word as names are ("Skype for Business")
        return not opens or joined or word in dnt or bool(re.search(r"[A-Z\d]", word[1:]))

    hits = list(re.finditer(rf"(?<![\w-]){re.escape(term)}(?![\w-])", source))
    return bool(hits) and all(
        named(before.search(source[: m.start()]), source, 0)
        or named(after.search(source[m.end() :]), source, m.end())
        for m in hits
    )


def _before_a_common_noun(term: str, source: str) -> bool:
    """Every occurrence of ``term`` stands before a lower-case word that is no function word: it
    qualifies that noun ("Online meetings") as an ordinary adjective, it names nothing."""
    stop = function_words()
    hits = list(re.finditer(rf"(?<![\w-]){re.escape(term)}[ \u00a0]+([a-z][a-z'’-]*)", source))
    return len(hits) == len(re.findall(rf"(?<![\w-]){re.escape(term)}(?![\w-])", source)) > 0 and all(
        m.group(1) not in stop for m in hits
    )


def _localised_with_its_acronym(term: str, source: str, target: str) -> bool:
    """A name defined by its acronym (``Zephyr Data Guard (ZDG)``) whose target gives the localised
    name with the same acronym (``Protection des données Zephyr (ZDG)``): a localisation, not a loss."""
    words = r"[ \u00a0]+".join(re.escape(w) for w in term.split())
    for m in re.finditer(
        rf"(?<![\w-]){words}(?:[ \u00a0]+[A-Z][\w-]*)*[ \u00a0]*\(([A-Z][A-Za-z0-9]*[A-Z])\)", source
    ):
        if re.search(rf"\({re.escape(m.group(1))}\)", target):
            return True
    return False


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
