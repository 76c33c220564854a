"""Parse untrusted XML (TBX, XLIFF, TMX) with every door shut.

No DTD loading, no entity expansion, no network, no huge trees; a document that declares a DTD or
entities is refused outright (billion laughs, XXE), with a one-line error naming the file.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.errors import BadXml, ForbiddenXml

MAX_XML_BYTES = 50 * 1024 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_xml_bytes(data: bytes, path: str | Path | None = None) -> etree._Element:
    """Return the root element; raise ForbiddenXml for DTD/entity declarations, BadXml for syntax errors."""
    if len(data) > MAX_XML_BYTES:
        raise BadXml(path, f"XML input is {len(data)} bytes, over the limit of {MAX_XML_BYTES}")
    head = data[:4096].lstrip(b"\xef\xbb\xbf").upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        raise ForbiddenXml(path, "XML with a DOCTYPE or ENTITY declaration is refused (no DTDs, no entities)")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise BadXml(path, f"malformed XML: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    if root is None:
        raise BadXml(path, "empty XML document")
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ForbiddenXml(path, "XML with a DOCTYPE is refused (no DTDs, no entities)")
    return root


def parse_xml_file(path: str | Path) -> etree._Element:
    path = Path(path)
    if path.stat().st_size > MAX_XML_BYTES:
        raise BadXml(path, f"XML file over the limit of {MAX_XML_BYTES} bytes")
    return parse_xml_bytes(path.read_bytes(), path)
