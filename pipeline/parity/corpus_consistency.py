"""Target and source inconsistency across a corpus: one source translated differently in two
documents (or two editions of one), two near-identical sources given one translation.

The same filters as the in-document check (:mod:`pipeline.parity.consistency`): texts compared
after folding case, accents, markup, footnote markers and punctuation; availability marks left to
their own check; a target that is the source left as is left to the untranslated check; two sources
sharing a target only when near-identical and different in content words. An issue is reported
here only when it crosses editions: the disagreeing occurrences are not all in one edition (that
is the in-document check's finding). Each issue is reported once on the corpus page, with every
occurrence; an edition's own report shows its own occurrences and names at most
:data:`ELSEWHERE_SHOWN` of the other editions (the rest counted), so that its size, and what it is
keyed on, do not grow with the number of editions sharing the issue.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from pipeline.parity.consistency import _SENTENCE_WORDS, MIN_SIMILAR, _without_page_titles
from pipeline.parity.model import CATEGORY_SEVERITY, CheckCategory, Occurrence, ParityFinding, ParityKind
from pipeline.parity.text import availability_mark, fold, function_words

TARGET_CODE, SOURCE_CODE = "P150", "P151"

#: A pair's reference: its edition's number, then its row in that edition's records.
_ROW_BITS = 24
_ROW_MASK = (1 << _ROW_BITS) - 1

#: The other editions an edition's finding names (first in sorted order); the rest are counted.
ELSEWHERE_SHOWN = 5


_SUP = re.compile(r"<sup>.*?</sup>|[\u00b9\u00b2\u00b3\u2070-\u2079]+", re.IGNORECASE)


def ckey(text: str) -> str:
    """Folded text without markup, footnote marks or punctuation (quotes, dashes, apostrophes).

    Unlike the in-document key, a trailing number is kept: ``Plan 1`` and ``Plan 2`` are two sources.
    """
    t = fold(_SUP.sub(" ", text))
    t = re.sub(r"[^\w\s]|_", " ", t)
    return " ".join(t.split())


def content(text: str) -> str:
    """Content words in order, plural endings dropped: variants differing only by articles,
    prepositions or elision (``d’impact et de résolution`` / ``d’impact et résolution``) are one."""
    stop = function_words()
    words = re.findall(r"[^\W_]+", fold(text))
    return " ".join(
        re.sub(r"(?<=[^\W\d_]{3})[sx]$", "", w)
        for w in words
        if re.search(r"\d", w) or (len(w) > 2 and w not in stop)
    )


def _codes(text: str) -> list[str]:
    """Numbers and codes with a digit (``E1``, ``SP2``, ``2019``): a pair whose codes differ is
    misaligned (or a number slip, the number check's finding), not a choice of words."""
    return sorted(
        re.findall(r"\d+", _SUP.sub(" ", text)) + re.findall(r"(?<![\w-])[A-Z]+\d+\w*", _SUP.sub(" ", text))
    )


@dataclass(frozen=True, slots=True)
class Place:
    """One occurrence: an aligned pair of one edition of one document (slotted: the corpus holds one
    per aligned pair of every edition until its issues are found)."""

    document: str
    edition: str
    source_id: str
    target_id: str
    source_text: str
    target_text: str
    source_loc: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    target_loc: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    row: int = field(default=0, hash=False, compare=False)  # the pair's row in the edition's report
    link: bool = field(default=False, hash=False, compare=False)  # the target is only a link's text

    def at(self, document: str, edition: str) -> bool:
        return (self.document, self.edition) == (document, edition)

    @property
    def edition_key(self) -> tuple[str, str]:
        return (self.document, self.edition)

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "edition": self.edition,
            "source_id": self.source_id,
            "target_id": self.target_id,
            "source_text": self.source_text,
            "target_text": self.target_text,
            "source_loc": self.source_loc,
            "target_loc": self.target_loc,
            "row": self.row,
            "link": self.link,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        return cls(
            d["document"],
            d["edition"],
            d["source_id"],
            d["target_id"],
            d["source_text"],
            d["target_text"],
            dict(d.get("source_loc") or {}),
            dict(d.get("target_loc") or {}),
            int(d.get("row") or 0),
            bool(d.get("link")),
        )


@dataclass
class Issue:
    """One corpus-wide inconsistency: its code, its message and every occurrence (forms in order).

    As seen by one edition (:meth:`restricted`): its own occurrences only, the other editions in
    ``elsewhere`` (the first :data:`ELSEWHERE_SHOWN`, sorted) and ``elsewhere_count`` (all of them).
    """

    code: str
    message: str
    forms: list[str]  # the targets (P150) or the sources (P151), most frequent first
    occurrences: list[Place]
    elsewhere: list[str] | None = None  # None: every occurrence is here, the other editions with them
    elsewhere_count: int = 0

    @property
    def terminology(self) -> bool:
        """A name or short unit (heading, cell, plan) given two forms: reported in each edition's own
        report too. Sentences reworded between editions are listed on the corpus page only."""
        return all(_name_like(o.source_text) for o in self.occurrences)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": "target inconsistency" if self.code == TARGET_CODE else "source inconsistency",
            "message": self.message,
            "forms": self.forms,
            "count": len(self.occurrences),
            "editions": len({o.edition_key for o in self.occurrences}),
            "occurrences": [o.as_dict() for o in self.occurrences],
        }

    def restricted(self, here: list[Place], shown: list[str], count: int) -> dict[str, Any]:
        """This issue as one edition sees it, JSON-ready: ``here`` its occurrences in that edition,
        ``shown`` the first other editions holding it ("document edition", sorted), ``count`` all."""
        return {
            "code": self.code,
            "kind": "target inconsistency" if self.code == TARGET_CODE else "source inconsistency",
            "message": self.message,
            "forms": self.forms,
            "occurrences": [o.as_dict() for o in here],
            "elsewhere": shown[:ELSEWHERE_SHOWN],
            "elsewhere_count": count,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Issue:
        elsewhere = d.get("elsewhere")
        return cls(
            d["code"],
            d["message"],
            list(d["forms"]),
            [Place.from_dict(o) for o in d["occurrences"]],
            list(elsewhere) if elsewhere is not None else None,
            int(d.get("elsewhere_count") or 0),
        )

    def others(self, document: str, edition: str) -> tuple[list[str], int]:
        """The other editions holding this issue, as many as a report names, and how many there are."""
        if self.elsewhere is not None:
            return self.elsewhere, self.elsewhere_count
        names = sorted({f"{o.document} {o.edition}" for o in self.occurrences if not o.at(document, edition)})
        return names[:ELSEWHERE_SHOWN], len(names)


def _refs() -> array[int]:
    return array("Q")


def _has_words(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]{2,}", text))


def _quoted(forms: list[str], counts: list[int]) -> str:
    shown = [f"“{f}” ({n})" for f, n in zip(forms, counts, strict=True)][:4]
    return " | ".join(shown) + (" | …" if len(forms) > 4 else "")


class CorpusConsistency:
    """Pairs indexed by folded source and folded target as digests arrive; issues on demand.

    A pair is held as one integer (its edition, its row in that edition's records): most pairs never
    take part in an issue, and a build's parent holds one per aligned pair of every edition. The
    texts, ids and places of the pairs an issue may need are read back from ``records`` (given with
    each edition: how to read its records again, e.g. from its stored digest) when issues are made.
    """

    def __init__(self) -> None:
        self.by_source: dict[str, dict[str, array[int]]] = defaultdict(lambda: defaultdict(_refs))
        self.by_target: dict[str, dict[str, array[int]]] = defaultdict(lambda: defaultdict(_refs))
        self._editions: list[tuple[str, str, Callable[[], list[list[Any]]]]] = []

    def add(
        self,
        document: str,
        edition: str,
        records: list[list[Any]],
        again: Callable[[], list[list[Any]]] | None = None,
    ) -> None:
        """Index one edition's pairs; ``again`` reads its ``records`` again when an issue needs them
        (None: the records are held)."""
        n = len(self._editions)
        self._editions.append((document, edition, again or (lambda: records)))
        for k, (_, _, source, target, *_) in enumerate(records):
            sk, tk = ckey(source), ckey(target)
            if not (_has_words(sk) and _has_words(tk)) or sk == tk or availability_mark(source) is not None:
                continue
            if _codes(source) != _codes(target):
                continue  # a pair whose numbers differ is misaligned or a number slip: not a wording choice
            sk, tk = sys.intern(sk), sys.intern(content(target))
            self.by_source[sk][tk].append(n << _ROW_BITS | k)
            self.by_target[tk][sk].append(n << _ROW_BITS | k)

    def _places(self, groups: list[dict[str, array[int]]]) -> list[dict[str, list[Place]]]:
        """The groups whose pairs may make an issue, with their places read back (each edition's
        records read once)."""
        wanted: dict[int, set[int]] = defaultdict(set)
        for group in groups:
            for refs in group.values():
                for ref in refs:
                    wanted[ref >> _ROW_BITS].add(ref & _ROW_MASK)
        places: dict[int, Place] = {}
        locs: dict[tuple, dict[str, int]] = {}  # one dict per distinct location ({"page": 3})

        def loc(d: dict[str, int]) -> dict[str, int]:
            key = tuple(sorted(d.items()))
            return locs.setdefault(key, dict(key))

        for n in sorted(wanted):
            document, edition, again = self._editions[n]
            records = again()
            for k in wanted[n]:
                s_id, t_id, source, target, s_loc, t_loc, row, link = records[k]
                source, target, s_id, t_id = (sys.intern(x) for x in (source, target, s_id, t_id))
                places[n << _ROW_BITS | k] = Place(
                    document, edition, s_id, t_id, source, target, loc(s_loc), loc(t_loc), row, link
                )
        return [{v: [places[r] for r in refs] for v, refs in group.items()} for group in groups]

    def issues(self) -> list[Issue]:
        """Every corpus-wide issue, sorted by code then first form (deterministic)."""
        by_source = [v for v in self.by_source.values() if len(v) > 1]
        by_target = [v for v in self.by_target.values() if len(v) > 1]
        groups = self._places(by_source + by_target)  # each edition's records read once
        out = [*_target_issues(groups[: len(by_source)]), *_source_issues(groups[len(by_source) :])]
        # names and short units first: what a terminology review starts with
        return sorted(
            out,
            key=lambda i: (
                i.code,
                not _name_like(i.occurrences[0].source_text),
                ckey(i.forms[0]),
                i.forms,
                # ties broken whatever order the digests arrived in
                [(o.source_text, o.target_text) for o in i.occurrences],
            ),
        )


def _target_issues(groups: list[dict[str, list[Place]]]) -> list[Issue]:
    out = []
    for variants in groups:
        variants = _without_page_titles(variants)  # type: ignore[arg-type]
        if len(variants) < 2 or not _crosses(variants):
            continue
        out.append(
            _issue(
                TARGET_CODE,
                variants,
                lambda p: p.target_text,
                lambda first, n: f"“{first.source_text}” translated {n} ways across the corpus: ",
            )
        )
    return out


def _source_issues(groups: list[dict[str, list[Place]]]) -> list[Issue]:
    out = []
    for sources in groups:
        # names (a heading, a cell, a plan): two sentences saying one thing in other words
        # ("enables you to" / "lets you") rightly share a translation
        # judged on its first place in corpus order, not the first to arrive (digests come in
        # the order the workers finish: "Plan" here and "Plan." there fold to one source)
        sources = {n: ps for n, ps in sources.items() if _name_like(_sorted(ps)[0].source_text)}
        if len(sources) < 2:
            continue
        core = {n: " ".join(w for w in n.split() if w not in _SENTENCE_WORDS) for n in sources}
        names = sorted(sources)
        similar = {
            n
            for i, a in enumerate(names)
            for b in names[i + 1 :]
            if core[a] != core[b]
            and SequenceMatcher(None, a.split(), b.split()).ratio() >= MIN_SIMILAR
            and _substituted(a, b)
            for n in (a, b)
        }
        kept = {n: sources[n] for n in sorted(similar)}
        if len(kept) < 2 or not _crosses(kept):
            continue
        out.append(
            _issue(
                SOURCE_CODE,
                kept,
                lambda p: p.source_text,
                lambda first, n: (
                    f"{n} different sources translated “{first.target_text}” across the corpus: "
                ),
            )
        )
    return out


#: The most words a source may have to be compared as a name by the source-inconsistency check.
NAME_WORDS = 8


def _name_like(text: str) -> bool:
    words = text.split()
    return len(words) <= NAME_WORDS and not re.search(r"[.!?:;]\s*$", text.strip())


def _substituted(a: str, b: str) -> bool:
    """A word of one source replaced by another word (``for business`` / ``for enterprise``): two
    names. Words only added, dropped or moved (``Please see …``, ``System Requirements``) leave
    the translation as valid as it was: an edited source, not two names made one."""
    wa, wb = content(a).split(), content(b).split()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, wa, wb).get_opcodes():
        if op == "replace" and (set(wa[i1:i2]) - set(wb)) and (set(wb[j1:j2]) - set(wa)):
            return True
    return False


def _sorted(places: list[Place]) -> list[Place]:
    return sorted(places, key=lambda p: (p.document, p.edition, p.source_id, p.target_id))


def _crosses(variants: dict[str, list[Place]]) -> bool:
    """Two variants met in two different editions (else the in-document check reports it)."""
    eds = [{p.edition_key for p in ps} for ps in variants.values()]
    return any(len(a | b) > 1 for i, a in enumerate(eds) for b in eds[i + 1 :])


def local_findings(
    issues: list[Issue], document: str, edition: str, s_segs: dict, t_segs: dict
) -> list[ParityFinding]:
    """The corpus issues one edition takes part in, as findings of its own report (JSON, HTML, XLIFF
    notes): located at its own occurrences, the other editions named in the message and detail."""
    out = []
    for issue in issues:
        if not issue.terminology:
            continue
        here = [o for o in issue.occurrences if o.at(document, edition)]
        here = [o for o in here if o.source_id in s_segs and o.target_id in t_segs]
        if not here:
            continue
        if len({content(o.target_text if issue.code == TARGET_CODE else o.source_text) for o in here}) > 1:
            continue  # this edition disagrees with itself: its in-document finding (P126/P127) says so
        shown, total = issue.others(document, edition)
        more = f" and {total - len(shown)} other editions" if total > len(shown) else ""
        elsewhere = "; ".join(shown) + more
        detail = {"forms": " | ".join(issue.forms), "elsewhere": elsewhere, "scope": "corpus"}
        first, rest = here[0], here[1:]
        s, t = s_segs[first.source_id], t_segs[first.target_id]
        out.append(
            ParityFinding(
                kind=ParityKind.inconsistency,
                code=issue.code,
                severity=CATEGORY_SEVERITY[CheckCategory.functional],
                category=CheckCategory.functional,
                message=issue.message + (f"; also in {elsewhere}" if elsewhere else ""),
                source_text=s.text,
                target_text=t.text,
                source_ids=[s.id],
                target_ids=[t.id],
                source_prov=list(s.prov),
                target_prov=list(t.prov),
                detail=detail,
                count=len(here),
                occurrences=[
                    Occurrence(
                        source_ids=[o.source_id],
                        target_ids=[o.target_id],
                        source_prov=list(s_segs[o.source_id].prov),
                        target_prov=list(t_segs[o.target_id].prov),
                    )
                    for o in rest
                ],
            )
        )
    return out


def _issue(code: str, groups: dict, form_of, lead) -> Issue:
    """One issue from its groups of places (one group per form), the most used form first; ``lead``
    words the message from the first place and the number of forms."""
    shown = sorted(groups, key=lambda v: (-len(groups[v]), v))
    places = [p for v in shown for p in _sorted(groups[v])]
    forms = [form_of(_sorted(groups[v])[0]) for v in shown]
    counts = [len(groups[v]) for v in shown]
    return Issue(code, lead(places[0], len(forms)) + _quoted(forms, counts), forms, places)
