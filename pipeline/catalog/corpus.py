"""Corpus discovery: which files are which document, edition and language.

Layouts understood (see ``docs/build.md``):

* ``<document…>/<YYYY-MM-DD>/<lang>.(pdf|docx|md|txt)`` — the document is the folder path above the
  edition folder (``nordlys-support``, ``bilingual-md/support``);
* loose files ``<document…>/<name>[-<YYYY-MM-DD>][.<lang>].(pdf|docx|md|txt)`` — the document is the
  folder path plus the file stem without date and language; a missing language is detected after
  extraction, a missing edition date comes from the document itself (or ``undated``);
* a manifest ``corpus.yaml`` / ``corpus.toml`` at the root listing ``{document, edition, lang, path}``
  entries replaces the folder walk.

The same file in two formats (``x.pdf`` and ``x.docx`` side by side: an edition published both as PDF
and as Word) is one edition: the first of :data:`DOC_SUFFIXES` is built, the others are listed as
ignored, never reported as duplicates.

Names must be safe slugs: ``../``, absolute paths, symlinks leaving the corpus and reserved names are
refused with :class:`~pipeline.errors.UnsafePath` (one problem per file; the rest still builds).
Files that fit no layout are reported as unknown, never guessed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.errors import BadManifest, SvcdescError, UnsafePath

#: Document formats, in order of preference when one edition is there in several (the published PDF first).
DOC_SUFFIXES = (".pdf", ".docx", ".md", ".txt")
MANIFEST_NAMES = ("corpus.yaml", "corpus.yml", "corpus.toml")
GLOSSARY_NAME = "glossary.tbx"
#: Files that travel with a corpus but are not documents (quietly skipped, listed as ignored).
SIDECAR_NAMES = {"segments.jsonl", "meta.json", GLOSSARY_NAME, *MANIFEST_NAMES}
DOC_FILE_NAMES = re.compile(r"^(readme|license|licence|changelog|notice|copying)(\..*)?$", re.IGNORECASE)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_IN_NAME = re.compile(r"^(?P<stem>.+?)[-_.](?P<date>\d{4}-\d{2}-\d{2})$")
LANG = re.compile(r"^[a-z]{2,3}(-[a-z]{2})?$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
EDITION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: Device names some file systems refuse (``nul.json`` included).
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@dataclass(frozen=True, order=True)
class CorpusEntry:
    """One input file. ``lang``/``edition`` None: decided after extraction (detection, document date)."""

    document: str
    edition: str | None
    lang: str | None
    path: Path
    rel: str


@dataclass
class Corpus:
    root: Path
    entries: list[CorpusEntry] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # relative paths that fit no layout
    ignored: list[str] = field(default_factory=list)  # sidecars, READMEs, hidden files
    problems: list[SvcdescError] = field(default_factory=list)  # refused entries (unsafe, bad manifest)
    glossary: Path | None = None
    manifest: Path | None = None

    @property
    def documents(self) -> list[str]:
        return sorted({e.document for e in self.entries})


def check_name(name: str, what: str, *, pattern: re.Pattern[str] = SLUG) -> str:
    """Return ``name`` when it is a safe path component, else raise UnsafePath."""
    if not isinstance(name, str) or not name:
        raise UnsafePath(None, f"empty {what} name")
    if name in {".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        raise UnsafePath(None, f"{what} name {name!r} is not a single path component")
    if name.split(".")[0].lower() in RESERVED or name.lower() in RESERVED:
        raise UnsafePath(None, f"{what} name {name!r} is reserved")
    if not pattern.match(name):
        raise UnsafePath(None, f"{what} name {name!r} is not a safe slug (a-z, 0-9, '.', '_', '-')")
    return name


def check_document(document: str) -> str:
    """A document id is one or more safe slugs joined by '/' (``bilingual-md/support``)."""
    if not isinstance(document, str) or not document or document.startswith("/"):
        raise UnsafePath(None, f"document name {document!r} must be a relative slug path")
    for part in document.split("/"):
        check_name(part, "document")
    return document


def _inside(root: Path, path: Path) -> bool:
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def _slug_part(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._") or "x"


def discover(root: str | Path) -> Corpus:
    """Find the documents of a corpus folder (manifest if present, else the folder layout)."""
    root = Path(root)
    if not root.is_dir():
        from pipeline.errors import BadCorpus

        raise BadCorpus(
            root, "corpus folder not found (expected a folder of <document>/<edition>/<lang>.pdf|docx|md)"
        )
    root = root.resolve()
    corpus = Corpus(root=root)
    glossary = root / GLOSSARY_NAME
    if glossary.is_file() and _inside(root, glossary):
        corpus.glossary = glossary
    manifest = next((root / n for n in MANIFEST_NAMES if (root / n).is_file()), None)
    if manifest is not None:
        corpus.manifest = manifest
        _from_manifest(corpus, manifest)
    else:
        _walk(corpus, root, [], {root})
    corpus.entries.sort()
    corpus.unknown.sort()
    _one_format_per_file(corpus)
    corpus.ignored.sort()
    _check_duplicates(corpus)
    return corpus


def _walk(corpus: Corpus, folder: Path, parts: list[str], seen: set[Path]) -> None:
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        rel = "/".join([*parts, child.name])
        if child.name.startswith("."):
            corpus.ignored.append(rel)
            continue
        if child.is_symlink() and not _inside(corpus.root, child):
            corpus.problems.append(UnsafePath(rel, "symlink points outside the corpus; refused"))
            continue
        if child.is_dir():
            real = child.resolve()
            if real in seen or (child.is_symlink() and real in folder.resolve().parents):
                corpus.problems.append(
                    UnsafePath(rel, "symlink loops back to a folder already walked; refused")
                )
                continue
            _walk(corpus, child, [*parts, child.name], seen | {real})
        elif child.is_file():
            _classify(corpus, child, parts, rel)


def _classify(corpus: Corpus, path: Path, parts: list[str], rel: str) -> None:
    name = path.name
    if name in SIDECAR_NAMES or DOC_FILE_NAMES.match(name):
        corpus.ignored.append(rel)
        return
    suffix = path.suffix.lower()
    if suffix not in DOC_SUFFIXES:
        corpus.unknown.append(rel)
        return
    try:
        if parts and DATE.match(parts[-1]):  # <document…>/<date>/<lang>.<ext>
            lang = path.stem.lower()
            if not LANG.match(lang) or len(parts) < 2:
                corpus.unknown.append(rel)
                return
            document = check_document("/".join(_slug_part(p) for p in parts[:-1]))
            corpus.entries.append(CorpusEntry(document, parts[-1], lang, path, rel))
            return
        stem, lang = path.stem, None
        head, dot, tail = stem.rpartition(".")
        if dot and LANG.match(tail.lower()):
            stem, lang = head, tail.lower()
        edition = None
        if m := DATE_IN_NAME.match(stem):
            stem, edition = m.group("stem"), m.group("date")
        elif DATE.match(stem):
            stem, edition = "document", stem
        document = check_document("/".join([*(_slug_part(p) for p in parts), _slug_part(stem)]))
        corpus.entries.append(CorpusEntry(document, edition, lang, path, rel))
    except UnsafePath as exc:
        corpus.problems.append(UnsafePath(rel, exc.reason))


def _load_manifest(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise BadManifest(path, f"cannot read manifest: {str(exc).splitlines()[0]}") from None
    if isinstance(data, dict):
        data = data.get("documents", data.get("files", data.get("entries")))
    if not isinstance(data, list):
        raise BadManifest(
            path, "expected a list of {document, edition, lang, path} entries (key 'documents')"
        )
    return data


def _from_manifest(corpus: Corpus, manifest: Path) -> None:
    listed: set[Path] = set()
    for i, item in enumerate(_load_manifest(manifest), 1):
        where = f"{manifest.name} entry {i}"
        if not isinstance(item, dict) or not {"document", "path"} <= item.keys():
            corpus.problems.append(BadManifest(manifest, f"entry {i}: needs at least 'document' and 'path'"))
            continue
        try:
            document = check_document(str(item["document"]))
            edition = item.get("edition")
            edition = check_name(str(edition), "edition", pattern=EDITION) if edition is not None else None
            lang = item.get("lang")
            if lang is not None and not LANG.match(str(lang)):
                raise UnsafePath(None, f"language {lang!r} is not a language code (en, fr, pt-br)")
            raw = str(item["path"])
            if raw.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", raw) or ".." in Path(raw).parts:
                raise UnsafePath(None, f"path {raw!r} must be relative and stay inside the corpus")
            path = corpus.root / raw
            if not _inside(corpus.root, path):
                raise UnsafePath(None, f"path {raw!r} resolves outside the corpus (symlink?)")
            if not path.is_file():
                from pipeline.errors import InputNotFound

                raise InputNotFound(raw, "listed in the manifest but not found")
            if path.suffix.lower() not in DOC_SUFFIXES:
                corpus.unknown.append(raw)
                continue
        except SvcdescError as exc:
            exc.reason = f"{where}: {exc.reason}"
            exc.path = exc.path or str(manifest)
            corpus.problems.append(type(exc)(exc.path, exc.reason))
            continue
        listed.add(path.resolve())
        corpus.entries.append(CorpusEntry(document, edition, str(lang) if lang else None, path, raw))
    # Files the manifest does not list are reported, so nothing is dropped silently.
    for path in sorted(corpus.root.rglob("*")):
        rel = path.relative_to(corpus.root).as_posix()
        if (
            path.is_file()
            and path.resolve() not in listed
            and not any(p.startswith(".") for p in rel.split("/"))
        ):
            if path.name in SIDECAR_NAMES or DOC_FILE_NAMES.match(path.name):
                corpus.ignored.append(rel)
            else:
                corpus.unknown.append(rel)


def _one_format_per_file(corpus: Corpus) -> None:
    """``x.pdf`` beside ``x.docx``: keep the preferred format, list the other as ignored."""
    kept: dict[tuple[str, str | None, str | None, str], CorpusEntry] = {}
    rank = {s: i for i, s in enumerate(DOC_SUFFIXES)}
    for entry in corpus.entries:
        stem = entry.rel[: -len(entry.path.suffix)] if entry.path.suffix else entry.rel
        key = (entry.document, entry.edition, entry.lang, stem)
        other = kept.get(key)
        if other is None:
            kept[key] = entry
            continue
        if rank.get(entry.path.suffix.lower(), 99) < rank.get(other.path.suffix.lower(), 99):
            kept[key], entry = entry, other
        corpus.ignored.append(entry.rel)
    corpus.entries = sorted(kept.values())


def _check_duplicates(corpus: Corpus) -> None:
    """Two files for the same document/edition/language: keep the first (sorted), report the rest."""
    seen: dict[tuple, CorpusEntry] = {}
    kept: list[CorpusEntry] = []
    for entry in corpus.entries:
        key = (entry.document, entry.edition, entry.lang)
        if entry.edition is not None and entry.lang is not None and key in seen:
            from pipeline.errors import BadCorpus

            corpus.problems.append(
                BadCorpus(entry.rel, f"duplicate of {seen[key].rel} ({'/'.join(key)}); skipped")
            )
            continue
        seen[key] = entry
        kept.append(entry)
    corpus.entries = kept
