"""Normalize stage: a :class:`Document` -> :class:`ServiceDescription`.

A list of small named steps over the document (:data:`pipeline.normalize.steps.STEPS`, spaCy's
component idea): each declares what it reads and the one part of the description it writes; the
table of steps is in :mod:`pipeline.normalize.steps`. Knows nothing of other editions or of output
formats.
"""

from __future__ import annotations

from pipeline.extract.model import Document
from pipeline.normalize.glossary import Glossary
from pipeline.normalize.model import ServiceDescription
from pipeline.normalize.steps import DAMAGED_PAGE, State, damage_findings, run_steps

__all__ = ["DAMAGED_PAGE", "Glossary", "damage_findings", "normalize"]


def normalize(doc: Document, glossary: Glossary | None = None) -> ServiceDescription:
    s = run_steps(State(doc=doc, glossary=glossary))
    all_facts = [f for seg in s.segs.segments for f in s.facts.get(seg.id, [])]
    return ServiceDescription(
        document=s.info,
        sections=s.smap.sections,
        offers=s.offers.offers,
        sla_tables=s.sla_tables,
        facts=all_facts,
        footnotes=s.footnotes,
        segments=s.segs.segments,
        findings=[*s.warnings, *s.offers.findings],
    )
