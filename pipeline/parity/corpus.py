"""Parity over a whole corpus: names learned from every aligned pair, reports keyed on what they use.

``build`` checks parity in two passes. First each (English, French) edition is *digested*
(:func:`digest`): aligned once, its name counts (:class:`~pipeline.parity.terms.TermStats`), the
names and target words it contains, and its one-to-one pairs (for the corpus-wide consistency
check). The digests are merged as they arrive (:class:`CorpusLearner`: counts add up, nothing else
is held) into one do-not-translate table. Then each edition's report is checked against
:meth:`CorpusLearner.context`: the part of that table its own names and words can meet, and the
corpus-wide inconsistencies it takes part in (its own occurrences, and the other editions holding
each, named up to a bound and counted: a context's size does not grow with the corpus). A report is
keyed on the hash of that context, so an edit elsewhere recomputes it only when it changes what this
edition is judged by (the learning thresholds of :mod:`pipeline.parity.terms` make the table stable
against one more occurrence).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from pipeline.normalize.model import ServiceDescription
from pipeline.parity.align import align_descriptions
from pipeline.parity.compare import _link_only, pair_stats
from pipeline.parity.corpus_consistency import (
    ELSEWHERE_SHOWN,
    CorpusConsistency,
    Issue,
    Place,
    local_findings,
)
from pipeline.parity.model import AlignedPair, ParityFinding
from pipeline.parity.terms import Terms, TermStats, candidates, learn
from pipeline.parity.text import fold

_WORD = re.compile(r"[^\W\d_][\w'’]*")
_CAPS = re.compile(r"(?<![\w-])([A-ZÀ-Ý]{3,})(?![\w-])")  # as parity.checks.names reads them


def _loc(prov: list) -> dict[str, int]:
    """The first page or line of a segment, for a reader to find it."""
    for p in prov:
        d = p.model_dump(exclude_none=True) if hasattr(p, "model_dump") else dict(p)
        out = {k: d[k] for k in ("page", "line_start") if k in d}
        if out:
            return out
    return {}


def digest(
    source: ServiceDescription,
    target: ServiceDescription,
    glossary: Any = None,
    pairs: list[AlignedPair] | None = None,
) -> dict[str, Any]:
    """What the corpus needs of one pair of editions (JSON-ready, deterministic); ``pairs``: their
    alignment when already made."""
    if pairs is None:
        pairs = align_descriptions(source, target, glossary=glossary)
    names: set[str] = set()
    for seg in (*source.segments, *target.segments):
        names |= candidates(seg.text)
    # the target words the checks look up (parity.terms.Terms.target_words): the words of the names
    # (an accented or lower-cased name) and the words the target writes in capitals; only these,
    # so that a common word crossing the learning threshold elsewhere does not reach this report
    words = {fold(w) for name in names for w in name.split()}
    for seg in target.segments:
        words.update(w for w in _WORD.findall(seg.text) if fold(w) in words and fold(w) != w.lower())
        words.update(fold(w) for w in _CAPS.findall(seg.text))
    s_segs = {s.id: s for s in source.segments}
    t_segs = {s.id: s for s in target.segments}
    records = [
        [
            p.source[0],
            p.target[0],
            p.source_text,
            p.target_text,
            _loc(s_segs[p.source[0]].prov),
            _loc(t_segs[p.target[0]].prov),
            k + 1,  # the pair's row in the edition's report (``#p<n>``)
            _link_only(t_segs[p.target[0]]),  # a link's text: it may give the linked page's title
        ]
        for k, p in enumerate(pairs)
        if len(p.source) == 1 and len(p.target) == 1
    ]
    return {
        "stats": pair_stats(pairs).as_dict(),
        "names": sorted(names),
        "words": sorted(words),
        "pairs": records,
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class CorpusLearner:
    """Merges digests as they arrive; then learns the table and finds the corpus-wide inconsistencies."""

    def __init__(self, glossary: Any = None) -> None:
        self.glossary = glossary
        self.stats = TermStats()
        self.consistency = CorpusConsistency()
        self._terms: Terms | None = None
        self._issues: list[Issue] | None = None
        #: (document, edition) -> the terminology issues it takes part in (indexes into ``_seen``):
        #: every edition's context is then a lookup, not a scan of every occurrence of every issue
        self._at: dict[tuple[str, str], list[int]] | None = None
        #: per terminology issue: its occurrences by edition and every edition holding it, sorted
        self._seen: list[tuple[Issue, dict[tuple[str, str], list[Place]], list[str]]] = []

    def add(
        self, document: str, edition: str, data: dict[str, Any], again: Callable[[], dict] | None = None
    ) -> None:
        """Merge one digest; ``again`` reads it again when its pairs are needed (None: they are held)."""
        self.stats.merge(TermStats.from_dict(data["stats"]))
        pairs = (lambda: again()["pairs"]) if again is not None else None
        self.consistency.add(document, edition, data["pairs"], pairs)
        self._terms = self._issues = self._at = None

    @property
    def terms(self) -> Terms:
        if self._terms is None:
            self._terms = learn(self.stats, self.glossary)
        return self._terms

    @property
    def issues(self) -> list[Issue]:
        if self._issues is None:
            self._issues = self.consistency.issues()
        return self._issues

    def context(self, document: str, edition: str, data: dict[str, Any]) -> dict[str, Any]:
        """What the report of (document, edition) is checked against: see the module docstring.
        Each issue as this edition sees it (:meth:`Issue.restricted`): its own occurrences and a
        bounded list of the other editions, so the context's size does not grow with the corpus."""
        key = (document, edition)
        inconsistencies = []
        for n in self._issues_at().get(key, ()):
            issue, places, names = self._seen[n]
            own = f"{document} {edition}"
            shown = [name for name in names[: ELSEWHERE_SHOWN + 1] if name != own]
            inconsistencies.append(issue.restricted(places[key], shown, len(names) - 1))
        return {
            "document": document,
            "edition": edition,
            "terms": self.terms.restrict(data["names"], data["words"]).as_dict(),
            "inconsistencies": inconsistencies,
        }

    def context_json(self, document: str, edition: str, data: dict[str, Any]) -> bytes:
        """The context as stored for the report task (its hash is part of the report's key)."""
        return _dumps(self.context(document, edition, data)).encode()

    def _issues_at(self) -> dict[tuple[str, str], list[int]]:
        if self._at is None:
            at: dict[tuple[str, str], list[int]] = {}
            self._seen = []
            for issue in self.issues:  # in issue order, as each edition's list was
                if not issue.terminology:
                    continue
                places: dict[tuple[str, str], list[Place]] = {}
                for o in issue.occurrences:
                    places.setdefault(o.edition_key, []).append(o)
                names = sorted(f"{d} {e}" for d, e in places)
                for key in places:
                    at.setdefault(key, []).append(len(self._seen))
                self._seen.append((issue, places, names))
            self._at = at
        return self._at

    def table(self) -> dict[str, Any]:
        """The learned table, published for translators (``parity/corpus.json``)."""
        t = self.terms
        return {
            "do_not_translate": sorted(t.dnt),
            "localised": {a: sorted(b) for a, b in sorted(t.localised.items())},
            "glossary_forms": {a: sorted(b) for a, b in sorted(t.glossary_forms.items())},
        }


def corpus_inputs(context: dict[str, Any]) -> tuple[Terms, Callable[[dict, dict], list[ParityFinding]]]:
    """A context (see :meth:`CorpusLearner.context`) as ``check_parity``'s ``terms`` and ``corpus_findings``."""
    issues = [Issue.from_dict(d) for d in context["inconsistencies"]]
    document, edition = context["document"], context["edition"]

    def found(s_segs: dict, t_segs: dict) -> list[ParityFinding]:
        return local_findings(issues, document, edition, s_segs, t_segs)

    return Terms.from_dict(context["terms"]), found
