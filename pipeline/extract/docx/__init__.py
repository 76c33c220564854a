"""Word (.docx) reader: the package's XML parts, read with lxml, -> :class:`Document`.

Why lxml on the parts and not python-docx: python-docx does not expose footnotes/endnotes, symbol
glyphs (``w:sym``), field codes, tracked revisions or ``vMerge`` spans, and it would parse the parts
with its own parser; we need every part to go through :mod:`pipeline.xmlsafe` (no DTDs, no entities)
and the ZIP to be read with our caps. Modules: :mod:`.package` (safe ZIP, relationships),
:mod:`.styles` (styles, numbering), :mod:`.symbols` (symbol fonts, lexicon data), :mod:`.runs`
(inline content), :mod:`.tables`, :mod:`.body` (blocks, notes, furniture).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.extract.docx.body import BodyReader, furniture, rank_headings
from pipeline.extract.docx.package import Package, open_package
from pipeline.extract.docx.styles import Numbering, Styles, w
from pipeline.extract.model import BlockKind, Document, DocumentMeta, SourceFormat
from pipeline.hashing import sha256_file
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.textutil import clean_text

STYLES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
NUMBERING_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
DC = "http://purl.org/dc/elements/1.1/"


def _related(pkg: Package, part: str, typ: str) -> etree._Element | None:
    target = next((t for ty, t, ext in pkg.rels(part).values() if ty == typ and not ext), None)
    return pkg.xml(target) if target and pkg.has(target) else None


def _core_title(pkg: Package) -> str | None:
    if not pkg.has("docProps/core.xml"):
        return None
    el = pkg.xml("docProps/core.xml").find(f"{{{DC}}}title")
    return clean_text(el.text or "") or None if el is not None else None


def extract_docx(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a .docx into a :class:`Document`: body blocks in reading order, headers/footers apart."""
    path = Path(path)
    pkg = open_package(path)
    try:
        part = pkg.main_part()
        root = pkg.xml(part)
        body = root.find(w("body"))
        if body is None:
            from pipeline.errors import CorruptWordFile

            raise CorruptWordFile(path, f"corrupt Word file: {part} has no body")
        styles = Styles.parse(_related(pkg, part, STYLES_TYPE))
        reader = BodyReader(pkg, part, styles, Numbering(_related(pkg, part, NUMBERING_TYPE)))
        reader.walk(body)
        reader.promote_headings()
        rank_headings(reader.blocks)
        warnings = []
        if n := reader.revisions(root):
            warnings.append(
                f"the file holds {n} unaccepted tracked change{'s' if n != 1 else ''} "
                "(read as if all were accepted)"
            )
        title = _core_title(pkg) or next((b.text for b in reader.blocks if b.kind is BlockKind.heading), None)
        fur = furniture(pkg, part, styles)
    finally:
        pkg.zf.close()
    return Document(
        meta=DocumentMeta(title=title, source=str(path), sha256=sha256_file(path), format=SourceFormat.docx),
        blocks=reader.blocks,
        furniture=fur,
        warnings=warnings,
    )


__all__ = ["extract_docx"]
