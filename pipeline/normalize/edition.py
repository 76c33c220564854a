"""Component ``edition``: reads text, front matter, PDF metadata and the path; writes the edition date.

Order of trust: a date printed in the document ("Edition: 4 June 2021", "Édition : 4 juin 2021"),
then front matter ``ms.date``, then PDF metadata (creation date), then a date in the file or folder
name (``<date>/en.md``, ``…(25mar2019).pdf``). The source is recorded beside the date.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pipeline.extract.model import Document
from pipeline.textutil import clean_text, fold_for_match

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "jan": 1, "feb": 2, "fev": 2, "mar": 3, "apr": 4, "avr": 4, "jun": 6, "jul": 7, "juil": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_LABEL = re.compile(
    r"\b(edition|version|date de publication|publication date|published|mise a jour|updated|last modified|"
    r"derniere modification|effective date|date d'effet|date d'entree en vigueur|revised|revision date)\s*:?\s*",
    re.I,
)
_DMY = re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?(?:\s+of)?[\s-]*({_MONTH_RE})\.?,?[\s-]*(\d{{4}})\b")
_MDY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
_ISO = re.compile(r"\b(\d{4})[-/.](\d{2})[-/.](\d{2})\b")
_EU_DOTS = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_MONTH_YEAR = re.compile(rf"^\s*({_MONTH_RE})\.?,?\s+(\d{{4}})\b")
_US = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_PDF = re.compile(r"D:(\d{4})(\d{2})(\d{2})")


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """ISO date for "4 June 2021", "4 juin 2021", "June 4, 2021", "2021-06-04", "06/04/2021", "25mar2019"."""
    f = fold_for_match(text)
    if m := _ISO.search(f):
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.search(f):
        return _iso(int(m[3]), _MONTHS[m[2]], int(m[1]))
    if m := _MDY.search(f):
        return _iso(int(m[3]), _MONTHS[m[1]], int(m[2]))
    if m := _US.search(f):
        return _iso(int(m[3]), int(m[1]), int(m[2]))
    if m := _EU_DOTS.search(f):  # "01.07.2024": day first, as in French and most European documents
        return _iso(int(m[3]), int(m[2]), int(m[1]))
    return None


def parse_month_year(text: str) -> str | None:
    """First day of the month for a label's "March 2025" / "juin 2024" (editions are often dated so)."""
    m = _MONTH_YEAR.match(fold_for_match(text))
    return _iso(int(m[2]), _MONTHS[m[1]], 1) if m else None


def find_edition(doc: Document) -> tuple[str | None, str | None]:
    """``(iso_date, source)`` with source in text | file_name | front_matter | pdf_metadata.

    A date in the file or folder name (the corpus layout ``<document>/<edition-date>/<lang>``) wins over
    ``ms.date`` and PDF metadata: those say when a file was last touched or rebuilt, not its edition.
    """
    texts = [b.text for b in doc.blocks[:40]] + [b.text for b in doc.furniture[:40]]
    for text in texts:
        t = clean_text(text)
        m = _LABEL.search(fold_for_match(t))
        if m:
            after = fold_for_match(t)[m.end() : m.end() + 40]
            found = parse_date(after) or parse_month_year(after)
            if found:
                return found, "text"
    path = Path(doc.meta.source)
    for part in [path.name, *[p.name for p in path.parents][:2]]:
        found = parse_date(part)
        if found is None and (m := re.search(rf"(\d{{1,2}})({_MONTH_RE})(\d{{4}})", fold_for_match(part))):
            found = _iso(int(m[3]), _MONTHS[m[2]], int(m[1]))
        if found:
            return found, "file_name"
    fm = doc.meta.front_matter or {}
    for key in ("ms.date", "date", "updated", "ms.lastupdated"):
        if key in fm and fm[key]:
            found = parse_date(str(fm[key]))
            if found:
                return found, "front_matter"
    meta = doc.meta.pdf_metadata or {}
    for key in ("ModDate", "CreationDate", "/ModDate", "/CreationDate", "moddate", "creationdate"):
        if key in meta and (m := _PDF.search(str(meta[key]))):
            found = _iso(int(m[1]), int(m[2]), int(m[3]))
            if found:
                return found, "pdf_metadata"
    return None, None
