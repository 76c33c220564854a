"""Write small .docx packages by hand (our own XML), for reader tests that need parts python-docx lacks.

``write_docx(path, body_xml, parts={...})``: ``body_xml`` is the inside of ``<w:body>``; ``parts`` adds
``word/footnotes.xml``, ``word/numbering.xml``, headers … (their relationships are declared for you).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_TYPES = {
    "word/styles.xml": "styles",
    "word/numbering.xml": "numbering",
    "word/footnotes.xml": "footnotes",
    "word/endnotes.xml": "endnotes",
    "word/header1.xml": "header",
    "word/footer1.xml": "footer",
}

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NS}>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/>
  <w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="MyChapter"><w:name w:val="Chapitre maison"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
  <w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
</w:styles>"""


def p(text: str, style: str | None = None, extra_ppr: str = "") -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr = f"<w:pPr>{pstyle}{extra_ppr}</w:pPr>"
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def doc_xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NS}><w:body>{body}</w:body></w:document>'


def write_docx(
    path: Path, body: str, parts: dict[str, str] | None = None, *, document_xml: str | None = None
) -> Path:
    parts = {"word/styles.xml": STYLES, **(parts or {})}
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}{_TYPES[name]}" Target="{name.split("/", 1)[1]}"/>'
        for i, name in enumerate(sorted(parts), 1)
        if name in _TYPES
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}officeDocument" Target="word/document.xml"/></Relationships>',
        )
        zf.writestr("word/document.xml", document_xml or doc_xml(body))
        zf.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rIdLink" Type="{_REL}hyperlink" Target="https://example.org/terms" TargetMode="External"/>'
            "</Relationships>",
        )
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return path
