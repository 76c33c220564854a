"""Suggest glossary entries from two aligned editions, for a translator to review.

Candidates are short aligned pairs that name things rather than say things: headings, table
header cells and first-column cells (feature and plan names), short list items, and capitalised
names that appear unchanged in both languages (do-not-translate candidates: ``Exchange Online``,
``Microsoft 365 Business Premium``). Sentences, numbers and availability marks are left out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.normalize.model import Segment, ServiceDescription
from pipeline.parity.align import align_descriptions
from pipeline.parity.text import availability_mark, fold

MAX_WORDS = 8


def _is_name_like(text: str) -> bool:
    """Product/plan names, numbers, marks: text that may legitimately be identical in both languages."""
    for w in re.findall(r"[^\W\d_][\w'’-]*", text):
        if w[0].isupper() or len(w) < 3:
            continue
        return False
    return True


_NAME_RUN = re.compile(r"\b(?:[A-Z][\w-]*[A-Za-z0-9](?:\s+(?:for|de|of|and)\s+|\s+)?){2,}")


@dataclass
class TermSuggestion:
    en: str
    fr: str
    dnt: bool = False
    count: int = 0
    origin: set[str] = field(default_factory=set)
    segments: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "en": self.en,
            "fr": self.fr,
            "dnt": self.dnt,
            "count": self.count,
            "origin": sorted(self.origin),
            "segments": self.segments[:5],
        }


def _clean_term(text: str) -> str:
    return " ".join(text.strip().strip(":;,.").split())


def _is_termlike(text: str) -> bool:
    words = text.split()
    if not words or len(words) > MAX_WORDS:
        return False
    if re.search(r"[.!?]\s|[.!?]$", text) or not re.search(r"[A-Za-zÀ-ÿ]{3,}", text):
        return False
    return availability_mark(text) is None


def _origin(seg: Segment) -> str | None:
    if seg.kind.value == "heading":
        return "heading"
    if seg.table is not None and (seg.table.is_header or seg.table.row == 0):
        return "table header"
    if seg.table is not None and seg.table.col == 0:
        return "table first column"
    if seg.kind.value == "list_item":
        return "list item"
    return None


def suggest_terms(source: ServiceDescription, target: ServiceDescription) -> list[TermSuggestion]:
    """Term pairs (source language -> target language), most frequent first."""
    s_lang = (source.document.language or "en")[:2]
    pairs = align_descriptions(source, target)
    s_segs = {s.id: s for s in source.segments}
    t_segs = {s.id: s for s in target.segments}
    found: dict[tuple[str, str], TermSuggestion] = {}

    def add(en: str, fr: str, origin: str, seg_id: str, dnt: bool = False) -> None:
        key = (fold(en), fold(fr))
        sug = found.get(key)
        if sug is None:
            sug = found[key] = TermSuggestion(en=en, fr=fr, dnt=dnt)
        sug.count += 1
        sug.origin.add(origin)
        sug.segments.append(seg_id)

    for p in pairs:
        if len(p.source) != 1 or len(p.target) != 1:
            continue
        s, t = s_segs[p.source[0]], t_segs[p.target[0]]
        en, fr = (s.text, t.text) if s_lang == "en" else (t.text, s.text)
        origin = _origin(s)
        if origin and _is_termlike(_clean_term(en)) and _is_termlike(_clean_term(fr)):
            same = _clean_term(en) == _clean_term(fr)
            add(_clean_term(en), _clean_term(fr), origin, s.id, dnt=same and _is_name_like(en))
        # capitalised names kept verbatim in the other language: do-not-translate candidates
        for m in _NAME_RUN.finditer(en):
            name = _clean_term(m.group(0))
            if (
                len(name.split()) >= 2
                and name in fr
                and name.split()[-1].lower() not in {"for", "de", "of", "and"}
            ):
                add(name, name, "name kept in both languages", s.id, dnt=True)
    out = sorted(found.values(), key=lambda x: (-x.count, fold(x.en), fold(x.fr)))
    # one French rendering per English term and origin kind: keep the most frequent
    seen: dict[str, list[TermSuggestion]] = defaultdict(list)
    for sug in out:
        seen[fold(sug.en)].append(sug)
    return [s for group in seen.values() for s in group]
