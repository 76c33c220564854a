"""Pipe tables: quirks of real sources fixed before parsing (short header rows, ``+ - …`` legend lines)
and the table model built from markdown-it's rows (an empty header row with bold titles in the first
row is promoted)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.model import (
    Block,
    BlockKind,
    Provenance,
    Table,
    TableCell,
)

_DELIM_CELL = re.compile(r":?-+:?")


def _pad_short_headers(lines: list[str]) -> list[str]:
    """Pad pipe-table header rows that have fewer cells than their delimiter row.

    markdown-it refuses such tables (GFM requires equal counts); the source has them (``|||||||``
    over 7 columns). Padding with empty cells keeps every line number.
    """
    out = list(lines)
    for i in range(1, len(lines)):
        delim = lines[i]
        if not _is_delimiter_row(delim):
            continue
        header = lines[i - 1]
        if "|" not in header:
            continue
        n_delim = len(_split_row(delim))
        n_head = len(_split_row(header))
        if n_head < n_delim:
            base = header.rstrip()
            if not base.endswith("|") or base.endswith("\\|"):
                base += " |"
            out[i - 1] = base + " |" * (n_delim - n_head)
    return out


_MARK_LEGEND = re.compile(r"^( {0,3})([+*])(\s+[-–—=:]\s+\S)")


def _escape_mark_legends(lines: list[str]) -> list[str]:
    """Keep legend lines such as ``+ - Additional service…`` as text.

    CommonMark reads them as a ``+`` list item holding a ``-`` list item, and the mark the legend
    defines is lost. A mark followed by a dash and text is a legend, not a nested list.
    """
    return [_MARK_LEGEND.sub(r"\1\\\2\3", line) for line in lines]


_ESCAPED_LEGEND = re.compile(r"(^|\n)( {0,3})\\([+*])(?=\s+[-–—=:]\s)")


def _unescape_mark_legends(blocks: list[Block]) -> None:
    """Give ``raw`` back the legend lines as written (undo :func:`_escape_mark_legends`)."""
    for block in blocks:
        if block.raw and "\\" in block.raw:
            block.raw = _ESCAPED_LEGEND.sub(r"\1\2\3", block.raw)


def _is_delimiter_row(line: str) -> bool:
    """``|:-----|:---:|`` (a pipe is required; cells of dashes with optional colons). No regex: no backtracking."""
    if "|" not in line or "-" not in line:
        return False
    cells = _split_row(line)
    return bool(cells) and all(_DELIM_CELL.fullmatch(c.strip()) for c in cells)


def _split_row(line: str) -> list[str]:
    """Cells of a pipe-table row as markdown-it counts them (escaped pipes kept, outer pipes dropped)."""
    cells = re.split(r"(?<!\\)\|", line.strip())
    if cells and cells[0].strip() == "":
        cells = cells[1:]
    if cells and cells[-1].strip() == "":
        cells = cells[:-1]
    return cells


@dataclass
class _TableBuilder:
    line_start: int
    line_end: int
    rows: list[list[TableCell]] = field(default_factory=list)
    header_rows: int = 0
    current: list[TableCell] | None = None
    in_head: bool = False

    def finish(self, raw: str) -> Block:
        rows = self.rows
        header_rows = self.header_rows
        if header_rows and all(not c.text for c in rows[0]):
            # empty header row: promote a bold first body row to header, else drop the empty row
            body_first = rows[1] if len(rows) > 1 else None
            if body_first and any(c.text for c in body_first) and all(c.bold for c in body_first if c.text):
                rows = rows[1:]
            else:
                rows = rows[1:]
                header_rows = 0
        n_cols = max((len(r) for r in rows), default=0)
        fixed: list[list[TableCell]] = []
        for r, row in enumerate(rows):
            is_header = r < header_rows
            fixed.append(
                [c.model_copy(update={"row": r, "col": j, "is_header": is_header}) for j, c in enumerate(row)]
            )
        table = Table(rows=fixed, header_rows=header_rows, n_cols=n_cols, ruled=True)
        return Block(
            kind=BlockKind.table,
            text=table_text(table),
            raw=raw,
            table=table,
            prov=[Provenance(line_start=self.line_start, line_end=self.line_end)],
        )


def table_text(table: Table) -> str:
    """Searchable text of a table: one line per row, cells joined by " | " (the PDF reader's form)."""
    return "\n".join(" | ".join(c.text for c in row) for row in table.rows)
