"""A cap on inflated PDF streams: a 300 KB FlateDecode stream can expand to gigabytes (a decompression
bomb), and pdfminer inflates every stream whole in memory. Importing this module routes pdfminer's
zlib calls through capped versions; a stream past the cap raises :class:`InflateBomb`, which the reader
turns into ``TooLarge`` (E201). pdfminer's byte-by-byte fallback for streams with a bad checksum is
also replaced: it was quadratic (``bytes +=`` per input byte).
"""

from __future__ import annotations

import types
import zlib

import pdfminer.pdftypes

MAX_INFLATED_BYTES = 64 * 1024 * 1024  # Word content streams and embedded fonts are a few MB


class InflateBomb(Exception):
    """A compressed stream expands past MAX_INFLATED_BYTES."""


def _too_big() -> InflateBomb:
    return InflateBomb(
        f"a compressed stream inflates past {MAX_INFLATED_BYTES // 2**20} MB (decompression bomb?)"
    )


def capped_decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:  # noqa: ARG001
    """``zlib.decompress`` with a ceiling; same errors on bad or truncated data."""
    d = zlib.decompressobj(wbits)
    out = d.decompress(data, MAX_INFLATED_BYTES)
    if d.unconsumed_tail:
        raise _too_big()
    out += d.flush()
    if len(out) > MAX_INFLATED_BYTES:
        raise _too_big()
    if not d.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return out


def capped_decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback (keep what inflates before a bad checksum), linear and capped."""
    d = zlib.decompressobj()
    out = bytearray()
    i = 0
    try:
        for i in range(len(data)):
            out += d.decompress(data[i : i + 1])
            if len(out) > MAX_INFLATED_BYTES:
                raise _too_big()
    except zlib.error:
        if i < len(data) - 3:
            raise
    return bytes(out)


pdfminer.pdftypes.zlib = types.SimpleNamespace(  # type: ignore[attr-defined]
    decompress=capped_decompress, decompressobj=zlib.decompressobj, error=zlib.error, MAX_WBITS=zlib.MAX_WBITS
)
pdfminer.pdftypes.decompress_corrupted = capped_decompress_corrupted
