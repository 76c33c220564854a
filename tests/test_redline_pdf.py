"""Annotated PDF redline: every material change has an annotation over its words, read back with pypdf."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from helpers import CLI
from pypdf import PdfReader

from pipeline.catalog.loader import load_description
from pipeline.diff.compare import diff_descriptions
from pipeline.diff.model import Change, ChangeKind, ChangeSeverity, Diff, EditionSummary, RedlineOp
from pipeline.extract import extract
from pipeline.render.redline_pdf import render_redline_pdf

REPO = Path(__file__).resolve().parents[1]


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    return "".join(c for c in s if not unicodedata.combining(c)).strip(".,:;()[]«»\"'’")


def _editions(shared_corpus: Path) -> list[tuple[str, Path, Path]]:
    out = []
    for doc in sorted((shared_corpus / "bilingual-pdf").iterdir()):
        dates = sorted(p.name for p in doc.iterdir())
        for lang in ("en", "fr"):
            out.append(
                (f"{doc.name}/{lang}", doc / dates[0] / f"{lang}.pdf", doc / dates[-1] / f"{lang}.pdf")
            )
    return out


def _annotations(data: bytes) -> tuple[PdfReader, dict[int, tuple[int, dict]]]:
    reader = PdfReader(io.BytesIO(data))
    out: dict[int, tuple[int, dict]] = {}
    for i, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            name = str(a.get("/NM", ""))
            if name.startswith("svcdesc-change-"):
                out[int(name.rsplit("-", 1)[1])] = (i, a)
    return reader, out


def _covered(plumber_page, annot: dict) -> list[dict]:  # noqa: ANN001
    """Words whose centre lies under one of the highlight's quads (PDF space -> top-based)."""
    h = float(plumber_page.height)
    q = [float(x) for x in annot["/QuadPoints"]]
    boxes = [(min(q[i:i + 8:2]), h - max(q[i + 1:i + 8:2]), max(q[i:i + 8:2]), h - min(q[i + 1:i + 8:2]))
             for i in range(0, len(q), 8)]  # fmt: skip
    return [
        w
        for w in plumber_page.extract_words(use_text_flow=True)
        if any(
            x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and t <= (w["top"] + w["bottom"]) / 2 <= b
            for x0, t, x1, b in boxes
        )
    ]


def _targets(c: Change) -> set[str]:
    inserted = " ".join(s.text for s in c.redline if s.op is RedlineOp.insert)
    for text in (inserted, c.new_text, c.new):
        toks = {_fold(t) for t in (text or "").split()} - {""}
        if toks:
            return toks
    return set()


@pytest.fixture(scope="module")
def redlines(shared_corpus: Path) -> list[tuple[str, Diff, Path, bytes]]:
    out = []
    for slug, old, new in _editions(shared_corpus):
        diff = diff_descriptions(load_description(old), load_description(new))
        out.append((slug, diff, new, render_redline_pdf(diff, new, extract(new))))
    return out


def test_every_material_change_is_annotated_over_its_words(redlines):
    checked = highlights = 0
    for slug, diff, new_pdf, data in redlines:
        reader, annots = _annotations(data)
        with pdfplumber.open(new_pdf) as pdf:
            n_summary = len(reader.pages) - len(pdf.pages)
            assert n_summary >= 1, slug
            furniture = [(p.page, p.bbox) for b in extract(new_pdf).furniture for p in b.prov]
            for i, c in enumerate(diff.changes):
                if not c.material():
                    continue
                checked += 1
                assert i in annots, f"{slug}: change {i} ({c.kind.value} {c.subject}) has no annotation"
                page_i, a = annots[i]
                page_no = page_i - n_summary + 1
                assert 1 <= page_no <= len(pdf.pages), (slug, i)
                assert c.severity.value.upper() in str(a["/Contents"]) and str(a["/T"]) == "svcdesc"
                if a["/Subtype"] != "/Highlight":
                    assert a["/Subtype"] == "/Text" and not c.new_prov, (slug, i, c.kind)
                    continue
                highlights += 1
                words = _covered(pdf.pages[page_no - 1], a)
                assert words, f"{slug}: change {i} highlight covers no words"
                for w in words:  # never the running header or footer
                    assert not any(
                        pg == page_no
                        and bb
                        and bb.x0 - 1 <= w["x0"]
                        and w["x1"] <= bb.x1 + 1
                        and bb.top - 1 <= w["top"] <= bb.bottom + 1
                        for pg, bb in furniture
                    ), (slug, i, w["text"])
                prov = next((p for p in c.new_prov if p.page and p.bbox), None)
                if prov is not None:
                    assert prov.page == page_no, (slug, i)
                    b = prov.bbox
                    for w in words:  # in the change's box, or in its row (the box's band across the page)
                        assert b.top - 3 <= (w["top"] + w["bottom"]) / 2 <= b.bottom + 3, (slug, i, w["text"])
                    page = pdf.pages[page_no - 1]
                    row = page.crop((0, b.top, page.width, b.bottom), strict=False).extract_words()
                    if _targets(c) & {_fold(w["text"]) for w in row}:  # the changed words are there: covered
                        assert _targets(c) & {_fold(w["text"]) for w in words}, (slug, i)
                else:
                    assert _targets(c) & {_fold(w["text"]) for w in words}, (
                        slug,
                        i,
                        [w["text"] for w in words],
                    )
    assert checked >= 100 and highlights >= 60, (checked, highlights)


def test_minor_lighter_cosmetic_unmarked_and_summary_links(redlines):
    slug, diff, new_pdf, data = next(
        r for r in redlines if any(c.severity.value == "minor" for c in r[1].changes)
    )
    reader, annots = _annotations(data)
    alpha = {
        diff.changes[i].severity: float(a.get("/CA", 1))
        for i, (_, a) in annots.items()
        if a["/Subtype"] == "/Highlight"
    }
    if ChangeSeverity.minor in alpha:
        assert alpha[ChangeSeverity.minor] < min(v for k, v in alpha.items() if k is not ChangeSeverity.minor)
    assert not any(diff.changes[i].severity is ChangeSeverity.cosmetic for i in annots)
    with pdfplumber.open(new_pdf) as pdf:
        n_summary = len(reader.pages) - len(pdf.pages)
    first = reader.pages[0].extract_text()
    assert "Redline" in first and "Breaking" in first or "Major" in first
    pages = [p.indirect_reference for p in reader.pages]
    links = [a.get_object() for a in reader.pages[0].get("/Annots") or []]
    assert links and all(a["/Subtype"] == "/Link" and "/A" not in a for a in links)
    assert all(pages.index(a["/Dest"][0]) >= n_summary for a in links)


def test_deterministic_atomic_and_refused_for_a_non_pdf(shared_corpus: Path, tmp_path: Path):
    slug, old, new = _editions(shared_corpus)[0]
    out = tmp_path / "redline.pdf"
    cmd = [*CLI, "diff", str(old), str(new), "--format", "pdf", "-o", str(out)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    data = out.read_bytes()
    subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
    assert out.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["redline.pdf"]  # no temporary left behind
    md = shared_corpus / "bilingual-md" / slug.split("/")[0]
    dates = sorted(p.name for p in md.iterdir())
    bad = tmp_path / "bad.pdf"
    proc = subprocess.run([*CLI, "diff", str(old), str(md / dates[-1] / "en.md"), "--format", "pdf", "-o", str(bad)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 2 and "[E501]" in proc.stderr and not bad.exists()
    proc = subprocess.run(
        [*CLI, "diff", str(old), str(new), "--format", "pdf"], capture_output=True, timeout=300
    )
    assert proc.returncode == 2 and b"-o" in proc.stderr


def _names(reader: PdfReader) -> set[str]:
    """Every name used as a key or value in objects reachable from the trailer (text strings excluded)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    names: set[str] = set()
    stack = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            stack.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):
            for k, v in obj.items():
                names.add(str(k))
                if k != "/Parent":
                    stack.append(v)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject):
            names.add(str(obj))
    return names


def test_document_text_cannot_inject_into_the_pdf():
    new_pdf = REPO / "corpus" / "nordlys-support-pdf" / "2025-09-01" / "en.pdf"
    if not new_pdf.is_file():
        pytest.skip(f"sample PDF missing: {new_pdf}")
    evil = "x) Tj ET /JS (app.alert(1)) /S /JavaScript >> endobj \\ <script>alert(1)</script> \x00\x07"
    diff = Diff(
        old=EditionSummary(source="old.pdf"),
        new=EditionSummary(source=str(new_pdf), title=evil),
        changes=[
            Change(
                kind=ChangeKind.offer_added,
                severity=ChangeSeverity.major,
                new=evil,
                new_text=evil,
                summary=evil,
            ),
            Change(kind=ChangeKind.offer_removed, severity=ChangeSeverity.breaking, old=evil, old_text=evil),
        ],
    )
    data = render_redline_pdf(diff, new_pdf, extract(new_pdf))
    reader, annots = _annotations(data)
    added = _names(reader) - _names(PdfReader(new_pdf))
    assert not added & {"/JavaScript", "/JS", "/Launch", "/OpenAction", "/SubmitForm", "/AA", "/URI", "/A"}, (
        added
    )
    assert len(annots) == 2
    assert all(evil.split(" ")[0] in str(a["/Contents"]) for _, a in annots.values())
    assert "app.alert(1)" in reader.pages[0].extract_text()  # shown as text, escaped in the stream
