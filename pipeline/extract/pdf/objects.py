"""Plain geometric objects the PDF reader passes between its small pure functions.

pdfplumber vocabulary throughout: ``x0, top, x1, bottom`` in PDF points from the page's top-left,
``page`` 1-based. These never leave the package: :mod:`pipeline.extract.pdf.reader` turns them
into :class:`~pipeline.extract.model.Block` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Char = dict[str, Any]  # one pdfplumber char dict


@dataclass
class Line:
    """One horizontal run of text rebuilt from chars (a line, or one segment of a line split at a wide gap)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float
    bold: bool = False
    italic: bool = False
    #: footnote markers split off superscripts: (marker, offset in ``text``)
    refs: list[tuple[str, int]] = field(default_factory=list)
    #: list bullet split off the start of the line ("•", "o", "–", "a)") and where the item text starts
    marker: str | None = None
    text_x0: float | None = None
    #: the line opens with a superscript footnote marker: a footnote text ("¹ The time …")
    footnote_marker: str | None = None
    #: the line ended on a soft hyphen: join the next line without a space
    soft_hyphen: bool = False
    #: the line is inside a box (shaded rectangle or one-column frame): candidate note
    box: int | None = None

    @property
    def left(self) -> float:
        return self.text_x0 if self.text_x0 is not None else self.x0


@dataclass
class Box:
    """A framed or shaded region of a page that holds text (note boxes, call-outs)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def contains(self, x: float, y: float, pad: float = 1.0) -> bool:
        return self.x0 - pad <= x <= self.x1 + pad and self.top - pad <= y <= self.bottom + pad


@dataclass
class RawCell:
    row: int
    col: int
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    refs: list[tuple[str, int]] = field(default_factory=list)
    bold: bool = False
    row_span: int = 1
    col_span: int = 1
    page: int = 0
    is_header: bool = False
    fill: tuple[float, ...] | None = None


@dataclass
class RawTable:
    """A table found on one page; continuation across pages is merged later."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    rows: list[list[RawCell]]
    n_cols: int
    col_edges: list[float]
    header_rows: int = 0
    ruled: bool = True
    #: extra (page, bbox) parts when the table was continued on later pages
    parts: list[tuple[int, tuple[float, float, float, float]]] = field(default_factory=list)
