"""Markdown reader: docs-style Markdown (YAML front matter, pipe tables, notes) -> Document.

markdown-it-py parses the block structure; we walk its flat token stream (no recursion, so deep
nesting cannot blow the stack) and reduce inline markup to clean text, keeping the inline
Markdown as written in ``raw``. Source quirks of the real corpus are handled here, not later:
pipe tables whose header row has fewer cells than the delimiter row (padded before parsing, so
markdown-it accepts them), tables whose header row is empty with the real titles in a bold first
row (promoted), ``<sup>n</sup>`` footnote markers (split off into ``footnote_refs``) and footnote
paragraphs under tables (one ``footnote`` block per entry).
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.errors import BadFrontMatter
from pipeline.extract.model import (
    Block,
    BlockKind,
    Document,
    DocumentMeta,
    FootnoteRef,
    Link,
    Provenance,
    SourceFormat,
    Table,
    TableCell,
)
from pipeline.extract.sourcetext import decode_source, split_lines
from pipeline.hashing import sha256_bytes
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.textutil import clean_text

_SENTINEL = "\ue000"  # stands where a footnote marker was, until offsets are computed

_FENCE = re.compile(r"^(---|\.\.\.)\s*$")
_DELIM_CELL = re.compile(r":?-+:?")
_BR = re.compile(r"^<br\s*/?\s*>$", re.I)
_SUP_OPEN = re.compile(r"^<sup(\s[^>]*)?>$", re.I)
_SUP_CLOSE = re.compile(r"^</sup\s*>$", re.I)
_A_NAME = re.compile(r"""^<a\s[^>]*\b(?:name|id)\s*=\s*["']([^"']*)["'][^>]*>$""", re.I)
_A_HREF = re.compile(r"""^<a\s[^>]*\bhref\s*=\s*["']([^"']*)["'][^>]*>$""", re.I)
_A_CLOSE = re.compile(r"^</a\s*>$", re.I)
_TAG = re.compile(r"<[^<>]*>")  # linear: never scans past the next "<"
_MARKERS_FIRST = re.compile(r"^\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\b\s*(.*?)\s*$", re.S)
_MARKERS_LAST = re.compile(r"^\s*(.*?)\s*\b(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*$", re.S)
_SYMBOL_MARKER = re.compile(r"^\s*([*†‡§])\s*$")
_SUP_SPAN = re.compile(r"<sup(?:\s[^>]{0,200})?>", re.I)
_ENTRY_TAIL = re.compile(r"(?:\s*(?:<br\s*/?\s*>|>))+\s*$", re.I)
_NOTE_LABEL = re.compile(r"^\s*\[!([A-Za-z]+)\]\s*")
_HEADING_ID = re.compile(r"\s*\{#([^}\s]+)\}\s*$")
_SECTION_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,3})*)\.?\s+\S")


# --------------------------------------------------------------------------- inline text


@dataclass
class _Event:
    """One inline event, flattened from markdown-it's inline children (tags paired by us)."""

    kind: str  # text | br | soft | sup | link_open | link_close | strong | anchor
    value: str = ""
    line: int = 0
    delta: int = 0


@dataclass
class _Rendered:
    text: str
    refs: list[FootnoteRef] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    bold: bool = False


def _inline_events(children: list[Token], first_line: int) -> list[_Event]:
    """Flatten inline tokens into events; ``<sup>…</sup>`` becomes one ``sup`` event."""
    events: list[_Event] = []
    line = first_line
    sup_depth = 0
    sup_buf: list[str] = []
    sup_line = line

    def emit_text(s: str) -> None:
        if sup_depth:
            sup_buf.append(s)
        elif s:
            events.append(_Event("text", s, line))

    for tok in children:
        t = tok.type
        if t in ("text", "text_special") or t == "code_inline":
            emit_text(tok.content)
        elif t == "softbreak":
            if sup_depth:
                sup_buf.append(" ")
            else:
                events.append(_Event("soft", "", line))
            line += 1
        elif t == "hardbreak":
            if not sup_depth:
                events.append(_Event("br", "", line))
            line += 1
        elif t == "html_inline":
            tag = tok.content.strip()
            if len(tag) > 2000:
                continue  # an absurdly long tag is markup noise, never text
            if _BR.match(tag):
                if sup_depth:
                    sup_buf.append(" ")
                else:
                    events.append(_Event("br", "", line))
            elif _SUP_OPEN.match(tag):
                if not sup_depth:
                    sup_buf, sup_line = [], line
                sup_depth += 1
            elif _SUP_CLOSE.match(tag):
                if sup_depth:
                    sup_depth -= 1
                    if not sup_depth:
                        events.append(_Event("sup", "".join(sup_buf), sup_line))
            elif m := _A_NAME.match(tag):
                events.append(_Event("anchor", m.group(1), line))
                if h := _A_HREF.match(tag):
                    events.append(_Event("link_open", h.group(1), line))
            elif h := _A_HREF.match(tag):
                events.append(_Event("link_open", h.group(1), line))
            elif _A_CLOSE.match(tag):
                events.append(_Event("link_close", "", line))
            # any other tag (<b>, <span>, comments) is markup only: dropped
        elif t == "strong_open":
            events.append(_Event("strong", delta=1, line=line))
        elif t == "strong_close":
            events.append(_Event("strong", delta=-1, line=line))
        elif t == "link_open":
            events.append(_Event("link_open", str(tok.attrGet("href") or ""), line))
        elif t == "link_close":
            events.append(_Event("link_close", "", line))
        elif t == "image":
            emit_text(tok.content)
        # em_open/close, s_open/close: markup only
    if sup_depth:  # unclosed <sup>: keep its text as text
        events.append(_Event("text", "".join(sup_buf), sup_line))
    return events


def _parse_sup(content: str) -> tuple[list[str], str, str]:
    """``"1, 2"`` -> markers ["1", "2"]; ``"4 Il"`` -> (["4"], "", "Il"); ``"suivants 1, 2"`` -> (["1","2"], "suivants", "").

    Returns (markers, words before the marker, words after it). No markers (``"er"`` in
    ``1<sup>er</sup>``) means the content is ordinary text, returned as the "before" words.
    """
    text = " ".join(content.split())
    if len(text) > 60:  # a long superscript is text, not a marker (and keeps the regexes linear)
        return [], text, ""
    if m := _SYMBOL_MARKER.match(text):
        return [m.group(1)], "", ""
    if m := _MARKERS_FIRST.match(text):
        return re.split(r"\s*[,;]\s*", m.group(1)), "", m.group(2)
    if m := _MARKERS_LAST.match(text):
        return re.split(r"\s*[,;]\s*", m.group(2)), m.group(1), ""
    return [], text, ""


def _render(events: list[_Event], strip_prefix: re.Pattern[str] | None = None) -> _Rendered:
    """Clean text with footnote markers removed (offsets kept), links, anchors and boldness."""
    parts: list[str] = []
    markers: list[list[str]] = []
    link_starts: list[tuple[int, str]] = []
    spans: list[tuple[int, int, str]] = []  # (start, end) in parts index, url
    anchors: list[str] = []
    strong = 0
    bold_chars = plain_chars = 0
    for ev in events:
        if ev.kind == "text":
            parts.append(ev.value)
            n = len("".join(ev.value.split()))  # non-space characters
            if strong > 0:
                bold_chars += n
            else:
                plain_chars += n
        elif ev.kind == "soft":
            parts.append(" ")
        elif ev.kind == "br":
            parts.append("\n")
        elif ev.kind == "sup":
            found, before, after = _parse_sup(ev.value)
            if not found:
                parts.append(before)
                continue
            if before:
                parts.append(" " + before)
            parts.append(_SENTINEL)
            markers.append(found)
            if after:
                parts.append(" " + after + " ")
        elif ev.kind == "strong":
            strong += ev.delta
        elif ev.kind == "anchor":
            if ev.value:
                anchors.append(ev.value)
        elif ev.kind == "link_open":
            link_starts.append((len(parts), ev.value))
        elif ev.kind == "link_close" and link_starts:
            start, url = link_starts.pop()
            spans.append((start, len(parts), url))
    for start, url in link_starts:  # unclosed
        spans.append((start, len(parts), url))
    raw_text = "".join(parts)
    if strip_prefix is not None:
        raw_text = strip_prefix.sub("", raw_text, count=1)
    text, refs = _finish(raw_text, markers)
    links = []
    for start, end, url in sorted(spans):
        label, _ = _finish("".join(parts[start:end]), [])
        links.append(Link(text=label.replace("\n", " "), url=url))
    return _Rendered(
        text=text, refs=refs, links=links, anchors=anchors, bold=bold_chars > 0 and plain_chars == 0
    )


def _finish(raw_text: str, markers: list[list[str]]) -> tuple[str, list[FootnoteRef]]:
    """Clean each line, drop empty lines, then remove sentinels recording their offsets."""
    kept: list[str] = []
    for line in (clean_text(x) for x in raw_text.split("\n")):
        if not line:
            continue
        if kept and not line.replace(_SENTINEL, ""):
            kept[-1] += line  # a marker alone on its line belongs to the text before it
        else:
            kept.append(line)
    joined = "\n".join(kept)
    if _SENTINEL not in joined:
        return joined, []  # clean_text already folded and stripped every line
    marker_iter = iter(markers)
    out: list[str] = []
    refs: list[FootnoteRef] = []
    for ch in joined:
        if ch == _SENTINEL:
            for marker in next(marker_iter, []):
                refs.append(FootnoteRef(marker=marker, offset=len(out)))
        elif ch == " ":
            if out and out[-1] not in " \n":
                out.append(" ")
        elif ch == "\n":
            while out and out[-1] == " ":
                out.pop()
            if out and out[-1] != "\n":
                out.append("\n")
        else:
            out.append(ch)
    while out and out[-1] in " \n":
        out.pop()
    text = "".join(out)
    return text, [FootnoteRef(marker=r.marker, offset=min(r.offset, len(text))) for r in refs]


# --------------------------------------------------------------------------- footnote paragraphs


def _split_footnotes(events: list[_Event]) -> list[tuple[str, list[_Event], int, int]] | None:
    """Split a paragraph that starts with ``<sup>n</sup>`` into (marker, events, line, k) entries,
    k being the rank of the entry's ``<sup>`` among the paragraph's ``<sup>`` tags.

    An entry starts at a marker that begins the paragraph, a line, follows a ``<br/>``, or follows
    a stray ``>`` (a source quirk: several notes run together on one line as "… > <sup>2</sup> …").
    Returns None when the paragraph is not a footnote paragraph.
    """
    entries: list[tuple[str, list[_Event], int, int]] = []
    current: list[_Event] | None = None
    at_start = True
    sups = -1
    for ev in events:
        sups += ev.kind == "sup"
        if ev.kind == "sup" and at_start:
            found, before, after = _parse_sup(ev.value)
            if found and not before:
                current = []
                if after:
                    current.append(_Event("text", after + " ", ev.line))
                entries.append((", ".join(found), current, ev.line, sups))
                at_start = False
                continue
        if current is None:
            if ev.kind == "text" and not ev.value.strip():
                continue
            if ev.kind in ("anchor", "br", "soft"):
                continue
            return None
        if ev.kind in ("br", "soft"):
            at_start = True
        elif ev.kind == "text":
            stripped = ev.value.rstrip()
            if stripped.endswith(">") and not stripped.endswith("->"):
                current.append(_Event("text", stripped[:-1], ev.line))
                at_start = True
                continue
            if ev.value.strip():
                at_start = False
        current.append(ev)
    return entries or None


def _entry_raws(raw: str, ranks: list[int]) -> list[str] | None:
    """The inline Markdown of each footnote entry: ``raw`` cut at the entry's ``<sup>`` tags (by rank),
    without the separators between entries (``<br/>``, a stray ``>``). None if the tags don't line up."""
    starts = [m.start() for m in _SUP_SPAN.finditer(raw)]
    if not ranks or max(ranks) >= len(starts):
        return None
    cuts = [starts[k] for k in ranks] + [len(raw)]
    return [_strip_tail(raw[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]


def _strip_tail(piece: str) -> str:
    """Drop trailing entry separators; only the last 200 characters are searched (bounded regex)."""
    piece = piece.strip()
    return (piece[:-200] + _ENTRY_TAIL.sub("", piece[-200:])).strip()


# --------------------------------------------------------------------------- tables


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


# --------------------------------------------------------------------------- front matter


def table_text(table: Table) -> str:
    """Searchable text of a table: one line per row, cells joined by " | " (the PDF reader's form)."""
    return "\n".join(" | ".join(c.text for c in row) for row in table.rows)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _front_matter(path: Path, lines: list[str]) -> tuple[dict[str, Any], int]:
    """(mapping, number of lines it spans) for a leading ``---`` block; BadFrontMatter if broken."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        raise BadFrontMatter(path, "front matter opened by '---' on line 1 is never closed")
    body = "\n".join(lines[1:end])
    try:
        if any(isinstance(ev, yaml.AliasEvent) for ev in yaml.parse(body)):  # alias bombs (security)
            raise BadFrontMatter(path, "YAML aliases (*name) are not accepted in front matter")
        data = yaml.safe_load(body) if body.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise BadFrontMatter(path, f"invalid YAML in front matter{where}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BadFrontMatter(path, f"front matter is a {type(data).__name__}, not a mapping of keys")
    return _json_safe(data), end + 1


# --------------------------------------------------------------------------- block walk


def _parser(limits: Limits) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": max(4, min(2 * limits.max_nesting + 4, 200))})
    # Front matter is read (and checked) by _front_matter and blanked before parsing, so line
    # numbers stay those of the file and an unclosed block is an error, not a silent <hr>.
    return md.enable("table")


def _prov(start: int, end: int) -> list[Provenance]:
    return [Provenance(line_start=start, line_end=max(start, end))]


class _Walker:
    """Turns the flat token stream into blocks; state is a small explicit stack, never recursion."""

    def __init__(self, md: MarkdownIt, lines: list[str]) -> None:
        self.md = md
        self.lines = lines
        self.blocks: list[Block] = []
        self.list_stack: list[str] = []  # bullet markup or ordered delimiter per open list
        self.item_stack: list[Block | None] = []  # the list_item block per open item (None until text)
        self.item_meta: list[tuple[int, str]] = []
        self.quote_depth = 0
        self.note_parts: list[tuple[list[_Event], str, int, int]] = []
        self.note_start = 0
        self.note_end = 0
        self.table: _TableBuilder | None = None
        self.cell_kind = ""
        self.heading: tuple[int, int] | None = None
        self.max_level_seen = 0

    def walk(self, tokens: list[Token]) -> list[Block]:
        for tok in tokens:
            self.max_level_seen = max(self.max_level_seen, tok.level)
            handler = getattr(self, "_on_" + tok.type, None)
            if handler is not None:
                handler(tok)
        return self.blocks

    # -- headings
    def _on_heading_open(self, tok: Token) -> None:
        self.heading = (int(tok.tag[1:]), (tok.map or [0, 1])[0] + 1)

    def _on_heading_close(self, tok: Token) -> None:
        self.heading = None

    # -- lists
    def _on_bullet_list_open(self, tok: Token) -> None:
        self.list_stack.append(tok.markup or "-")

    def _on_ordered_list_open(self, tok: Token) -> None:
        self.list_stack.append(tok.markup or ".")

    def _on_bullet_list_close(self, tok: Token) -> None:
        if self.list_stack:
            self.list_stack.pop()

    _on_ordered_list_close = _on_bullet_list_close

    def _on_list_item_open(self, tok: Token) -> None:
        markup = self.list_stack[-1] if self.list_stack else "-"
        marker = f"{tok.info}{markup}" if tok.info else markup
        self.item_stack.append(None)
        self.item_meta.append(((tok.map or [0, 1])[0] + 1, marker))

    def _on_list_item_close(self, tok: Token) -> None:
        if self.item_stack:
            self.item_stack.pop()
            self.item_meta.pop()

    # -- quotes (notes)
    def _on_blockquote_open(self, tok: Token) -> None:
        if self.quote_depth == 0:
            self.note_parts = []
            span = tok.map or [0, 1]
            self.note_start, self.note_end = span[0] + 1, span[1]
        self.quote_depth += 1

    def _on_blockquote_close(self, tok: Token) -> None:
        self.quote_depth -= 1
        if self.quote_depth == 0:
            self._emit_note()

    # -- tables
    def _on_table_open(self, tok: Token) -> None:
        span = tok.map or [0, 1]
        self.table = _TableBuilder(line_start=span[0] + 1, line_end=span[1])

    def _on_thead_open(self, tok: Token) -> None:
        if self.table:
            self.table.in_head = True

    def _on_thead_close(self, tok: Token) -> None:
        if self.table:
            self.table.in_head = False

    def _on_tr_open(self, tok: Token) -> None:
        if self.table:
            self.table.current = []

    def _on_tr_close(self, tok: Token) -> None:
        if self.table and self.table.current is not None:
            self.table.rows.append(self.table.current)
            if self.table.in_head:
                self.table.header_rows += 1
            self.table.current = None

    def _on_table_close(self, tok: Token) -> None:
        if self.table:
            t = self.table
            raw = "\n".join(self.lines[t.line_start - 1 : t.line_end])
            self._add(t.finish(raw))
            self.table = None

    # -- other blocks
    def _on_fence(self, tok: Token) -> None:
        self._code(tok)

    def _on_code_block(self, tok: Token) -> None:
        self._code(tok)

    def _code(self, tok: Token) -> None:
        span = tok.map or [0, 1]
        text = tok.content.rstrip("\n")
        if text.strip():
            self._add(Block(kind=BlockKind.paragraph, text=text, raw=text, prov=_prov(span[0] + 1, span[1])))

    def _on_html_block(self, tok: Token) -> None:
        span = tok.map or [0, 1]
        text = clean_text(html.unescape(_TAG.sub(" ", tok.content)))
        if text:
            self._add(
                Block(
                    kind=BlockKind.paragraph,
                    text=text,
                    raw=tok.content.strip(),
                    prov=_prov(span[0] + 1, span[1]),
                )
            )

    # -- inline content: where text lands depends on the open container
    def _on_inline(self, tok: Token) -> None:
        span = tok.map or [0, 1]
        first, last = span[0] + 1, span[1]
        events = _inline_events(tok.children or [], first)
        if self.table is not None and self.table.current is not None:
            # a cell is one line in every format: <br/> inside it reads as a space (as in the PDFs)
            r = _render([_Event("soft", "", e.line) if e.kind == "br" else e for e in events])
            self.table.current.append(
                TableCell(
                    text=r.text,
                    raw=tok.content.strip(),
                    row=0,
                    col=len(self.table.current),
                    bold=r.bold,
                    footnote_refs=r.refs,
                    links=r.links,
                    prov=_prov(first, first),
                )
            )
            return
        if self.quote_depth:
            self.note_parts.append((events, tok.content, first, last))
            return
        if self.heading is not None:
            self._emit_heading(events, tok.content, self.heading[0], self.heading[1], last)
            return
        if self.item_stack:
            self._emit_list_text(events, tok.content, first, last)
            return
        self._emit_paragraph(events, tok.content, first, last)

    def _emit_heading(self, events: list[_Event], raw: str, level: int, first: int, last: int) -> None:
        r = _render(events)
        text, anchor = r.text, (r.anchors[0] if r.anchors else None)
        if m := _HEADING_ID.search(text):
            anchor = anchor or m.group(1)
            text = text[: m.start()].rstrip()
        sec = _SECTION_NUMBER.match(text)
        self._add(
            Block(
                kind=BlockKind.heading,
                text=text,
                raw=raw.strip(),
                level=level,
                anchor=anchor,
                section_number=sec.group(1) if sec else None,
                bold=r.bold,
                footnote_refs=r.refs,
                links=r.links,
                prov=_prov(first, last),
            )
        )

    def _emit_list_text(self, events: list[_Event], raw: str, first: int, last: int) -> None:
        r = _render(events)
        existing = self.item_stack[-1]
        if existing is None:
            _, marker = self.item_meta[-1]
            block = Block(
                kind=BlockKind.list_item,
                text=r.text,
                raw=raw.strip(),
                level=len(self.item_stack) - 1,
                marker=marker,
                bold=r.bold,
                footnote_refs=r.refs,
                links=r.links,
                prov=_prov(first, last),
            )
            self.item_stack[-1] = block
            self._add(block)
            return
        # a further paragraph of the same item: same block, text continued
        shift = len(existing.text) + 1 if existing.text else 0
        refs = existing.footnote_refs + [
            FootnoteRef(marker=x.marker, offset=x.offset + shift) for x in r.refs
        ]
        updated = existing.model_copy(
            update={
                "text": (existing.text + "\n" + r.text) if existing.text else r.text,
                "raw": (existing.raw or "") + "\n\n" + raw.strip(),
                "footnote_refs": refs,
                "links": existing.links + r.links,
                "bold": existing.bold and r.bold,
                "prov": _prov(existing.prov[0].line_start or first, last),
            }
        )
        idx = next(i for i in range(len(self.blocks) - 1, -1, -1) if self.blocks[i] is existing)
        self.blocks[idx] = updated
        self.item_stack[-1] = updated

    def _emit_paragraph(self, events: list[_Event], raw: str, first: int, last: int) -> None:
        entries = _split_footnotes(events)
        if entries:
            self._emit_footnotes(entries, raw, first, None)
            return
        r = _render(events)
        if not r.text and not r.refs:
            return
        self._add(
            Block(
                kind=BlockKind.paragraph,
                text=r.text,
                raw=raw.strip(),
                bold=r.bold,
                footnote_refs=r.refs,
                links=r.links,
                prov=_prov(first, last),
            )
        )

    def _emit_footnotes(
        self, entries: list[tuple[str, list[_Event], int, int]], raw: str, first: int, label: str | None
    ) -> None:
        raw_lines = raw.split("\n")
        pieces = _entry_raws(raw, [e[3] for e in entries])
        for k, (marker, evs, line, _) in enumerate(entries):
            end_line = entries[k + 1][2] if k + 1 < len(entries) else first + len(raw_lines) - 1
            if k + 1 < len(entries) and entries[k + 1][2] > line:
                end_line = entries[k + 1][2] - 1
            end_line = max(line, end_line)
            r = _render(evs)
            piece = pieces[k] if pieces else "\n".join(raw_lines[line - first : end_line - first + 1]).strip()
            self._add(
                Block(
                    kind=BlockKind.footnote,
                    text=r.text,
                    raw=piece,
                    marker=marker,
                    note_label=label,
                    footnote_refs=r.refs,
                    links=r.links,
                    prov=_prov(line, end_line),
                )
            )

    def _emit_note(self) -> None:
        parts = self.note_parts
        self.note_parts = []
        if not parts:
            return
        label: str | None = None
        first_events, first_raw, first_line, first_last = parts[0]
        if m := _NOTE_LABEL.match(first_raw):
            label = m.group(1).upper()
            # drop the label text (the first text event starts with it)
            stripped: list[_Event] = []
            done = False
            for ev in first_events:
                if not done and ev.kind == "text":
                    rest = _NOTE_LABEL.sub("", ev.value, count=1)
                    done = True
                    if rest.strip():
                        stripped.append(_Event("text", rest, ev.line))
                    continue
                stripped.append(ev)
            # the raw text drops the label; its first line moves down by the lines the label took
            parts[0] = (
                stripped,
                first_raw[m.end() :],
                first_line + first_raw[: m.end()].count("\n"),
                first_last,
            )
        # a note made of footnote entries (the notes under a table): one footnote block per entry
        body = [
            p
            for p in parts
            if any(ev.kind in ("text", "sup") and (ev.kind == "sup" or ev.value.strip()) for ev in p[0])
        ]
        if body:
            entries = _split_footnotes(body[0][0])
            if entries and len(body) == 1:
                self._emit_footnotes(entries, body[0][1], body[0][2], label)
                return
        texts: list[str] = []
        refs: list[FootnoteRef] = []
        links: list[Link] = []
        for events, _raw, _first, _last in parts:
            r = _render(events)
            if not r.text and not r.refs:
                continue
            shift = sum(len(t) + 1 for t in texts)
            refs += [FootnoteRef(marker=x.marker, offset=x.offset + shift) for x in r.refs]
            links += r.links
            texts.append(r.text)
        raw = "\n".join(_unquote(line) for line in self.lines[self.note_start - 1 : self.note_end]).strip()
        self._add(
            Block(
                kind=BlockKind.note,
                text="\n".join(texts),
                raw=raw,
                note_label=label,
                footnote_refs=refs,
                links=links,
                prov=_prov(self.note_start, self.note_end),
            )
        )

    def _add(self, block: Block) -> None:
        self.blocks.append(block)


def _unquote(line: str) -> str:
    return re.sub(r"^\s{0,3}>\s?", "", line)


# --------------------------------------------------------------------------- entry point


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
