"""What the diff modules share: one edition's look-ups (title-block stamps set aside) and the
builders of :class:`Change` fields that the offer, SLA and section comparisons all use."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.diff.model import Change, ChangeKind, ChangeSeverity, EditionSummary
from pipeline.diff.rows import split_rows
from pipeline.diff.text import (
    condition_marker_count,
    norm_text,
    redline,
    strip_accents,
    text_key,
    tokenize,
)
from pipeline.extract.model import Provenance
from pipeline.normalize.model import Fact, Offer, Section, Segment, ServiceDescription
from pipeline.textutil import fold_for_match

K = ChangeKind
S = ChangeSeverity
SNIPPET = 300


# ---------------------------------------------------------------- edition context


_STAMP = re.compile(
    r"^(edition|version|published|updated|date de publication|mise a jour)\s*:?\s*[\w ,./-]{0,30}\d{4}$",
)


def is_edition_stamp(text: str | None) -> bool:
    """'Edition: 4 June 2021' printed in a title block: metadata (compared apart), not content."""
    return bool(_STAMP.match(strip_accents(norm_text(text).casefold())))


class Edition:
    """Look-ups over one ServiceDescription built once per diff."""

    def __init__(self, sd: ServiceDescription) -> None:
        self.segments: dict[str, Segment] = {s.id: s for s in sd.segments}
        self.sections: dict[str, Section] = {s.id: s for s in sd.sections}
        self.cells: dict[tuple[str, int, int], Segment] = {}
        for s in sd.segments:
            if s.table is not None:
                self.cells.setdefault((s.table.table_id, s.table.row, s.table.col), s)
        self.sd = sd.model_copy(update={"offers": split_rows(sd.offers, self.sections, self.cells)})
        sd = self.sd
        self.offer_tables = {o.table_id for o in sd.offers if o.table_id}
        self.sla_tables = {t.id for t in sd.sla_tables}
        self.offer_segments = {sid for o in sd.offers for sid in o.segment_ids}
        self.condition_keys = {text_key(c) for o in sd.offers for c in o.conditions}

    def context(self, fact: Fact) -> str:
        """The words around a fact: its sentence, plus row and column titles for a table cell."""
        seg = self.segments.get(fact.segment_id or "")
        if seg is None:
            return fact.text
        parts = [seg.text]
        if seg.table is not None:
            for key in ((seg.table.table_id, seg.table.row, 0), (seg.table.table_id, 0, seg.table.col)):
                cell = self.cells.get(key)
                if cell is not None and cell.id != seg.id:
                    parts.insert(0, cell.text)
        return " | ".join(parts)

    def in_structured_table(self, seg: Segment) -> bool:
        return seg.table is not None and (
            seg.table.table_id in self.offer_tables or seg.table.table_id in self.sla_tables
        )


def summarize(sd: ServiceDescription) -> EditionSummary:
    d = sd.document
    return EditionSummary(
        title=d.title,
        language=d.language,
        edition_date=d.edition_date,
        source=d.source,
        sha256=d.sha256,
        format=d.format.value if hasattr(d.format, "value") else str(d.format),
        pages=d.pages,
    )


# ---------------------------------------------------------------- Change builders


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


#: A cell or mark longer than this is prose, not a status label worth repeating in a summary.
LABEL_MAX = 40


def as_printed(old: str | None, new: str | None) -> str:
    """' (Rolling out → In development)': the words of the two cells, for a summary that would
    otherwise only give the availability codes read from them; empty when either is missing,
    long, or both say the same."""
    a, b = one_line(old), one_line(new)
    if not a or not b or max(len(a), len(b)) > LABEL_MAX or fold_for_match(a) == fold_for_match(b):
        return ""
    return f" ({a} → {b})"


def snip(text: str | None) -> str | None:
    if text is None:
        return None
    text = norm_text(text)
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"


def unique_prov(items: Iterable[Provenance]) -> list[Provenance]:
    out: list[Provenance] = []
    for p in items:
        if p not in out:
            out.append(p)
    return out


def offer_fields(o: Offer, n: Offer) -> dict:
    """The Change fields every offer-level change shares: the new offer's id and section, both
    offers' provenance."""
    return {
        "offer_id": n.id,
        "section_id": n.section_id,
        "old_prov": unique_prov(o.prov),
        "new_prov": unique_prov(n.prov),
    }


def reworded(a: str, b: str) -> dict:
    """The Change fields of a wording change: both texts and their word-level redline."""
    return {"old_text": a, "new_text": b, "redline": redline(tokenize(a), tokenize(b))}


def side_word(added: bool) -> str:
    return "added" if added else "removed"


def one_sided(
    added: bool,
    *,
    value: str | None = None,
    text: str | None = None,
    prov: Iterable[Provenance] | None = None,
    **fields,
) -> Change:
    """A change present on one side only: ``value``/``text``/``prov`` go to the new side when
    ``added``, to the old side when removed; ``fields`` are the other Change fields."""
    side = "new" if added else "old"
    if prov is not None:
        fields[f"{side}_prov"] = unique_prov(prov)
    return Change(**{side: value, f"{side}_text": text}, **fields)


def condition_change(added: bool) -> tuple[ChangeKind, ChangeSeverity]:
    """A condition added is breaking for the customer; one removed is major."""
    return (K.condition_added, S.breaking) if added else (K.condition_removed, S.major)


def condition_shift(a: str, b: str) -> tuple[ChangeKind, ChangeSeverity, str] | None:
    """A minor rewording that adds (tightened) or drops (relaxed) a condition marker, else None."""
    ca, cb = condition_marker_count(a), condition_marker_count(b)
    if cb == ca:
        return None
    kind, sev = condition_change(cb > ca)
    return kind, sev, "condition tightened" if cb > ca else "condition relaxed"
