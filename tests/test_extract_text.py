"""Text reader on the seeds text (the French USSD as a PDF text extractor left it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.model import BlockKind as K
from pipeline.extract.model import Document

SEED = "002_23eedc901faeddad.txt"


@pytest.fixture(scope="session")
def seed_text(seeds_dir: Path) -> Path:
    return seeds_dir / SEED


@pytest.fixture(scope="session")
def seed_doc(seed_text: Path, extracted) -> Document:
    return extracted(seed_text)


def _availability(doc: Document) -> dict[str, list[tuple[str, str, list[str]]]]:
    """Header title -> rows (name, mark, footnote markers) of every 2-column mark table."""
    out: dict[str, list[tuple[str, str, list[str]]]] = {}
    for block in doc.tables():
        t = block.table
        if t.n_cols == 2:
            rows = [(r[0].text, r[1].text, [f.marker for f in r[1].footnote_refs]) for r in t.body_rows()]
            out.setdefault(t.header()[0], []).extend(rows)
    return out


def test_ussd_seed_numbered_sections(seed_doc):
    numbered = [
        (b.section_number, b.text, b.level, b.prov[0].line_start)
        for b in seed_doc.headings()
        if b.section_number
    ]
    main = [n for n, _, level, _ in numbered if level <= 3]
    assert main == ["1", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert numbered[0][1:3] == ("1 À propos de ce document", 2)  # level 1 is the document title
    assert numbered[2][1:] == ("2.1 Procédure d’achat", 3, 42)
    assert ("2.4", "2.4 Support Pays multiples", 3, 2313) in numbered
    # the numbered titles of Azure Engineering Direct (inside 2.3), numbered 1. 2. 3.
    dotted = [(n, text) for n, text, level, _ in numbered if level == 5]
    assert [n for n, _ in dotted] == ["1", "2", "3"] and dotted[1][1] == "2. Fonctionnalités"


def test_ussd_seed_out_of_sequence_numbers_stay_text(seed_doc):
    """ "2.1 Fourni à tous les clients :" and "2.2 Fonctionnalités étendues : …" sit inside 2.3: not sections."""
    texts = {b.text: b for b in seed_doc.blocks}
    assert texts["2.1 Fourni à tous les clients :"].kind == K.paragraph
    extended = next(b for b in seed_doc.blocks if b.text.startswith("2.2 Fonctionnalités étendues"))
    assert extended.kind == K.paragraph and extended.section_number is None
    footnote = next(b for b in seed_doc.blocks if b.prov[0].line_start == 839)
    assert footnote.kind == K.footnote and footnote.section_number is None


def test_ussd_seed_availability_tables(seed_doc):
    tables = _availability(seed_doc)
    assert len(seed_doc.tables()) == 10
    assert all(
        b.table.header()[1] == "Planification"
        for b in seed_doc.tables()
        if "réactifs" not in b.table.header()[0]
    )
    maintenance = tables["Types de services de maintenance"]  # continued on the next page: one table
    assert [m for _, m, _ in maintenance] == ["✓", "+", "+", "+", "+", "+"]
    assert maintenance[0][0] == "Évaluation à la Demande"
    assert (
        maintenance[-1][0]
        == "Programme d’Évaluation des Risques et de l’Intégrité en tant que Service (RAP as a Service)"
    )
    reactive = tables["Types de services réactifs"]
    assert [(n, m) for n, m, _ in reactive][:3] == [
        ("Support Conseil", "✓"),
        ("Support à la Résolution de Problèmes", "✓"),
        ("Gestion du Support Réactif", "✓"),
    ]
    enhanced = dict((n, (m, f)) for n, m, f in tables["Service"])
    assert len(enhanced) == 10 and enhanced["Support pour Développeurs"] == ("+", ["1"])
    assert enhanced["O365 Engineering Direct"] == ("+", [])
    sdm = dict((n, (m, f)) for n, m, f in tables["Types de services de la Gestion de Prestation de Services"])
    assert len(sdm) == 9 and sdm["Défenseur des Développeurs Architectes de Solutions cloud"] == ("✓", ["1"])
    assert sdm["Produit, Service et Conseils sur les Mises à jour de Sécurité de Microsoft"] == ("✓", [])


def test_ussd_seed_mark_cells_keep_the_raw_glyph(seed_doc):
    cells = [row[1] for b in seed_doc.tables() for row in b.table.body_rows()]
    assert {c.raw[0] for c in cells} == {"✓", "\uf0c8"}
    assert all(c.text in ("✓", "+") for c in cells)


def test_ussd_seed_legends_follow_their_tables_as_in_the_pdf(seed_doc):
    blocks = seed_doc.blocks
    service = next(i for i, b in enumerate(blocks) if b.kind == K.table and b.table.header()[0] == "Service")
    plus, plus_one = blocks[service + 1 : service + 3]
    assert (plus.kind, plus.text, plus.footnote_refs) == (
        K.paragraph,
        "+ - Service supplémentaire pouvant être acheté.",
        [],
    )
    assert plus_one.text.startswith("+ - Service supplémentaire qui peut être acheté dans les limites")
    assert [(r.marker, r.offset) for r in plus_one.footnote_refs] == [("1", 1)]  # the "1" printed on the mark
    assert plus_one.prov[0].line_start == 1058 and plus_one.prov[0].line_end == 1059
    legends = [b.text[:1] for b in blocks if b.kind == K.paragraph and b.text[1:4] == " - "]
    assert legends.count("✓") == 5 and legends.count("+") == 10


def test_ussd_seed_reflow_joins_hyphens_and_split_words(seed_doc):
    body = "\n".join(b.text for b in seed_doc.blocks)
    assert "ci-dessous" in body and "libre-service" in body
    assert "Planifi " not in body and not any(b.text == "cation" for b in seed_doc.blocks)
    first = next(b for b in seed_doc.blocks if b.kind == K.paragraph)
    assert first.prov[0].line_start == 2 and first.prov[0].line_end == 4
    assert first.text.endswith("services professionnels vendus par Microsoft.")


def test_ussd_seed_lists_and_footnotes(seed_doc):
    items = [b for b in seed_doc.blocks if b.kind == K.list_item]
    assert {(b.marker, b.level) for b in items} >= {("•", 0), ("o", 1), ("a)", 0), ("i)", 0)}
    lettered = [
        b.marker for b in items if b.marker and b.marker.endswith(")") and b.prov[0].line_start > 2200
    ]
    assert lettered[:9] == ["a)", "b)", "c)", "d)", "e)", "f)", "g)", "h)", "i)"]
    notes = [
        (b.marker, b.prov[0].line_start)
        for b in seed_doc.blocks
        if b.kind == K.footnote and b.marker.isdigit()
    ]
    assert ("1", 839) in notes and ("2", 843) in notes  # "2Les Responsables…": marker glued to the word
    two = next(b for b in seed_doc.blocks if b.kind == K.footnote and b.prov[0].line_start == 843)
    assert two.text.startswith("Les Responsables des Situations Critiques")


def test_ussd_seed_unnumbered_headings(seed_doc):
    titles = [b.text for b in seed_doc.headings() if b.section_number is None]
    assert {
        "Services proactifs",
        "Services de maintenance",
        "Services réactifs",
        "Office 365 Engineering Direct",
    } <= set(titles)
    assert all(len(t) <= 70 and not t.endswith(".") for t in titles)
    assert "Sévérité B" not in titles  # a row label of a flattened severity table


def test_ussd_seed_is_french(seed_doc):
    assert seed_doc.meta.language == "fr" and seed_doc.meta.lang_confidence >= 0.9
    assert seed_doc.meta.format.value == "text" and not seed_doc.furniture


# --------------------------------------------------------------------------- furniture


def test_planted_page_furniture_is_removed(tmp_path, seed_text, seed_doc):
    """Copy the seed, insert a running header, a footer and "Page N sur M" every 60 lines."""
    from pipeline.extract.text import extract_text

    lines = seed_text.read_text(encoding="utf-8").split("\n")
    pages = [lines[i : i + 60] for i in range(0, len(lines), 60)]
    out: list[str] = []
    for n, page in enumerate(pages, start=1):
        out += ["Description des Services de Support Unifié", ""] + page
        out += ["", "© Microsoft Corporation", f"Page {n} sur {len(pages)}", "\f"]
    path = tmp_path / "paged.txt"
    path.write_text("\n".join(out), encoding="utf-8")
    doc = extract_text(path)
    kinds = [b.kind for b in doc.furniture]
    assert kinds.count(K.page_number) == len(pages)
    assert kinds.count(K.page_header) >= len(pages) - 1 and kinds.count(K.page_footer) >= len(pages) - 1
    body = "\n".join(b.text for b in doc.blocks) + "".join(
        c.text for t in doc.tables() for r in t.table.rows for c in r
    )
    assert "Page 3 sur" not in body and "© Microsoft" not in body and "Support Unifié\n" not in body
    assert doc.meta.title == "Description des Services de Support Unifié"
    assert doc.meta.page_count == len(pages)
    heading_24 = next(b for b in doc.headings() if b.section_number == "2.4")
    assert heading_24.prov[0].page == 2313 // 60 + 1  # the seed line 2313 sits on the 39th planted page
    # the body keeps the same sections and tables as without furniture
    assert [b.section_number for b in doc.headings() if b.section_number] == [
        b.section_number for b in seed_doc.headings() if b.section_number
    ]
    assert _availability(doc) == _availability(seed_doc)


# --------------------------------------------------------------------------- bad input


def test_text_invalid_utf8_bom_crlf(tmp_path, seed_text):
    from pipeline.errors import BadEncoding
    from pipeline.extract.text import extract_text

    data = seed_text.read_bytes()[:6000]
    base = extract_text(_write(tmp_path, "lf.txt", data))
    for name, variant in {
        "bom.txt": b"\xef\xbb\xbf" + data,
        "crlf.txt": data.replace(b"\n", b"\r\n"),
    }.items():
        doc = extract_text(_write(tmp_path, name, variant))
        assert [(b.kind, b.text, b.prov) for b in doc.blocks] == [
            (b.kind, b.text, b.prov) for b in base.blocks
        ]
    with pytest.raises(BadEncoding, match=r"bad\.txt: invalid UTF-8 at byte offset 3"):
        extract_text(_write(tmp_path, "bad.txt", b"abc\xff\xfe def\n"))


def test_text_empty_file_is_refused(tmp_path):
    from pipeline.errors import EmptyInput
    from pipeline.extract import extract

    with pytest.raises(EmptyInput):
        extract(_write(tmp_path, "empty.txt", b""))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- against the PDF


def _numbered(doc: Document) -> list[tuple[str, str]]:
    return [(b.section_number, b.text) for b in doc.headings() if b.section_number]


def test_ussd_text_and_pdf_find_the_same_numbered_sections(seed_doc, ussd_pdf, extracted):
    pdf = extracted(ussd_pdf)
    assert _numbered(seed_doc) == _numbered(pdf)
    assert len(_numbered(pdf)) == 11


def test_ussd_text_and_pdf_find_the_same_availability_rows(seed_doc, ussd_pdf, extracted):
    pdf = extracted(ussd_pdf)
    from_pdf = {
        title: rows for title, rows in _availability(pdf).items() if all(m in ("✓", "+") for _, m, _ in rows)
    }
    from_text = _availability(seed_doc)
    assert from_text == from_pdf
    assert sum(len(rows) for rows in from_text.values()) == 45


def test_ussd_text_and_pdf_unnumbered_headings_mostly_agree(seed_doc, ussd_pdf, extracted):
    pdf = [b.text for b in extracted(ussd_pdf).headings() if b.section_number is None][1:]  # [0] is the title
    text = [b.text for b in seed_doc.headings() if b.section_number is None]
    common = set(pdf) & set(text)
    assert len(common) >= 0.9 * len(set(pdf)) and len(common) >= 0.9 * len(set(text))


def test_ussd_seed_glued_footnote_digits_become_markers(seed_doc):
    """ "Composants Azure1", "24 h/24, 7 j/73", "ouvrées4": digits of lost superscripts split off."""
    by_line = {b.prov[0].line_start: b for b in seed_doc.blocks}
    azure = by_line[658]
    assert azure.text.startswith("Composants Azure") and "Azure1" not in azure.text
    assert [(r.marker, azure.text[: r.offset]) for r in azure.footnote_refs] == [("1", "Composants Azure")]
    seven = by_line[680]
    assert seven.text.endswith("7 j/7") and [r.marker for r in seven.footnote_refs] == ["3"]
    assert [r.marker for r in by_line[734].footnote_refs] == ["2"]  # the source's own "7 j/72"
    assert "O365 Engineering Direct" in "\n".join(b.text for b in seed_doc.blocks)  # names keep their digits


def test_bare_page_numbers_next_to_form_feeds(tmp_path):
    from pipeline.extract.text import extract_text

    page = "Titre du service\n\nUn paragraphe de texte qui parle du service et de ses conditions.\n"
    path = tmp_path / "ff.txt"
    path.write_text("".join(f"{page}\n{n}\n\f" for n in range(1, 5)), encoding="utf-8")
    doc = extract_text(path)
    assert [b.text for b in doc.furniture if b.kind == K.page_number] == ["1", "2", "3", "4"]
    assert not any(b.text.isdigit() for b in doc.blocks)


def _pdf_text(pdf: Path, tmp_path: Path) -> Path:
    """The text layer of a real PDF as a text extractor leaves it: pages joined by form feeds."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        text = "\n\f".join(page.extract_text() or "" for page in doc.pages)
    out = tmp_path / (pdf.stem + ".txt")
    out.write_text(text, encoding="utf-8")
    return out


def test_vendor_pdf_text_layer_furniture(vendor_pdf, tmp_path):
    """o365-engineering-direct: a 4-line running footer and "Page N of 8" on each of the 8 pages."""
    from pipeline.extract import extract

    doc = extract(_pdf_text(vendor_pdf, tmp_path))
    numbers = [b.text for b in doc.furniture if b.kind == K.page_number]
    assert numbers == [f"Page {n} of 8" for n in range(1, 9)]
    texts = [b.text for b in doc.furniture]
    assert texts.count("© 2019 Microsoft Corporation. All rights reserved.") == 8
    assert texts.count("Service Description Supplement") >= 8
    body = "\n".join(b.text for b in doc.blocks)
    assert "© 2019" not in body and "of 8" not in body and "Service Description Supplement" not in body
    assert doc.meta.title == "Office 365 Engineering Direct" and doc.meta.language == "en"
    assert doc.meta.page_count == 8 and [
        b.prov[0].page for b in doc.furniture if b.kind == K.page_number
    ] == list(range(1, 9))
    assert "Enhanced Services" in body and "Customer Advisory Input" in body


def test_bilingual_pdf_text_layer_footer_with_page_number(shared_corpus, tmp_path):
    """support 2021-06-04 fr: the footer line ends with "Page N sur 5"; the header repeats from page 2."""
    from pipeline.extract import extract

    pdf = shared_corpus / "bilingual-pdf" / "support" / "2021-06-04" / "fr.pdf"
    doc = extract(_pdf_text(pdf, tmp_path))
    footers = [b.text for b in doc.furniture if b.kind == K.page_footer]
    assert len(footers) == 5 and all(f.endswith(f"Page {n} sur 5") for n, f in enumerate(footers, start=1))
    headers = [b for b in doc.furniture if b.kind == K.page_header]
    assert len(headers) == 4 and headers[0].text.startswith("Support Descriptions des services")
    assert not any("sur 5" in b.text for b in doc.blocks)
    assert doc.meta.language == "fr"
