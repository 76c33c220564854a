"""Extract stage: a file (PDF, Word, Markdown, text) -> :class:`Document` with provenance.

Knows nothing of offers, of what languages mean, or of output formats. Readers are found through
:data:`READERS` (format -> suffixes and reader function): a new format is one reader module that
returns a :class:`Document` and one line in that table.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import EmptyInput, InputNotFound, NotAPdf, Timeout, TooLarge, UnsupportedFormat
from pipeline.extract.model import Document, SourceFormat
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.testhooks import stall
from pipeline.timeouts import deadline


@dataclass(frozen=True)
class Reader:
    """Where a format's reader lives; imported on first use (pdfplumber is slow to import)."""

    suffixes: tuple[str, ...]
    module: str
    function: str

    def load(self) -> Callable[..., Document]:
        return getattr(importlib.import_module(self.module), self.function)


#: format -> reader. Order matters only for the error message.
READERS: dict[SourceFormat, Reader] = {
    SourceFormat.pdf: Reader((".pdf",), "pipeline.extract.pdf", "extract_pdf"),
    SourceFormat.docx: Reader((".docx",), "pipeline.extract.docx", "extract_docx"),
    SourceFormat.markdown: Reader(
        (".md", ".markdown", ".mdown"), "pipeline.extract.markdown", "extract_markdown"
    ),
    SourceFormat.text: Reader((".txt", ".text"), "pipeline.extract.text", "extract_text"),
}
_PDF_MAGIC = b"%PDF-"


def _by_suffix(suffix: str) -> SourceFormat | None:
    return next((fmt for fmt, r in READERS.items() if suffix in r.suffixes), None)


def readable(path: Path) -> bool:
    """True when some reader takes files named like ``path``."""
    return _by_suffix(path.suffix.lower()) is not None


def sniff_format(path: Path, head: bytes) -> SourceFormat:
    """Decide the reader from the name, then check the bytes agree (a ZIP named .pdf is refused)."""
    suffix = path.suffix.lower()
    fmt = _by_suffix(suffix)
    if fmt is SourceFormat.pdf or (fmt is None and head.startswith(_PDF_MAGIC)):
        if _PDF_MAGIC not in head[:1024]:
            shown = head[:12].decode("latin-1", "replace").replace("\n", " ").strip()
            raise NotAPdf(path, f'not a PDF (starts with "{shown}")')
        return SourceFormat.pdf
    if fmt is None:
        *others, last = [r.suffixes[0] for r in READERS.values()]
        expected = f"{', '.join(others)} or {last}" if others else last
        raise UnsupportedFormat(
            path, f"unsupported file type {suffix or '(no extension)'!r}; expected {expected}"
        )
    return fmt


def extract(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read one file into a Document; raise a typed :class:`~pipeline.errors.SvcdescError` on bad input."""
    path = Path(path)
    if not path.exists():
        raise InputNotFound(path, "no such file")
    if not path.is_file():
        raise InputNotFound(path, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise EmptyInput(path, "empty file (0 bytes)")
    if size > limits.max_bytes:
        raise TooLarge(path, f"file is {size} bytes, over the limit of {limits.max_bytes} (--max-bytes)")
    with open(path, "rb") as fh:
        head = fh.read(2048)
    reader = READERS[sniff_format(path, head)].load()
    from pipeline.extract.language import annotate_language

    def expired() -> Timeout:
        return Timeout(path, f"extraction took over {limits.timeout_s:g} s (--timeout)")

    # main thread only; an alarm already armed, e.g. by build, wins
    with deadline(limits.timeout_s, expired, defer_to_armed=True):
        stall("extract")
        return annotate_language(reader(path, limits=limits))


__all__ = ["READERS", "Document", "Reader", "extract", "readable", "sniff_format"]
