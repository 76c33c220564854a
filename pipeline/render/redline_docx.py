"""Word redline: the new edition as a .docx whose differences from the old are tracked changes.

Every difference is a revision by the author ``svcdesc`` (``w:ins`` / ``w:del`` runs, inserted or
deleted paragraph marks and table rows), so Word's Accept All gives the new edition's text and Reject
All the old one; each material change (breaking, major) gets a comment with its kind, severity and
old -> new, anchored on the paragraph or cell it is about. Built from the two descriptions (any input
format). The XML is built with lxml (text is always escaped text, never markup; characters XML cannot
hold are dropped) and zipped with fixed timestamps and no revision dates: same inputs, same bytes.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from pipeline.diff.model import MATERIAL, Change, Diff
from pipeline.normalize.model import SegmentKind, ServiceDescription
from pipeline.render.redline_units import TABLE, Step, Unit, align, align_rows, change_note, units_of

AUTHOR = "svcdesc"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_STYLE = {
    SegmentKind.paragraph: None,
    SegmentKind.list_item: "ListBullet",
    SegmentKind.note: "Note",
    SegmentKind.footnote: "FootnoteText",
}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, w(tag), {w(k): v for k, v in attrs.items()})


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass
class _Para:
    """An emitted paragraph and what it stands for (to anchor comments)."""

    el: etree._Element
    old: tuple[int, int, int] | None
    new: tuple[int, int, int] | None
    old_text: str
    new_text: str


class _Writer:
    def __init__(self) -> None:
        self.body = etree.Element(w("body"))
        self.rev = 0
        self.paras: list[_Para] = []

    def _mark(self, parent: etree._Element, tag: str) -> etree._Element:
        self.rev += 1
        return _sub(parent, tag, id=str(self.rev), author=AUTHOR)

    def _run(self, parent: etree._Element, text: str, deleted: bool = False) -> None:
        r = _sub(parent, "r")
        t = _sub(r, "delText" if deleted else "t")
        t.text = clean(text)
        t.set(XML_SPACE, "preserve")

    def paragraph(
        self,
        parent: etree._Element,
        old: str | None,
        new: str | None,
        style: str | None,
        where: tuple[tuple[int, int, int] | None, tuple[int, int, int] | None],
    ) -> etree._Element:
        """A paragraph showing old -> new: all inserted (old None), all deleted (new None) or word-diffed."""
        p = _sub(parent, "p")
        ppr = _sub(p, "pPr")
        if style:
            _sub(ppr, "pStyle", val=style)
        if old is None or new is None:
            self._mark(_sub(ppr, "rPr"), "ins" if old is None else "del")
            text = new if old is None else old
            if text:
                wrap = self._mark(p, "ins" if old is None else "del")
                self._run(wrap, text, deleted=old is not None)
        else:
            self._diff_runs(p, old, new)
        self.paras.append(_Para(p, where[0], where[1], old or "", new or ""))
        return p

    def _diff_runs(self, p: etree._Element, old: str, new: str) -> None:
        a, b = _TOKEN.findall(old), _TOKEN.findall(new)
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, a0, a1, b0, b1 in sm.get_opcodes():
            if op == "equal":
                self._run(p, "".join(b[b0:b1]))
                continue
            if a1 > a0:
                self._run(self._mark(p, "del"), "".join(a[a0:a1]), deleted=True)
            if b1 > b0:
                self._run(self._mark(p, "ins"), "".join(b[b0:b1]))

    # -- units ---------------------------------------------------------------------------------
    def step(self, s: Step) -> None:
        unit = s.new or s.old
        assert unit is not None
        if unit.kind is TABLE:
            self.table(s.old, s.new)
            return
        style = _STYLE.get(unit.kind)
        if unit.kind is SegmentKind.heading:
            style = f"Heading{min(max(unit.level or 1, 1), 6)}"
        where = (_loc(s.old), _loc(s.new))
        self.paragraph(self.body, s.old.text if s.old else None, s.new.text if s.new else None, style, where)

    def table(self, old: Unit | None, new: Unit | None) -> None:
        rows = align_rows(old.rows if old else [], new.rows if new else [])
        n_cols = max((len(r) for pair in rows for r in pair if r is not None), default=1) or 1
        tbl = _sub(self.body, "tbl")
        tpr = _sub(tbl, "tblPr")
        _sub(tpr, "tblStyle", val="TableGrid")
        _sub(tpr, "tblW", w="0", type="auto")
        grid = _sub(tbl, "tblGrid")
        for _ in range(n_cols):
            _sub(grid, "gridCol", w=str(9000 // n_cols))
        header = (new or old).header_rows if (new or old) else 0
        old_i = new_i = 0
        for o, n in rows:
            tr = _sub(tbl, "tr")
            trpr = _sub(tr, "trPr")
            is_header = new_i < header if n is not None else old_i < header
            style = "TableHeader" if is_header else None
            if n is not None and is_header:
                _sub(trpr, "tblHeader")
            if o is None or n is None:
                self._mark(trpr, "ins" if o is None else "del")
            for c in range(n_cols):
                tc = _sub(tr, "tc")
                _sub(_sub(tc, "tcPr"), "tcW", w=str(9000 // n_cols), type="dxa")
                ot = o[c] if o is not None and c < len(o) else None
                nt = n[c] if n is not None and c < len(n) else None
                if o is not None and n is not None:
                    ot, nt = ot or "", nt or ""
                where = (
                    (old.block, old_i, c) if old is not None and o is not None else None,
                    (new.block, new_i, c) if new is not None and n is not None else None,
                )
                if ot is None and nt is None:
                    _sub(tc, "p")
                elif ot is not None and nt is not None and ot == nt:
                    p = _sub(tc, "p")
                    if style:
                        _sub(_sub(p, "pPr"), "pStyle", val=style)
                    if nt:
                        self._run(p, nt)
                    self.paras.append(_Para(p, where[0], where[1], ot, nt))
                else:
                    self.paragraph(tc, ot, nt, style, where)
            old_i += o is not None
            new_i += n is not None


def _loc(u: Unit | None) -> tuple[int, int, int] | None:
    return (u.block, -1, -1) if u is not None else None


# -- comments ------------------------------------------------------------------------------------


def _prov_index(sd: ServiceDescription) -> dict:
    """Provenance -> (block, row, col) of the segment it belongs to."""
    out: dict = {}
    for seg in sd.segments:
        loc = (seg.block_index, seg.table.row, seg.table.col) if seg.table else (seg.block_index, -1, -1)
        for p in seg.prov:
            out.setdefault(p, loc)
    return out


def _revised(p: _Para) -> bool:
    return p.el.find(f".//{w('ins')}") is not None or p.el.find(f".//{w('del')}") is not None


def _anchor(c: Change, paras: list[_Para], new_idx: dict, old_idx: dict) -> _Para:
    """The paragraph or cell a change is about: its provenance, moved to the revised cell of its row."""

    def at(side: str, loc: tuple[int, int, int]) -> _Para | None:
        same_row = [p for p in paras if (getattr(p, side) or (None, None))[:2] == loc[:2]]
        revised = [p for p in same_row if _revised(p)]
        text = c.new_text or c.new or ""
        for group in ([p for p in revised if text and text in p.new_text], revised):
            if group:
                return group[0]
        exact = next((p for p in same_row if getattr(p, side) == loc), None)
        return exact or next((p for p in paras if getattr(p, side) and getattr(p, side)[0] == loc[0]), None)

    for prov in c.new_prov:
        if prov in new_idx and (hit := at("new", new_idx[prov])):
            return hit
    for prov in c.old_prov:
        if prov in old_idx and (hit := at("old", old_idx[prov])):
            return hit
    for text, side in ((c.new_text, "new_text"), (c.new, "new_text"), (c.old_text, "old_text")):
        if text and len(text) > 1 and (hit := next((p for p in paras if text in getattr(p, side)), None)):
            return hit
    return paras[0]


def _comments(
    diff: Diff, writer: _Writer, new: ServiceDescription, old: ServiceDescription
) -> etree._Element:
    root = etree.Element(w("comments"), nsmap={"w": W})
    if not writer.paras:
        return root
    new_idx, old_idx = _prov_index(new), _prov_index(old)
    for cid, c in enumerate(ch for ch in diff.changes if ch.severity in MATERIAL):
        p = _anchor(c, writer.paras, new_idx, old_idx).el
        ppr = p.find(w("pPr"))
        start = etree.Element(w("commentRangeStart"), {w("id"): str(cid)})
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        _sub(p, "commentRangeEnd", id=str(cid))
        _sub(_sub(p, "r"), "commentReference", id=str(cid))
        comment = _sub(root, "comment", id=str(cid), author=AUTHOR, initials="sd")
        for line in change_note(c).split("\n"):
            r = _sub(_sub(comment, "p"), "r")
            t = _sub(r, "t")
            t.text = clean(line)
            t.set(XML_SPACE, "preserve")
    return root


# -- the package ---------------------------------------------------------------------------------

_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "word/styles.xml": (f"{_CT}.styles+xml", "styles"),
    "word/numbering.xml": (f"{_CT}.numbering+xml", "numbering"),
    "word/comments.xml": (f"{_CT}.comments+xml", "comments"),
    "word/settings.xml": (f"{_CT}.settings+xml", "settings"),
}


def _styles() -> bytes:
    heads = "".join(
        f'<w:style w:type="paragraph" w:styleId="Heading{i}"><w:name w:val="heading {i}"/>'
        f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/>'
        f'<w:outlineLvl w:val="{i - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{36 - 3 * i}"/></w:rPr></w:style>'
        for i in range(1, 7)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">'
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" '
        'w:cs="Liberation Sans"/><w:sz w:val="20"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="100"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        f"{heads}"
        '<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/><w:ind w:left="284"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="TableHeader"><w:name w:val="Table Header"/>'
        '<w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>'
        '<w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="16"/></w:rPr></w:style>'
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>'
        + "".join(
            f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
            for s in ("top", "left", "bottom", "right", "insideH", "insideV")
        )  # fmt: skip
        + "</w:tblBorders></w:tblPr></w:style></w:styles>"
    ).encode("utf-8")


def _numbering() -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{W}">'
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr>'
        '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    ).encode()


def _settings() -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="{W}">'
        "<w:trackRevisions/></w:settings>"
    ).encode()


def _package(document: bytes, comments: bytes, title: str) -> bytes:
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{ct}"/>' for name, (ct, _) in sorted(_PARTS.items())
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/{kind}" Target="{name.split("/", 1)[1]}"/>'
        for i, (name, (_, kind)) in enumerate(sorted(_PARTS.items()), 1)
    )
    core = etree.Element(
        "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}coreProperties",
        nsmap={
            "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            "dc": "http://purl.org/dc/elements/1.1/",
        },
    )
    etree.SubElement(core, "{http://purl.org/dc/elements/1.1/}title").text = clean(title)
    etree.SubElement(core, "{http://purl.org/dc/elements/1.1/}creator").text = AUTHOR
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f"{overrides}</Types>"
        ).encode(),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
        ).encode(),
        "docProps/core.xml": etree.tostring(core, xml_declaration=True, encoding="UTF-8", standalone=True),
        "word/document.xml": document,
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
        ).encode(),
        "word/styles.xml": _styles(),
        "word/numbering.xml": _numbering(),
        "word/comments.xml": comments,
        "word/settings.xml": _settings(),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def render_redline_docx(diff: Diff, old: ServiceDescription, new: ServiceDescription) -> bytes:
    """The new edition as Word, the old one's differences as tracked changes, material ones commented."""
    writer = _Writer()
    for s in align(units_of(old), units_of(new)):
        writer.step(s)
    if not writer.paras:
        writer.paragraph(writer.body, "", "", None, (None, None))
    sect = _sub(writer.body, "sectPr")
    _sub(sect, "pgSz", w="11906", h="16838")
    _sub(
        sect,
        "pgMar",
        top="1134",
        right="1134",
        bottom="1134",
        left="1134",
        header="567",
        footer="567",
        gutter="0",
    )
    comments = _comments(diff, writer, new, old)
    doc = etree.Element(w("document"), nsmap={"w": W, "r": R})
    doc.append(writer.body)
    return _package(
        etree.tostring(doc, xml_declaration=True, encoding="UTF-8", standalone=True),
        etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True),
        f"Redline: {new.document.title or ''}",
    )
