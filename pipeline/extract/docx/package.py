"""The .docx package (a ZIP of XML parts), opened with every door shut.

A hostile file gets one typed line: not a ZIP or really a PDF / legacy .doc (E101), a broken ZIP or
no document part (E102), an encrypted OLE container (E103), a member whose name climbs out of the
package (E303), a package whose parts inflate past the caps (E201, read with a hard cap: the sizes
the ZIP header claims are not trusted), and parts with a DTD or entities (E401/E402 via
:mod:`pipeline.xmlsafe`). Relationship targets are resolved inside the package only.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from pipeline.errors import (
    CorruptWordFile,
    EncryptedWordFile,
    NotAWordFile,
    SvcdescError,
    TooLarge,
    UnsafePath,
)
from pipeline.xmlsafe import parse_xml_bytes

MAX_MEMBERS = 2000
MAX_PART_BYTES = 64 * 1024 * 1024  # one inflated XML part
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # every part read, inflated
MAX_RATIO = 200  # inflated / compressed, for parts over 1 MB

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = R_NS + "/officeDocument"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_DRIVE = re.compile(r"^[A-Za-z]:")
#: what zipfile raises on a broken archive (bad headers, bad deflate data, unsupported methods)
_ZIP_ERRORS = (
    zipfile.BadZipFile, zlib.error, struct.error, OSError, EOFError, ValueError, NotImplementedError,
    RuntimeError, KeyError,
)  # fmt: skip


@dataclass
class Package:
    path: Path
    zf: zipfile.ZipFile
    names: set[str]
    read_total: int = 0
    _rels: dict[str, dict[str, tuple[str, str, bool]]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """A part's bytes, read with a hard cap whatever its header says."""
        info = self.zf.getinfo(name)
        if info.file_size > MAX_PART_BYTES:
            raise TooLarge(self.path, f"package part {name!r} inflates to {info.file_size} bytes (zip bomb?)")
        try:
            with self.zf.open(info) as fh:
                data = fh.read(MAX_PART_BYTES + 1)
        except _ZIP_ERRORS as exc:
            raise CorruptWordFile(self.path, f"corrupt Word file: part {name!r} unreadable ({exc})") from None
        if len(data) > MAX_PART_BYTES or (
            len(data) > 1_000_000 and len(data) > MAX_RATIO * max(1, info.compress_size)
        ):
            raise TooLarge(self.path, f"package part {name!r} inflates too far (zip bomb?)")
        self.read_total += len(data)
        if self.read_total > MAX_TOTAL_BYTES:
            raise TooLarge(self.path, f"package parts inflate past {MAX_TOTAL_BYTES} bytes (zip bomb?)")
        return data

    def xml(self, name: str) -> etree._Element:
        try:
            return parse_xml_bytes(self.read(name), self.path)
        except SvcdescError as exc:
            raise type(exc)(self.path, f"part {name}: {exc.reason}") from None

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """``{rId: (type, target, external)}`` of a part; internal targets as package names."""
        if part in self._rels:
            return self._rels[part]
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, tuple[str, str, bool]] = {}
        if rels_name in self.names:
            for rel in self.xml(rels_name).iter(f"{{{PKG_REL_NS}}}Relationship"):
                rid, typ, target = rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", "")
                if rel.get("TargetMode") == "External":
                    out[rid] = (typ, target, True)
                else:
                    out[rid] = (typ, _resolve(folder, target), False)
        self._rels[part] = out
        return out

    def main_part(self) -> str:
        for typ, target, external in self.rels("").values():
            if typ == OFFICE_DOCUMENT and not external and target in self.names:
                return target
        if "word/document.xml" in self.names:
            return "word/document.xml"
        raise NotAWordFile(self.path, "not a Word file (a ZIP package without a Word document part)")


def _resolve(folder: str, target: str) -> str:
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(joined).lstrip("/")


def _unsafe(name: str) -> bool:
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or "\\" in name or "\x00" in name:
        return True
    return ".." in PurePosixPath(name).parts


def open_package(path: Path) -> Package:
    """Check the bytes are a ZIP (not a PDF or an OLE .doc), every member name is safe, sizes are sane."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in head or _ENCRYPTION_INFO in path.read_bytes()[:1_000_000]:
            raise EncryptedWordFile(path, "encrypted Word document (a password is needed to read it)")
        raise NotAWordFile(path, "not a .docx: a legacy Word .doc (OLE) file; save it as .docx")
    if not head.startswith(b"PK\x03\x04"):
        if b"%PDF-" in head[:1024]:
            raise NotAWordFile(path, "not a Word file: a PDF named .docx")
        shown = head[:12].decode("latin-1", "replace").replace("\n", " ").strip()
        raise NotAWordFile(path, f'not a Word file (starts with "{shown}")')
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except _ZIP_ERRORS as exc:
        raise CorruptWordFile(path, f"corrupt Word file ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise TooLarge(path, f"{len(infos)} parts in the package, over {MAX_MEMBERS} (zip bomb?)")
    names: set[str] = set()
    declared = 0
    for info in infos:
        if _unsafe(info.filename):
            raise UnsafePath(path, f"unsafe path in the Word package: {info.filename[:80]!r}")
        if info.flag_bits & 0x1:
            raise EncryptedWordFile(path, "encrypted ZIP entries in the Word package")
        names.add(info.filename)
        declared += info.file_size
    if declared > 4 * MAX_TOTAL_BYTES:
        raise TooLarge(path, f"package declares {declared} inflated bytes (zip bomb?)")
    if "[Content_Types].xml" not in names:
        raise NotAWordFile(path, "not a Word file (a ZIP without [Content_Types].xml)")
    return Package(path=path, zf=zf, names=names)
