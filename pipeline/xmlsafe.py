"""Parse untrusted XML (TBX, XLIFF, TMX) with every door shut.

Policy (see SECURITY.md):

- a document that declares a DTD or an entity (``<!DOCTYPE``, ``<!ENTITY``) is refused outright with
  :class:`ForbiddenXml` — this closes billion laughs, quadratic blow-up, XXE file reads, external DTDs
  and parameter entities before the parser sees them;
- the parser never loads a DTD, never substitutes entities, never touches the network, never runs
  XInclude (we never call ``xinclude()``; ``xi:include`` elements stay inert elements);
- input size is capped (``max_bytes``), libxml2's own caps stay on (``huge_tree=False``: text nodes
  <= 10 MB, nesting <= 256 levels), and we cap element nesting again after parsing;
- only encodings we can scan are accepted (UTF-8/ASCII/Latin-1 family declared, or UTF-16/32 with a
  BOM); an exotic declared encoding (UTF-7, EBCDIC…) could hide ``<!DOCTYPE`` from the byte scan.

Every refusal is a typed one-line error naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline.errors import BadXml, ForbiddenXml, InputNotFound

MAX_XML_BYTES = 50 * 1024 * 1024
MAX_XML_DEPTH = 200

# Declared encodings whose bytes keep ASCII markup as ASCII, so the byte scan below sees "<!DOCTYPE".
_ASCII_COMPATIBLE = {
    "utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "iso-8859-15",
    "windows-1252", "cp1252", "iso-8859-2", "windows-1250",
}  # fmt: skip
_BOMS = [
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
]
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.S)
_XML_DECL_STR = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)
_FORBIDDEN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=True,
        collect_ids=False,
    )


def _to_scannable_utf8(data: bytes, path: str | Path | None) -> bytes:
    """Return UTF-8 (or ASCII-compatible) bytes whose markup a byte scan can see; refuse other encodings."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise BadXml(path, f"malformed XML: invalid {codec} text") from None
            text = _XML_DECL_STR.sub("", text, count=1)  # its encoding= would now be wrong
            return text.encode("utf-8")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if body[:4] in (b"\x00<\x00?", b"<\x00?\x00", b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x4c\x6f\xa7\x94"):
        raise BadXml(path, "XML in UTF-16/32 without a byte-order mark or in EBCDIC is not accepted")
    m = _XML_DECL.match(body[:1024])
    if m:
        declared = m.group(1).decode("ascii").lower()
        if declared not in _ASCII_COMPATIBLE:
            raise BadXml(path, f"XML encoding {declared!r} is not accepted (use UTF-8)")
    return data


def _check_depth(root: etree._Element, path: str | Path | None, max_depth: int) -> None:
    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > max_depth:
            raise BadXml(path, f"XML nesting deeper than {max_depth} levels")


def parse_xml_bytes(
    data: bytes,
    path: str | Path | None = None,
    *,
    max_bytes: int = MAX_XML_BYTES,
    max_depth: int = MAX_XML_DEPTH,
) -> etree._Element:
    """Return the root element; raise ForbiddenXml for DTD/entity declarations, BadXml for syntax errors."""
    if len(data) > max_bytes:
        raise BadXml(path, f"XML input is {len(data)} bytes, over the limit of {max_bytes}")
    if not data.strip():
        raise BadXml(path, "empty XML document")
    data = _to_scannable_utf8(data, path)
    if _FORBIDDEN.search(data):
        raise ForbiddenXml(path, "XML with a DOCTYPE or ENTITY declaration is refused (no DTDs, no entities)")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise BadXml(path, f"malformed XML: {getattr(exc, 'msg', None) or exc}") from None
    except ValueError as exc:  # e.g. lxml refusing a str with an encoding declaration
        raise BadXml(path, f"malformed XML: {exc}") from None
    if root is None:
        raise BadXml(path, "empty XML document")
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None:
        raise ForbiddenXml(path, "XML with a DOCTYPE is refused (no DTDs, no entities)")
    for node in root.iter(etree.Entity):  # belt and braces: an unexpanded entity reference survived
        raise ForbiddenXml(path, f"XML entity reference &{node.name}; is refused")
    _check_depth(root, path, max_depth)
    return root


def parse_xml_file(
    path: str | Path, *, max_bytes: int = MAX_XML_BYTES, max_depth: int = MAX_XML_DEPTH
) -> etree._Element:
    """Read and parse an XML file under the same policy; size checked before reading."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(path, "no such file" if not path.exists() else "not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise BadXml(path, f"XML file is {size} bytes, over the limit of {max_bytes}")
    return parse_xml_bytes(path.read_bytes(), path, max_bytes=max_bytes, max_depth=max_depth)
