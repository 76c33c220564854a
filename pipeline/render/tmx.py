"""Aligned editions as a TMX 1.4 translation memory (one ``tu`` per translated pair).

The creation date is the target edition's date (never the clock), so the same editions give the
same bytes. Pairs with an empty side are left out: a translation memory holds translations only.
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline import __version__
from pipeline.parity.model import Parity
from pipeline.render.xliff import xml_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tmx_date(iso: str | None) -> str | None:
    if iso and re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return iso.replace("-", "") + "T000000Z"
    return None


def to_tmx(parity: Parity) -> bytes:
    src_lang = parity.source.language or "en"
    trg_lang = parity.target.language or "fr"
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool="svcdesc",
        creationtoolversion=__version__,
        segtype="sentence",
        datatype="plaintext",
        adminlang="en",
        srclang=src_lang,
    )
    header.set("o-tmf", "svcdesc")
    date = _tmx_date(parity.target.edition_date) or _tmx_date(parity.source.edition_date)
    if date:
        header.set("creationdate", date)
    body = etree.SubElement(root, "body")
    for i, p in enumerate(parity.alignment):
        if not p.source or not p.target or not p.source_text.strip() or not p.target_text.strip():
            continue
        tu = etree.SubElement(body, "tu", tuid=str(i + 1))
        prop = etree.SubElement(tu, "prop", type="x-alignment")
        prop.text = f"{p.kind.value} {p.score:g}"
        prop = etree.SubElement(tu, "prop", type="x-segments")
        prop.text = xml_text(" ".join(p.source) + " -> " + " ".join(p.target))
        for lang, text in ((src_lang, p.source_text), (trg_lang, p.target_text)):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            seg = etree.SubElement(tuv, "seg")
            seg.text = xml_text(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def to_tbx(suggestions: list, *, source_note: str = "") -> bytes:
    """Term suggestions as TBX-Basic (``martif`` / ``termEntry`` / ``langSet`` / ``tig``), the form
    ``pipeline.normalize.glossary.Glossary.load`` reads; do-not-translate entries carry
    ``termNote type="termType"`` = ``properNoun``.
    """
    root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    source_desc = etree.SubElement(file_desc, "sourceDesc")
    p = etree.SubElement(source_desc, "p")
    p.text = xml_text(source_note or "svcdesc glossary suggest: candidate terms, to be reviewed")
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for i, sug in enumerate(suggestions, 1):
        entry = etree.SubElement(body, "termEntry", id=f"t{i}")
        note = etree.SubElement(entry, "note")
        note.text = xml_text(f"suggested from {', '.join(sorted(sug.origin))}; seen {sug.count} time(s)")
        for lang, term in (("en", sug.en), ("fr", sug.fr)):
            lang_set = etree.SubElement(entry, "langSet", {XML_LANG: lang})
            tig = etree.SubElement(lang_set, "tig")
            term_el = etree.SubElement(tig, "term")
            term_el.text = xml_text(term)
            if sug.dnt:
                tn = etree.SubElement(tig, "termNote", type="termType")
                tn.text = "properNoun"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
