"""One entry point for every command that needs a ServiceDescription from a path.

Accepts PDF, Markdown, text, or a saved ServiceDescription JSON. Results are cached by content
hash (input sha256 + tool version + options) when a cache folder is given; a corrupt cache entry
is discarded and rebuilt, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from pipeline import __version__
from pipeline.errors import BadSavedModel, InputNotFound
from pipeline.extract import extract
from pipeline.fsutil import atomic_write_text
from pipeline.hashing import sha256_bytes, sha256_file
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.normalize import normalize
from pipeline.normalize.glossary import Glossary
from pipeline.normalize.migrate import migrate
from pipeline.normalize.model import ServiceDescription


@functools.cache
def code_fingerprint() -> str:
    """Hash of the installed pipeline's own source and of the user's lexicon extensions: a changed
    extractor or vocabulary never reuses stale cache entries."""
    from pipeline.lexicon import extensions_fingerprint

    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode() + extensions_fingerprint().encode())
    for source in sorted([*root.rglob("*.py"), *root.rglob("*.yaml")]):
        h.update(source.relative_to(root).as_posix().encode() + b"\x00" + source.read_bytes())
    return h.hexdigest()


def cache_key(path: Path, glossary: Glossary | None, limits: Limits) -> str:
    """Input sha256 and path + tool version and code + options (glossary, limits).

    The path too: a description names its source and reads its edition date from the file and
    folder names, so two byte-identical editions (a library's unchanged page) are two entries;
    keyed by content alone, whichever was described first gave the other its date."""
    parts = [
        sha256_file(path),
        str(path),
        code_fingerprint(),
        glossary.fingerprint() if glossary else "-",
        limits.model_dump_json(),
    ]
    return sha256_bytes("\x00".join(parts).encode())


def load_saved(path: Path) -> ServiceDescription:
    try:
        return ServiceDescription.model_validate(migrate(json.loads(path.read_bytes())))
    except (ValidationError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BadSavedModel(path, f"not a saved ServiceDescription JSON ({first})") from None


def load_description(
    path: str | Path,
    *,
    glossary: Glossary | None = None,
    cache_dir: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ServiceDescription:
    path = Path(path)
    if not path.exists():
        raise InputNotFound(path, "no such file")
    if path.suffix.lower() == ".json":
        return load_saved(path)
    entry: Path | None = None
    if cache_dir is not None:
        entry = Path(cache_dir) / "descriptions" / f"{cache_key(path, glossary, limits)}.json"
        if entry.is_file():
            try:
                return ServiceDescription.model_validate_json(entry.read_bytes())
            except (ValidationError, ValueError):
                entry.unlink(missing_ok=True)  # corrupt: rebuild
    description = normalize(extract(path, limits=limits), glossary=glossary)
    if entry is not None:
        atomic_write_text(entry, json.dumps(description.model_dump(mode="json"), sort_keys=True))
    return description
