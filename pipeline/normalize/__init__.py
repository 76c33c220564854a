"""Normalize stage: a :class:`Document` -> :class:`ServiceDescription`.

A pipeline of small components over the document, spaCy-style; each reads some parts of the
document (and of the earlier components' output) and writes one part of the description:

=========== ============================================== ======================================
component   reads                                          writes
=========== ============================================== ======================================
edition     text, front matter, PDF metadata, path         document.edition_date (+ source)
sections    heading blocks                                 sections, block -> section map
segments    blocks, section map                            segments (ids ``s-<section>-<n>``)
tables      table blocks                                   a kind per table
footnotes   footnote blocks, legends, ``<sup>`` paragraphs footnotes
offers      tables, definitions, headings, glossary        offers (+ N101 findings)
warnings    the extractor's warnings                       N100 findings (e.g. unaccepted revisions)
sla         SLA tables, grids, matrices, prose             sla_tables (typed SLA targets)
facts       segments (``facts.find_facts``)                facts, offers[].facts, plan facts
=========== ============================================== ======================================

Knows nothing of other editions or of output formats.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.extract.model import BlockKind, Document
from pipeline.normalize.edition import find_edition
from pipeline.normalize.glossary import Glossary
from pipeline.normalize.model import (
    DocumentInfo,
    Fact,
    Finding,
    FindingSeverity,
    Footnote,
    ServiceDescription,
)
from pipeline.normalize.offers import (
    Ctx,
    attach_definitions,
    attach_sections,
    enrich,
    from_availability_tables,
    from_feature_tables,
    from_prose,
    legends_after,
    offers_from_headings,
    plan_id,
)
from pipeline.normalize.sections import SectionMap, build_sections
from pipeline.normalize.segments import SegmentIndex, build_segments
from pipeline.normalize.sla import find_slas
from pipeline.normalize.tables import TableKind, classify
from pipeline.textutil import clean_text

__all__ = ["Glossary", "normalize"]


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
    return {i: classify(b.table) for i, b in enumerate(doc.blocks) if b.kind == BlockKind.table and b.table}


def collect_footnotes(doc: Document, smap: SectionMap, kinds: dict[int, TableKind]) -> list[Footnote]:
    """Footnote blocks, ``<sup>n</sup> text`` / ``*text`` paragraphs and mark legends, tied to the table above."""
    out: list[Footnote] = []
    last_table: int | None = None
    for bi, block in enumerate(doc.blocks):
        if block.kind == BlockKind.table:
            last_table = bi
            for m, d, t, _ in legends_after(doc, bi):
                out.append(
                    Footnote(marker=f"{m}{d}", text=t, table_id=f"t{bi}", section_id=smap.block_section[bi])
                )
            continue
        if block.kind == BlockKind.heading:
            last_table = None
            continue
        text = clean_text(block.text)
        marker: str | None = None
        if block.kind == BlockKind.footnote:
            marker = block.marker or (block.footnote_refs[0].marker if block.footnote_refs else "")
        elif block.kind == BlockKind.paragraph and block.footnote_refs and block.footnote_refs[0].offset == 0:
            marker = block.footnote_refs[0].marker
        elif block.kind == BlockKind.paragraph and (m := re.match(r"^(\*+)\s*(?=\S)", text)):
            marker, text = m.group(1), text[m.end() :]
        if marker is None or not text:
            continue
        for one_marker, one_text in split_footnote_line(marker.strip(), text, block):
            out.append(
                Footnote(
                    marker=one_marker,
                    text=one_text,
                    table_id=f"t{last_table}" if last_table is not None else None,
                    section_id=smap.block_section[bi],
                    prov=list(block.prov),
                )
            )
    return out


def split_footnote_line(marker: str, text: str, block) -> list[tuple[str, str]]:  # noqa: ANN001
    """One line holding several footnotes ("¹ … ² … ³ …") -> one (marker, text) per footnote.

    A later marker starts a new footnote unless it is glued to a word (a footnote marker glued to a
    word is a reference inside the footnote's text, not a new footnote).
    """
    refs = block.footnote_refs
    if block.kind == BlockKind.footnote:
        start, later = 0, refs if block.marker else refs[1:]
    elif refs and refs[0].offset == 0:
        start, later = 0, refs[1:]
    else:
        return [(marker, text)]
    raw = block.text
    cuts = [r for r in later if 0 < r.offset <= len(raw) and not raw[r.offset - 1].isalnum()]
    if not cuts:
        return [(marker, text)]
    pieces: list[tuple[str, str]] = []
    current = marker
    for ref in cuts:
        pieces.append((current, clean_text(raw[start : ref.offset]).rstrip(" >")))
        start, current = ref.offset, ref.marker.strip()
    pieces.append((current, clean_text(raw[start:])))
    return [(m, t) for m, t in pieces if t]


def find_all_facts(segs: SegmentIndex, lang: str) -> dict[str, list[Fact]]:
    """Facts of every segment (not headings), ids ``<segment-id>-f<n>``; {} until facts.py is usable."""
    try:
        from pipeline.normalize.facts import find_facts
    except ImportError:
        return {}
    out: dict[str, list[Fact]] = {}
    for seg in segs.segments:
        if seg.kind.value == "heading" or not re.search(r"\d|\w", seg.text):
            continue
        try:
            found = find_facts(seg.text, lang)  # the document language: short cells are often mis-detected
        except Exception:  # noqa: BLE001 - one odd sentence must not lose the document
            continue
        facts = []
        for k, fact in enumerate(found, start=1):
            facts.append(
                fact.model_copy(update={"id": f"{seg.id}-f{k}", "segment_id": seg.id, "prov": list(seg.prov)})
            )
        if facts:
            out[seg.id] = facts
    return out


def normalize(doc: Document, glossary: Glossary | None = None) -> ServiceDescription:
    lang = document_language(doc)
    info = document_info(doc, lang)
    smap = build_sections(doc)
    segs = build_segments(doc, smap)
    kinds = classify_tables(doc)
    ctx = Ctx(doc=doc, smap=smap, segs=segs, kinds=kinds, glossary=glossary, lang=lang)

    from_availability_tables(ctx)
    from_feature_tables(ctx)
    has_feature_tables = TableKind.feature_plan in kinds.values()
    attach_definitions(ctx, create=not has_feature_tables)
    if TableKind.availability in kinds.values():
        offers_from_headings(ctx)
    attach_sections(ctx)
    from_prose(ctx)
    for offer in ctx.offers:
        enrich(ctx, offer)

    sla_tables = find_slas(doc, smap, kinds, lambda n: plan_id(n, lang, glossary))

    facts_by_seg = find_all_facts(segs, lang)
    cell_of = {sid: key for key, ids in segs.by_cell.items() for sid in ids}
    for offer in ctx.offers:
        offer.segment_ids = list(dict.fromkeys(offer.segment_ids))
        for sid in offer.segment_ids:
            for fact in facts_by_seg.get(sid, []):
                fact.offer_id = fact.offer_id or offer.id
        offer.facts = [
            f for sid in offer.segment_ids for f in facts_by_seg.get(sid, []) if f.offer_id == offer.id
        ]
        if offer.plan_values and offer.table_id:
            bi = int(offer.table_id[1:])
            by_col = {}
            for sid in offer.segment_ids:
                key = cell_of.get(sid)
                if key and key[0] == bi:
                    by_col.setdefault(key[2], []).extend(facts_by_seg.get(sid, []))
            for col, value in enumerate(offer.plan_values, start=1):
                value.facts = by_col.get(col, [])
    all_facts = [f for seg in segs.segments for f in facts_by_seg.get(seg.id, [])]

    return ServiceDescription(
        document=info,
        sections=smap.sections,
        offers=ctx.offers,
        sla_tables=sla_tables,
        facts=all_facts,
        footnotes=collect_footnotes(doc, smap, kinds),
        segments=segs.segments,
        findings=[*extraction_findings(doc), *ctx.findings],
    )


def extraction_findings(doc: Document) -> list[Finding]:
    """What the reader warned about (pages without text, a Word file's unaccepted tracked changes) as
    N100 findings, so ``validate`` and the catalog report it rather than a log line nobody reads."""
    return [Finding(code="N100", severity=FindingSeverity.warning, message=w) for w in doc.warnings]
