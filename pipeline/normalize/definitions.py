"""Offers from text: "Name: description" definitions, headings that name a service, sections.

Sub-steps of the ``offers`` component (after the table readers of :mod:`pipeline.normalize.offers`,
over the same :class:`~pipeline.normalize.offers.Ctx`):

* :func:`attach_definitions` — "Name : description" paragraphs and list items attach to the offer of
  the same name (fuzzy) or create one; following paragraphs, "Conditions préalables" /
  "Prerequisites" and "Vos responsabilités" / "Customer responsibilities" lists go with it. A
  definition that states an SLA commitment (:func:`is_commitment_definition`) is never an offer.
* :func:`offers_from_headings`, :func:`offers_from_section_headings` — a heading that names a
  service (with an acronym, or under an "Included/Optional services" heading) is an offer.
* :func:`attach_sections` — a heading naming an offer gives it the text of its section.
"""

from __future__ import annotations

import functools
import re

from pipeline.extract.model import BlockKind
from pipeline.lexicon import load_all
from pipeline.normalize.glossary import variant_keys
from pipeline.normalize.marks import section_availability
from pipeline.normalize.model import Availability, Offer, Section
from pipeline.normalize.offers import (
    Ctx,
    acronym_in_text,
    acronym_of,
    category_path,
    find_offer,
    new_offer,
    section_availability_of,
)
from pipeline.normalize.tables import TableKind
from pipeline.textutil import clean_text, fold_for_match

_DEF = re.compile(r"^(?P<name>[^:;.!?]{2,140}?)\s*:\s+(?P<desc>\S.{8,})$", re.S)


def _words(key: str) -> list[str]:
    """Folded phrases under ``key`` of ``definitions.yaml``, every language, longest first."""
    out = {
        fold_for_match(str(w))
        for data in load_all("definitions").values()
        for w in (data or {}).get(key) or []
    }
    return sorted(out, key=lambda w: (-len(w), w))


def _alt(key: str) -> str:
    return "|".join(re.escape(w) for w in _words(key)) or r"(?!)"


@functools.cache
def _heads() -> dict[str, re.Pattern[str]]:
    """Matchers on folded text: a whole label (``not_names``), a title's start (``…_heads``, a note label)."""
    return {
        "not_name": re.compile(rf"^(?:{_alt('not_names')})\s*$"),
        "note": re.compile(rf"^(?:{_alt('note_labels')})\b"),
        "conditions": re.compile(rf"^(?:(?:{_alt('conditions_heads')})\b|(?:{_alt('conditions_titles')})$)"),
        "responsibilities": re.compile(rf"^(?:{_alt('responsibilities_heads')})\b"),
    }


def parse_definition(text: str) -> tuple[str, str] | None:
    m = _DEF.match(clean_text(text))
    if not m:
        return None
    name, desc = m.group("name").strip(), m.group("desc").strip()
    if not name[:1].isupper() and not name[:1].isdigit():
        return None
    folded = fold_for_match(name)
    if (
        len(re.sub(r"\([^)]*\)", " ", name).split()) > 14
        or _heads()["not_name"].match(folded)
        or _heads()["note"].match(folded)
    ):
        return None
    if len(desc.split()) < 3:
        return None
    return name, desc


_DASH_DEF = re.compile(r"^(?P<name>[^–—:.!?]{2,100}?)\s+[–—]\s+(?P<desc>\S.{8,})$", re.S)


def _dash_definition(ctx: Ctx, text: str, listed: bool = False) -> tuple[str, str] | None:
    """ "Onboarding Services – help to …": a dash definition, for a name that is already an offer or,
    ``listed``, for any capitalised name (an item under an "Included services" heading)."""
    m = _DASH_DEF.match(clean_text(text))
    if not m or len(m.group("desc").split()) < 3:
        return None
    name = m.group("name").strip()
    if listed and name[:1].isupper() and len(name.split()) <= 8:
        return name, m.group("desc").strip()
    return (name, m.group("desc").strip()) if find_offer(ctx, name, acronym_of(name)) is not None else None


def _mode_of(text: str) -> str | None:
    f = fold_for_match(text).strip(" :")
    if len(f.split()) > 12:
        return None
    if _heads()["responsibilities"].match(f):
        return "responsibilities"
    if _heads()["conditions"].match(f):
        return "conditions"
    return None


def _chapter(ctx: Ctx, section_id: str | None) -> str | None:
    """The deepest numbered section above (``2.2``): offers are defined chapter by chapter."""
    numbered = [s.id for s in ctx.smap.path(section_id) if s.number]
    return numbered[-1] if numbered else None


def _glossed_offer(ctx: Ctx, desc: str) -> Offer | None:
    """An undescribed offer whose name the first sentence of a definition glosses in parentheses."""
    first = desc[:240]
    for m in re.finditer(r"\(([^()]{3,80})\)", first):
        offer = find_offer(ctx, m.group(1))
        if offer is not None and not offer.description:
            return offer
    return None


_NEXT_DEFINITION = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý][^:.!?]{1,60}?\s?:\s)")


def _definition_units(ctx: Ctx):  # noqa: ANN202 - generator of (block index, block, text)
    """Blocks with their text; under an "Included/Optional services" heading a paragraph holding
    several "Name: description." definitions (PDF paragraphs set close together read as one) is
    cut before each name."""
    for bi, block in enumerate(ctx.doc.blocks):
        text = clean_text(block.text)
        if block.kind == BlockKind.paragraph and section_availability_of(ctx, ctx.smap.block_section[bi]):
            for piece in _NEXT_DEFINITION.split(text):
                yield bi, block, piece
        else:
            yield bi, block, text


def is_commitment_definition(name: str, desc: str) -> bool:
    """A "Name: text" that states an SLA commitment, not a service: a level ("P1 – Critical failure:
    the software is unusable …") or a metric followed by its value ("Restoration time (GTR): 4
    business hours.", "Monthly uptime commitment: 99.9% for …"). A service whose name holds a metric
    word ("On-site intervention: a technician comes within 4 hours") starts with words, not a value."""
    from pipeline.normalize.sla.tables import value_target  # lazy: sla imports tables
    from pipeline.normalize.sla.vocab import is_severity_label, metric_of

    if is_severity_label(name):
        return True
    metric = metric_of(name)
    if metric is None:
        return False
    first = re.split(r",\s|;|\.\s", desc, maxsplit=1)[0]
    lead = " ".join(
        first.split()[:3]
    )  # the value opens the text: "1 hour", "within 4 hours", "99,9 % pour …"
    return bool(re.search(r"\d", lead)) and value_target(first, metric, "all", "all", False) is not None


def attach_definitions(ctx: Ctx, create: bool) -> None:
    """Walk the blocks once: definitions, their continuation and their condition/responsibility lists.

    When the document has availability tables, new offers are made from definitions only in the
    chapters that hold such a table (elsewhere "Name : text" defines terms, not services). The
    first unmatched definition under a heading that names an offer describes that offer
    ("Gestion des événements Azure" > "Microsoft Azure Event Management (« AEM ») : …").
    """
    chapters = {
        _chapter(ctx, ctx.smap.block_section[bi])
        for bi, k in ctx.kinds.items()
        if k is TableKind.availability
    }
    current: Offer | None = None
    heading_offer: Offer | None = None
    mode: str | None = None
    for bi, block, text in _definition_units(ctx):
        if block.kind == BlockKind.table:
            current, mode = None, None
            continue
        if block.kind == BlockKind.heading:
            mode = _mode_of(text)
            if mode is None:
                current = heading_offer = find_offer(ctx, text)
            continue
        if block.kind not in {BlockKind.paragraph, BlockKind.list_item}:
            continue
        if block.kind == BlockKind.paragraph and (m := _mode_of(text)) is not None:
            mode = m
            continue
        listed = section_availability_of(ctx, ctx.smap.block_section[bi]) is not None
        parsed = parse_definition(text) if mode is None or block.kind == BlockKind.paragraph else None
        if parsed is None and mode is None and (dashed := _dash_definition(ctx, text, listed)) is not None:
            parsed = dashed
        if parsed:
            name, desc = parsed
            acronym = acronym_of(name)
            offer = find_offer(ctx, name, acronym)
            if offer is None and heading_offer is not None and not heading_offer.description:
                offer = heading_offer
            if offer is None:
                offer = _glossed_offer(ctx, desc)
                if offer is not None:  # "Rapid Response : la solution … (réponse rapide)" names the table row
                    for key in variant_keys(name):
                        ctx.aliases.setdefault(key, offer)
            may_create = listed or (
                create and (not chapters or _chapter(ctx, ctx.smap.block_section[bi]) in chapters)
            )
            if offer is None and may_create and is_commitment_definition(name, desc):
                current, mode = None, None  # an SLA commitment, read by normalize.sla: never an offer
                continue
            if offer is None and may_create:
                offer = new_offer(
                    ctx,
                    re.sub(r"\s*\([^)]*\)\s*$", "", name) if acronym else name,
                    section_id=ctx.smap.block_section[bi],
                    category=category_path(ctx, ctx.smap.block_section[bi]),
                    prov=list(block.prov),
                )
            if offer is not None:
                same_chapter = _chapter(ctx, offer.section_id) == _chapter(ctx, ctx.smap.block_section[bi])
                if offer.description and desc not in offer.description and same_chapter:
                    offer.description = f"{offer.description} {desc}"
                elif not offer.description:
                    offer.description = desc
                offer.acronym = offer.acronym or acronym
                offer.prov.extend(p for p in block.prov if p not in offer.prov)
                offer.segment_ids.extend(ctx.segs.by_block.get(bi, []))
                current, mode = offer, None
                continue
        if current is None:
            continue
        if mode == "conditions" and block.kind == BlockKind.list_item:
            current.conditions.append(text)
        elif mode == "responsibilities" and block.kind == BlockKind.list_item:
            current.responsibilities.append(text)
        elif (
            block.kind == BlockKind.paragraph
            and mode is None
            and current.description
            and not re.search(r"[.!?:»)]$", current.description)
        ):
            current.description = f"{current.description} {text}"  # paragraph split by a page break
        # a paragraph inside a conditions/responsibilities part ("Pour optimiser …, vous devez :") keeps the mode
        current.segment_ids.extend(s for s in ctx.segs.by_block.get(bi, []) if s not in current.segment_ids)


def offers_from_headings(ctx: Ctx) -> None:
    """A heading whose first paragraph names it with an acronym is a service of its own.

    "Gestion de la prestation de services" > "La Gestion de la Prestation de Services (SDM) est
    incluse dans vos services de support…": an offer SDM, included. Only in chapters that hold
    availability tables, and only when no offer has that name yet.
    """
    chapters = {
        _chapter(ctx, ctx.smap.block_section[bi])
        for bi, k in ctx.kinds.items()
        if k is TableKind.availability
    }
    blocks = ctx.doc.blocks
    for bi, block in enumerate(blocks):
        if block.kind != BlockKind.heading or _chapter(ctx, ctx.smap.block_section[bi]) not in chapters:
            continue
        title = clean_text(block.text)
        if find_offer(ctx, title) is not None or _mode_of(title):
            continue
        for j in range(bi + 1, min(bi + 3, len(blocks))):
            b = blocks[j]
            if b.kind != BlockKind.paragraph:
                break
            text = clean_text(b.text)
            acronym = acronym_in_text(title, text)
            if not acronym:
                continue
            sentence = next((s for s in re.split(r"(?<=\.)\s+", text) if acronym in s), text)
            f = fold_for_match(sentence)
            availability = Availability.unknown
            if re.search(r"\b(est|sont) inclu|\bis included|\bare included", f):
                availability = Availability.included
            offer = new_offer(
                ctx,
                title,
                acronym=acronym,
                availability=availability,
                description=text,
                category=category_path(
                    ctx,
                    (ctx.smap.by_id(ctx.smap.block_section[bi]) or Section(id="", title="", level=0)).parent,
                ),
                section_id=ctx.smap.block_section[bi],
                prov=list(block.prov),
            )
            offer.segment_ids.extend(ctx.segs.by_block.get(j, []))
            break


def offers_from_section_headings(ctx: Ctx) -> None:
    """Under an "Optional services" / "Services inclus" heading, each sub-heading with text below it
    is a service (its availability comes from its text, else from the heading above, in
    :func:`from_prose`; its description from :func:`attach_sections`)."""
    blocks = ctx.doc.blocks
    for bi, block in enumerate(blocks):
        if block.kind != BlockKind.heading:
            continue
        section = ctx.smap.by_id(ctx.smap.block_section[bi])
        if section is None or section_availability(section.title) is not None:
            continue
        if section_availability_of(ctx, section.parent) is None:
            continue
        title = clean_text(block.text)
        if not title or len(title.split()) > 10 or find_offer(ctx, title) is not None or _mode_of(title):
            continue
        nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
        if nxt is None or nxt.kind not in {BlockKind.paragraph, BlockKind.list_item}:
            continue  # a heading over headings groups services; it is not one
        new_offer(
            ctx,
            title,
            section_id=section.id,
            category=category_path(ctx, section.parent),
            prov=list(block.prov),
        )


def attach_sections(ctx: Ctx) -> None:
    """A heading that names an offer gives the offer its section text (description when missing)."""
    blocks = ctx.doc.blocks
    for bi, block in enumerate(blocks):
        if block.kind != BlockKind.heading:
            continue
        offer = find_offer(ctx, clean_text(block.text))
        if offer is None:
            continue
        level = block.level or 1
        offer.segment_ids.extend(s for s in ctx.segs.by_block.get(bi, []) if s not in offer.segment_ids)
        paragraphs: list[str] = []
        for j in range(bi + 1, len(blocks)):
            b = blocks[j]
            if b.kind == BlockKind.heading and (b.level or 1) <= level:
                break
            if b.kind == BlockKind.table:
                continue
            if b.kind == BlockKind.paragraph and clean_text(b.text):
                paragraphs.append(clean_text(b.text))
            offer.segment_ids.extend(s for s in ctx.segs.by_block.get(j, []) if s not in offer.segment_ids)
        paragraphs = [p for p in paragraphs if len(p.split()) >= 5 and not p.endswith(":")]
        if not offer.description and paragraphs:
            parsed = parse_definition(paragraphs[0])
            offer.description = parsed[1] if parsed else paragraphs[0]
        offer.section_id = offer.section_id or ctx.smap.block_section[bi]
