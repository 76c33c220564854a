"""Component ``tables``: reads table blocks, writes a kind for each (what later components do with it).

Kinds: ``availability`` (service rows with ✓ / + marks), ``feature_plan`` (feature rows x plan
columns with Yes/No or limits), ``severity`` (severity rows with responses), ``definition``
(name | description) and ``other``. Classification never raises: odd tables are ``other``.
"""

from __future__ import annotations

import functools
import re
from enum import Enum

from pipeline.extract.model import Table, TableCell
from pipeline.lexicon import load_all
from pipeline.normalize.marks import (
    canonical,
    is_answer,
    is_glyph,
    read_cell,
    read_words,
    split_footnote,
    status_of,
    word_class,
)
from pipeline.textutil import clean_text, fold_for_match


class TableKind(str, Enum):  # noqa: UP042 - house style
    availability = "availability"
    feature_plan = "feature_plan"
    severity = "severity"
    definition = "definition"
    other = "other"


@functools.cache
def _words(key: str) -> tuple[str, ...]:
    """Folded words under ``key`` of ``tables.yaml``, every language (and ``common``), longest first."""
    out = {
        fold_for_match(str(w)) for data in load_all("tables").values() for w in (data or {}).get(key) or []
    }
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


@functools.cache
def _pattern(key: str, start: bool = False) -> re.Pattern[str]:
    """Any word of ``key`` anywhere in a folded title, or at its ``start``."""
    alt = "|".join(re.escape(w) for w in _words(key)) or r"(?!)"
    return re.compile(rf"^(?:{alt})" if start else alt)


_QUANTITY = re.compile(r"\d")


def cell_text(cell: TableCell) -> str:
    return clean_text(cell.text)


def canonical_mark(glyph: str) -> str:
    """The class of a glyph ("included", "additional", "not_available", "conditional"), else the glyph."""
    return canonical(glyph)


def parse_mark(text: str) -> tuple[str, str] | None:
    """``("✓", "1")`` for "✓1", ``("◆", "")`` for an undefined sign; None when the cell is no sign.

    The glyph is as printed (footnote marker read off); :func:`canonical_mark` gives its class.
    """
    reading = read_cell(text)
    if reading is None or not reading.glyph or word_class(reading.glyph) or status_of(reading.glyph):
        return None
    return (reading.glyph, reading.footnote) if is_glyph(reading.glyph) else None


def is_dash(glyph: str) -> bool:
    """ "—", "–", "-": a not-available mark only where other cells of the table are marks too."""
    return glyph in {"-", "–", "—", "−"}


def is_availability_word(text: str) -> bool:
    """A cell that states availability in words ("Included", "En option", "Sur devis", "Rolling out")."""
    return read_words(text) is not None and not is_answer(text)


def header_texts(table: Table) -> list[str]:
    """Column titles: the header row, else a bold first row (tables with an empty header)."""
    if not table.rows:
        return []
    first = [cell_text(c) for c in table.rows[0]]
    if any(first) and (table.header_rows or all(c.bold for c in table.rows[0] if cell_text(c))):
        return first
    if not any(first) and len(table.rows) > 1:
        return [cell_text(c) for c in table.rows[1]]
    return first if table.header_rows else []


def body_rows(table: Table) -> list[list[TableCell]]:
    """Rows under the column titles (skipping an empty header + bold title row)."""
    rows = table.rows
    if not rows:
        return []
    skip = table.header_rows
    if (
        skip == 0
        and rows
        and all(c.bold for c in rows[0] if cell_text(c))
        and any(cell_text(c) for c in rows[0])
    ):
        skip = 1
    if skip and skip < len(rows) and not any(cell_text(c) for row in rows[:skip] for c in row):
        skip += 1  # empty header row, real titles in the next (bold) row
    return rows[skip:]


def _is_yes_no(text: str) -> bool:
    return fold_for_match(text).strip(" .") in _words("answers")


def classify(table: Table, defined: frozenset[str] = frozenset()) -> TableKind:
    """The table's kind; ``defined``: word marks the document's legend defines ("GA", "PV")."""
    try:
        return _classify(table, defined)
    except Exception:  # noqa: BLE001 - an odd table must never stop the pipeline
        return TableKind.other


def _classify(table: Table, defined: frozenset[str] = frozenset()) -> TableKind:
    header = [fold_for_match(h) for h in header_texts(table)]
    rows = [r for r in body_rows(table) if any(cell_text(c) for c in r)]
    if not rows:
        return TableKind.other
    n_cols = max(len(r) for r in rows)

    def is_mark(text: str) -> bool:
        return bool(parse_mark(text)) or (bool(defined) and split_footnote(text)[0] in defined)

    marked = [[i for i, c in enumerate(r[1:], start=1) if is_mark(cell_text(c))] for r in rows]
    marks = sum(1 for m in marked if m)
    worded = sum(
        1 for r in rows if len(r) <= 3 and sum(1 for c in r[1:] if is_availability_word(cell_text(c))) == 1
    )
    if marks and marks >= max(1, len(rows) // 3) and n_cols <= 4:
        # marks in several columns are plan columns ("Feature | Standard | Premium"), not one availability
        if n_cols >= 3 and sum(1 for m in marked if len(m) >= 2) * 2 >= marks:
            return TableKind.feature_plan
        return TableKind.availability
    if n_cols <= 3 and worded and worded * 2 >= len(rows):
        return TableKind.availability
    first_col = [cell_text(r[0]) for r in rows if r]
    if sum(1 for t in first_col if re.fullmatch(r"[\d\s.,%<>+\-–]+", t)) * 2 >= len(first_col):
        return TableKind.other  # rows of figures (quarterly uptime): no row names to make offers of
    # severity and metric names: lexicon data (severity.yaml, metrics.yaml) read by the sla component
    from pipeline.normalize.model import SlaMetric
    from pipeline.normalize.sla.vocab import (  # lazy: sla imports us
        find_word,
        is_severity_head,
        is_severity_label,
        metric_of,
    )

    if (
        len(header) >= 2
        and metric_of(header[0]) is SlaMetric.availability
        and find_word("credits", header[1])
    ):
        return TableKind.other  # availability thresholds x service credits: SLA facts, never offers
    sev_rows = sum(1 for t in first_col if len(t) <= 400 and is_severity_label(t))
    names_metric = any(metric_of(h) for h in header[1:])
    if (
        sev_rows >= max(2, (2 * len(rows) + 2) // 3)  # rows that name levels: never offers
        or (header and is_severity_head(header[0]) and (sev_rows or names_metric))
        or (sev_rows >= max(2, (len(rows) + 1) // 2) and names_metric)
    ):
        return TableKind.severity
    values = [cell_text(c) for r in rows for c in r[1:] if cell_text(c)]
    yes_no = sum(1 for v in values if _is_yes_no(v) or is_availability_word(v) or parse_mark(v))
    quantity = sum(1 for v in values if len(v) <= 60 and _QUANTITY.search(v))
    second = header[1] if len(header) > 1 else ""
    if n_cols == 2 and _pattern("definition_heads").search(second):
        return TableKind.definition
    if n_cols >= 2 and values and (yes_no + quantity) >= 0.5 * len(values):
        return TableKind.feature_plan
    if (
        header
        and _pattern("feature_heads", start=True).search(header[0])
        and not any(_pattern("not_feature_heads").search(h) for h in header[1:])
        and n_cols >= 3
    ):
        return TableKind.feature_plan
    if n_cols == 2:
        return TableKind.definition
    return TableKind.other
