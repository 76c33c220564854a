"""Component ``offers``: reads tables, definition paragraphs and section headings; writes offers.

This module holds the working context (:class:`Ctx`), ids, categories and name matching that
every sub-step shares, and the last sub-steps. Sub-steps, each a function over the document:

1. offers from tables (availability tables, feature x plan tables): :mod:`pipeline.normalize.offer_tables`.
2. offers from text (definitions, headings, sections): :mod:`pipeline.normalize.definitions`.
3. :func:`from_prose` — typed conditions and prices from each offer's paragraph.
4. :func:`enrich` — acronym, delivery (remote/onsite), hours, delivery languages
   (:mod:`pipeline.normalize.enrich`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from pipeline.extract.model import Document
from pipeline.lexicon import load_all
from pipeline.normalize.enrich import delivery_of, hours_of, languages_of
from pipeline.normalize.glossary import Glossary, match_key, variant_keys
from pipeline.normalize.ids import clean_name, name_id, unique
from pipeline.normalize.marks import (
    section_availability,
)
from pipeline.normalize.model import Availability, Finding, FindingSeverity, Offer
from pipeline.normalize.sections import SectionMap
from pipeline.normalize.segments import SegmentIndex
from pipeline.normalize.tables import (
    TableKind,
)
from pipeline.normalize.terms import prose_availability, read_terms
from pipeline.textutil import fold_for_match


@dataclass
class Ctx:
    doc: Document
    smap: SectionMap
    segs: SegmentIndex
    kinds: dict[int, TableKind]
    glossary: Glossary | None
    lang: str
    offers: list[Offer] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    #: block indexes that hold an offer's text, by offer id (facts and segments follow them)
    texts: dict[str, list[str]] = field(default_factory=dict)
    #: other names an offer goes by in the text (match key -> offer), e.g. "Rapid Response" for "Réponse rapide"
    aliases: dict[str, Offer] = field(default_factory=dict)
    #: the deepest section holding every service table (computed once, see :func:`service_root`)
    root: list[str | None] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- ids


def new_offer(ctx: Ctx, name: str, **kw) -> Offer:  # noqa: ANN003
    name = clean_name(name)
    oid, source = name_id(name, ctx.lang, ctx.glossary)
    oid = unique(oid, ctx.taken)
    offer = Offer(id=oid, name=name, id_source=source, **kw)
    if source.value == "fallback":
        ctx.findings.append(
            Finding(
                code="N101",
                severity=FindingSeverity.info,
                message=f"no glossary entry for {ctx.lang} name {name!r}: fallback id {oid!r}; add the term to the glossary",
                offer_id=oid,
                prov=list(kw.get("prov") or []),
            )
        )
    ctx.offers.append(offer)
    ctx.texts.setdefault(oid, [])
    return offer


def plan_id(name: str, lang: str, glossary: Glossary | None) -> str:
    return name_id(name, lang, glossary)[0]


#: numbered chapters that name the whole document's content, not a family of services
_GENERIC_CHAPTER = re.compile(
    r"^(description (des |of (the )?)?services?|services? descriptions?|descriptions? des services|"
    r"services de support|support services|services|overview|vue d'ensemble|presentation( des services)?|"
    r"about( this document)?|a propos( de ce document)?|introduction)$"
)
_SERVICE_TABLES = {TableKind.availability, TableKind.feature_plan, TableKind.severity}


def service_root(ctx: Ctx) -> str | None:
    """The deepest section that holds every service table (availability, plans, severities).

    Numbered sections below it are service families ("2.3 Enhanced Services", "1.1 Proactive
    Services") and belong in category paths; those above it are the document's chapters.
    """
    if ctx.root:
        return ctx.root[0]
    anchors = [ctx.smap.block_section[bi] for bi, k in sorted(ctx.kinds.items()) if k in _SERVICE_TABLES]
    paths = [[s.id for s in ctx.smap.path(a)] for a in anchors if a]
    common: list[str] = []
    if paths:
        for ids in zip(*paths, strict=False):
            if len(set(ids)) != 1:
                break
            common.append(ids[0])
    if len(set(anchors)) == 1 and common:
        common.pop()  # one table section: its own title is its family
    ctx.root.append(common[-1] if common else None)
    return ctx.root[0]


def category_path(ctx: Ctx, section_id: str | None) -> list[str]:
    """Titles of the headings above: service families, without the document's chapters and title.

    Unnumbered headings are kept; numbered ones only below :func:`service_root` and when their
    title is not a generic chapter name ("2.2 Description des services").
    """
    path = ctx.smap.path(section_id)
    ids = [s.id for s in path]
    root = service_root(ctx)
    below = ids.index(root) + 1 if root in ids else len(ids)
    level1 = [s for s in ctx.smap.sections if s.level == 1]
    out = []
    for i, s in enumerate(path):
        if s.number and (i < below or _GENERIC_CHAPTER.match(fold_for_match(s.title))):
            continue
        if s.level == 1 and len(level1) == 1 and not s.number:
            continue
        if (
            ctx.smap.is_subtitle(s) and s.id != section_id
        ):  # a table right under it: its family, not a subtitle
            continue
        out.append(s.title)
    if not out:  # right under a numbered chapter ("2.3 Services et Solutions Améliorés"): use its title
        numbered = [s for s in path if s.number]
        out = [numbered[-1].title] if numbered else []
    return out


# ------------------------------------------------------------------------------------ name matching


@functools.cache
def _stop_words() -> frozenset[str]:
    """Words a name may add or drop and still be the same offer: function.yaml ``name_stop_words``."""
    return frozenset(
        fold_for_match(str(w))
        for data in load_all("function").values()
        for w in (data or {}).get("name_stop_words") or []
    )


def _tokens(name: str) -> set[str]:
    words = re.sub(r"\([^)]*\)", " ", match_key(name)).replace("'", " ").split()
    stop = _stop_words()
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in stop}


def find_offer(ctx: Ctx, name: str, acronym: str | None = None) -> Offer | None:
    """The offer called ``name`` (case/accents/plural-insensitive, acronym, token containment)."""
    keys = set(variant_keys(name))
    for key in keys:
        if key in ctx.aliases:
            return ctx.aliases[key]
    for offer in ctx.offers:
        if keys & set(variant_keys(offer.name)):
            return offer
    if acronym:
        for offer in ctx.offers:
            if offer.acronym and offer.acronym == acronym:
                return offer
    if ctx.glossary is not None:  # two names the glossary maps to one English term are one offer
        oid, source = name_id(name, ctx.lang, ctx.glossary)
        if source.value == "glossary":
            for offer in ctx.offers:
                if offer.id == oid:
                    return offer
    toks = _tokens(name)
    if len(toks) >= 3:
        for offer in ctx.offers:
            other = _tokens(offer.name)
            if len(other) >= 3 and (toks <= other or other <= toks) and len(toks ^ other) <= 1:
                return offer
    return None


# ------------------------------------------------------------------------------------ acronyms

_ACRONYM = re.compile(r"\(\s*[«\"“]?\s*([A-Za-z][A-Za-z0-9&/-]{1,10})\s*[»\"”]?\s*\)")


def acronym_of(name: str) -> str | None:
    for m in _ACRONYM.finditer(name):
        token = m.group(1)
        if sum(ch.isupper() for ch in token) >= 2 and " " not in token:
            return token
    return None


def section_availability_of(ctx: Ctx, section_id: str | None) -> Availability | None:
    """The availability a heading above says for its items ("Services inclus", "Optional services")."""
    for section in reversed(ctx.smap.path(section_id)):
        found = section_availability(section.title)
        if found is not None:
            return found
    return None


# ------------------------------------------------------------------------------------ prose terms


def from_prose(ctx: Ctx) -> None:
    """Typed conditions and prices from each offer's paragraph; availability from it, else from the
    section heading above ("Optional services"), for offers no table gave one."""
    for offer in ctx.offers:
        if offer.plan_values:
            continue  # feature rows: their cells say it per plan
        text = " ".join([offer.description or "", *offer.conditions])
        offer.terms = read_terms(text, ctx.lang) if text.strip() else []
        if offer.availability is not Availability.unknown:
            continue
        found = prose_availability(text, ctx.lang, offer.terms) if text.strip() else None
        if found is None and offer.table_id is None:
            found = section_availability_of(ctx, offer.section_id)
        if found is not None:
            offer.availability = found


# ------------------------------------------------------------------------------------------- enrich


def enrich(ctx: Ctx, offer: Offer) -> None:
    seg_text = {s.id: s.text for s in ctx.segs.segments}
    body = " ".join(
        [offer.description or "", *offer.conditions, *offer.responsibilities]
        + [seg_text[s] for s in offer.segment_ids if s in seg_text]
    )
    if not offer.acronym:
        offer.acronym = acronym_of(offer.name) or acronym_in_text(offer.name, body)
    if offer.plan_values:
        return  # feature rows: delivery/hours words in the row are plan limits, not service terms
    offer.delivery = offer.delivery or delivery_of(body)
    offer.hours = offer.hours or hours_of(" ".join([*offer.conditions, offer.description or "", body]))
    offer.languages = offer.languages or languages_of(body)


def acronym_in_text(name: str, text: str) -> str | None:
    target = match_key(name)
    if not target:
        return None
    for m in _ACRONYM.finditer(text):
        before = match_key(text[max(0, m.start() - len(name) - 8) : m.start()])
        if before.endswith(target) and sum(ch.isupper() for ch in m.group(1)) >= 2:
            return m.group(1)
    return None
