"""The named steps of normalize, spaCy-component style: each reads some parts of the state and writes one.

:data:`STEPS` is the pipeline, in order; each :class:`Step` declares what it ``reads`` and ``writes``
(attribute names of :class:`State`), and ``tests/test_normalize_steps.py`` checks every step reads
only what it declares and what an earlier step (or the input) wrote. A new part of the description
is a new step here, not a new line in the middle of a long function.

=============  ==============================================  ============================================
step           reads                                           writes
=============  ==============================================  ============================================
language       doc                                             lang
info           doc, lang                                       info (document: title, edition date, …)
sections       doc                                             smap (sections, block -> section)
segments       doc, smap                                       segs (segments, ids ``s-<section>-<n>``)
tables         doc                                             kinds (a kind per table)
offers         doc, smap, segs, kinds, glossary, lang          offers (+ N101 findings)
warnings       doc                                             W104 (damaged PDF pages), N100 findings (the extractor's warnings)
sla            doc, smap, kinds, glossary, lang                sla_tables
facts          segs, lang                                      facts (by segment)
offer_facts    offers, facts, segs                             offers[].facts, plan cells' facts
footnotes      doc, smap, kinds                                footnotes
=============  ==============================================  ============================================
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.extract.model import BlockKind, Document, Provenance
from pipeline.normalize.definitions import (
    attach_definitions,
    attach_sections,
    offers_from_headings,
    offers_from_section_headings,
)
from pipeline.normalize.edition import find_edition
from pipeline.normalize.footnotes import collect_footnotes
from pipeline.normalize.glossary import Glossary
from pipeline.normalize.model import DocumentInfo, Fact, Finding, FindingSeverity, Footnote, SlaTable
from pipeline.normalize.offer_tables import from_availability_tables, from_feature_tables, legend_words
from pipeline.normalize.offers import Ctx, enrich, from_prose, plan_id
from pipeline.normalize.sections import SectionMap, build_sections
from pipeline.normalize.segments import SegmentIndex, build_segments
from pipeline.normalize.sla import find_slas
from pipeline.normalize.tables import TableKind, classify
from pipeline.textutil import clean_text


@dataclass
class State:
    """What the steps share: the input (``doc``, ``glossary``) and each step's output (None until written)."""

    doc: Document
    glossary: Glossary | None
    lang: str | None = None
    info: DocumentInfo | None = None
    smap: SectionMap | None = None
    segs: SegmentIndex | None = None
    kinds: dict[int, TableKind] | None = None
    offers: Ctx | None = None  # the offers and their findings (offers.py's working context)
    warnings: list[Finding] | None = None
    sla_tables: list[SlaTable] | None = None
    facts: dict[str, list[Fact]] | None = None
    footnotes: list[Footnote] | None = None


INPUTS = ("doc", "glossary")


@dataclass(frozen=True)
class Step:
    name: str
    reads: tuple[str, ...]
    writes: str
    run: Callable[[State], object]


def document_language(doc: Document) -> str:
    if doc.meta.language:
        return doc.meta.language.split("-")[0].lower()
    langs = Counter(b.lang for b in doc.blocks if b.lang)
    return langs.most_common(1)[0][0] if langs else "en"


def document_info(doc: Document, lang: str) -> DocumentInfo:
    edition, source = find_edition(doc)
    title = doc.meta.title or next(
        (clean_text(b.text) for b in doc.blocks if b.kind == BlockKind.heading), None
    )
    return DocumentInfo(
        title=title,
        language=lang,
        edition_date=edition,
        edition_date_source=source,
        front_matter=doc.meta.front_matter,
        pdf_metadata=doc.meta.pdf_metadata,
        source=doc.meta.source,
        sha256=doc.meta.sha256,
        format=doc.meta.format,
        pages=doc.meta.page_count,
    )


def classify_tables(doc: Document) -> dict[int, TableKind]:
    """A kind per table; word marks its legend defines ("GA = generally available") count as marks."""
    return {
        i: classify(b.table, legend_words(doc, i))
        for i, b in enumerate(doc.blocks)
        if b.kind == BlockKind.table and b.table
    }


def find_offers(s: State) -> Ctx:
    """Offers from availability and feature tables, definitions, headings and prose, in that order."""
    ctx = Ctx(doc=s.doc, smap=s.smap, segs=s.segs, kinds=s.kinds, glossary=s.glossary, lang=s.lang)
    kinds = s.kinds.values()
    from_availability_tables(ctx)
    from_feature_tables(ctx)
    attach_definitions(ctx, create=TableKind.feature_plan not in kinds)
    if TableKind.availability in kinds:
        offers_from_headings(ctx)
    offers_from_section_headings(ctx)
    attach_sections(ctx)
    from_prose(ctx)
    for offer in ctx.offers:
        enrich(ctx, offer)
    return ctx


def find_all_facts(segs: SegmentIndex, lang: str) -> dict[str, list[Fact]]:
    """Facts of every segment (not headings), ids ``<segment-id>-f<n>``."""
    from pipeline.normalize.facts import find_facts  # lazy: spaCy loads on the first fact

    out: dict[str, list[Fact]] = {}
    for seg in segs.segments:
        if seg.kind.value == "heading" or not re.search(r"\d|\w", seg.text):
            continue
        found = find_facts(seg.text, lang)  # the document language: short cells are often mis-detected
        facts = []
        for k, fact in enumerate(found, start=1):
            facts.append(
                fact.model_copy(update={"id": f"{seg.id}-f{k}", "segment_id": seg.id, "prov": list(seg.prov)})
            )
        if facts:
            out[seg.id] = facts
    return out


#: Code of the finding (and of the CLI warning line) for a PDF page whose text layer is unreadable.
DAMAGED_PAGE = "W104"


def damage_findings(doc: Document) -> list[Finding]:
    """One W104 warning per damaged PDF page: the reader left its text out, so the description says
    why it has nothing from that page (and ``build`` counts the document as failed)."""
    return [
        Finding(
            code=DAMAGED_PAGE,
            severity=FindingSeverity.warning,
            message=f"page {d.page}: unreadable text layer: {d.reason}; its text is left out of offers, SLA and facts",
            prov=[Provenance(page=d.page)],
        )
        for d in doc.damaged_pages
    ]


def extraction_findings(doc: Document) -> list[Finding]:
    """What the reader warned about (damaged pages as W104; pages without text, a Word file's
    unaccepted tracked changes as N100) as findings, so ``validate`` and the catalog report it
    rather than a log line nobody reads."""
    n100 = [Finding(code="N100", severity=FindingSeverity.warning, message=w) for w in doc.warnings]
    return [*damage_findings(doc), *n100]


def attach_facts(s: State) -> Ctx:
    """Each offer gets the facts of its segments; a feature row's plan cells get the facts of their cell."""
    ctx, facts, segs = s.offers, s.facts, s.segs
    cell_of = {sid: key for key, ids in segs.by_cell.items() for sid in ids}
    for offer in ctx.offers:
        offer.segment_ids = list(dict.fromkeys(offer.segment_ids))
        for sid in offer.segment_ids:
            for fact in facts.get(sid, []):
                fact.offer_id = fact.offer_id or offer.id
        offer.facts = [f for sid in offer.segment_ids for f in facts.get(sid, []) if f.offer_id == offer.id]
        if offer.plan_values and offer.table_id:
            bi = int(offer.table_id[1:])
            by_col: dict[int, list[Fact]] = {}
            for sid in offer.segment_ids:
                key = cell_of.get(sid)
                if key and key[0] == bi:
                    by_col.setdefault(key[2], []).extend(facts.get(sid, []))
            for col, value in enumerate(offer.plan_values, start=1):
                value.facts = by_col.get(col, [])
    return ctx


STEPS: tuple[Step, ...] = (
    Step("language", ("doc",), "lang", lambda s: document_language(s.doc)),
    Step("info", ("doc", "lang"), "info", lambda s: document_info(s.doc, s.lang)),
    Step("sections", ("doc",), "smap", lambda s: build_sections(s.doc)),
    Step("segments", ("doc", "smap"), "segs", lambda s: build_segments(s.doc, s.smap)),
    Step("tables", ("doc",), "kinds", lambda s: classify_tables(s.doc)),
    Step("offers", ("doc", "smap", "segs", "kinds", "glossary", "lang"), "offers", find_offers),
    Step("warnings", ("doc",), "warnings", lambda s: extraction_findings(s.doc)),
    Step(
        "sla",
        ("doc", "smap", "kinds", "glossary", "lang"),
        "sla_tables",
        lambda s: find_slas(s.doc, s.smap, s.kinds, lambda n: plan_id(n, s.lang, s.glossary)),
    ),
    Step("facts", ("segs", "lang"), "facts", lambda s: find_all_facts(s.segs, s.lang)),
    Step("offer_facts", ("offers", "facts", "segs"), "offers", attach_facts),
    Step(
        "footnotes",
        ("doc", "smap", "kinds"),
        "footnotes",
        lambda s: collect_footnotes(s.doc, s.smap, s.kinds),
    ),
)


def run_steps(state: State, steps: tuple[Step, ...] = STEPS) -> State:
    for step in steps:
        setattr(state, step.writes, step.run(state))
    return state
