"""Word redline: Accept All gives the new edition's text, Reject All the old one (checked on the XML),
a comment per material change, any input format, deterministic, atomic, safe, and LibreOffice opens it."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import CLI
from lxml import etree

from pipeline.catalog.loader import load_description
from pipeline.diff.compare import diff_descriptions
from pipeline.diff.model import Change, ChangeKind, ChangeSeverity, Diff, EditionSummary
from pipeline.normalize.model import SegmentKind, ServiceDescription
from pipeline.render.redline_docx import render_redline_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _document(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def _mark_of(el: etree._Element, container: str) -> set[str]:
    props = el.find(w(container))
    if props is None:
        return set()
    if container == "pPr":
        props = props.find(w("rPr"))
    return {etree.QName(c).localname for c in props} & {"ins", "del"} if props is not None else set()


def resolve(doc: etree._Element, accept: bool) -> etree._Element:
    """What Word's Accept All (accept=True) or Reject All leaves, done on a copy of the XML."""
    doc = etree.fromstring(etree.tostring(doc))
    gone, kept = ("del", "ins") if accept else ("ins", "del")
    for tr in list(doc.iter(w("tr"))):
        if gone in _mark_of(tr, "trPr"):
            tr.getparent().remove(tr)
    for p in list(doc.iter(w("p"))):
        if gone in _mark_of(p, "pPr") and p.getparent().tag != w("tc"):
            p.getparent().remove(p)  # its content is all revision: the paragraph goes with its mark
    for el in list(doc.iter(w(gone))):
        if el.getparent().tag not in (w("rPr"), w("trPr")):
            el.getparent().remove(el)
    for el in list(doc.iter(w(kept))):
        parent = el.getparent()
        if parent.tag in (w("rPr"), w("trPr")):
            parent.remove(el)
            continue
        for child in el:
            el.addprevious(child)
        parent.remove(el)
    for dt in doc.iter(w("delText")):
        dt.tag = w("t")
    return doc


def _text(doc: etree._Element) -> str:
    return "".join("".join(t.text or "" for t in p.iter(w("t"))) for p in doc.iter(w("p")))


def _expected(sd: ServiceDescription) -> str:
    return "".join(s.text for s in sd.segments if s.kind is not SegmentKind.front_matter)


def _squash(s: str) -> str:
    return "".join(s.split())


def _pairs(shared_corpus: Path) -> list[tuple[str, Path, Path]]:
    def ends(folder: Path, name: str) -> tuple[Path, Path]:
        dates = sorted(p.name for p in folder.iterdir())
        return folder / dates[0] / name, folder / dates[-1] / name

    return [
        ("pdf", *ends(shared_corpus / "bilingual-pdf" / "support", "fr.pdf")),
        ("pdf", *ends(shared_corpus / "bilingual-pdf" / "sharepoint-online-limits", "en.pdf")),
        ("markdown", *ends(shared_corpus / "bilingual-md" / "teams-service-description", "en.md")),
        (
            "word+pdf",
            shared_corpus / "ussd-fr" / "ussd-fr-v1.pdf",
            shared_corpus / "ussd-fr" / "ussd-fr-v1.docx",
        ),
    ]


@pytest.fixture(scope="module")
def derived_word(shared_corpus: Path, tmp_path_factory) -> tuple[Path, Path]:
    from test_extract_docx import _derive

    out = tmp_path_factory.mktemp("derived") / "v2.docx"
    src = shared_corpus / "ussd-fr" / "ussd-fr-v1.docx"
    _derive(src, out)
    return src, out


def test_accept_all_gives_new_reject_all_gives_old(shared_corpus: Path, derived_word):
    for label, old_p, new_p in [*_pairs(shared_corpus), ("word", *derived_word)]:
        old, new = load_description(old_p), load_description(new_p)
        diff = diff_descriptions(old, new)
        doc = _document(render_redline_docx(diff, old, new))
        assert _squash(_text(resolve(doc, accept=True))) == _squash(_expected(new)), label
        assert _squash(_text(resolve(doc, accept=False))) == _squash(_expected(old)), label
        revisions = [el for el in doc.iter(w("ins"), w("del"))]
        if diff.changes:
            assert revisions, label
        assert all(el.get(w("author")) == "svcdesc" for el in revisions)


def test_a_comment_on_each_material_change(derived_word):
    old, new = (load_description(p) for p in derived_word)
    diff = diff_descriptions(old, new)
    data = render_redline_docx(diff, old, new)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        comments = etree.fromstring(zf.read("word/comments.xml"))
    doc = _document(data)
    material = [c for c in diff.changes if c.material()]
    notes = ["\n".join("".join(t.text for t in p.iter(w("t"))) for p in c.iter(w("p"))) for c in comments]
    assert len(notes) == len(material) >= 2
    for c, note in zip(material, notes, strict=True):
        assert c.severity.value.upper() in note and c.kind.value.replace("_", " ") in note
    # each comment is anchored in the paragraph or cell it is about
    sla = next(i for i, c in enumerate(material) if c.kind is ChangeKind.sla_changed)
    ref = next(r for r in doc.iter(w("commentReference")) if r.get(w("id")) == str(sla))
    para = ref.getparent().getparent()
    assert "trois" in "".join(t.text or "" for t in para.iter(w("t")))


def test_deterministic_atomic_and_lo_opens_it(derived_word, tmp_path: Path):
    old, new = derived_word
    out = tmp_path / "redline.docx"
    cmd = [*CLI, "diff", str(old), str(new), "--format", "docx", "-o", str(out)]
    subprocess.run(cmd, capture_output=True, timeout=300, check=True)
    data = out.read_bytes()
    subprocess.run(cmd, capture_output=True, timeout=300, check=True)
    assert out.read_bytes() == data and sorted(p.name for p in tmp_path.iterdir()) == ["redline.docx"]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: the conversion check did not run")
    proc = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "pdf" / "redline.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-")


def test_document_text_cannot_inject_markup(tmp_path: Path):
    from pipeline.extract.markdown import extract_markdown
    from pipeline.normalize import normalize

    evil = (
        'Plans </w:t></w:r><w:r><w:t>pwned</w:t></w:r> ]]> <!DOCTYPE x [<!ENTITY e "boom">]> &e; \x01\x0b end'
    )
    src = tmp_path / "a.md"
    src.write_text(f"# Support\n\nThe plan includes phone support.\n\n{evil}\n", encoding="utf-8")
    old = normalize(extract_markdown(src))
    src.write_text(f"# Support\n\nThe plan includes chat support.\n\n{evil} more\n", encoding="utf-8")
    new = normalize(extract_markdown(src))
    diff = Diff(
        old=EditionSummary(source="a"),
        new=EditionSummary(source="b"),
        changes=[
            Change(kind=ChangeKind.text_changed, severity=ChangeSeverity.major, new_text=evil, summary=evil)
        ],
    )
    data = render_redline_docx(diff, old, new)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                root = etree.fromstring(zf.read(name))  # well-formed, no DTD
                assert root.getroottree().docinfo.doctype == "", name
        doc = etree.fromstring(zf.read("word/document.xml"))
    assert not any((t.text or "") == "pwned" for t in doc.iter(w("t")))  # no run of ours came from the text
    assert any("</w:t></w:r><w:r><w:t>pwned" in (t.text or "") for t in doc.iter(w("t")))
