"""Pair checks on the wording: untranslated English, repeated words, omission, sentence case, French typography."""

from __future__ import annotations

import re

from pipeline.parity.checks.base import CheckContext, Issue, Side
from pipeline.parity.checks.markup import _visible
from pipeline.parity.checks.names import _name_joins
from pipeline.parity.model import CheckCategory, ParityKind
from pipeline.parity.terms import contains
from pipeline.parity.text import (
    english_ratio,
    word_tokens,
)


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
    """A name: several words all capitalised, a product name (``Zephyr 365 Apps for business``), or
    every word in a learned do-not-translate term."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if len(words) > 1 and all(w[0].isupper() for w in words):
        return True
    if _product_name(text, ctx):
        return True
    rest = text
    for term in sorted((t for t in ctx.terms.dnt if t in text), key=len, reverse=True):
        rest = re.sub(rf"(?<![\w-]){re.escape(term)}(?![\w])", " ", rest)
    return not re.search(r"[^\W\d_]{3,}", rest)


def _product_name(text: str, ctx: CheckContext) -> bool:
    """Capitalised words and a number or a learned name, then a word that joins names and one
    lower-case word (``Zephyr 365 Apps for enterprise``; ``name_joins``): a plan name kept verbatim.
    Not "Service health and continuity", not "Cloud Archiving and Compliance" (words to translate)."""
    toks = text.split()
    if len(toks) < 3 or toks[-2].lower() not in _name_joins() or not re.fullmatch(r"[a-z]+", toks[-1]):
        return False
    head = toks[:-2]
    if not all(t[:1].isupper() or t[:1].isdigit() for t in head):
        return False
    name = " ".join(head)
    return any(re.search(r"\d", t) for t in head) or any(
        contains(name, t) for t in ctx.terms.dnt if t in name
    )


def _english_run(text: str) -> str | None:
    """A stretch of >= 6 words with >= 3 English words and no French one."""
    words = word_tokens(text)
    best = None
    i = 0
    while i < len(words):
        j = i
        en = en_out = 0
        while j < len(words):
            e, f = english_ratio(words[j])
            if f:
                break
            # a capitalised word may be a name kept as is; so may a word between two of them
            # ("Apps for Business"): the run needs one English word outside the names
            if not words[j][:1].isupper():
                en += e
                en_out += e if not _inside_name(words, j) else 0
            j += 1
        if j - i >= 6 and en >= 3 and en_out and (best is None or j - i > len(best)):
            best = words[i:j]
        i = j + 1
    return " ".join(best) if best else None


def _inside_name(words: list[str], j: int) -> bool:
    return 0 < j < len(words) - 1 and words[j - 1][:1].isupper() and words[j + 1][:1].isupper()


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


_NBSP = "\u00a0\u202f"
_URL_OR_CLOCK = re.compile(r"https?://\S+|\b\d{1,2}:\d{2}\b|\w+://")
_HIGH_MARK = re.compile(r"(\S?)([ ]?)([:;!?])(?=\s|$)")
_GUILLEMET = re.compile(r"«(?![" + _NBSP + r"])|(?<![" + _NBSP + r"])»")


def check_fr_typography(src: Side, tgt: Side, ctx: CheckContext) -> list[Issue]:
    """French punctuation: a non-breaking space before ``: ; ! ?`` and inside ``« »``."""
    if tgt.lang[:2] != "fr":
        return []
    text = _visible(tgt.raw) if tgt.raw else tgt.text
    text = _URL_OR_CLOCK.sub(" ", text)
    bad = []
    for m in _HIGH_MARK.finditer(text):
        before, space, mark = m.groups()
        if not before or before in _NBSP:
            continue
        bad.append(f"“{before}{space}{mark}”")
    for m in _GUILLEMET.finditer(text):
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
