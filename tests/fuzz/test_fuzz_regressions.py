"""Every crash the fuzzers found, pinned as a regression test named after the bug."""

from __future__ import annotations

from harness import run_target

# Found by test_fuzz_reader[pdf] (hypothesis): object 1's "endobj" doubled, so the page tree has no
# MediaBox. The reader raised CorruptPdf, then pdfplumber's close() rebuilt every page in ``finally``
# and its TypeError replaced the typed error (an E900 internal error at the CLI).
PDF_BROKEN_PAGE_TREE = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobjendobj\n2 0 obj\n"
    b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 /MediaBox [0 0 612 792] >>\nendobj\n3 0 obj\n"
    b"<< /Type /Page /Parent 2 0 R >>\nendobj\n4 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n5 0 obj\n"
    b"<< /Type /Page /Parent 2 0 R >>\nendobj\nxref\n0 6\n0000000000 65535 f \n0000000015 00000 n \n"
    b"0000000064 00000 n \n0000000157 00000 n \n0000000204 :00000 n \n0000000251 00000 n \ntrailer\n"
    b"<< /Size 6 /Root 1 0 R >>\nstartxref\n298\n%%EOF\n"
)


def test_regression_pdf_close_masks_error_on_broken_page_tree():
    assert run_target("pdf", PDF_BROKEN_PAGE_TREE) == "E102"


# Found by the atheris run (run_long.py --atheris pdf): 11 bytes changed in the smallest real shared PDF
# (its compressed streams, so no text of it is copied here). A block built with no lines crashed
# _to_block with IndexError (p.lines[0]) -> E900 at the CLI. The flips are applied at test time.
SMALL_SHARED_PDF = "bilingual-pdf/office-365-engineering-direct-service-description/2019-01-03/en.pdf"
FLIPS_EMPTY_BLOCK = [(1807, 192), (1965, 255), (1966, 48), (1967, 223), (1968, 163), (1970, 92), (3870, 120),
                     (7916, 93), (8524, 50), (9195, 35), (9681, 91)]  # fmt: skip


def test_regression_pdf_block_without_lines(shared_corpus):
    data = bytearray((shared_corpus / SMALL_SHARED_PDF).read_bytes())
    for pos, value in FLIPS_EMPTY_BLOCK:
        data[pos] = value
    assert run_target("pdf", bytes(data)) in {"ok", "E102", "E104"}
