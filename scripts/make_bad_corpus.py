#!/usr/bin/env python
"""Generate a corpus of broken and hostile inputs (never committed; tests generate it into tmp_path).

Each case is one file plus a line in ``cases.json``: its class, and what the tool must do with it —
either a valid output (``"ok"``) or one of the listed error codes. PDFs are derived from a real shared
PDF when one is present (``--seed-pdf`` or the smallest PDF under ``../shared/corpus``), else from a
PDF generated with fpdf2, so the script also works on a fresh machine.

    python scripts/make_bad_corpus.py OUT [--seed-pdf FILE] [--long-line-mb 50] [--empty-pages 5000]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import struct
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"

# Codes each class may legitimately produce (pipeline/errors.py). "ok" = a valid output is fine too.
PDF_BROKEN = ["E101", "E102", "E104", "ok"]


@dataclass
class Case:
    name: str  # file name inside the corpus folder
    klass: str  # the class of defect (one test row per class)
    expect: list[str] = field(default_factory=list)  # allowed outcomes: error codes and/or "ok"
    args: list[str] = field(default_factory=list)  # extra CLI args for this case
    note: str = ""


# --- PDF builders -----------------------------------------------------------------------------------


def fpdf_text_pdf(pages: int = 2) -> bytes:
    """A small, valid, text PDF (headings, a paragraph, a table-like grid) made with fpdf2."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 10, f"{n}. Service overview", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, "The service includes proactive support and a named engineer. " * 4)
        for row in (("Service", "Included"), ("Health check", "Yes"), ("Workshop", "No")):
            for cell in row:
                pdf.cell(60, 8, cell, border=1)
            pdf.ln()
    return bytes(pdf.output())


def fpdf_encrypted_pdf(user_password: str = "secret-user") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-pass", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Confidential service description")
    return bytes(pdf.output())


def _tiny_png(w: int = 64, h: int = 64) -> bytes:
    raw = b"".join(
        b"\x00" + bytes(v for x in range(w) for v in (x * 4 % 256, y * 4 % 256, 128)) for y in range(h)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def fpdf_no_text_pdf(pages: int = 3) -> bytes:
    """A 'scanned' PDF: only an image and vector drawings, no text layer at all."""
    from fpdf import FPDF

    pdf = FPDF()
    png = io.BytesIO(_tiny_png())
    for _ in range(pages):
        pdf.add_page()
        pdf.image(png, x=10, y=10, w=190)
        for i in range(10):
            pdf.line(10, 220 + i * 5, 200, 220 + i * 5)
        pdf.rect(20, 270, 50, 10)
    return bytes(pdf.output())


def raw_empty_pages_pdf(count: int) -> bytes:
    """A valid PDF of ``count`` empty pages, objects written by hand (cheap for thousands of pages)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []

    def obj(num: int, body: bytes) -> None:
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d /MediaBox [0 0 612 792] >>" % count)
    for i in range(count):
        obj(3 + i, b"<< /Type /Page /Parent 2 0 R >>")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (count + 3))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count + 3, xref))
    return out.getvalue()


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from object bodies (numbered from 1) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def deflate_bomb_pdf(inflated_mb: int = 100) -> bytes:
    """One page whose content stream is ~100 KB compressed and ``inflated_mb`` MB inflated."""
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    data = b"".join(z.compress(chunk) for _ in range(inflated_mb)) + z.compress(
        b"BT /F1 12 Tf 72 700 Td (Hi) Tj ET"
    )
    data += z.flush()
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])  # fmt: skip


def page_tree_loop_pdf() -> bytes:
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
    ])  # fmt: skip


def deep_page_tree_pdf(depth: int = 5000) -> bytes:
    nodes = [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + i) for i in range(depth)]
    return raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", *nodes, b"<< /Type /Page /MediaBox [0 0 612 792] >>"]
    )


def find_seed_pdf() -> Path | None:
    if not SHARED_CORPUS.is_dir():
        return None
    pdfs = sorted(SHARED_CORPUS.rglob("*.pdf"), key=lambda p: (p.stat().st_size, str(p)))
    return pdfs[0] if pdfs else None


# --- the corpus -------------------------------------------------------------------------------------


def make_bad_corpus(
    out: Path,
    *,
    seed_pdf: Path | None = None,
    long_line_mb: int = 50,
    empty_pages: int = 5000,
    truncations: int = 12,
    flips: int = 6,
    nesting: int = 10_000,
    rng_seed: int = 7,
) -> list[Case]:
    """Write every case into ``out`` and return them (also written to ``out/cases.json``)."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(rng_seed)
    cases: list[Case] = []

    def put(
        name: str, data: bytes | str, klass: str, expect: list[str], args: list[str] | None = None, note=""
    ):
        (out / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(Case(name, klass, expect, args or [], note))

    seed = seed_pdf if seed_pdf is not None else find_seed_pdf()
    seed_bytes = seed.read_bytes() if seed is not None else fpdf_text_pdf()
    seed_note = f"derived from {seed.name}" if seed is not None else "derived from an fpdf2 PDF"

    # good controls, so batches mix good and bad
    put("good.pdf", fpdf_text_pdf(), "good_pdf", ["ok"])
    put(
        "good.md",
        "---\ntitle: Good\n---\n# Service\n\n| Plan | Included |\n|---|---|\n| A | Yes |\n",
        "good_md",
        ["ok"],
    )

    # truncated PDFs at many offsets (fractions of the file, plus the header alone and one byte short)
    n = len(seed_bytes)
    offsets = sorted({9, 64, 512, n - 1, n - 30} | {int(n * k / truncations) for k in range(1, truncations)})
    for off in offsets:
        if 0 < off < n:
            put(f"truncated-{off:07d}.pdf", seed_bytes[:off], "truncated_pdf", PDF_BROKEN, note=seed_note)

    # flipped bytes: a few random bytes changed, and a whole run of bytes zeroed in the middle
    for i in range(flips):
        data = bytearray(seed_bytes)
        for _ in range(rng.choice([1, 8, 64, 512])):
            pos = rng.randrange(min(16, n), n)
            data[pos] ^= 1 << rng.randrange(8)
        put(f"flipped-{i}.pdf", bytes(data), "flipped_pdf", PDF_BROKEN, note=seed_note)
    data = bytearray(seed_bytes)
    data[n // 3 : n // 3 + 2048] = b"\x00" * min(2048, n - n // 3)
    put("zeroed-run.pdf", bytes(data), "flipped_pdf", PDF_BROKEN, note=seed_note)
    put(
        "no-xref.pdf",
        seed_bytes.split(b"xref")[0] if b"xref" in seed_bytes else seed_bytes[: n // 2],
        "truncated_pdf",
        PDF_BROKEN,
    )

    put("encrypted.pdf", fpdf_encrypted_pdf(), "encrypted_pdf", ["E103"])
    put("encrypted-empty-user-pw.pdf", fpdf_encrypted_pdf(""), "encrypted_pdf_open", ["E103", "ok"],
        note="no user password: readable, so a valid output is fine")  # fmt: skip
    put("no-text.pdf", fpdf_no_text_pdf(), "no_text_layer_pdf", ["E104"])
    put("empty.pdf", b"", "empty_file", ["E105"])
    put("empty.md", b"", "empty_file", ["E105"])
    put("empty.txt", b"", "empty_file", ["E105"])
    put(
        "page.pdf",
        "<!DOCTYPE html><html><body><h1>Not found</h1></body></html>\n",
        "html_named_pdf",
        ["E101"],
    )
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    put("archive.pdf", zbuf.getvalue(), "zip_named_pdf", ["E101"])
    put("header-only.pdf", b"%PDF-1.7\n", "truncated_pdf", ["E102", "E104"])
    put("garbage-after-header.pdf", b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(20_000)), "flipped_pdf",
        ["E102", "E104"])  # fmt: skip

    put("many-empty-pages.pdf", raw_empty_pages_pdf(empty_pages), "many_pages_pdf", ["E202"],
        note=f"{empty_pages} empty pages: over the default --max-pages")  # fmt: skip
    cases.append(Case("many-empty-pages.pdf", "many_pages_pdf_allowed", ["E104"], ["--max-pages", str(empty_pages + 1)],
                      "pages allowed: then reported as having no text layer"))  # fmt: skip

    put(
        "deflate-bomb.pdf",
        deflate_bomb_pdf(),
        "deflate_bomb_pdf",
        ["E201"],
        note="100 KB inflating to 100 MB",
    )
    put("page-tree-loop.pdf", page_tree_loop_pdf(), "page_tree_pdf", ["E102"])
    put("deep-page-tree.pdf", deep_page_tree_pdf(), "page_tree_pdf", ["E102", "E104", "ok"])

    # Markdown and text
    put("nested-list-dash.md", "# Nested\n\n" + "- " * nesting + "deep\n", "nested_markdown", ["ok"])
    depth = min(nesting, 2000)  # indented nesting costs depth^2 bytes; 2000 levels is 4 MB
    put("nested-list-indent.md", "# Nested\n\n" + "".join("  " * i + "- item\n" for i in range(depth)),
        "nested_markdown", ["ok"])  # fmt: skip
    put("nested-quote.md", "# Quote\n\n" + "> " * nesting + "deep\n", "nested_markdown", ["ok"])
    put("nested-emphasis.md", "# Em\n\n" + "*a " * nesting + "x" + " a*" * nesting + "\n" + "[" * nesting + "\n",
        "nested_markdown", ["ok"])  # fmt: skip
    line = ("Service level " * ((long_line_mb * 1024 * 1024) // 14 + 1))[: long_line_mb * 1024 * 1024]
    put("long-line.md", "# Long\n\n" + line + "\n", "long_line_markdown", ["ok", "E201"],
        note=f"one {long_line_mb} MB line")  # fmt: skip
    put("long-line.txt", "1. Long\n" + line[: 5 * 1024 * 1024] + "\n", "long_line_text", ["ok", "E201"])
    put("invalid-utf8.md", b"# Titre\n\nService \xe9t\xe9 \xff\xfe inclus\n", "invalid_utf8", ["ok", "E108"])
    put("invalid-utf8.txt", b"1. Titre\nService \xe9t\xe9 \xc3\x28 inclus\n", "invalid_utf8", ["ok", "E108"])
    put("nul-bytes.md", b"# Title\x00\n\nText\x00with\x00nuls\n", "invalid_utf8", ["ok", "E108"])
    put("binary.txt", bytes(rng.randrange(256) for _ in range(50_000)), "binary_named_text", ["ok", "E108"])
    put("bom.md", "\ufeff---\ntitle: Avec BOM\n---\n# Service\n\nTexte.\n", "bom", ["ok"])
    put("bom.txt", "\ufeff1. Service\nTexte du service.\n", "bom", ["ok"])
    put("utf16.md", "# Service\n\nTexte.\n".encode("utf-16"), "bom", ["ok", "E108"])
    put("crlf.md", "---\r\ntitle: CRLF\r\n---\r\n# Service\r\n\r\n- a\r\n- b\r\n", "crlf", ["ok"])
    put("crlf.txt", "1. Service\r\nTexte.\r\n", "crlf", ["ok"])
    put("lone-cr.md", "---\rtitle: CR\r---\r# Service\r\rText.\r", "lone_cr", ["ok"])
    put("lone-cr.txt", "1. Service\rText.\r", "lone_cr", ["ok"])
    put(
        "front-matter-invalid-yaml.md",
        "---\ntitle: [unclosed\n  : :\n---\n# Service\n",
        "broken_front_matter",
        ["E107"],
    )
    put(
        "front-matter-unclosed.md",
        "---\ntitle: x\n# Service\n\nText.\n",
        "broken_front_matter",
        ["E107", "ok"],
    )
    put(
        "front-matter-not-mapping.md",
        "---\n- a\n- b\n---\n# Service\n",
        "broken_front_matter",
        ["E107", "ok"],
    )
    put("front-matter-python-tag.md", "---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n# S\n",
        "broken_front_matter", ["E107"])  # fmt: skip
    bomb = (
        "---\na: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
            f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
            for i in range(8)
        )
        + "title: *i\n---\n# Service\n"
    )
    put("front-matter-yaml-bomb.md", bomb, "broken_front_matter", ["E107", "ok"],
        note="YAML aliases: 9^9 leaves if expanded")  # fmt: skip

    # XML: glossary and XLIFF
    put("glossary-xxe.tbx",
        '<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<martif type="TBX"><text><body><termEntry id="t1"><langSet xml:lang="en"><tig><term>&xxe;</term></tig>'
        '</langSet></termEntry></body></text></martif>\n', "tbx_xxe", ["E402", "E403"])  # fmt: skip
    lol = "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "lol"}">\n' for i in range(10))
    put("billion-laughs.xlf",
        f'<?xml version="1.0"?>\n<!DOCTYPE xliff [\n{lol}]>\n<xliff version="1.2"><file source-language="en" '
        'target-language="fr" original="x" datatype="plaintext"><body><trans-unit id="1"><source>&lol9;</source>'
        "</trans-unit></body></file></xliff>\n", "xliff_billion_laughs", ["E402", "E403"])  # fmt: skip

    (out / "cases.json").write_text(json.dumps([asdict(c) for c in cases], indent=1, sort_keys=True))
    return cases


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed-pdf", type=Path)
    ap.add_argument("--long-line-mb", type=int, default=50)
    ap.add_argument("--empty-pages", type=int, default=5000)
    args = ap.parse_args(argv)
    cases = make_bad_corpus(
        args.out, seed_pdf=args.seed_pdf, long_line_mb=args.long_line_mb, empty_pages=args.empty_pages
    )
    total = sum((args.out / c.name).stat().st_size for c in {c.name: c for c in cases}.values())
    print(f"{len(cases)} cases, {len({c.klass for c in cases})} classes, {total / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
