"""Typed errors with stable codes, caught once at the CLI edge.

Every message is one line that names the file and the reason, so users can search the code:
``[E101] corrupt.pdf: not a PDF (starts with "<html>")``.

Code ranges: E1xx input files, E2xx limits, E3xx corpus/manifest/build, E4xx XML and glossary,
E5xx usage, E9xx internal.
"""

from __future__ import annotations

from pathlib import Path

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


class SvcdescError(Exception):
    """Base class: a stable code, the file concerned, and a one-line reason."""

    code = "E000"
    exit_code = EXIT_INPUT

    def __init__(self, path: str | Path | None, reason: str) -> None:
        self.path = str(path) if path is not None else None
        self.reason = " ".join(str(reason).split())  # always one line
        super().__init__(self.message)

    def __reduce__(self):
        """Picklable with its real arguments, so an error raised in a build worker process reaches the parent."""
        return (type(self), (self.path, self.reason))

    @property
    def message(self) -> str:
        where = f"{Path(self.path).name}: " if self.path else ""
        return f"[{self.code}] {where}{self.reason}"


class InputNotFound(SvcdescError):
    code = "E100"


class NotAPdf(SvcdescError):
    """The file is named .pdf (or was asked to be read as PDF) but is something else."""

    code = "E101"


class CorruptPdf(SvcdescError):
    code = "E102"


class EncryptedPdf(SvcdescError):
    code = "E103"


class ScannedPdf(SvcdescError):
    """No text layer: the pages are images. Reported, never silently emptied."""

    code = "E104"


class EmptyInput(SvcdescError):
    code = "E105"


class UnsupportedFormat(SvcdescError):
    code = "E106"


class BadFrontMatter(SvcdescError):
    code = "E107"


class BadEncoding(SvcdescError):
    code = "E108"


class BadSavedModel(SvcdescError):
    """A JSON file given as a saved ServiceDescription that does not validate."""

    code = "E109"


class TooLarge(SvcdescError):
    code = "E201"


class TooManyPages(SvcdescError):
    code = "E202"


class Timeout(SvcdescError):
    code = "E203"


class BadCorpus(SvcdescError):
    code = "E301"


class BadManifest(SvcdescError):
    code = "E302"


class UnsafePath(SvcdescError):
    code = "E303"


class BadXml(SvcdescError):
    code = "E401"


class ForbiddenXml(SvcdescError):
    """DTDs, entities or external references in an XML input: refused, never resolved."""

    code = "E402"


class BadGlossary(SvcdescError):
    code = "E403"


class UsageError(SvcdescError):
    code = "E501"


class InternalError(SvcdescError):
    code = "E900"
    exit_code = EXIT_INTERNAL


class NotAWordFile(SvcdescError):
    """Named .docx but something else (a PDF, a legacy .doc, a spreadsheet package)."""

    code = "E101"


class CorruptWordFile(SvcdescError):
    code = "E102"


class EncryptedWordFile(SvcdescError):
    code = "E103"
