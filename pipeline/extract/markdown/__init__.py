"""Markdown reader: docs-style Markdown (YAML front matter, pipe tables, notes) -> Document.

markdown-it-py parses the block structure; we walk its flat token stream (no recursion, so deep
nesting cannot blow the stack) and reduce inline markup to clean text, keeping the inline
Markdown as written in ``raw``. Source quirks of the real corpus are handled here, not later:
pipe tables whose header row has fewer cells than the delimiter row (padded before parsing, so
markdown-it accepts them), tables whose header row is empty with the real titles in a bold first
row (promoted), ``<sup>n</sup>`` footnote markers (split off into ``footnote_refs``) and footnote
paragraphs under tables (one ``footnote`` block per entry).

One module per job: :mod:`.frontmatter`, :mod:`.tables` (source quirks and the table model),
:mod:`.inline` (inline markup, footnote markers), :mod:`.footnotes` (footnote paragraphs) and
:mod:`.blocks` (the token walk); this module reads the file and puts them together.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from pipeline.extract.markdown.blocks import _prov, _unquote, _Walker
from pipeline.extract.markdown.frontmatter import _front_matter
from pipeline.extract.markdown.tables import _escape_mark_legends, _pad_short_headers, _unescape_mark_legends
from pipeline.extract.model import Block, BlockKind, Document, DocumentMeta, SourceFormat
from pipeline.extract.sourcetext import decode_source, split_lines
from pipeline.hashing import sha256_bytes
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.textutil import clean_text


def _parser(limits: Limits) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": max(4, min(2 * limits.max_nesting + 4, 200))})
    # Front matter is read (and checked) by _front_matter and blanked before parsing, so line
    # numbers stay those of the file and an unclosed block is an error, not a silent <hr>.
    return md.enable("table")


def extract_markdown(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a docs-style Markdown file into a Document (line provenance on every block)."""
    path = Path(path)
    data = path.read_bytes()
    warnings: list[str] = []
    lines = split_lines(decode_source(path, data), limits, warnings)
    front, fm_lines = _front_matter(path, lines)
    body_lines = [""] * fm_lines + _escape_mark_legends(_pad_short_headers(lines[fm_lines:]))
    md = _parser(limits)
    tokens = md.parse("\n".join(body_lines) + "\n")
    walker = _Walker(md, lines)
    blocks = walker.walk(tokens)
    _trim_spans(blocks, lines)
    _unescape_mark_legends(blocks)
    if walker.max_level_seen >= md.options["maxNesting"] - 1:
        warnings.append(
            f"nesting deeper than {limits.max_nesting} levels: deeper content was not kept (max_nesting)"
        )
    title = front.get("title") if isinstance(front.get("title"), str) else None
    if not title:
        h1 = next((b for b in blocks if b.kind == BlockKind.heading and b.level == 1), None)
        title = h1.text if h1 else None
    meta = DocumentMeta(
        title=clean_text(title) if title else None,
        source=str(path),
        sha256=sha256_bytes(data),
        format=SourceFormat.markdown,
        front_matter=front,
    )
    return Document(meta=meta, blocks=blocks, warnings=warnings)


def _trim_spans(blocks: list[Block], lines: list[str]) -> None:
    """End each block's line range on its last non-blank line (markdown-it spans include blanks)."""
    for i, b in enumerate(blocks):
        if not b.prov:
            continue
        p = b.prov[0]
        start, end = p.line_start or 1, p.line_end or 1
        while end > start and end - 1 < len(lines) and not _unquote(lines[end - 1]).strip():
            end -= 1
        if end != p.line_end:
            blocks[i] = b.model_copy(update={"prov": _prov(start, end)})
