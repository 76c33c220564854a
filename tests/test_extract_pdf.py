"""PDF extractor on the real documents of the shared corpus (each file parsed once per session)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.extract.model import BlockKind, Document
from pipeline.textutil import fold_for_match

SEVERITY = re.compile(r"^Sévérité (1|A|B|C)\b")


def _body_texts(doc: Document) -> list[str]:
    """Every piece of body text, table cells included."""
    out = []
    for b in doc.blocks:
        out.append(b.text)
        if b.table:
            out.extend(c.text for row in b.table.rows for c in row)
    return out


# --- vendor PDF: O365 Engineering Direct, 2019-03-25 (real Word PDF, 8 pages) -----------------


def test_vendor_pdf_body_has_no_running_header_or_footer(extracted, vendor_pdf):
    doc = extracted(vendor_pdf)
    for text in _body_texts(doc):
        assert "All rights reserved" not in text
        assert "© 2019" not in text
        assert not re.search(r"Page \d of 8", text)


def test_vendor_pdf_furniture_holds_the_footer_lines_of_every_page(extracted, vendor_pdf):
    doc = extracted(vendor_pdf)
    assert doc.meta.page_count == 8
    for page in range(1, 9):
        on_page = [f for f in doc.furniture if f.prov[0].page == page]
        texts = [f.text for f in on_page]
        assert f"Page {page} of 8" in texts
        assert [f.kind for f in on_page if f.text == f"Page {page} of 8"] == [BlockKind.page_number]
        assert any(t.startswith("© 2019") and "All rights reserved" in t for t in texts)
        # the three running title lines plus the copyright line and the page number
        assert len(on_page) == 5, texts
        assert {"Office 365 Engineering Direct", "Office 365 for Enterprises"} <= set(texts)
    assert all(f.kind in (BlockKind.page_footer, BlockKind.page_number) for f in doc.furniture)


def test_vendor_pdf_notification_types_table_is_one_4x2_table_of_whole_sentences(extracted, vendor_pdf):
    doc = extracted(vendor_pdf)
    tables = [b for b in doc.tables() if b.table.header() and b.table.header()[0].startswith("Notification")]
    assert len(tables) == 1
    table = tables[0].table
    assert table.n_cols == 4
    assert table.header_rows == 1
    assert table.header() == [
        "Notification Type",
        "Notification Characteristics",
        "Notification Method",
        "Follow-on Action",
    ]
    body = table.body_rows()
    assert len(body) == 2
    assert [row[0].text for row in body] == ["Service Alert", "Proactive Outreach"]
    for row in body:
        assert len(row) == 4
        assert row[2].text == "Message Center"
        # characteristics cells wrap over ~10 lines: one whole sentence, no line breaks
        assert len(row[1].text) > 200 and "\n" not in row[1].text
        assert row[1].text.startswith("Microsoft Service Engineering has identified")
        assert row[1].text.endswith("concern")
        assert all(c.prov and c.prov[0].page == 6 for c in row)
    # the table's words are not repeated as paragraphs
    assert not any(b.kind is BlockKind.paragraph and b.text.startswith("Service Alert") for b in doc.blocks)


def test_vendor_pdf_headings_lists_and_notes(extracted, vendor_pdf):
    doc = extracted(vendor_pdf)
    heads = [h.text for h in doc.headings()]
    for expected in ("Overview", "Enhanced Services", "Implementation", "Advanced Monitoring Notification"):
        assert expected in heads
    items = [b for b in doc.blocks if b.kind is BlockKind.list_item]
    assert len(items) >= 15 and all(b.marker == "•" for b in items)
    # a bullet whose text wraps onto a second line is one item
    assert any(b.text.endswith("to increase impact & business value") for b in items)
    notes = [b for b in doc.blocks if b.kind is BlockKind.note]
    assert [n.note_label for n in notes].count("Notes") == 2  # the shaded boxes of pages 1 and 3
    assert "Note" in [n.note_label for n in notes]  # inline "Note:" paragraphs
    assert all(not n.text.startswith("Note") for n in notes)


def test_vendor_pdf_metadata(extracted, vendor_pdf):
    doc = extracted(vendor_pdf)
    assert doc.meta.format.value == "pdf"
    assert len(doc.meta.sha256) == 64
    assert "Word" in doc.meta.pdf_metadata["Producer"]
    assert doc.meta.pdf_metadata["CreationDate"].startswith("D:2019")
    assert doc.meta.title == "Office 365 Engineering Direct"  # no Title metadata: largest text on page 1


# --- USSD (French, 28 pages, LibreOffice-made) -------------------------------------------------


def _availability_tables(doc: Document):
    return [
        b.table
        for b in doc.tables()
        if b.table.n_cols == 2
        and re.match(
            r"^(Types de |Service$|Autres Services)", b.table.header()[0] if b.table.header() else ""
        )
    ]


def test_ussd_availability_tables_have_a_mark_per_row(extracted, ussd_pdf):
    doc = extracted(ussd_pdf)
    tables = _availability_tables(doc)
    assert len(tables) >= 10
    headers = {t.header()[0] for t in tables}
    assert {"Service", "Types de services de maintenance"} <= headers
    marks: dict[str, tuple[str, list[str]]] = {}
    for t in tables:
        assert t.body_rows()
        for row in t.body_rows():
            assert len(row) == 2
            name, mark = row
            assert mark.text in {"✓", "+"}, (name.text, mark.text)
            assert all(ref.marker.isdigit() and ref.offset == 1 for ref in mark.footnote_refs)
            marks[name.text] = (mark.text, [r.marker for r in mark.footnote_refs])
    assert marks["Évaluation à la Demande"] == ("✓", [])
    assert marks["Analyse des Causes"] == ("+", [])  # U+F0C8 U+F020 in the PDF
    assert marks["Défenseur des Développeurs Architectes de Solutions cloud"] == ("✓", ["1"])
    assert marks["Support pour Développeurs"] == ("+", ["1"])


def test_ussd_severity_tables_rows_1_a_b_c_merged_across_pages(extracted, ussd_pdf):
    doc = extracted(ussd_pdf)
    blocks = [
        b
        for b in doc.tables()
        if b.table.header() and b.table.header()[0].startswith("Sévérité et situation")
    ]
    assert len(blocks) == 4
    for b in blocks:
        t = b.table
        assert t.n_cols == 3 and t.header_rows == 1
        sev = [SEVERITY.match(row[0].text).group(1) for row in t.body_rows()]
        assert sev[:2] == ["1", "A"]
        for row in t.body_rows():
            assert all("\n" not in c.text for c in row)
    first = blocks[0]
    assert [p.page for p in first.prov] == [8, 9]  # continued on page 9, repeated header dropped
    sev = [SEVERITY.match(row[0].text).group(1) for row in first.table.body_rows()]
    assert sev == ["1", "A", "B", "C"]
    row1 = first.table.body_rows()[0]
    # the row cut by the page break is whole again: first and last words of each cell together
    assert row1[0].text.startswith("Sévérité 1 Arrêt des systèmes") and row1[0].text.endswith(
        "attention immédiate"
    )
    assert "15 minutes ou moins Tous les autres produits" in row1[1].text
    assert row1[2].text.startswith("Notification de vos cadres seniors, à notre demande")
    # "7 j/73" in the PDF: text "7 j/7" and footnote 3 right after it
    for cell in (row1[1], row1[2]):
        refs3 = [r for r in cell.footnote_refs if r.marker == "3"]
        assert refs3 and all(cell.text[: r.offset].endswith("7 j/7") for r in refs3)
    assert row1[1].text.startswith("Composants Azure -")
    assert [r.marker for r in row1[1].footnote_refs if r.offset == len("Composants Azure")] == ["1"]


def test_ussd_footnotes_under_severity_table(extracted, ussd_pdf):
    doc = extracted(ussd_pdf)
    notes = [b for b in doc.blocks if b.kind is BlockKind.footnote and b.prov[0].page == 9]
    assert [n.marker for n in notes] == ["1", "2", "3", "4"]
    assert notes[0].text.startswith("Le temps de réponse") and notes[0].text.endswith(
        "Subscription Management."
    )


def test_ussd_numbered_sections_and_furniture(extracted, ussd_pdf):
    doc = extracted(ussd_pdf)
    numbered = {h.section_number: h for h in doc.headings() if h.section_number and "." in h.section_number}
    assert {"2.1", "2.2", "2.3", "2.4", "2.5", "2.6"} <= set(numbered)
    assert numbered["2.1"].text == "2.1 Procédure d’achat"
    assert numbered["2.1"].level < [h for h in doc.headings() if h.text == "Services proactifs"][0].level
    top = [
        h for h in doc.headings() if h.section_number in ("1", "2") and h.level == numbered["2.1"].level - 1
    ]
    assert len(top) == 2
    pages = {f.prov[0].page for f in doc.furniture if f.kind is BlockKind.page_number}
    assert pages == set(range(1, 29))
    assert all(
        f.text == f"Page {f.prov[0].page} sur 28" for f in doc.furniture if f.kind is BlockKind.page_number
    )
    headers = [f for f in doc.furniture if f.kind is BlockKind.page_header]
    assert len(headers) == 28 and {f.text for f in headers} == {doc.meta.title}
    for text in _body_texts(doc):
        assert not re.search(r"Page \d+ sur 28", text)


def test_ussd_text_is_clean_and_reflowed(extracted, ussd_pdf):
    doc = extracted(ussd_pdf)
    for text in _body_texts(doc):
        assert not re.search("[\u00a0\u202f\uf020\uf0c8\u00ad]", text), text
    # a paragraph cut by the page 9 / page 10 break is one block with two provenance entries
    spanning = [
        b for b in doc.blocks if b.kind is BlockKind.paragraph and [p.page for p in b.prov] == [9, 10]
    ]
    assert len(spanning) == 1 and "le service est disponible à la demande" in spanning[0].text
    items = [b for b in doc.blocks if b.kind is BlockKind.list_item]
    assert {b.marker for b in items} >= {"•", "o", "a)"}
    # the lettered list of the AED prerequisites: nine items, each wrapped item whole
    assert [b.marker for b in items if b.marker and b.marker.endswith(")")] == [f"{c})" for c in "abcdefghi"]
    assert {b.level for b in items if b.marker == "o"} == {1}
    assert {b.level for b in items if b.marker == "•"} >= {0}


# --- bilingual PDFs typeset from the Markdown -------------------------------------------------


def _bilingual_pairs(shared_corpus: Path) -> list[tuple[Path, Path]]:
    pdfs = sorted((shared_corpus / "bilingual-pdf").glob("*/*/*.pdf"))
    assert len(pdfs) == 32
    return [
        (
            p,
            shared_corpus
            / "bilingual-md"
            / p.relative_to(shared_corpus / "bilingual-pdf").with_suffix(".md"),
        )
        for p in pdfs
    ]


def test_bilingual_pdf_headings_equal_markdown_headings(extracted, shared_corpus):
    mismatches = []
    for pdf, md in _bilingual_pairs(shared_corpus):
        got = [(h.level, fold_for_match(h.text)) for h in extracted(pdf).headings()]
        want = [(h.level, fold_for_match(h.text)) for h in extracted(md).headings()]
        if got != want:
            mismatches.append((pdf.relative_to(shared_corpus).as_posix(), got, want))
    assert not mismatches


def test_bilingual_pdf_tables_match_markdown_tables(extracted, shared_corpus):
    """Same tables (merged across page breaks), same shapes, same cell text, same footnote markers."""
    mismatches = []
    refs_seen = 0
    for pdf, md in _bilingual_pairs(shared_corpus):
        p_doc, m_doc = extracted(pdf), extracted(md)
        meta = json.loads((md.parent / "meta.json").read_text(encoding="utf-8"))
        if len(p_doc.tables()) != meta["tables"]:
            mismatches.append((pdf.name, "count", len(p_doc.tables()), meta["tables"]))
            continue
        for pt, mt in zip(p_doc.tables(), m_doc.tables(), strict=True):
            shape = lambda t: (t.n_cols, len(t.rows), t.header_rows)  # noqa: E731
            if shape(pt.table) != shape(mt.table):
                mismatches.append(
                    (pdf.relative_to(shared_corpus).as_posix(), shape(pt.table), shape(mt.table))
                )
                continue
            for prow, mrow in zip(pt.table.rows, mt.table.rows, strict=True):
                for pc, mc in zip(prow, mrow, strict=False):
                    if re.sub(r"\s+", "", fold_for_match(pc.text)) != re.sub(
                        r"\s+", "", fold_for_match(mc.text)
                    ):
                        mismatches.append((pdf.name, pc.text, mc.text))
                    # superscripts glued to words ("Storage¹", "1 TB³") come out as the same markers
                    if [r.marker for r in pc.footnote_refs] != [r.marker for r in mc.footnote_refs]:
                        mismatches.append((pdf.name, pc.text, pc.footnote_refs, mc.footnote_refs))
                    refs_seen += len(pc.footnote_refs)
    assert not mismatches, mismatches[:5]
    assert refs_seen > 150


def test_bilingual_pdf_furniture_stays_out_of_the_body(extracted, shared_corpus):
    for pdf, _ in _bilingual_pairs(shared_corpus):
        doc = extracted(pdf)
        n = doc.meta.page_count
        numbers = [f for f in doc.furniture if f.kind is BlockKind.page_number]
        assert [f.prov[0].page for f in numbers] == list(range(1, n + 1)), pdf
        for text in _body_texts(doc):
            assert "CC BY 4.0" not in text and not re.search(r"Page \d+ (of|sur) \d+", text), (pdf, text)
        if n > 1:  # running header from page 2 on: the title on the left
            headers = {f.prov[0].page for f in doc.furniture if f.kind is BlockKind.page_header}
            assert headers == set(range(2, n + 1)), pdf


def test_bilingual_pdf_body_blocks_match_markdown(extracted, shared_corpus):
    """Paragraphs, list items, notes and footnotes re-flowed from the PDF equal the Markdown's blocks.

    The few left over are one-line Markdown quotes holding several ``<sup>n</sup>`` footnotes,
    which the PDF prints as one paragraph (support and exchange-online-archiving, 2018-09-23).
    """
    total = same = 0
    for pdf, md in _bilingual_pairs(shared_corpus):
        key = lambda t: re.sub(r"\s+", "", fold_for_match(t))  # noqa: E731
        got = {key(b.text): b.kind for b in extracted(pdf).blocks if b.kind is not BlockKind.table}
        for b in extracted(md).blocks:
            if b.kind in (BlockKind.table, BlockKind.heading):
                continue
            total += 1
            if key(b.text) in got:
                same += 1
                assert got[key(b.text)] is b.kind, (pdf, b.text)
    assert total > 800 and same / total >= 0.98, (same, total)


def test_exchange_archiving_2021_en_paragraph_continues_over_page_break(extracted, shared_corpus):
    """Regression: a paragraph cut at a sentence end by the page 2/3 break stays one paragraph."""
    doc = extracted(
        shared_corpus / "bilingual-pdf/exchange-online-archiving-service-description/2021-06-04/en.pdf"
    )
    spanning = [b for b in doc.blocks if len(b.prov) == 2 and b.kind is BlockKind.paragraph]
    assert len(spanning) == 1
    assert [p.page for p in spanning[0].prov] == [2, 3]
    assert spanning[0].text.startswith("The unlimited archiving feature")
    assert "in the archive mailbox. When auto-expanding archiving" in spanning[0].text
