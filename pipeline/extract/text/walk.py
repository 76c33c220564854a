"""The main loop over body lines: headings, footnotes, list items, tables and paragraphs."""

from __future__ import annotations

import re

from pipeline.extract.model import (
    Block,
    BlockKind,
    FootnoteRef,
)
from pipeline.extract.text.lines import (
    _DOTTED,
    _FOOTNOTE,
    _TERMINAL,
    DOTTED_LEVEL,
    UNNUMBERED_LEVEL,
    _bullet,
    _clean,
    _Ctx,
    _ends_paragraph,
    _is_legend,
    _join,
    _Line,
    _mark_of,
    _numbered_line,
    _prov,
)
from pipeline.extract.text.tables import _read_legend, _read_table, _table_header

#: a footnote digit glued to the word before it: "Azure1", "ouvrées4", "7 j/73"
_GLUED_MARKER = re.compile(r"(?:(?<=[a-zà-öø-ÿ])|(?<=\d j/7)|(?<=\dj/7))([1-9])(?=[\s,.;:)]|$)")


def _starts_block(ctx: _Ctx, i: int) -> bool:
    line = ctx.lines[i]
    return bool(
        _numbered_line(_clean(line.text))
        or _bullet(line.text)
        or _is_legend(ctx.lines, i)
        or _FOOTNOTE.match(_clean(line.text))
        and _footnote_ok(ctx, int(_FOOTNOTE.match(_clean(line.text)).group(1)))
        or _table_header(ctx, i)
        or _plain_heading(ctx, i)
    )


def _footnote_ok(ctx: _Ctx, n: int) -> bool:
    return n == 1 or n == ctx.last_footnote + 1


def _gather(ctx: _Ctx, i: int) -> int:
    """Index after the last line of the paragraph/item/footnote that starts at line i.

    A short line ends the paragraph unless the next line goes on in lower case (indented list
    items wrap shorter than body text).
    """
    j = i
    while j + 1 < len(ctx.lines) and not _starts_block(ctx, j + 1):
        nxt = _clean(ctx.lines[j + 1].text)
        goes_on = (nxt[:1].islower() or nxt[:1].isdigit()) and not ctx.lines[j].text.rstrip().endswith(
            _TERMINAL
        )
        if _ends_paragraph(ctx, ctx.lines[j]) and not goes_on:
            break
        j += 1
    return j + 1


def _walk(ctx: _Ctx) -> None:
    lines = ctx.lines
    i = 0
    while i < len(lines):
        line = lines[i]
        text = _clean(line.text)
        if not text:
            i += 1
            continue
        if (nxt := _read_table(ctx, i)) is not None:
            i = nxt
            continue
        if _is_legend(lines, i):
            i = _read_legend(ctx, i)
            continue
        if (number := ctx.sections.get(i)) is not None:
            ctx.blocks.append(
                Block(
                    kind=BlockKind.heading,
                    text=text,
                    raw=line.text,
                    level=number.count(".") + 2,  # level 1 is the document title, as in the PDF
                    section_number=number,
                    prov=_prov(line, line),
                )
            )
            i += 1
            continue
        if (fm := _FOOTNOTE.match(text)) and _footnote_ok(ctx, int(fm.group(1))) and len(text) > 20:
            end = _gather(ctx, i)
            ctx.last_footnote = int(fm.group(1))
            body = _join(ctx, [fm.group(2)] + [x.text for x in lines[i + 1 : end]])
            ctx.blocks.append(
                Block(
                    kind=BlockKind.footnote,
                    marker=fm.group(1),
                    text=body,
                    raw="\n".join(x.text for x in lines[i:end]),
                    prov=_prov(line, lines[end - 1]),
                )
            )
            i = end
            continue
        if dotted := _dotted_heading(ctx, i):
            ctx.last_dotted = int(dotted[0])
            ctx.blocks.append(
                Block(
                    kind=BlockKind.heading,
                    text=text,
                    raw=line.text,
                    level=DOTTED_LEVEL,
                    section_number=dotted[0],
                    prov=_prov(line, line),
                )
            )
            i += 1
            continue
        if bullet := _bullet(line.text):
            marker, first_text, level = bullet
            end = _gather(ctx, i)
            ctx.blocks.append(
                Block(
                    kind=BlockKind.list_item,
                    marker=marker,
                    level=level,
                    text=_join(ctx, [first_text] + [x.text for x in lines[i + 1 : end]]),
                    raw="\n".join(x.text for x in lines[i:end]),
                    prov=_prov(line, lines[end - 1]),
                )
            )
            i = end
            continue
        if _plain_heading(ctx, i):
            ctx.blocks.append(
                Block(
                    kind=BlockKind.heading,
                    text=text,
                    raw=line.text,
                    level=UNNUMBERED_LEVEL,
                    prov=_prov(line, line),
                )
            )
            i += 1
            continue
        end = _gather(ctx, i)
        ctx.blocks.append(
            Block(
                kind=BlockKind.paragraph,
                text=_join(ctx, [x.text for x in lines[i:end]]),
                raw="\n".join(x.text for x in lines[i:end]),
                prov=_prov(line, lines[end - 1]),
            )
        )
        i = end


def _plain_heading(ctx: _Ctx, i: int) -> bool:
    """An unnumbered heading ("Services proactifs"): a short title line standing alone before a
    full-width paragraph, a list or a table. Conservative: narrow table cells never qualify."""
    lines = ctx.lines
    text = _clean(lines[i].text)
    words = text.split()
    if not (2 <= len(text) <= 70) or len(words) > 9 or not text[0].isupper():
        return False
    if text.endswith(_TERMINAL) or " : " in text or _mark_of(lines[i].text) or re.search(r"\d$", text):
        return False
    if len(words[-1]) == 1:  # "Sévérité B": a row label of a flattened table, not a title
        return False
    if i + 1 >= len(lines):
        return False
    nxt = lines[i + 1]
    nxt_text = _clean(nxt.text)
    if _bullet(nxt.text) or _table_header(ctx, i + 1) is not None:
        return True
    if not nxt_text[:1].isupper():
        return False
    if nxt_text.endswith((".", ":")) and len(nxt_text) < 0.7 * ctx.width:
        return True  # a one-line sentence or introduction under the title
    return len(nxt.text) >= 0.8 * ctx.width and not _ends_paragraph(ctx, nxt)


def _dotted_heading(ctx: _Ctx, i: int) -> tuple[str, str] | None:
    """("1", title) for "1. Vue d’ensemble…" standing alone as a title, numbered 1, 2, 3 in turn."""
    text = _clean(ctx.lines[i].text)
    m = _DOTTED.match(text)
    if not m or i + 1 >= len(ctx.lines):
        return None
    number, title = m.group(1), m.group(2)
    if len(title) > 80 or title.endswith(_TERMINAL) or not title[0].isupper():
        return None
    if int(number) not in (1, ctx.last_dotted + 1):
        return None
    nxt = _clean(ctx.lines[i + 1].text)
    return (number, title) if nxt[:1].isupper() else None


def _split_glued_markers(blocks: list[Block]) -> list[Block]:
    """Split footnote digits glued to a word ("Azure1" -> "Azure" + marker 1) where the document
    has footnotes with that marker; a PDF text layer loses the superscript, not the digit."""
    markers = {b.marker for b in blocks if b.kind == BlockKind.footnote and b.marker and b.marker.isdigit()}
    if not markers:
        return blocks
    out: list[Block] = []
    for block in blocks:
        if block.kind not in (BlockKind.paragraph, BlockKind.list_item, BlockKind.footnote) or not block.text:
            out.append(block)
            continue
        text, refs, pos = "", list(block.footnote_refs), 0
        for m in _GLUED_MARKER.finditer(block.text):
            if m.group(1) not in markers:
                continue
            text += block.text[pos : m.start()]
            refs.append(FootnoteRef(marker=m.group(1), offset=len(text)))
            pos = m.end()
        if pos:
            text += block.text[pos:]
            block = block.model_copy(update={"text": text, "footnote_refs": refs})
        out.append(block)
    return out


def _typical_width(lines: list[_Line]) -> int:
    lengths = sorted(len(x.text) for x in lines if x.text)
    if not lengths:
        return 80
    return max(40, lengths[int(0.9 * (len(lengths) - 1))])
