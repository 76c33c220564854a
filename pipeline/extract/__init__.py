"""Extract stage: a file (PDF, Markdown, text) -> :class:`Document` with provenance.

Knows nothing of offers, of what languages mean, or of output formats.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import EmptyInput, InputNotFound, NotAPdf, Timeout, TooLarge, UnsupportedFormat
from pipeline.extract.model import Document, SourceFormat
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.timeouts import deadline

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
TEXT_SUFFIXES = {".txt", ".text"}


def sniff_format(path: Path, head: bytes) -> SourceFormat:
    """Decide the reader from the name, then check the bytes agree (a ZIP named .pdf is refused)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf" or (suffix not in MARKDOWN_SUFFIXES | TEXT_SUFFIXES and head.startswith(b"%PDF-")):
        if b"%PDF-" not in head[:1024]:
            shown = head[:12].decode("latin-1", "replace").replace("\n", " ").strip()
            raise NotAPdf(path, f'not a PDF (starts with "{shown}")')
        return SourceFormat.pdf
    if suffix in MARKDOWN_SUFFIXES:
        return SourceFormat.markdown
    if suffix in TEXT_SUFFIXES:
        return SourceFormat.text
    raise UnsupportedFormat(
        path, f"unsupported file type {suffix or '(no extension)'!r}; expected .pdf, .md or .txt"
    )


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
    fmt = sniff_format(path, head)
    if fmt is SourceFormat.pdf:
        from pipeline.extract.pdf import extract_pdf as reader
    elif fmt is SourceFormat.markdown:
        from pipeline.extract.markdown import extract_markdown as reader
    else:
        from pipeline.extract.text import extract_text as reader
    from pipeline.extract.language import annotate_language

    def expired() -> Timeout:
        return Timeout(path, f"extraction took over {limits.timeout_s:g} s (--timeout)")

    # main thread only; an alarm already armed, e.g. by build, wins
    with deadline(limits.timeout_s, expired, defer_to_armed=True):
        return annotate_language(reader(path, limits=limits))


__all__ = ["Document", "extract", "sniff_format"]
