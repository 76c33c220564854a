"""Offers from tables: one offer per service row of a ✓/+ table, one per feature row of a plan table.

Sub-steps of the ``offers`` component (the first ones, over :class:`~pipeline.normalize.offers.Ctx`):

* :func:`from_availability_tables` — one offer per service row of a ✓/+ table; the legends under
  the table ("✓ - Inclus…", "+ - Service supplémentaire…", "✓1 – Services … pouvant être
  fournis") decide what each mark means; category = headings above the table.
* :func:`from_feature_tables` — one offer per feature row of a feature x plan table, with
  ``plan_values`` per plan column (Yes/Oui -> included, No/Non -> not_available, limits ->
  included + facts); rows the SLA readers take as commitments are not offers.
"""

from __future__ import annotations

import re

from pipeline.extract.model import BlockKind, Document
from pipeline.normalize.ids import clean_name
from pipeline.normalize.marks import (
    glyph_class,
    is_legend_title,
    legend_meaning,
    parse_legends,
    read_mark_phrase,
    read_words,
    split_footnote,
    status_of,
)
from pipeline.normalize.model import Availability, PlanValue
from pipeline.normalize.offers import Ctx, category_path, find_offer, new_offer, plan_id
from pipeline.normalize.tables import (
    TableKind,
    body_rows,
    canonical_mark,
    cell_text,
    header_texts,
    is_availability_word,
    is_dash,
    parse_mark,
)
from pipeline.textutil import clean_text, fold_for_match

# ---------------------------------------------------------------------------- availability tables

_DESC_HEAD = re.compile(
    r"^(description|details|detail|what you get|ce que vous obtenez|contenu|scope|etendue)\b"
)


def legends_after(doc: Document, bi: int) -> list[tuple[str, str, str, int]]:
    """(mark as printed, footnote digit, text, block index) of the legend lines around table ``bi``.

    Under the table first (a legend paragraph may hold several: "✓ - Inclus… + - Service…",
    "✔ : inclus ; — : non disponible"); a footnote digit split off a mark ("✓1") is found through
    the block's footnote offsets. Then a "Legend: …" / "Légende : …" paragraph right above it.
    """
    out = []
    for j in range(bi + 1, min(bi + 8, len(doc.blocks))):
        block = doc.blocks[j]
        if block.kind in {BlockKind.heading, BlockKind.table}:
            break
        text = clean_text(block.text)
        marker = clean_text(block.marker or "") if block.kind == BlockKind.list_item else ""
        if marker and glyph_class(marker) and not is_dash(marker) and marker not in "*•":
            text = f"{marker} {text}"  # "● Included …" read as a bulleted line
        found = parse_legends(text)
        for glyph, digit, meaning, lo in found:
            if not digit:
                digit = next((r.marker for r in block.footnote_refs if lo <= r.offset <= lo + 2), "")
            out.append((glyph, digit, meaning, j))
        if not found and block.kind != BlockKind.footnote and out:
            break
        if not found and not out and j > bi + 2:
            break
    if not out:
        for j in range(bi - 1, max(bi - 3, -1), -1):
            block = doc.blocks[j]
            if block.kind in {BlockKind.heading, BlockKind.table}:
                break
            text = clean_text(block.text)
            if is_legend_title(text):
                out += [(g, d, t, j) for g, d, t, _ in parse_legends(text)]
                break
    return out


def legend_words(doc: Document, bi: int) -> frozenset[str]:
    """Word marks ("GA", "PV", "O") that the legend around table ``bi`` defines: cells holding them are marks."""
    return frozenset(m for m, _, _, _ in legends_after(doc, bi) if m[:1].isalpha() and m not in {"x", "X"})


def legend_status(doc: Document, bi: int) -> dict[str, str]:
    """Status levels the legend around table ``bi`` gives its marks ("GA = generally available")."""
    out: dict[str, str] = {}
    for m, _, text, _ in legends_after(doc, bi):
        level = status_of(text) or status_of(re.split(r"[(,;]", text)[0])
        if level is not None:
            out.setdefault(m, level.key)
    return out


def _legend_table(doc: Document, bi: int) -> dict[tuple[str, str], Availability]:
    """Legend meanings by (printed glyph, digit) and by (glyph class, digit)."""
    legends = [(m, d, legend_meaning(m, t)) for m, d, t, _ in legends_after(doc, bi)]
    meaning: dict[tuple[str, str], Availability] = {}
    for m, d, value in legends:  # a glyph's own legend first …
        meaning.setdefault((m, d), value)
    for m, d, value in legends:  # … then its class: ✓/✔ and +/⊞ print one mark; ✘ and ○ are different marks
        cls = canonical_mark(m)
        if cls != m and cls != "not_available":
            meaning.setdefault((cls, d), value)
    return meaning


def word_availability(text: str) -> Availability:
    """Availability written as a word ("Included", "Add-on", "Service supplémentaire", "Rolling out")."""
    reading = read_words(text)
    return reading.availability if reading is not None else Availability.unknown


def mark_availability(
    glyph: str,
    digit: str,
    meaning: dict[tuple[str, str], Availability],
    by_column: Availability | None,
    own_legend: bool = True,
) -> Availability:
    """A mark's availability: its legend (glyph + footnote, class + footnote), the column's word
    ("Service | Included | Add-on"), the legend of the bare glyph, then the vocabulary's default.

    ``own_legend``: in a service list a mark with a footnote ("✓1") has a legend of its own or none
    (then the bare glyph's legend does not apply); in a plan cell the footnote is only a note."""
    cls = canonical_mark(glyph)
    column = by_column if by_column not in (None, Availability.unknown) else None
    if own_legend and digit and (glyph, digit) not in meaning and (cls, digit) not in meaning:
        return column or legend_meaning(glyph, "")
    return (
        meaning.get((glyph, digit))
        or meaning.get((cls, digit))
        or column
        or meaning.get((glyph, ""))
        or meaning.get((cls, ""))
        or legend_meaning(glyph, "")
    )


def tables_of_kind(ctx: Ctx, wanted: TableKind):  # noqa: ANN201 - generator of a 4-tuple
    """``(block index, block, table, section id)`` of every table classified as ``wanted``, in order."""
    for bi, kind in sorted(ctx.kinds.items()):
        block = ctx.doc.blocks[bi]
        if kind is wanted and block.table is not None:
            yield bi, block, block.table, ctx.smap.block_section[bi]


def _name_column(rows: list) -> int:  # noqa: ANN001 - rows of TableCell
    """1 when the first column is a sparse group column ("Area | Feature | Status"), else 0."""
    rows = [r for r in rows if len(r) >= 3]
    if len(rows) < 3:
        return 0
    first = sum(1 for r in rows if cell_text(r[0]))
    second = sum(1 for r in rows if cell_text(r[1]) and not is_availability_word(cell_text(r[1])))
    return 1 if first * 2 < len(rows) and second * 10 >= 8 * len(rows) else 0


def from_availability_tables(ctx: Ctx) -> None:
    for bi, block, table, section_id in tables_of_kind(ctx, TableKind.availability):
        meaning = _legend_table(ctx.doc, bi)
        statuses = legend_status(ctx.doc, bi)
        words = {m for m, _ in meaning if m[:1].isalpha()}
        category = category_path(ctx, section_id)
        header = [fold_for_match(h) for h in header_texts(table)]
        desc_col = next((i for i, h in enumerate(header) if i and _DESC_HEAD.search(h)), None)
        group: str | None = None
        rows = body_rows(table)
        nc = _name_column(rows)
        for row in rows:
            texts = [cell_text(c) for c in row]
            if nc and texts and texts[0]:
                group = clean_name(texts[0])  # "Area | Feature | Status": a sparse first column groups rows
            texts = texts[nc:]
            row = row[nc:]
            if not texts or not texts[0]:
                continue
            legend_cell = next((c for c in row[1:] if split_footnote(cell_text(c))[0] in words), None)
            mark_cell = next((c for c in row[1:] if parse_mark(cell_text(c))), None)
            word_cell = next((c for c in row[1:] if is_availability_word(cell_text(c))), None)
            if legend_cell is None and mark_cell is None and word_cell is None and not any(texts[1:]):
                group = clean_name(texts[0])  # a group row ("Planning Services" across the table): a category
                continue
            availability, printed, footnotes, status = Availability.unknown, None, [], None
            if legend_cell is not None:  # "GA", "PV": word marks the document's legend defines
                token, digit = split_footnote(cell_text(legend_cell))
                availability = meaning.get((token, digit)) or meaning[(token, "")]
                printed, status = cell_text(legend_cell), statuses.get(token)
            elif mark_cell is not None:
                glyph, digit = parse_mark(cell_text(mark_cell))  # type: ignore[misc]
                if not digit and mark_cell.footnote_refs:
                    digit = mark_cell.footnote_refs[0].marker
                printed = f"{glyph}{digit}"
                footnotes = [digit] if digit else []
                # "Service | Included | Add-on" tables: the same tick means what its column says
                column = mark_cell.col if mark_cell.col < len(header) else -1
                by_column = (
                    word_availability(header[column])
                    if column > 0 and canonical_mark(glyph) != "not_available"
                    else None
                )
                availability = mark_availability(glyph, digit, meaning, by_column)
            elif word_cell is not None:
                reading = read_words(cell_text(word_cell), ctx.lang)
                availability, printed = word_availability(cell_text(word_cell)), cell_text(word_cell)
                status = reading.status if reading else None
            name_cell = row[0]
            offer = new_offer(
                ctx,
                texts[0],
                category=category + ([group] if group else []),
                availability=availability,
                availability_mark=printed,
                status=status,
                footnotes=footnotes + [r.marker for r in name_cell.footnote_refs],
                table_id=f"t{bi}",
                section_id=section_id,
                prov=list(name_cell.prov or block.prov),
            )
            d = desc_col - nc if desc_col is not None else None
            if d is not None and 0 < d < len(texts) and texts[d] and not offer.description:
                offer.description = texts[d]  # "Service | Description | Availability" tables
            for c in row:
                offer.segment_ids.extend(ctx.segs.by_cell.get((bi, c.row, c.col), []))


# ------------------------------------------------------------------------------ feature x plan tables


def value_availability(text: str, legend: dict[tuple[str, str], Availability] | None = None) -> Availability:
    """What one plan cell says: marks (✓ ✔ ● ⊞ ✘ ○ x …, the legend first), words (Yes/Non/Add-on/Sur
    devis …), status words, else a value (a limit such as "25 TB": included). A sign nobody defines is
    ``unknown`` (check V110)."""
    return read_plan_cell(text, legend)[0]


def read_plan_cell(
    text: str,
    legend: dict[tuple[str, str], Availability] | None = None,
    lang: str | None = None,
    statuses: dict[str, str] | None = None,
) -> tuple[Availability, str | None]:
    """(availability, status level) of a plan cell; see :func:`value_availability`. ``statuses``: the
    status level the document's legend gives a mark ("GA = generally available")."""
    f = fold_for_match(text).strip(" .*")
    if not f:
        return Availability.unknown, None
    token, note = split_footnote(text)
    if legend and token[:1].isalpha() and ((token, note) in legend or (token, "") in legend):
        return legend.get((token, note)) or legend[(token, "")], (statuses or {}).get(token)
    mark = parse_mark(text)
    if mark is not None:
        return mark_availability(mark[0], mark[1], legend or {}, None, own_legend=False), None
    reading = read_words(text, lang)
    if reading is not None:
        return reading.availability, reading.status
    phrase = read_mark_phrase(text)
    if phrase is not None:
        return phrase, None
    if re.match(r"(yes|oui)\b", f):
        return Availability.included, None
    if re.match(r"(no|non|not)\b(?!\s*°)", f):
        return Availability.not_available, None
    if len(re.sub(r"[^\w]", "", f)) <= 2 and not re.search(r"\d", f):
        return Availability.unknown, None  # "N °" and other stray marks: not a value we can read
    return Availability.included, None


def overall_availability(values: list[PlanValue]) -> Availability:
    """A feature row's availability over its plans: included in any plan wins, then add-on, then limited."""
    known = {v.availability for v in values} - {Availability.unknown}
    for candidate in (
        Availability.included,
        Availability.additional,
        Availability.included_conditional,
        Availability.additional_limited,
        Availability.not_available,
    ):
        if candidate in known:
            return candidate
    return Availability.unknown


def _mark_note(text: str) -> list[str]:
    """The footnote marker printed on a mark ("✓*" -> ["*"]) when the reader kept it in the text."""
    mark = parse_mark(text)
    return [mark[1]] if mark and mark[1] else []


def _blank_means_no(table) -> bool:  # noqa: ANN001 - a Table
    """In a matrix of signs (✔ / ● …) an empty plan cell is "not in this plan", the way it is printed."""
    cells = [cell_text(c) for r in body_rows(table) if any(cell_text(c) for c in r[1:]) for c in r[1:]]
    filled = [t for t in cells if t]
    marks = sum(1 for t in filled if parse_mark(t))
    return len(filled) < len(cells) and marks >= 2 and marks * 10 >= 8 * len(filled)


def from_feature_tables(ctx: Ctx) -> None:
    """One offer per feature row of a plan table, with a plan cell per column.

    Rows the SLA readers take as commitments are not offers: a metric row with values
    ("Response time | 8 business hours | 1 h") or the plans' hours ("8x5 | 24/7"), and every row of
    a table whose columns are levels ("Target | P1 | P2"). Rows of marks ("Monthly report | No |
    Yes") stay offers. A plain attribute row ("Channels | Ticket | Ticket, phone") stays an offer
    with text plan cells: the model has no plan attribute, and diff follows the row as an offer.
    """
    from pipeline.normalize.sla.matrix import is_commitment_row, is_transposed  # lazy: sla imports tables

    for bi, block, table, section_id in tables_of_kind(ctx, TableKind.feature_plan):
        header = header_texts(table)
        if is_transposed(header):
            continue  # levels as columns: an SLA table read by normalize.sla, never offers
        base_category = category_path(ctx, section_id)
        legend = _legend_table(ctx.doc, bi)
        statuses = legend_status(ctx.doc, bi)
        blank_is_no = _blank_means_no(table)
        group: str | None = None
        for row in body_rows(table):
            texts = [cell_text(c) for c in row]
            if not texts or not texts[0]:
                continue
            if len(texts) > 1 and not any(texts[1:]):
                group = clean_name(texts[0])  # a group row: "**Archive features …**" with empty cells
                continue
            if is_commitment_row(header, texts):
                continue
            values = []
            for i, cell in enumerate(row[1:], start=1):
                plan = clean_name(header[i]) if i < len(header) and header[i] else f"column {i + 1}"
                values.append(
                    PlanValue(
                        plan=plan,
                        plan_id=plan_id(plan, ctx.lang, ctx.glossary),
                        text=texts[i],
                        availability=(read := read_plan_cell(texts[i], legend, ctx.lang, statuses))[0]
                        if texts[i] or not blank_is_no
                        else Availability.not_available,
                        status=read[1],
                        footnotes=[r.marker for r in cell.footnote_refs] or _mark_note(texts[i]),
                        table_id=f"t{bi}",
                        row=cell.row,
                        col=cell.col,
                    )
                )
            overall = overall_availability(values)
            existing = find_offer(ctx, texts[0])
            if existing is not None and existing.table_id and existing.plan_values:
                existing.plan_values.extend(values)
                continue
            offer = new_offer(
                ctx,
                texts[0],
                category=base_category + ([group] if group else []),
                availability=overall,
                plan_values=values,
                footnotes=[r.marker for r in row[0].footnote_refs],
                table_id=f"t{bi}",
                section_id=section_id,
                prov=list(row[0].prov or block.prov),
            )
            for c in row:
                offer.segment_ids.extend(ctx.segs.by_cell.get((bi, c.row, c.col), []))
