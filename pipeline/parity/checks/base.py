"""The objects every pair check reads and returns: a side of an aligned pair, an issue, the context."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.parity.model import CheckCategory, ParityKind
from pipeline.parity.terms import Terms
from pipeline.parity.text import (
    markdown_urls,
    strip_markup,
    sup_contents,
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

    def content(self) -> tuple:
        """Everything a check reads (all but ``ids``): two sides with equal contents get the same issues."""
        return (self.text, self.lang, self.raw, self.kind, tuple(self.urls), tuple(self.footnote_refs))

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
