"""Flattened availability tables: a header line, then rows "Name ✓", and their legends."""

from __future__ import annotations

import re

from pipeline.extract.model import (
    Block,
    BlockKind,
    FootnoteRef,
    Table,
    TableCell,
)
from pipeline.extract.text.lines import (
    _FOOTNOTE_LEGEND,
    _LEGEND,
    _TERMINAL,
    _bullet,
    _clean,
    _Ctx,
    _glue,
    _is_legend,
    _join,
    _Line,
    _mark_of,
    _prov,
)


def _table_header(ctx: _Ctx, i: int) -> tuple[list[str], int] | None:
    """Header cells and index of the first row line, when line i opens an availability table."""
    lines = ctx.lines
    line = lines[i]
    text = _clean(line.text)
    if _mark_of(line.text) or _is_legend(lines, i) or text.endswith(_TERMINAL) or len(text) > 90:
        return None
    second, text, j = _second_header(ctx, text, i + 1)
    # the first row must follow within three lines (a name may wrap once or twice)
    for k in range(j, min(j + 3, len(lines))):
        if _mark_of(lines[k].text) and not _is_legend(lines, k):
            if k > j and second == "":
                return None
            return [text, second], j
        if _is_legend(lines, k) or _bullet(lines[k].text):
            return None
    return None


def _single_word(ctx: _Ctx, j: int) -> str | None:
    """Line j when it is one word alone (no mark, no bullet): a narrow column's header or a piece of it."""
    if j >= len(ctx.lines):
        return None
    t = _clean(ctx.lines[j].text)
    return t if t.isalpha() and not _mark_of(ctx.lines[j].text) else None


def _second_header(ctx: _Ctx, text: str, j: int) -> tuple[str, str, int]:
    """The second column's header of a flattened 2-column table, its first column's header, and the next line.

    The narrow second column's header is flattened onto the end of the header line or onto the next
    line, split inside the word ("… maintenance Planifi" + "cation"): a last word that glues to a one-word
    next line (the document knows the whole word), or a capitalised one-word line that glues to the one
    after it, is that header. A word split this way is the sign of a narrow column.
    """
    head, _, last = text.rpartition(" ")
    nxt = _single_word(ctx, j)
    if head and nxt and _glue(ctx, last, nxt):
        return last + nxt, head, j + 1
    after = _single_word(ctx, j + 1) if nxt and nxt[:1].isupper() else None
    if nxt and after and _glue(ctx, nxt, after):
        return nxt + after, text, j + 2
    return "", text, j


def _read_table(ctx: _Ctx, i: int) -> int | None:
    """Parse an availability table starting at line i; append its block(s); return the next index."""
    found = _table_header(ctx, i)
    if found is None:
        return None
    header, j = found
    lines = ctx.lines
    header_raw = lines[i].text
    rows: list[tuple[str, str, str | None, _Line, _Line]] = []  # name, mark, footnote, first, last
    pending: list[_Line] = []
    k = j
    while k < len(lines):
        line = lines[k]
        text = _clean(line.text)
        if line.text.strip() == header_raw.strip() or (text and text == _clean(header_raw)):
            k += 1  # header repeated on the next page
            _, _, k = _second_header(ctx, text, k)
            continue
        if _is_legend(lines, k):
            break
        marked = _mark_of(line.text)
        if marked is not None:
            name_part, glyph = marked
            names = [p.text for p in pending] + ([name_part] if name_part.strip() else [])
            name = _join(ctx, names)
            if not name:
                break
            footnote = None
            last = line
            if k + 1 < len(lines) and re.fullmatch(r"\d", lines[k + 1].text.strip()):
                footnote = lines[k + 1].text.strip()
                last = lines[k + 1]
                k += 1
            rows.append((name, glyph, footnote, pending[0] if pending else line, last))
            pending = []
            k += 1
            continue
        # a name that wraps: keep it only if a mark line follows soon
        if len(pending) < 3 and len(text) <= 90 and not text.endswith((".", ":")) and not _bullet(line.text):
            ahead = next((m for m in range(k + 1, min(k + 4, len(lines))) if _mark_of(lines[m].text)), None)
            if ahead is not None and not _is_legend(lines, ahead):
                pending.append(line)
                k += 1
                continue
        break
    if not rows:
        return None
    cells = [
        [
            TableCell(text=h, row=0, col=c, is_header=True, prov=_prov(lines[i], lines[i]))
            for c, h in enumerate(header)
        ]
    ]
    for r, (name, glyph, footnote, first, last) in enumerate(rows, start=1):
        mark = _clean(glyph)
        refs = [FootnoteRef(marker=footnote, offset=len(mark))] if footnote else []
        cells.append(
            [
                TableCell(text=name, row=r, col=0, prov=_prov(first, last)),
                TableCell(
                    text=mark,
                    raw=glyph + (footnote or ""),
                    row=r,
                    col=1,
                    footnote_refs=refs,
                    prov=_prov(last, last),
                ),
            ]
        )
    end = rows[-1][4]
    ctx.blocks.append(
        Block(
            kind=BlockKind.table,
            text="\n".join(" | ".join(c.text for c in row) for row in cells),
            table=Table(rows=cells, header_rows=1, n_cols=2, ruled=False),
            prov=_prov(lines[i], end),
        )
    )
    # legends right under the table
    while k < len(lines) and _is_legend(lines, k):
        k = _read_legend(ctx, k)
    return k


def _read_legend(ctx: _Ctx, k: int) -> int:
    """One legend line ("✓ - Inclus…", "+ - Service…", "+" then "1 - Service…") -> a paragraph.

    The form is the PDF reader's: the mark starts the text ("✓ - Inclus…") and a footnote digit
    printed on the mark is a footnote reference right after it, so both readers give the same blocks.
    """
    lines = ctx.lines
    t = lines[k].text.replace("\uf020", " ").strip()
    if m := _LEGEND.match(t):
        mark, digit, body, end = m.group(1), m.group(2), m.group(3), k
    else:  # mark alone, then "1 - …"
        m2 = _FOOTNOTE_LEGEND.match(lines[k + 1].text.strip())
        assert m2 is not None
        mark, digit, body, end = t, m2.group(1), m2.group(2), k + 1
    mark = _clean(mark)
    ctx.blocks.append(
        Block(
            kind=BlockKind.paragraph,
            text=f"{mark} - {_clean(body)}",
            raw="\n".join(x.text for x in lines[k : end + 1]),
            footnote_refs=[FootnoteRef(marker=digit, offset=len(mark))] if digit else [],
            prov=_prov(lines[k], lines[end]),
        )
    )
    return end + 1
