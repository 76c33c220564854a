"""PDF extractor on small PDFs drawn at test time: table layouts the real corpus does not have."""

from __future__ import annotations

from fpdf import FPDF

from pipeline.extract.pdf import extract_pdf
from pipeline.limits import Limits


def test_unruled_aligned_columns_become_a_table(tmp_path):
    """No rules drawn: three columns lined up over four rows are a table; the prose around is not."""
    path = tmp_path / "unruled.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.set_xy(20, 40)
    pdf.cell(text="Limits by plan are listed below.")
    rows = [
        ("Plan", "Storage", "Users"),
        ("Basic", "1 TB", "300"),
        ("Standard", "5 TB", "500"),
        ("Premium", "25 TB", "1000"),
    ]
    for i, row in enumerate(rows):
        pdf.set_font("helvetica", style="B" if i == 0 else "", size=11)
        for x, text in zip((20, 90, 150), row, strict=True):
            pdf.set_xy(x, 60 + 8 * i)
            pdf.cell(text=text)
    pdf.set_font("helvetica", size=11)
    pdf.set_xy(20, 110)
    pdf.cell(text="Other limits apply.")
    pdf.output(str(path))
    doc = extract_pdf(path, Limits())
    assert [b.kind.value for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    table = doc.tables()[0].table
    assert table.ruled is False and table.n_cols == 3 and table.header_rows == 1
    assert table.header() == ["Plan", "Storage", "Users"]
    assert [[c.text for c in row] for row in table.body_rows()][-1] == ["Premium", "25 TB", "1000"]


def test_shaded_plain_header_row_and_repeated_header_across_pages(tmp_path):
    """A ruled table whose header is shaded (not bold), broken over two pages with its header repeated."""
    path = tmp_path / "shaded.pdf"
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=10)

    def row(y: float, cells: tuple[str, str], fill: bool) -> None:
        pdf.set_fill_color(200, 210, 230)
        for x, text in zip((20, 90), cells, strict=True):
            pdf.set_xy(x, y)
            pdf.cell(w=70, h=10, text=text, border=1, fill=fill)

    pdf.add_page()
    pdf.set_xy(20, 30)
    pdf.cell(text="Plans and limits follow.")
    row(250, ("Plan", "Limit"), True)
    row(260, ("Basic", "1 TB"), False)
    row(270, ("Standard", "5 TB"), False)
    pdf.add_page()
    row(20, ("Plan", "Limit"), True)
    row(30, ("Premium", "25 TB"), False)
    pdf.set_xy(20, 60)
    pdf.cell(text="End of the limits.")
    pdf.output(str(path))
    doc = extract_pdf(path, Limits())
    tables = doc.tables()
    assert len(tables) == 1
    t = tables[0].table
    assert t.header_rows == 1 and t.header() == ["Plan", "Limit"]
    assert not any(c.bold for c in t.rows[0])
    assert [[c.text for c in r] for r in t.body_rows()] == [
        ["Basic", "1 TB"],
        ["Standard", "5 TB"],
        ["Premium", "25 TB"],
    ]
    assert [p.page for p in tables[0].prov] == [1, 2]


def test_repeated_words_low_on_pages_are_body_unless_at_the_same_height(tmp_path):
    """Regression: furniture needs the same text at the same height; "Yes" low on every page is body."""
    path = tmp_path / "repeat.pdf"
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=10)
    for i in range(3):
        pdf.add_page()
        pdf.set_xy(20, 30)
        pdf.cell(text=f"Section {i + 1} text.")
        pdf.set_xy(20, 255 + 6 * i)  # bottom band, a different height on each page
        pdf.cell(text="Yes")
        pdf.set_xy(20, 285)
        pdf.cell(text="Contoso service description")
        pdf.set_xy(160, 285)
        pdf.cell(text=f"Page {i + 1} of 3")
    pdf.output(str(path))
    doc = extract_pdf(path, Limits())
    assert " ".join(b.text for b in doc.blocks).split().count("Yes") == 3
    kinds = sorted(
        {(f.kind.value, f.text.replace("1", "N").replace("2", "N").replace("3", "N")) for f in doc.furniture}
    )
    assert kinds == [("page_footer", "Contoso service description"), ("page_number", "Page N of N")]


def test_word_cut_across_lines_without_hyphen_is_rejoined(tmp_path):
    """ "Planifi" + "cation" -> "Planification" when the document knows the word; "ou" + "une" stay apart."""
    path = tmp_path / "cut.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    lines = [(40, "Les services de planification sont inclus."), (52, "Types de services de Planifi")]
    lines += [(57, "cation offerts ou"), (62, "une autre option.")]
    for y, text in lines:
        pdf.set_xy(20, y)
        pdf.cell(text=text)
    pdf.output(str(path))
    doc = extract_pdf(path, Limits())
    assert [b.text for b in doc.blocks] == [
        "Les services de planification sont inclus.",
        "Types de services de Planification offerts ou une autre option.",
    ]
