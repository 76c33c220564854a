"""Document-wide checks: the same source translated differently, different sources translated the same.

Xbench's *target inconsistency* (one source text, several targets) and *source inconsistency*
(several source texts, one target). Texts are compared after folding case and accents and
dropping markup, footnote markers and end punctuation, so ``Yes<sup>1</sup>`` and ``Yes`` are one
source. A target that is the source left as is belongs to the untranslated check, not here; two
sources are reported as sharing one target only when they are near-identical (``… for business`` /
``… for enterprise``): distinct names merged into one, not synonyms.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from pipeline.parity.checks import Issue
from pipeline.parity.model import CheckCategory, ParityKind
from pipeline.parity.text import availability_mark, fold, function_words

MIN_SIMILAR = 0.6


_SUP = re.compile(r"<sup>.*?</sup>", re.I)
_EMPHASIS_OR_MARKER = re.compile(r"[*_`]|\s+\d+(?:,\d+)*$")
_PUNCTUATION = re.compile(r"[^\w\s'’-]")


@functools.lru_cache(maxsize=65536)
def key(text: str) -> str:
    """A text as compared for consistency (cached: a grid repeats its cells' texts)."""
    t = fold(_SUP.sub(" ", text))
    t = _EMPHASIS_OR_MARKER.sub(" ", t)
    t = _PUNCTUATION.sub(" ", t)  # punctuation: "Yes, but" = "Yes but"
    return " ".join(t.split())


@dataclass
class PairText:
    index: int  # position of the pair in the alignment
    source: str
    target: str
    #: The target is only a link's text (which may be the linked page's own title).
    link: bool = False

    # each check below reads the keys of every pair: made once per pair, not once per check
    @functools.cached_property
    def source_key(self) -> str:
        return key(self.source)

    @functools.cached_property
    def target_key(self) -> str:
        return key(self.target)


def _wording(k: str) -> str:
    """A key without its numbers."""
    return " ".join(re.sub(r"\d+", " ", k).split())


_WORDS = re.compile(r"[^\W\d_]{2,}")


def _has_words(text: str) -> bool:
    return bool(_WORDS.search(text))


def target_inconsistencies(pairs: list[PairText]) -> list[tuple[Issue, list[int]]]:
    """One issue per source text translated in several ways, with the pairs that carry it."""
    by_source: dict[str, list[PairText]] = defaultdict(list)
    for p in pairs:
        k = p.source_key
        if (
            _has_words(k) and p.target.strip() and availability_mark(p.source) is None
        ):  # marks: their own check
            by_source[k].append(p)
    out = []
    for k, group in by_source.items():
        variants: dict[str, list[PairText]] = defaultdict(list)
        for p in group:
            tk = p.target_key
            if tk != k:  # left in the source language: the untranslated check reports it
                # numbers are the number check's: "Plan 1" / "Plan 2" share a key once a trailing
                # footnote number is dropped, and their targets differ by that number only
                variants[_wording(tk)].append(p)
        variants = _without_page_titles(variants)
        if len(variants) < 2:
            continue
        shown = sorted(variants, key=lambda v: (-len(variants[v]), v))
        forms = [variants[v][0].target for v in shown]
        out.append(
            (
                Issue(
                    ParityKind.inconsistency,
                    CheckCategory.functional,
                    f"same source translated {len(forms)} ways: " + " | ".join(f"“{f}”" for f in forms[:4]),
                    {"source": group[0].source, "targets": " | ".join(forms)},
                    "P126",
                ),
                [p.index for v in shown for p in variants[v]],
            )
        )
    return out


def _without_page_titles(variants: dict[str, list[PairText]]) -> dict[str, list[PairText]]:
    """Drop a variant that is only link texts expanding another variant into a page title
    (``Gestion des données`` -> ``Présentation de la gestion des données dans Zephyr``)."""

    def expands(v: str, w: str) -> bool:
        return v != w and f" {w} " in f" {v} "

    return {
        v: ps
        for v, ps in variants.items()
        if not (all(p.link for p in ps) and any(expands(v, w) for w in variants))
    }


def source_inconsistencies(pairs: list[PairText]) -> list[tuple[Issue, list[int]]]:
    """One issue per target shared by near-identical but different sources (two names made one)."""
    by_target: dict[str, list[PairText]] = defaultdict(list)
    for p in pairs:
        k = p.target_key
        if _has_words(k) and p.source.strip() and p.source_key != k:
            by_target[k].append(p)
    out = []
    for _k, group in by_target.items():
        sources: dict[str, list[PairText]] = defaultdict(list)
        for p in group:
            sources[p.source_key].append(p)
        if len(sources) < 2:
            continue
        # sources that differ only by function words ("customize the default" / "customize default",
        # "availability for" / "availability of") are one; "add-in" / "add-on" are two words
        stop = _SENTENCE_WORDS | function_words()
        # and so are sources with the same content words in another order ("Built-in anti-spam
        # protection" / "Anti-spam protection (built-in)"): one meaning, one translation
        content = {n: " ".join(sorted(w for w in n.split() if w not in stop)) for n in sources}
        if len(set(content.values())) < 2:
            continue
        keep = _near_identical(sorted(sources))
        if not keep:
            continue
        forms = [sources[n][0].source for n in keep]
        out.append(
            (
                Issue(
                    ParityKind.inconsistency,
                    CheckCategory.functional,
                    f"{len(forms)} different sources translated the same: "
                    + " | ".join(f"“{f}”" for f in forms[:4]),
                    {"target": group[0].target, "sources": " | ".join(forms)},
                    "P127",
                ),
                [p.index for n in keep for p in sources[n]],
            )
        )
    return out


def _near_identical(names: list[str]) -> list[str]:
    """The names whose words are at least ``MIN_SIMILAR`` alike with those of another name (difflib
    ratio of the earlier name against the later one). A pair of names both already kept is not
    compared again, and difflib's upper bounds (``real_quick_ratio``, ``quick_ratio``) rule a pair out
    before the full comparison; the later name's index is built once for all the earlier ones."""
    words = [n.split() for n in names]
    keep: set[int] = set()
    sm: SequenceMatcher = SequenceMatcher(None)
    for j in range(1, len(names)):
        sm.set_seq2(words[j])
        for i in range(j):
            if i in keep and j in keep:
                continue
            sm.set_seq1(words[i])
            if (
                sm.real_quick_ratio() >= MIN_SIMILAR
                and sm.quick_ratio() >= MIN_SIMILAR
                and sm.ratio() >= MIN_SIMILAR
            ):
                keep |= {i, j}
    return [names[k] for k in sorted(keep)]


#: A feature name standing alone: 2-5 words, the first capitalised (``Vault Sync``, ``Recipient rate limit``).
_NAME_WORDS = re.compile(r"^[A-Z][\w'’-]*(?:\s+[\w'’-]+){1,4}$")


#: Words that make a short text a sentence rather than a name.
_SENTENCE_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "is",
        "are",
        "was",
        "were",
        "be",
        "this",
        "that",
        "these",
        "those",
        "it",
        "you",
        "your",
        "can",
        "will",
        "must",
        "may",
        "should",
        "not",
        "no",
    ]
)


def _stems(text: str) -> list[str]:
    """Content words (>= 4 letters) folded, plural ending dropped: ``Liens fiables`` -> lien, fiable."""
    return [re.sub(r"[sx]$", "", w) for w in re.findall(r"[a-z]{4,}", fold(text))]


def _renders(target: str, translation: str) -> bool:
    words = re.findall(r"[a-z]+", fold(target))
    return all(any(w.startswith(stem) for w in words) for stem in _stems(translation))


_WORD = re.compile(r"\w+")


def _by_word(pairs: list[PairText], words: set[str]) -> dict[str, list[PairText]]:
    """The pairs whose source has each of ``words`` among its words, in order: the term scan reads
    these few pairs instead of every pair once per term."""
    out: dict[str, list[PairText]] = defaultdict(list)
    for p in pairs:
        for w in set(_WORD.findall(p.source)) & words:
            out[w].append(p)
    return out


def _holding(term: str, by_word: dict[str, list[PairText]]) -> list[PairText]:
    """The pairs whose source may hold ``term`` whole: where it stands between word boundaries, each
    of its words is one of the source's words, so the pairs are among those of its rarest word."""
    lists = [by_word.get(w, []) for w in set(_WORD.findall(term))]
    return min(lists, key=len) if lists else []


def term_inconsistencies(pairs: list[PairText], dnt: frozenset[str]) -> list[tuple[Issue, list[int]]]:
    """A feature name translated one way where it stands alone (a cell, a heading) and another way in text.

    A *defining* pair is a short one whose source is a capitalised name of 2-5 words (``Vault
    Sync``) and whose target translates it; every other pair whose source has the name must render
    its content words (plural endings aside) or keep it as is.
    """
    defined: dict[str, tuple[str, int]] = {}
    for p in pairs:
        src = p.source.strip().rstrip(".:")
        if (
            _NAME_WORDS.match(src)
            and src not in dnt
            and availability_mark(src) is None
            and not (
                set(src.lower().split()) & _SENTENCE_WORDS
            )  # "This is the default limit" says, not names
        ):
            tgt = p.target.strip().rstrip(".:")
            if key(tgt) != key(src) and _stems(tgt):
                defined.setdefault(src, (tgt, p.index))
    out = []
    by_word = _by_word(pairs, {w for t in defined for w in _WORD.findall(t)})
    for term, (translation, where) in sorted(defined.items()):
        # a source where the term stands whole has the term's first word as one of its words
        near = [p for p in _holding(term, by_word) if p.index != where and term in p.source]
        if not near:
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])")
        bad = [
            p
            for p in near
            if pattern.search(p.source)
            and not pattern.search(p.target)
            and not _renders(p.target, translation)
        ]
        if bad:
            out.append(
                (
                    Issue(
                        ParityKind.inconsistency,
                        CheckCategory.functional,
                        f"term “{term}” is “{translation}” elsewhere but rendered differently here",
                        {"term": term, "expected": translation},
                        "P128",
                    ),
                    [p.index for p in bad],
                )
            )
    return out
