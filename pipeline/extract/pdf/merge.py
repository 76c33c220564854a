"""A table continued on the next page becomes one table: repeated header dropped, split row re-joined."""

from __future__ import annotations

from pipeline.extract.pdf.objects import RawCell, RawTable
from pipeline.extract.pdf.reflow import join_texts
from pipeline.textutil import fold_for_match


def _texts(row: list[RawCell]) -> list[str]:
    return [fold_for_match(c.text) for c in row]


def continues(prev: RawTable, nxt: RawTable) -> bool:
    """Same column grid (within 3 pt), on the next page."""
    if nxt.page != prev.page + 1 and not (prev.parts and nxt.page == prev.parts[-1][0] + 1):
        return False
    if prev.n_cols != nxt.n_cols:
        return False
    return all(abs(a - b) <= 3.0 for a, b in zip(prev.col_edges, nxt.col_edges, strict=False))


def _is_split_row(row: list[RawCell]) -> bool:
    """A row cut by the page break starts mid-sentence: some cell opens on a lowercase word."""
    return any(c.text[:1].islower() for c in row if c.text)


def merge_tables(prev: RawTable, nxt: RawTable) -> RawTable:
    rows = list(nxt.rows)
    if rows and prev.rows and _texts(rows[0]) == _texts(prev.rows[0]):
        # the first row is repeated on the new page: it is a header row, drop the copy
        rows = rows[max(1, nxt.header_rows) :]
        prev.header_rows = max(prev.header_rows, 1)
        for cell in prev.rows[0]:
            cell.is_header = True
    if rows and len(prev.rows) > prev.header_rows and _is_split_row(rows[0]):
        last = {c.col: c for c in prev.rows[-1]}
        for cell in rows[0]:
            target = last.get(cell.col)
            if target is None:
                continue
            target.text, target.refs = join_texts(
                [(target.text, target.refs, False), (cell.text, cell.refs, False)]
            )
        rows = rows[1:]
    base = len(prev.rows)
    for i, row in enumerate(rows):
        for cell in row:
            cell.row = base + i
    prev.rows.extend(rows)
    prev.parts.append((nxt.page, (nxt.x0, nxt.top, nxt.x1, nxt.bottom)))
    return prev
