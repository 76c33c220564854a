"""Word reader: structure, symbols, notes, fields, revisions, hostile packages, and the real USSD twin."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from docx_helpers import NS, doc_xml, p, write_docx
from helpers import CLI

from pipeline.errors import SvcdescError
from pipeline.extract import extract
from pipeline.extract.model import BlockKind

NUMBERING = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:numbering {NS}>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
  <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/><w:rPr><w:rFonts w:ascii="Symbol"/></w:rPr></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="3">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>
</w:numbering>"""

FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:footnotes {NS}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>
  <w:r><w:t xml:space="preserve"> Business hours are 9:00 to 17:00 local time.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""

FOOTER = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:ftr {NS}><w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>
<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"""
HEADER = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:hdr {NS}><w:p><w:r><w:t>Aurora Cloud Support Plans</w:t></w:r></w:p></w:hdr>"""


def _num(num_id: int, ilvl: int = 0) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


def _cell(text: str, extra: str = "", bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:tc><w:tcPr>{extra}</w:tcPr><w:p><w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'


CHECK = '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'
TOC = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1 Plans ........ 2</w:t></w:r></w:p>'
    '<w:p><w:r><w:t>2 Response times ........ 3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)
BODY = (
    p("Aurora Cloud Support Plans", "Title")
    + TOC
    + p("Plans", "Heading1", _num(1))
    + p("Included services", "Heading2", _num(1, 1))
    + '<w:p><w:r><w:t xml:space="preserve">Support is </w:t></w:r>'
    '<w:ins w:id="9" w:author="Editor" w:date="2025-01-01T00:00:00Z"><w:r><w:t xml:space="preserve">always </w:t></w:r></w:ins>'
    '<w:del w:id="10" w:author="Editor" w:date="2025-01-01T00:00:00Z"><w:r><w:delText xml:space="preserve">never </w:delText></w:r></w:del>'
    '<w:r><w:t xml:space="preserve">available during business hours</w:t></w:r>'
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
    '<w:commentRangeStart w:id="3"/><w:r><w:t xml:space="preserve">, see </w:t></w:r><w:commentRangeEnd w:id="3"/>'
    '<w:r><w:commentReference w:id="3"/></w:r>'
    '<w:hyperlink r:id="rIdLink"><w:r><w:t>the terms</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r></w:p>'
    + p("Phone support", None, _num(2))
    + p("Chat support", None, _num(2))
    + p("first step", None, _num(3))
    + p("second step", None, _num(3))
    + "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
    "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
    + _cell("Service", bold=True)
    + _cell("Plans", '<w:gridSpan w:val="2"/>', bold=True)
    + "</w:tr><w:tr>"
    + _cell("Monitoring", '<w:vMerge w:val="restart"/>')
    + f"<w:tc><w:p>{CHECK}</w:p></w:tc>"
    + _cell("+")
    + "</w:tr><w:tr>"
    + _cell("", "<w:vMerge/>")
    + '<w:tc><w:p><w:r><w:t>Reviews</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>2</w:t></w:r></w:p></w:tc>'
    + _cell("+")
    + "</w:tr><w:tr><w:trPr><w:del w:id='11' w:author='Editor'/></w:trPr>"
    + _cell("Deleted row")
    + _cell("x")
    + _cell("y")
    + "</w:tr></w:tbl>"
    + '<w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>2</w:t></w:r>'
    '<w:r><w:t xml:space="preserve"> Reviews are quarterly.</w:t></w:r></w:p>'
    + p("Note : answers come by e-mail.")
    + p("Hidden", None, "")
    + "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>invisible words</w:t></w:r></w:p>"
    + p("Response times", "MyChapter")
    + '<w:sectPr><w:headerReference w:type="default" r:id="rId3"/></w:sectPr>'
)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return write_docx(
        tmp_path / "plans.docx",
        BODY,
        {
            "word/numbering.xml": NUMBERING,
            "word/footnotes.xml": FOOTNOTES,
            "word/footer1.xml": FOOTER,
            "word/header1.xml": HEADER,
        },
    )


def test_structure(sample: Path):
    doc = extract(sample)
    assert doc.meta.format.value == "docx"
    heads = [(b.text, b.level, b.section_number) for b in doc.blocks if b.kind is BlockKind.heading]
    # Title ranks above Heading 1; numbered headings carry their printed number; a custom style with an
    # outline level is a heading; the TOC field's text is gone
    assert heads == [
        ("Aurora Cloud Support Plans", 1, None),
        ("1 Plans", 2, "1"),
        ("1.1 Included services", 3, "1.1"),
        ("Response times", 2, None),
    ]
    assert not any("........" in b.text for b in doc.blocks)
    items = [(b.marker, b.text, b.level) for b in doc.blocks if b.kind is BlockKind.list_item]
    assert items == [
        ("•", "Phone support", 0),
        ("•", "Chat support", 0),
        ("a)", "first step", 0),
        ("b)", "second step", 0),
    ]


def test_revisions_comments_footnotes_links(sample: Path):
    doc = extract(sample)
    para = next(b for b in doc.blocks if b.text.startswith("Support is"))
    # accepted text: the insertion kept, the deletion gone, the comment ignored
    assert para.text == "Support is always available during business hours, see the terms."
    assert [(r.marker, para.text[: r.offset][-5:]) for r in para.footnote_refs] == [("1", "hours")]
    assert [(lk.text, lk.url) for lk in para.links] == [("the terms", "https://example.org/terms")]
    i = doc.blocks.index(para)
    note = doc.blocks[i + 1]  # the footnote text follows the paragraph that refers to it
    assert (note.kind, note.marker, note.text) == (
        BlockKind.footnote,
        "1",
        "Business hours are 9:00 to 17:00 local time.",
    )
    assert note.prov[0].part == "word/footnotes.xml"
    assert any("3 unaccepted tracked changes" in w for w in doc.warnings), doc.warnings
    assert not any("invisible" in b.text for b in doc.blocks)


def test_table_spans_symbols_and_footnote_paragraph(sample: Path):
    doc = extract(sample)
    block = next(b for b in doc.blocks if b.kind is BlockKind.table)
    t = block.table
    assert t.header_rows == 1 and t.n_cols == 3
    assert [[(c.text, c.row_span, c.col_span, c.col) for c in row] for row in t.rows] == [
        [("Service", 1, 1, 0), ("Plans", 1, 2, 1)],
        [("Monitoring", 2, 1, 0), ("✓", 1, 1, 1), ("+", 1, 1, 2)],
        [("Reviews", 1, 1, 1), ("+", 1, 1, 2)],
    ]
    assert [(r.marker, r.offset) for r in t.rows[2][0].footnote_refs] == [("2", 7)]
    assert t.rows[1][1].prov[0].model_dump(exclude_none=True) == {
        "part": "word/document.xml",
        "table": 0,
        "row": 1,
        "cell": 1,
    }
    fn = [b for b in doc.blocks if b.kind is BlockKind.footnote and b.marker == "2"]
    assert fn and fn[0].text == "Reviews are quarterly."
    note = next(b for b in doc.blocks if b.kind is BlockKind.note)
    assert (note.note_label, note.text) == ("Note", "answers come by e-mail.")


def test_headers_and_footers_are_furniture(sample: Path):
    doc = extract(sample)
    kinds = {(b.kind.value, b.text) for b in doc.furniture}
    assert ("page_header", "Aurora Cloud Support Plans") in kinds
    assert any(k == "page_number" for k, _ in kinds)
    assert not any(b.text.startswith("Page") for b in doc.blocks)


# -- hostile packages: one typed line each --------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _raw(folder: Path, data: bytes) -> Path:
    (folder / "x.docx").write_bytes(data)
    return folder / "x.docx"


def _valid_members(document: bytes | None = None) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": document or doc_xml(p("Hello")).encode(),
    }


@pytest.mark.parametrize(
    "name, make, code",
    [
        ("pdf", lambda d: _raw(d, b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"), "E101"),
        ("text", lambda d: _raw(d, b"hello, I am text"), "E101"),
        ("ole", lambda d: _raw(d, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "E101"),
        ("ole-encrypted", lambda d: _raw(d, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le")), "E103"),
        ("truncated", lambda d: _raw(d, b"PK\x03\x04" + b"\0" * 40), "E102"),
        ("xlsx", lambda d: _zip(d / "x.docx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}), "E101"),
        ("traversal", lambda d: _zip(d / "x.docx", {**_valid_members(), "../../evil.xml": b"<x/>"}), "E303"),
        ("absolute", lambda d: _zip(d / "x.docx", {**_valid_members(), "/etc/evil.xml": b"<x/>"}), "E303"),
        ("xxe", lambda d: _zip(d / "x.docx", _valid_members(
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            b"<w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>")), "E402"),
        ("bad-xml", lambda d: _zip(d / "x.docx", _valid_members(b"<w:document><unclosed>")), "E401"),
        ("bomb", lambda d: _zip(d / "x.docx", _valid_members(
            b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + b" " * (10 * 1024 * 1024) + b"</w:body></w:document>")), "E201"),
    ],
)  # fmt: skip
def test_hostile_docx_one_line_error(tmp_path: Path, name: str, make, code: str):
    path = make(tmp_path)
    with pytest.raises(SvcdescError) as err:
        extract(path)
    assert err.value.code == code, (name, err.value.message)
    assert "\n" not in err.value.message and "x.docx" in err.value.message


def test_hostile_docx_at_the_cli(tmp_path: Path):
    bad = tmp_path / "draft.docx"
    bad.write_bytes(b"%PDF-1.4\n")
    proc = subprocess.run([*CLI, "extract", str(bad)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "svcdesc: [E101] draft.docx: not a Word file: a PDF named .docx"


def test_corpus_layouts_accept_docx(tmp_path: Path):
    from pipeline.catalog.corpus import discover

    root = tmp_path / "c"
    (root / "plans" / "2025-01-01").mkdir(parents=True)
    write_docx(root / "plans" / "2025-01-01" / "en.docx", p("Plans"))
    (root / "loose").mkdir()
    write_docx(root / "loose" / "terms-2025-02-01.fr.docx", p("Conditions"))
    corpus = discover(root)
    assert [(e.document, e.edition, e.lang) for e in corpus.entries] == [
        ("loose/terms", "2025-02-01", "fr"),
        ("plans", "2025-01-01", "en"),
    ]
    assert corpus.unknown == [] and corpus.problems == []


# -- the real twin: the same description as PDF and as Word ----------------------------------------


def test_ussd_word_and_pdf_editions_agree(shared_corpus: Path):
    from pipeline.normalize import normalize

    folder = shared_corpus / "ussd-fr"
    word = normalize(extract(folder / "ussd-fr-v1.docx"))
    pdf = normalize(extract(folder / "ussd-fr-v1.pdf"))
    offers = sorted((o.name, o.availability.value, o.availability_mark) for o in word.offers)
    assert offers == sorted((o.name, o.availability.value, o.availability_mark) for o in pdf.offers)
    assert len(offers) >= 45

    def sla(sd):  # noqa: ANN001, ANN202
        return [
            (r.severity, [(x.scope_id, x.minutes, x.business_hours) for x in r.first_response])
            for t in sd.sla_tables
            for r in t.rows
        ]

    assert sla(word) == sla(pdf) and len(sla(word)) == 10
    assert word.document.language == pdf.document.language == "fr"


def _derive(src: Path, dst: Path) -> dict[str, str]:
    """A later Word edition made with python-docx: a ✓/+ row removed, a + made ✓, an SLA time
    changed, and a sentence added as a tracked insertion nobody accepted."""
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn
    from lxml import etree

    from pipeline.textutil import clean_text

    d = docx.Document(str(src))
    marks = [
        t
        for t in d.tables
        if len(t.columns) == 2
        and len(t.rows) >= 4
        and all(clean_text(r.cells[1].text) in ("✓", "+") for r in t.rows[1:])
    ]
    gone = marks[0].rows[2]
    removed = clean_text(gone.cells[0].text)
    gone._tr.getparent().remove(gone._tr)
    row = next(r for t in marks[1:] for r in t.rows[1:] if clean_text(r.cells[1].text) == "+")
    runs = row.cells[1].paragraphs[0].runs
    runs[0].text = "✓"
    for run in runs[1:]:
        run.text = ""
    sla = next(t for t in d.tables if t.rows[0].cells[0].text.startswith("Sévérité"))
    para = next(p for p in sla.rows[3].cells[1].paragraphs if "deux (2) heures" in p.text)
    for run in para.runs:
        run.text = run.text.replace("deux (2) heures", "trois (3) heures")
    body = next(p for p in d.paragraphs if len(p.text) > 80)
    ins = etree.SubElement(body._p, qn("w:ins"), {qn("w:id"): "901", qn("w:author"): "Reviewer"})
    t = etree.SubElement(etree.SubElement(ins, qn("w:r")), qn("w:t"))
    t.text = " Une phrase ajoutée en révision."
    d.save(str(dst))
    return {"removed": removed, "changed": clean_text(row.cells[0].text), "para": clean_text(body.text)}


def _derived_diff(shared_corpus: Path, tmp_path: Path):  # noqa: ANN202
    from pipeline.diff.compare import diff_descriptions
    from pipeline.normalize import normalize

    src = shared_corpus / "ussd-fr" / "ussd-fr-v1.docx"
    edits = _derive(src, tmp_path / "v2.docx")
    new_doc = extract(tmp_path / "v2.docx")
    assert any("1 unaccepted tracked change" in w for w in new_doc.warnings), new_doc.warnings
    new_sd = normalize(new_doc)
    assert [f.code for f in new_sd.findings if "unaccepted" in f.message] == [
        "N100"
    ]  # reported, not only logged
    old_sd = normalize(extract(src))
    return edits, old_sd, diff_descriptions(old_sd, new_sd)


def test_derived_word_edition_diffs_to_exactly_the_edits(shared_corpus: Path, tmp_path: Path):
    edits, old_sd, diff = _derived_diff(shared_corpus, tmp_path)
    names = {o.id: o.name for o in old_sd.offers}
    # the row removed: the offer keeps its description but leaves the table (no availability any more)
    avail = {
        names[c.offer_id]: (c.old, c.new) for c in diff.changes if c.kind.value == "availability_changed"
    }
    assert avail == {
        edits["removed"]: ("additional", "unknown"),
        edits["changed"]: ("additional", "included"),
    }
    sla = [(c.subject, (c.new or "").split(" ")[:2]) for c in diff.changes if c.kind.value == "sla_changed"]
    assert sla == [("B/all", ["3", "h"])]
    inserted = [
        c
        for c in diff.changes
        for s in c.redline
        if s.op.value == "insert" and "ajoutée en révision" in s.text
    ]
    assert len(inserted) == 1  # the tracked insertion, read as accepted, is in the diff once
    assert {c.kind.value for c in diff.changes} <= {"availability_changed", "sla_changed", "text_changed"}
    assert len(diff.changes) <= 4  # nothing but the four edits


def test_derived_word_edition_gives_one_entry_per_edit(shared_corpus: Path, tmp_path: Path):
    _, _, diff = _derived_diff(shared_corpus, tmp_path)
    text = [c for c in diff.changes if c.kind.value == "text_changed"]
    assert len(diff.changes) == 4 and len(text) == 1
    assert "Une phrase ajoutée en révision." in (text[0].new_text or "")


def test_unstyled_headings_by_size_like_the_pdf_reader(tmp_path: Path):
    """A Word file whose author made headings by hand (bold, bigger), with no heading style."""

    def para(text: str, size: int, bold: bool = False) -> str:
        b = "<w:b/>" if bold else ""
        return f'<w:p><w:r><w:rPr>{b}<w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    body = (
        para("Aurora Cloud Support", 36, bold=True)
        + para("2 Response times", 28, bold=True)
        + para("First response within one hour for every severity A incident, at any time of day.", 20)
        + para("Bold words inside the text are not headings.", 20, bold=True)
        + para("Business hours are 9:00 to 17:00 local time on working days in your region.", 20)
    )
    doc = extract(write_docx(tmp_path / "plain.docx", body))
    assert [(b.kind.value, b.level, b.section_number) for b in doc.blocks] == [
        ("heading", 1, None),
        ("heading", 2, "2"),
        ("paragraph", None, None),
        ("paragraph", None, None),
        ("paragraph", None, None),
    ]


def test_text_box_read_once_after_its_anchor(tmp_path: Path):
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = "<w:txbxContent><w:p><w:r><w:t>Note: chat is answered in English only.</w:t></w:r></w:p></w:txbxContent>"
    body = (
        p("Support channels.")
        + f'<w:p><w:r><mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:drawing><x>{box}</x>'
        f"</w:drawing></mc:Choice><mc:Fallback><w:pict><v>{box}</v></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        "<w:r><w:t>Phone and chat.</w:t></w:r></w:p>" + p("Closing words.")
    )
    doc = extract(write_docx(tmp_path / "box.docx", body))
    assert [(b.kind.value, b.text) for b in doc.blocks] == [
        ("paragraph", "Support channels."),
        ("paragraph", "Phone and chat."),
        ("note", "chat is answered in English only."),
        ("paragraph", "Closing words."),
    ]


def test_hyperlink_field_gives_a_link(tmp_path: Path):
    body = (
        '<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/sla" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the SLA page</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>.</w:t></w:r></w:p>'
    )
    doc = extract(write_docx(tmp_path / "link.docx", body))
    assert doc.blocks[0].text == "See the SLA page."
    assert [(lk.text, lk.url) for lk in doc.blocks[0].links] == [("the SLA page", "https://example.org/sla")]
