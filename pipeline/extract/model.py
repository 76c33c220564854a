"""The document model: what extraction produces and normalization reads.

Plain pydantic objects with one geometry vocabulary (``x0, top, x1, bottom`` in PDF points, page
1-based) or line ranges (1-based, inclusive) for Markdown and text. Body blocks and page furniture
(running headers, footers, page numbers) are kept in separate lists: nothing downstream ever sees
furniture as content.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer

DOCUMENT_SCHEMA_VERSION = "1.0"


class SourceFormat(str, Enum):
    pdf = "pdf"
    markdown = "markdown"
    text = "text"
    docx = "docx"


class BlockKind(str, Enum):
    heading = "heading"
    paragraph = "paragraph"
    list_item = "list_item"
    table = "table"
    footnote = "footnote"
    note = "note"
    # Only in Document.furniture:
    page_header = "page_header"
    page_footer = "page_footer"
    page_number = "page_number"


class BBox(BaseModel):
    model_config = ConfigDict(frozen=True)

    x0: float
    top: float
    x1: float
    bottom: float


class Provenance(BaseModel):
    """Where a piece of text came from: page + bbox (PDF), line range (Markdown, text), or the package
    part and the 0-based paragraph / table / row / grid-column index in it (Word)."""

    model_config = ConfigDict(frozen=True)

    page: int | None = None
    bbox: BBox | None = None
    line_start: int | None = None
    line_end: int | None = None
    part: str | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    @model_serializer(mode="wrap")
    def _omit_unused_word_fields(self, handler):  # noqa: ANN001, ANN202
        """The Word-only indexes are written only when set: PDF and Markdown output stays as it was."""
        data = handler(self)
        for key in _WORD_FIELDS:
            if data.get(key) is None:
                data.pop(key, None)
        return data


_WORD_FIELDS = ("part", "paragraph", "table", "row", "cell")


class FootnoteRef(BaseModel):
    """A footnote marker split off the text it was glued to (``Azure¹``, ``7 j/73``, ``<sup>2</sup>``).

    ``offset`` is the character offset in the owning text where the marker stood.
    """

    marker: str
    offset: int


class Link(BaseModel):
    text: str
    url: str


class TableCell(BaseModel):
    text: str
    raw: str | None = Field(default=None, description="inline markup where the source had it (Markdown)")
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    is_header: bool = False
    bold: bool = False
    footnote_refs: list[FootnoteRef] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    prov: list[Provenance] = Field(default_factory=list)


class Table(BaseModel):
    """Rows x cells; ``header_rows`` leading rows are column titles.

    A table continued across pages is one Table (its repeated header rows dropped), with one
    provenance entry per page it spans.
    """

    rows: list[list[TableCell]]
    header_rows: int = 0
    n_cols: int = 0
    ruled: bool = True

    def header(self) -> list[str]:
        return [c.text for c in self.rows[0]] if self.header_rows and self.rows else []

    def body_rows(self) -> list[list[TableCell]]:
        return self.rows[self.header_rows :]


class Block(BaseModel):
    """One unit of content in reading order.

    ``text`` is clean body text (symbol glyphs mapped, spaces folded, footnote markers removed and
    recorded in ``footnote_refs``). ``raw`` keeps inline markup where the source had it (Markdown).
    """

    kind: BlockKind
    text: str = ""
    raw: str | None = None
    prov: list[Provenance] = Field(default_factory=list)
    level: int | None = Field(default=None, description="heading level (1 = top) or list nesting (0 = top)")
    section_number: str | None = Field(default=None, description="'2.1' for '2.1 Procédure d’achat'")
    anchor: str | None = Field(default=None, description="heading anchor (Markdown <a name> / {#id})")
    marker: str | None = Field(
        default=None, description="list bullet ('•', 'o', '–', '1.', 'a)') or footnote marker"
    )
    note_label: str | None = Field(default=None, description="NOTE, TIP, IMPORTANT … for notes")
    bold: bool = False
    font_size: float | None = None
    footnote_refs: list[FootnoteRef] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    table: Table | None = None
    lang: str | None = None
    lang_confidence: float | None = None


class DocumentMeta(BaseModel):
    title: str | None = None
    language: str | None = None
    lang_confidence: float | None = None
    source: str
    sha256: str
    format: SourceFormat
    page_count: int | None = None
    pdf_metadata: dict[str, str] = Field(default_factory=dict)
    front_matter: dict[str, Any] = Field(default_factory=dict)


class DamagedPage(BaseModel):
    """A PDF page whose text layer cannot be trusted (see ``pipeline.extract.pdf.damage``): its text
    is left out of the blocks, so no offer, SLA row or fact is read from gibberish."""

    page: int
    reason: str


class Document(BaseModel):
    schema_version: str = DOCUMENT_SCHEMA_VERSION
    meta: DocumentMeta
    blocks: list[Block] = Field(default_factory=list)
    furniture: list[Block] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    damaged_pages: list[DamagedPage] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _omit_no_damage(self, handler):  # noqa: ANN001, ANN202
        """``damaged_pages`` is written only when a page is damaged: sound documents stay as they were."""
        data = handler(self)
        if not data.get("damaged_pages"):
            data.pop("damaged_pages", None)
        return data

    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == BlockKind.heading]

    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == BlockKind.table]
