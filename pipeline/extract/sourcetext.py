"""Decode a Markdown or text file into lines, the same way for both readers.

UTF-8 with or without BOM; CRLF and lone CR are line breaks like LF, so line numbers agree with
what editors show. Invalid UTF-8 is refused with the byte offset (no silent replacement: a
mis-decoded French accent would corrupt every later comparison).
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import BadEncoding
from pipeline.limits import Limits

_BOM = b"\xef\xbb\xbf"
_NEWLINES = re.compile(r"\r\n|\r")


def decode_source(path: Path, data: bytes) -> str:
    """UTF-8 text of ``data`` (BOM dropped, newlines folded to LF); BadEncoding names the byte offset."""
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        bad = data[offset : offset + 4].hex(" ")
        raise BadEncoding(
            path, f"invalid UTF-8 at byte offset {offset} (bytes {bad}); save the file as UTF-8"
        ) from None
    return _NEWLINES.sub("\n", text)


def split_lines(text: str, limits: Limits, warnings: list[str]) -> list[str]:
    """Lines without their newline; lines over ``limits.max_line_chars`` are cut (with a warning)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cap = limits.max_line_chars
    for i, line in enumerate(lines):
        if len(line) > cap:
            lines[i] = line[:cap]
            warnings.append(f"line {i + 1}: {len(line)} characters, cut to {cap} (max_line_chars)")
    return lines
