"""PDF extractor on pdfplumber: chars -> lines -> furniture / tables / blocks -> Document.

``extract_pdf(path, limits)`` is the one entry point; the modules are small pure steps:
:mod:`.lines` (chars to lines, superscripts, bullets), :mod:`.furniture` (running headers and
footers), :mod:`.tables` (ruled tables, shaded note frames), :mod:`.unruled` (tables by column
alignment), :mod:`.merge` (tables across pages), :mod:`.blocks` (headings, paragraphs, lists, notes,
footnotes), :mod:`.reflow` (joining lines), :mod:`.convert` (to the pydantic model),
:mod:`.reader` (orchestration, typed errors); :mod:`.inflate_cap` caps pdfminer's stream inflation.
"""

from pipeline.extract.pdf.reader import extract_pdf

__all__ = ["extract_pdf"]
