"""Bad PDFs: one typed error each, one line naming the file, no traceback; partial scans warned."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fpdf import FPDF

from pipeline.errors import CorruptPdf, EncryptedPdf, NotAPdf, ScannedPdf, SvcdescError, TooManyPages
from pipeline.extract import extract
from pipeline.extract.pdf import extract_pdf
from pipeline.limits import Limits


def _text_pdf(path: Path, pages: int = 1, **encryption: str) -> Path:
    pdf = FPDF()
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.set_font("helvetica", size=12)
    for i in range(pages):
        pdf.add_page()
        pdf.set_xy(20, 60)
        pdf.cell(text=f"Body text on page {i + 1}")
    pdf.output(str(path))
    return path


def _assert_one_line(err: SvcdescError, path: Path, code: str) -> None:
    assert err.code == code
    assert "\n" not in err.message
    assert err.message.startswith(f"[{code}] {path.name}: ")


def test_truncated_copy_of_vendor_pdf_is_corrupt(vendor_pdf, tmp_path):
    bad = tmp_path / "truncated.pdf"
    data = vendor_pdf.read_bytes()
    bad.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptPdf) as exc:
        extract_pdf(bad, Limits())
    _assert_one_line(exc.value, bad, "E102")
    assert "truncated" in exc.value.reason


def test_html_named_pdf(tmp_path):
    bad = tmp_path / "page.pdf"
    bad.write_bytes(b"<html><body><p>not a pdf</p></body></html>")
    with pytest.raises(CorruptPdf) as exc:  # the reader alone: pdfminer finds no PDF structure
        extract_pdf(bad, Limits())
    _assert_one_line(exc.value, bad, "E102")
    with pytest.raises(NotAPdf):  # through the dispatcher: refused on its first bytes
        extract(bad)


def test_rectangle_only_pdf_is_reported_as_scanned(tmp_path):
    path = tmp_path / "scan.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(path))
    with pytest.raises(ScannedPdf) as exc:
        extract_pdf(path, Limits())
    _assert_one_line(exc.value, path, "E104")
    assert "1 page, no text layer (scanned?)" in exc.value.reason


def test_partly_scanned_pdf_gives_a_warning(tmp_path):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (120, 120, 120)).save(buf, format="PNG")
    path = tmp_path / "partly.pdf"
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.set_xy(20, 60)
    pdf.cell(text="A page with text")
    pdf.add_page()
    pdf.image(io.BytesIO(buf.getvalue()), x=20, y=20, w=100)
    pdf.output(str(path))
    doc = extract_pdf(path, Limits())
    assert [b.text for b in doc.blocks] == ["A page with text"]
    assert len(doc.warnings) == 1 and "1 of 2 pages" in doc.warnings[0] and "scanned" in doc.warnings[0]


def test_encrypted_pdf_needs_a_password(tmp_path):
    path = _text_pdf(tmp_path / "locked.pdf", owner_password="owner", user_password="user")
    with pytest.raises(EncryptedPdf) as exc:
        extract_pdf(path, Limits())
    _assert_one_line(exc.value, path, "E103")


def test_owner_password_only_pdf_is_read(tmp_path):
    """Encrypted with an empty user password: readable, as any viewer opens it."""
    path = _text_pdf(tmp_path / "owner-only.pdf", owner_password="owner")
    doc = extract_pdf(path, Limits())
    assert [b.text for b in doc.blocks] == ["Body text on page 1"]


def test_too_many_pages(tmp_path):
    path = _text_pdf(tmp_path / "long.pdf", pages=3)
    with pytest.raises(TooManyPages) as exc:
        extract_pdf(path, Limits(max_pages=2))
    _assert_one_line(exc.value, path, "E202")
    assert "3 pages" in exc.value.reason


def test_one_page_document_keeps_its_top_line(tmp_path):
    """Regression: a one-page PDF's first line (also its largest text) is body, not a running header."""
    path = tmp_path / "one.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=20)
    pdf.set_xy(20, 10)
    pdf.cell(text="Lone title")
    pdf.set_font("helvetica", size=11)
    pdf.set_xy(20, 40)
    pdf.cell(text="Body.")
    pdf.output(str(path))
    doc = extract_pdf(path, Limits())
    assert [b.text for b in doc.blocks] == ["Lone title", "Body."]
    assert doc.furniture == []
