"""Fuzz targets shared by the hypothesis tests, ``run_long.py`` and the atheris entry point.

A target takes bytes, writes them to a file with the reader's suffix, and runs the reader. The
property: it returns a result, or raises a typed :class:`~pipeline.errors.SvcdescError`. Anything
else — another exception, a hang (``Hang``, a BaseException so no ``except Exception`` in a reader
can swallow it) — is a crash.
"""

from __future__ import annotations

import hashlib
import random
import sys
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "scripts"))

HANG_S = 10.0


class Hang(BaseException):
    """The target ran past HANG_S seconds."""


def time_limit(seconds: float) -> AbstractContextManager[None]:
    """Raise Hang (a BaseException, so no reader swallows it) after ``seconds``."""
    from pipeline.timeouts import alarm

    return alarm(seconds, lambda: Hang(f"no result after {seconds:g} s"))


def _limits():
    from pipeline.limits import Limits

    return Limits(max_bytes=5 * 1024 * 1024, max_pages=50, timeout_s=HANG_S)


def _extract(path: Path) -> object:
    from pipeline.extract import extract

    return extract(path, limits=_limits())


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_DOCX_STYLES = (
    b"<w:styles " + _W + b'><w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/>'
    b'<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style></w:styles>'
)
_DOCX_NUMBERING = (
    b"<w:numbering "
    + _W
    + b'><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/>'
    b'<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
)


def _docx(path: Path) -> object:
    """A .docx as is, or (the mutated seeds) a body XML packed as word/document.xml with styles and numbering."""
    import io
    import zipfile

    data = path.read_bytes()
    if not data.startswith(b"PK"):
        rel = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("[Content_Types].xml", b"<Types/>")
            zf.writestr("word/document.xml", data)
            zf.writestr("word/styles.xml", _DOCX_STYLES)
            zf.writestr("word/numbering.xml", _DOCX_NUMBERING)
            zf.writestr(
                "word/_rels/document.xml.rels",
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                b'<Relationship Id="r1" Type="' + rel + b'styles" Target="styles.xml"/>'
                b'<Relationship Id="r2" Type="'
                + rel
                + b'numbering" Target="numbering.xml"/></Relationships>',
            )
        path.write_bytes(buf.getvalue())
    return _extract(path)


def _tbx(path: Path) -> object:
    from pipeline.normalize.glossary import Glossary

    return Glossary.load(path)


def _xliff(path: Path) -> object:
    """The XLIFF reader if one exists, else the safe XML parser every XML input goes through."""
    from pipeline.xmlsafe import parse_xml_file

    return parse_xml_file(path)


# name -> (module that must exist, file suffix, call)
TARGETS: dict[str, tuple[str, str, Callable[[Path], object]]] = {
    "pdf": ("pipeline.extract.pdf", ".pdf", _extract),
    "markdown": ("pipeline.extract.markdown", ".md", _extract),
    "text": ("pipeline.extract.text", ".txt", _extract),
    "docx": ("pipeline.extract.docx", ".docx", _docx),
    "tbx": ("pipeline.normalize.glossary", ".tbx", _tbx),
    "xliff": ("pipeline.xmlsafe", ".xlf", _xliff),
}


_WORKDIR = Path(tempfile.mkdtemp(prefix="svcdesc-fuzz-"))


def run_target(name: str, data: bytes) -> str:
    """Run one input; return "ok" or the typed error code. Any other outcome raises (a crash)."""
    from pipeline.errors import SvcdescError

    _, suffix, call = TARGETS[name]
    path = _WORKDIR / f"input{suffix}"
    path.write_bytes(data)
    try:
        with time_limit(HANG_S):
            call(path)
        return "ok"
    except SvcdescError as exc:
        assert exc.code.startswith("E") and "\n" not in exc.message, exc.message
        return exc.code
    finally:
        path.unlink(missing_ok=True)


# --- seeds ------------------------------------------------------------------------------------------


@cache
def seeds(name: str) -> tuple[bytes, ...]:
    """Small real-ish inputs per target: generated ones always, real shared files when present."""
    import make_bad_corpus as mbc

    out: list[bytes] = []
    if name == "pdf":
        out += [
            mbc.fpdf_text_pdf(1),
            mbc.fpdf_no_text_pdf(1),
            mbc.fpdf_encrypted_pdf(""),
            mbc.raw_empty_pages_pdf(3),
        ]
        real = sorted(SHARED.glob("corpus/**/*.pdf"), key=lambda p: p.stat().st_size)[:2]
        out += [p.read_bytes() for p in real]
    elif name == "markdown":
        out += [
            b"---\ntitle: T\nms.date: 01/02/2021\n---\n# Title\n\n## 1. Plans\n\n| Plan | Included |\n|---|---|\n"
            b"| A<sup>1</sup> | Yes |\n\n- a\n  - b\n\n> [!NOTE]\n> note\n\n[link](https://x.example)\n",
        ]
        for p in sorted(SHARED.glob("corpus/bilingual-md/*/*/en.md"))[:2]:
            out.append(p.read_bytes()[:6000])
    elif name == "text":
        out += [b"1. Services\nService A \xe2\x9c\x93\nService B +\nPage 1 sur 8\n2. Support\nTexte.\n"]
        for p in sorted(SHARED.glob("seeds/*.txt"))[:1]:
            out.append(p.read_bytes()[:6000])
    elif name == "docx":
        out += [
            b"<w:document " + _W + b'><w:body><w:p><w:pPr><w:pStyle w:val="H1"/><w:numPr><w:ilvl w:val="0"/>'
            b'<w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Plans</w:t></w:r></w:p><w:tbl><w:tr><w:trPr><w:tblHeader/>'
            b'</w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Service</w:t></w:r></w:p></w:tc></w:tr>'
            b'<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r><w:r><w:rPr>'
            b'<w:vertAlign w:val="superscript"/></w:rPr><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>'
            b'<w:sym w:font="Wingdings" w:char="F0FC"/></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>'
            b'<w:p/></w:tc><w:tc><w:p><w:ins w:id="1"><w:r><w:t>+</w:t></w:r></w:ins><w:del w:id="2"><w:r><w:delText>x'
            b'</w:delText></w:r></w:del></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            b'<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3'
            b'</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>Texte.</w:t></w:r></w:p></w:body></w:document>',
        ]
        out += [p.read_bytes() for p in sorted(SHARED.glob("corpus/**/*.docx"))[:1]]
    elif name == "tbx":
        out += [
            b'<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en"><text><body>'
            b'<termEntry id="c1"><langSet xml:lang="en"><tig><term>Premier Support</term></tig></langSet>'
            b'<langSet xml:lang="fr"><tig><term>Support Premier</term></tig></langSet></termEntry>'
            b'<termEntry id="c2"><descrip type="note">do not translate</descrip><langSet xml:lang="en"><tig>'
            b"<term>Azure</term></tig></langSet></termEntry></body></text></martif>\n",
            b'<tbx type="TBX-Core" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>'
            b'<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>Workshop</term></termSec></langSec>'
            b'<langSec xml:lang="fr"><termSec><term>Atelier</term></termSec></langSec></conceptEntry></body></text></tbx>',
        ]
    elif name == "xliff":
        out += [
            b'<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file '
            b'source-language="en" target-language="fr" datatype="plaintext" original="x"><body><trans-unit id="1">'
            b"<source>Support</source><target>Support</target></trans-unit></body></file></xliff>",
            b'<xliff version="2.1" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="fr"><file id="f">'
            b'<unit id="u1"><segment><source>A <pc id="1">b</pc></source><target>A</target></segment></unit></file></xliff>',
        ]
    return tuple(out)


# --- a small mutator (used by run_long.py and as the hypothesis strategy's engine) -------------------

_INTERESTING = [b"\x00", b"\xff", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\r\n", b"<", b">", b"&", b"]]>", b"<!DOCTYPE x [",
                b'<!ENTITY a "b">', b"&a;", b"---\n", b"|", b"- ", b"> ", b"#", b"`", b"<sup>", b"obj", b"endobj", b"stream",
                b"endstream", b"xref", b"trailer", b"/Length 99999999", b"/Count -1", b"/Kids [1 0 R]", b"%%EOF",
                b"\xc3", b"\xe2\x80", b"\xf0\x9f\x98", b"*" * 50, b"[" * 100, b"- " * 200]  # fmt: skip


def mutate(data: bytes, rng: random.Random, rounds: int | None = None) -> bytes:
    buf = bytearray(data)
    for _ in range(rounds or rng.choice([1, 1, 2, 4, 8, 32])):
        op = rng.randrange(7)
        pos = rng.randrange(len(buf) + 1)
        if op == 0 and buf:  # flip a bit
            p = min(pos, len(buf) - 1)
            buf[p] ^= 1 << rng.randrange(8)
        elif op == 1:  # random byte
            buf[pos:pos] = bytes([rng.randrange(256)])
        elif op == 2 and buf:  # delete a run
            del buf[pos : pos + rng.randrange(1, 64)]
        elif op == 3:  # truncate
            del buf[pos:]
        elif op == 4:  # insert an interesting token
            buf[pos:pos] = rng.choice(_INTERESTING)
        elif op == 5 and buf:  # duplicate a chunk
            a = rng.randrange(len(buf))
            buf[pos:pos] = buf[a : a + rng.randrange(1, 256)]
        elif op == 6 and buf:  # overwrite with a byte value repeated
            buf[pos : pos + rng.randrange(1, 16)] = bytes(
                [rng.choice([0, 0x20, 0x7F, 0xFF])]
            ) * rng.randrange(1, 16)
    return bytes(buf)


def crash_id(name: str, exc: BaseException) -> str:
    """A short stable id of a crash site, to group duplicates: target, type and innermost pipeline frame."""
    tb = exc.__traceback__
    where = "?"
    while tb is not None:
        fn = tb.tb_frame.f_code.co_filename
        if "/pipeline/" in fn:
            where = f"{Path(fn).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return f"{name}-{type(exc).__name__}-{where}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


__all__ = ["Hang", "TARGETS", "crash_id", "digest", "mutate", "run_target", "seeds"]
