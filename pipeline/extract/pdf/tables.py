"""Ruled tables through pdfplumber's table finder; cell text rebuilt from the cell's own chars.

Word draws cell shading per paragraph line (small filled rectangles inside the cell's own
rectangle); their edges would split every wrapped cell into rows, so filled rectangles that sit
inside a bigger one are dropped before the finder runs. Objects of the header/footer bands are
dropped too (a header rule would otherwise become a table's first row). One-column "tables" are
frames around text (note boxes), returned as :class:`Box` es, not tables.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from pipeline.extract.pdf.lines import chars_to_lines
from pipeline.extract.pdf.objects import Box, Char, RawCell, RawTable
from pipeline.extract.pdf.reflow import Vocabulary, join_lines

MAX_RECTS_FOR_NESTING = 3000  # above this, skip the O(n²) nested-shading filter


def has_drawn_edges(page: Any, top: float, bottom: float) -> bool:
    """Cheap pre-check so the table finder only runs on pages that draw rules or boxes."""
    return any(o["top"] >= top - 0.5 and o["bottom"] <= bottom + 0.5 for o in (*page.rects, *page.lines))


def _nested_shading(rects: list[dict]) -> set[int]:
    fat = [r for r in rects if min(r["width"], r["height"]) >= 2]
    if len(fat) > MAX_RECTS_FOR_NESTING:
        return set()
    fat.sort(key=lambda r: -(r["width"] * r["height"]))
    drop: set[int] = set()
    for i, r in enumerate(fat):
        area = r["width"] * r["height"]
        for o in fat[:i]:
            if (
                o["width"] * o["height"] > area + 1
                and o["x0"] <= r["x0"] + 0.5
                and o["x1"] >= r["x1"] - 0.5
                and o["top"] <= r["top"] + 0.5
                and o["bottom"] >= r["bottom"] - 0.5
            ):
                drop.add(id(r))
                break
    return drop


def _edges(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def find_ruled_tables(
    page: Any, page_no: int, chars: list[Char], top: float, bottom: float, vocab: Vocabulary | None = None
) -> tuple[list[RawTable], list[Box]]:
    """Tables and text frames drawn on the page between ``top`` and ``bottom``."""
    drop = _nested_shading(page.rects)

    def keep(o: dict) -> bool:
        kind = o.get("object_type")
        if kind == "char":
            return False
        if o["top"] < top - 0.5 or o["bottom"] > bottom + 0.5:
            return False
        return not (kind == "rect" and id(o) in drop)

    found = page.filter(keep).find_tables()
    fills = [
        r
        for r in page.rects
        if r.get("fill") and min(r["width"], r["height"]) >= 2 and not _is_white(r.get("non_stroking_color"))
    ]
    tables: list[RawTable] = []
    boxes: list[Box] = []
    for t in found:
        x0, t_top, x1, t_bottom = t.bbox
        cells = [(r_i, c) for r_i, row in enumerate(t.rows) for c in row.cells if c is not None]
        col_edges = _edges([c[0] for _, c in cells])
        if len(col_edges) < 2:
            boxes.append(Box(page=page_no, x0=x0, top=t_top, x1=x1, bottom=t_bottom))
            continue
        tables.append(_build_table(page_no, t.bbox, cells, col_edges, chars, fills, vocab))
    boxes.extend(_shaded_boxes(page, page_no, top, bottom, drop, tables))
    return tables, boxes


def _is_white(color: object) -> bool:
    if isinstance(color, (int, float)):
        return color >= 0.98
    if isinstance(color, (list, tuple)) and color:
        if len(color) == 4:  # CMYK
            return all(isinstance(v, (int, float)) and v <= 0.02 for v in color)
        return all(isinstance(v, (int, float)) and v >= 0.98 for v in color)
    return color is None


def _shaded_boxes(
    page: Any, page_no: int, top: float, bottom: float, nested: set[int], tables: list[RawTable]
) -> list[Box]:
    """Filled, non-white rectangles big enough to frame text (note boxes; the finder skips one-cell tables)."""
    out: list[Box] = []
    for r in page.rects:
        if id(r) in nested or not r.get("fill") or _is_white(r.get("non_stroking_color")):
            continue
        if r["width"] < 60 or r["height"] < 12 or r["top"] < top - 0.5 or r["bottom"] > bottom + 0.5:
            continue
        cx, cy = (r["x0"] + r["x1"]) / 2, (r["top"] + r["bottom"]) / 2
        if in_any(cx, cy, tables) is not None:
            continue
        if any(
            abs(b.x0 - r["x0"]) < 1 and abs(b.top - r["top"]) < 1 and abs(b.bottom - r["bottom"]) < 1
            for b in out
        ):
            continue
        out.append(Box(page=page_no, x0=r["x0"], top=r["top"], x1=r["x1"], bottom=r["bottom"]))
    return out


def _build_table(
    page_no: int,
    bbox: tuple[float, float, float, float],
    cells: list[tuple[int, tuple[float, float, float, float]]],
    col_edges: list[float],
    chars: list[Char],
    fills: list[dict] | None = None,
    vocab: Vocabulary | None = None,
) -> RawTable:
    row_tops = _edges([c[1] for _, c in cells])
    raw: list[RawCell] = []
    owner: dict[tuple[int, int], RawCell] = {}
    for _, (cx0, ctop, cx1, cbottom) in cells:
        r = bisect_right(row_tops, ctop + 2.0) - 1
        c = bisect_right(col_edges, cx0 + 2.0) - 1
        col_span = max(1, sum(1 for e in col_edges if cx0 + 2.0 < e < cx1 - 2.0) + 1)
        row_span = max(1, sum(1 for e in row_tops if ctop + 2.0 < e < cbottom - 2.0) + 1)
        cell = RawCell(
            row=r,
            col=c,
            x0=cx0,
            top=ctop,
            x1=cx1,
            bottom=cbottom,
            row_span=row_span,
            col_span=col_span,
            page=page_no,
        )
        raw.append(cell)
        for rr in range(r, r + row_span):
            for cc in range(c, c + col_span):
                owner.setdefault((rr, cc), cell)
    x0, t_top, x1, t_bottom = bbox
    per_cell: dict[int, list[Char]] = {}
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        if not (x0 <= cx <= x1 and t_top <= cy <= t_bottom):
            continue
        r = bisect_right(row_tops, cy) - 1
        c = bisect_right(col_edges, cx) - 1
        cell = owner.get((r, c))
        if cell is not None:
            per_cell.setdefault(id(cell), []).append(ch)
    for cell in raw:
        lines = chars_to_lines(per_cell.get(id(cell), []), page_no, gap_factor=None)
        cell.text, cell.refs = join_lines(lines, keep_markers=True, vocab=vocab)
        cell.bold = bool(lines) and all(ln.bold for ln in lines)
    n_rows = len(row_tops)
    rows: list[list[RawCell]] = [[] for _ in range(n_rows)]
    for cell in raw:
        rows[cell.row].append(cell)
    rows = [sorted(r, key=lambda c: c.col) for r in rows if r]
    for i, r in enumerate(rows):
        for cell in r:
            cell.row = i
    for cell in raw:
        cell.fill = _fill_at(fills or [], (cell.x0 + cell.x1) / 2, (cell.top + cell.bottom) / 2)
    return RawTable(
        page=page_no,
        x0=x0,
        top=t_top,
        x1=x1,
        bottom=t_bottom,
        rows=rows,
        n_cols=len(col_edges),
        col_edges=col_edges,
        header_rows=header_rows(rows),
    )


def _color(c: object) -> tuple[float, ...] | None:
    if isinstance(c, (int, float)):
        return (round(float(c), 3),)
    if isinstance(c, (list, tuple)) and all(isinstance(v, (int, float)) for v in c):
        return tuple(round(float(v), 3) for v in c)
    return None


def _fill_at(fills: list[dict], x: float, y: float) -> tuple[float, ...] | None:
    """Colour of the smallest filled rectangle under a point (a cell's shading)."""
    best = None
    for r in fills:
        inside = r["x0"] <= x <= r["x1"] and r["top"] <= y <= r["bottom"]
        if inside and (best is None or r["width"] * r["height"] < best["width"] * best["height"]):
            best = r
    return _color(best.get("non_stroking_color")) if best is not None else None


def header_rows(rows: list[list[RawCell]]) -> int:
    """1 when the first row is all bold, or shaded in a colour no body row uses; else 0."""
    if len(rows) < 2:
        return 0
    first = [c for c in rows[0] if c.text]
    if not first:
        return 0
    if all(c.bold for c in first):
        return 1
    shade = {c.fill for c in rows[0]}
    if len(shade) == 1 and None not in shade and shade.isdisjoint({c.fill for r in rows[1:] for c in r}):
        return 1
    return 0


def in_any(x: float, y: float, regions: list[RawTable] | list[Box], pad: float = 1.0) -> int | None:
    for i, t in enumerate(regions):
        if t.x0 - pad <= x <= t.x1 + pad and t.top - pad <= y <= t.bottom + pad:
            return i
    return None
