"""Stable ids for offers and plans: the slug of the canonical English name.

English names are their own canonical form (``id_source=english``); French names go through the
glossary (``glossary``); a French name with no entry gets ``<lang>:<slug>`` (``fallback``) so the
id never collides with a real English id and a translator can see which term to add.
"""

from __future__ import annotations

import re

from pipeline.normalize.glossary import Glossary
from pipeline.normalize.model import IdSource
from pipeline.textutil import clean_text, slugify

_TRAILING_MARKERS = re.compile(r"(?:\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\s*\*+)$")


def clean_name(name: str) -> str:
    """A display name without trailing footnote markers, bold stars or colons."""
    text = clean_text(" ".join(name.split())).strip(" *:_")
    text = _TRAILING_MARKERS.sub("", text)
    return text.strip(" *:_")


def name_id(name: str, lang: str | None, glossary: Glossary | None) -> tuple[str, IdSource]:
    """``(id, id_source)`` for an offer or plan name written in ``lang``."""
    name = clean_name(name)
    if glossary is not None:
        canonical = glossary.canonical_en(name, lang or "")
        if canonical:
            return slugify(canonical), IdSource.glossary
    if (lang or "en") == "en":
        return slugify(name), IdSource.english
    if glossary is not None and glossary.is_dnt(name):
        return slugify(name), IdSource.glossary
    return f"{lang}:{slugify(name)}", IdSource.fallback


def unique(base: str, taken: set[str]) -> str:
    """``base`` or ``base-2``, ``base-3`` … so ids stay unique within one description."""
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate
