"""Component ``sla``: every SLA commitment of a document as typed targets (:class:`SlaTable` groups).

=============== ==================================================================================
module          job
=============== ==================================================================================
``vocab``       lexicon matchers: severity levels, metric names, coverage, periods, credits
``durations``   "30 min", "4 h ouvrées", "J+1", "NBD" -> minutes + business-hours flag
``tables``      severity x metric tables, severity x plan grids, commitment x plan matrices
``prose``       priority paragraphs, availability commitments, service credits, business hours
=============== ==================================================================================
"""

from __future__ import annotations

from pipeline.extract.model import Document
from pipeline.normalize.model import SlaTable
from pipeline.normalize.sections import SectionMap
from pipeline.normalize.sla.durations import parse_duration
from pipeline.normalize.sla.matrix import build_sla_matrix
from pipeline.normalize.sla.prose import find_prose_slas
from pipeline.normalize.sla.tables import PlanId, build_sla_table, responses_in
from pipeline.normalize.sla.vocab import is_severity_head, is_severity_label, parse_severity
from pipeline.normalize.tables import TableKind

__all__ = [
    "build_sla_matrix",
    "build_sla_table",
    "find_slas",
    "is_severity_head",
    "is_severity_label",
    "parse_duration",
    "parse_severity",
    "responses_in",
]

#: table kinds a commitment x plan matrix can hide in (the offers reader keeps its feature rows)
_MATRIX_KINDS = {TableKind.feature_plan, TableKind.other, TableKind.definition}


def _caption(doc: Document, bi: int, smap: SectionMap) -> str:
    """What names a table's metric: its section title and the paragraph just above it."""
    sid = smap.block_section[bi]
    section = smap.by_id(sid) if sid else None
    above = doc.blocks[bi - 1].text if bi and doc.blocks[bi - 1].kind.value == "paragraph" else ""
    return " ".join(t for t in (section.title if section else "", above) if t)


def find_slas(
    doc: Document, smap: SectionMap, kinds: dict[int, TableKind], plan_id: PlanId
) -> list[SlaTable]:
    """Every SLA group of the document, in document order; business-hours targets get the document's
    business hours as coverage when the document states them."""
    found: list[tuple[int, SlaTable]] = []
    for bi, kind in sorted(kinds.items()):
        sid = smap.block_section[bi]
        section = smap.by_id(sid) if sid else None
        title = section.title if section else None
        table = None
        if kind is TableKind.severity:
            table = build_sla_table(doc.blocks[bi], f"t{bi}", sid, title, plan_id, _caption(doc, bi, smap))
        elif kind in _MATRIX_KINDS:
            table = build_sla_matrix(doc.blocks[bi], f"t{bi}", sid, title, plan_id)
        if table is not None:
            found.append((bi, table))
    prose, business = find_prose_slas(doc, smap, plan_id)
    found += [(int(t.id[1:]), t) for t in prose]
    tables = [t for _bi, t in sorted(found, key=lambda x: x[0])]
    if business:
        for t in tables:
            for row in t.rows:
                for target in row.targets:
                    if target.business_hours and target.coverage in (None, "business hours"):
                        target.coverage = business  # the document says which hours are business hours
    return tables
