"""``w:tbl`` -> :class:`Table`, the shape the PDF reader gives.

Columns are grid columns: ``gridSpan`` widens a cell, ``vMerge`` continuations grow the first cell's
``row_span`` and are left out of their row (as the PDF reader leaves a spanned cell out). Leading rows
marked ``tblHeader`` (Word repeats them on every page) are the header rows; without that mark a first
row all in bold is. A row deleted in an unaccepted revision is not read (the accepted text). A cell's
paragraphs are joined with spaces, as the PDF reader joins a cell's lines; a nested table's text goes
into its cell.
"""

from __future__ import annotations

from lxml import etree

from pipeline.extract.docx.runs import InlineReader, Para
from pipeline.extract.docx.styles import on, w, wval
from pipeline.extract.model import FootnoteRef, Link, Provenance, Table, TableCell


def cell_paragraphs(tc: etree._Element, inline: InlineReader) -> list[Para]:
    """Every paragraph of a cell in reading order, nested tables' cells included."""
    out: list[Para] = []
    for child in tc:
        if child.tag == w("p"):
            out.append(inline.paragraph(child, wval(child.find(w("pPr")), "pStyle")))
        elif child.tag == w("tbl"):
            for tr in child.iter(w("tr")):
                for inner in tr.findall(w("tc")):
                    out.extend(cell_paragraphs(inner, inline))
        elif child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent"))
            out.extend(cell_paragraphs(content if content is not None else child, inline))
    return out


def join_paras(paras: list[Para]) -> tuple[str, list[FootnoteRef], list[Link], bool]:
    text, refs, links = "", [], []
    texty = [p for p in paras if p.text or p.refs]
    for p in texty:
        base = len(text) + (1 if text and p.text else 0)
        if p.lead_marker:
            refs.extend(FootnoteRef(marker=m.strip(), offset=base) for m in p.lead_marker.split(","))
        if p.text:
            text = f"{text} {p.text}" if text else p.text
        refs.extend(FootnoteRef(marker=r.marker, offset=r.offset + base) for r in p.refs)
        links.extend(p.links)
    bold = bool(texty) and all(p.bold for p in texty if p.text)
    return text, refs, links, bold


def _rows(tbl: etree._Element) -> list[etree._Element]:
    out = []
    for child in tbl:
        if child.tag == w("tr"):
            out.append(child)
        elif child.tag in (w("sdt"), w("customXml")):  # rows wrapped in a content control
            out.extend(child.iter(w("tr")))
    return [tr for tr in out if tr.find(f"{w('trPr')}/{w('del')}") is None]


def read_table(tbl: etree._Element, inline: InlineReader, index: int, part: str) -> Table:
    rows: list[list[TableCell]] = []
    open_merge: dict[int, TableCell] = {}
    header_marks: list[bool] = []
    n_cols = 0
    for r_i, tr in enumerate(_rows(tbl)):
        trpr = tr.find(w("trPr"))
        header_marks.append(bool(on(trpr, "tblHeader")))
        col = 0
        grid_before = wval(trpr, "gridBefore")
        col += int(grid_before) if grid_before and grid_before.isdigit() else 0
        row: list[TableCell] = []
        for tc in tr.findall(w("tc")):
            tcpr = tc.find(w("tcPr"))
            span_v = wval(tcpr, "gridSpan")
            span = int(span_v) if span_v and span_v.isdigit() and 0 < int(span_v) < 1000 else 1
            vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
            text, refs, links, bold = join_paras(cell_paragraphs(tc, inline))
            if vmerge is not None and vmerge.get(w("val"), "continue") == "continue" and col in open_merge:
                origin = open_merge[col]
                origin.row_span += 1
                if text:  # text typed into a continuation cell still shows, under the first
                    base = len(origin.text) + (1 if origin.text else 0)
                    origin.text = f"{origin.text} {text}" if origin.text else text
                    origin.footnote_refs.extend(
                        FootnoteRef(marker=x.marker, offset=x.offset + base) for x in refs
                    )
                col += span
                continue
            cell = TableCell(
                text=text,
                row=r_i,
                col=col,
                col_span=span,
                bold=bold,
                footnote_refs=refs,
                links=links,
                prov=[Provenance(part=part, table=index, row=r_i, cell=col)],
            )
            for c in range(col, col + span):
                open_merge.pop(c, None)
            if vmerge is not None:
                open_merge[col] = cell
            row.append(cell)
            col += span
        n_cols = max(n_cols, col)
        rows.append(row)
    header_rows = 0
    while header_rows < len(header_marks) and header_marks[header_rows] and header_rows < len(rows) - 1:
        header_rows += 1
    if header_rows == 0 and len(rows) > 1 and rows[0] and all(c.bold or not c.text for c in rows[0]):
        header_rows = 1 if any(c.text for c in rows[0]) else 0
    for row in rows[:header_rows]:
        for c in row:
            c.is_header = True
    return Table(rows=rows, header_rows=header_rows, n_cols=n_cols, ruled=True)


def table_text(table: Table) -> str:
    return "\n".join(" | ".join(c.text for c in row) for row in table.rows)
