"""Damaged copies of a real PDF, made at test time (never committed): the ways a text layer breaks.

Each function takes the bytes of a PDF and the 0-based page to damage and returns new PDF bytes.
The damage is seeded, so a run is reproducible. Needs ``pikepdf`` (a dev dependency).
"""

from __future__ import annotations

import io
import random
import string
import zlib

import pikepdf


def _open(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def _contents(page: pikepdf.Page) -> list[pikepdf.Stream]:
    c = page.obj.Contents
    return list(c) if isinstance(c, pikepdf.Array) else [c]


def _text_fonts(page: pikepdf.Page) -> list[pikepdf.Dictionary]:
    """The page's fonts, most used first (by how often the content stream selects them)."""
    content = b"".join(s.read_bytes() for s in _contents(page))
    fonts = page.obj.Resources.get("/Font", {})
    return [f for _, f in sorted(fonts.items(), key=lambda kv: -content.count(kv[0].encode() + b" "))]


def xor_stream(data: bytes, page: int, n_bytes: int = 4000, seed: int = 16) -> bytes:
    """``n_bytes`` consecutive bytes of the page's decoded content stream with their low bits flipped
    (XOR 1-3): operators, positions and string bytes all change, as bit rot does."""
    pdf = _open(data)
    stream = _contents(pdf.pages[page])[0]
    body = bytearray(stream.read_bytes())
    rnd = random.Random(seed)
    start = max(0, (len(body) - n_bytes) // 2)
    for i in range(start, min(len(body), start + n_bytes)):
        body[i] ^= rnd.randrange(1, 4)
    stream.write(zlib.compress(bytes(body)), filter=pikepdf.Name.FlateDecode)
    return _save(pdf)


def truncate_stream(data: bytes, page: int, keep: float = 0.5) -> bytes:
    """The page's compressed content stream cut after ``keep`` of its bytes (a cut download or copy)."""
    pdf = _open(data)
    stream = _contents(pdf.pages[page])[0]
    raw = stream.read_raw_bytes()
    filt = stream.get("/Filter")
    stream.write(raw[: int(len(raw) * keep)], filter=filt)
    return _save(pdf)


def drop_tounicode(data: bytes, page: int) -> bytes:
    """Every font of the page loses its ToUnicode map, and CID fonts their embedded program (whose
    own cmap a reader would fall back to): glyph ids are left, no text, as in broken Word exports."""
    pdf = _open(data)
    for font in _text_fonts(pdf.pages[page]):
        if "/ToUnicode" in font:
            del font["/ToUnicode"]
        for desc in [d.get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]:
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if desc is not None and key in desc:
                    del desc[key]
    return _save(pdf)


def swap_encoding(data: bytes, page: int, seed: int = 16) -> bytes:
    """The page's main font reads its codes through the wrong table: a ToUnicode map of another
    font (CID fonts) or, for simple fonts, an encoding whose letters are permuted."""
    pdf = _open(data)
    fonts = _text_fonts(pdf.pages[page])
    with_maps = [f for f in fonts if "/ToUnicode" in f and f.get("/Subtype") == "/Type0"]
    if len(with_maps) >= 2:
        a, b = with_maps[0], with_maps[1]
        a.ToUnicode, b.ToUnicode = b.ToUnicode, a.ToUnicode
        return _save(pdf)
    letters = list(string.ascii_lowercase)
    shuffled = letters[:]
    random.Random(seed).shuffle(shuffled)
    diffs: list = []
    for src, dst in zip(letters, shuffled, strict=True):
        diffs += [ord(src), pikepdf.Name("/" + dst)]
    for font in fonts:
        if font.get("/Subtype") in ("/TrueType", "/Type1"):
            font.Encoding = pikepdf.Dictionary(
                Type=pikepdf.Name.Encoding, BaseEncoding=pikepdf.Name.WinAnsiEncoding, Differences=diffs
            )
            if "/ToUnicode" in font:
                del font["/ToUnicode"]
    return _save(pdf)


KINDS = {
    "xor_stream": xor_stream,
    "truncate_stream": truncate_stream,
    "drop_tounicode": drop_tounicode,
    "swap_encoding": swap_encoding,
}
