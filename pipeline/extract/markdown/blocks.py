"""The block walk: markdown-it's flat token stream (no recursion, so deep nesting cannot blow the
stack) -> headings, paragraphs, list items, notes, code, tables and footnotes with provenance."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.extract.markdown.footnotes import _entry_raws, _split_footnotes
from pipeline.extract.markdown.inline import _Event, _inline_events, _render
from pipeline.extract.markdown.tables import _TableBuilder
from pipeline.extract.model import (
    Block,
    BlockKind,
    FootnoteRef,
    Link,
    Provenance,
    TableCell,
)
from pipeline.textutil import clean_text

_TAG = re.compile(r"<[^<>]*>")  # linear: never scans past the next "<"


_NOTE_LABEL = re.compile(r"^\s*\[!([A-Za-z]+)\]\s*")


_HEADING_ID = re.compile(r"\s*\{#([^}\s]+)\}\s*$")


_SECTION_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,3})*)\.?\s+\S")


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
