"""Unruled tables: runs of text rows whose segments line up in the same columns.

Conservative on purpose (a false table scrambles prose): at least three consecutive rows, each
split by wide gaps into two or more segments that start at shared column positions, short cells,
no bullets. A one-segment row right under a table row, starting at one of its columns other than
the first, continues that cell (a wrapped cell).
"""

from __future__ import annotations

from pipeline.extract.pdf.objects import Line, RawCell, RawTable
from pipeline.extract.pdf.reflow import join_texts

MIN_ROWS = 3
ALIGN_TOL = 4.0
MAX_CELL_CHARS = 80


def _rows(lines: list[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda x: (x.top, x.x0)):
        if rows and abs(rows[-1][0].top - ln.top) <= 2.0:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    for r in rows:
        r.sort(key=lambda x: x.x0)
    return rows


def _anchor(x: float, anchors: list[float]) -> int | None:
    for i, a in enumerate(anchors):
        if abs(x - a) <= ALIGN_TOL:
            return i
    return None


def _tabular(row: list[Line]) -> bool:
    return len(row) >= 2 and all(len(s.text) <= MAX_CELL_CHARS and not s.marker and not s.box for s in row)


def find_unruled_tables(lines: list[Line], page: int) -> tuple[list[RawTable], list[Line]]:
    """Split a page's body lines into unruled tables and the lines left over."""
    rows = _rows(lines)
    tables: list[RawTable] = []
    used: set[int] = set()
    i = 0
    while i < len(rows):
        if not _tabular(rows[i]):
            i += 1
            continue
        anchors = [s.x0 for s in rows[i]]
        run = [i]
        j = i + 1
        while j < len(rows):
            row = rows[j]
            gap = row[0].top - rows[run[-1]][0].bottom
            if gap > 2.5 * row[0].size:
                break
            if _tabular(row) and all(_anchor(s.x0, anchors) is not None for s in row):
                run.append(j)
            elif (
                len(row) == 1
                and (k := _anchor(row[0].x0, anchors)) is not None
                and k > 0
                and run[-1] == j - 1
            ):
                run.append(j)  # wrapped cell
            else:
                break
            j += 1
        full = [r for r in run if len(rows[r]) >= 2]
        if len(full) >= MIN_ROWS and len(anchors) >= 2:
            tables.append(_make(page, [rows[r] for r in run], anchors))
            used.update(id(s) for r in run for s in rows[r])
            i = j
        else:
            i += 1
    rest = [ln for ln in lines if id(ln) not in used]
    return tables, rest


def _make(page: int, rows: list[list[Line]], anchors: list[float]) -> RawTable:
    out: list[list[RawCell]] = []
    for row in rows:
        if len(row) == 1 and out:
            k = _anchor(row[0].x0, anchors)
            cell = next((c for c in out[-1] if c.col == k), None)
            if cell is not None:
                cell.text, cell.refs = join_texts(
                    [(cell.text, cell.refs, False), (row[0].text, row[0].refs, row[0].soft_hyphen)]
                )
                cell.bottom = max(cell.bottom, row[0].bottom)
                continue
        cells = []
        for s in row:
            k = _anchor(s.x0, anchors)
            assert k is not None
            cells.append(
                RawCell(
                    row=len(out),
                    col=k,
                    x0=s.x0,
                    top=s.top,
                    x1=s.x1,
                    bottom=s.bottom,
                    text=s.text,
                    refs=list(s.refs),
                    bold=s.bold,
                    page=page,
                )
            )
        out.append(cells)
    first = [c for c in out[0] if c.text]
    header_rows = (
        1 if first and all(c.bold for c in first) and not all(c.bold for r in out[1:] for c in r) else 0
    )
    flat = [c for r in out for c in r]
    return RawTable(
        page=page,
        x0=min(c.x0 for c in flat),
        top=min(c.top for c in flat),
        x1=max(c.x1 for c in flat),
        bottom=max(c.bottom for c in flat),
        rows=out,
        n_cols=len(anchors),
        col_edges=anchors,
        header_rows=header_rows,
        ruled=False,
    )
