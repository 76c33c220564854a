"""Where a build's results live between the workers that make them and the writers that publish them.

Two kinds of file, under one folder (the cache, or a scratch folder beside OUT with ``--no-cache``):

* ``blobs/<ab>/<sha256>`` — content-addressed bytes (an edition JSON, a rendered report, a catalog
  fragment). The name is the hash, so a reader checks what it reads and a corrupt blob is refused;
  identical outputs are stored once.
* ``tasks/<kind>/<key>.json`` — a task's small summary (what the parent keeps in memory), naming
  its blobs; JSON with its own checksum, discarded when torn, foreign or of the wrong shape.

Workers write as they finish a task, so results reach the disk as they are produced and the parent
holds only summaries: its memory does not grow with the size of the descriptions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pipeline.fsutil import atomic_write_text
from pipeline.hashing import sha256_bytes

TASK_CACHE_VERSION = "2"


class CorruptBlob(Exception):
    """A blob is missing or its bytes do not hash to its name."""


def blob_path(root: str | Path, sha: str) -> Path:
    return Path(root) / "blobs" / sha[:2] / sha


def put_blob(root: str | Path, data: bytes) -> tuple[str, int]:
    """Store ``data``; return (sha256, size). Written whole (temp file + rename) or not at all."""
    sha = sha256_bytes(data)
    path = blob_path(root, sha)
    if path.is_file() and path.stat().st_size == len(data):
        return sha, len(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{sha[:8]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return sha, len(data)


def put_blob_stream(root: str | Path, chunks: Iterable[bytes]) -> tuple[str, int]:
    """Store the concatenation of ``chunks`` without holding it whole; return (sha256, size)."""
    folder = Path(root) / "blobs"
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(prefix=".stream.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                fh.write(chunk)
        path = blob_path(root, digest.hexdigest())
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return digest.hexdigest(), size


def get_blob(root: str | Path, sha: str) -> bytes:
    """The bytes of blob ``sha``, checked; a corrupt blob is removed and :class:`CorruptBlob` raised."""
    path = blob_path(root, sha)
    try:
        data = path.read_bytes()
    except OSError:
        raise CorruptBlob(sha) from None
    if sha256_bytes(data) != sha:
        path.unlink(missing_ok=True)
        raise CorruptBlob(sha)
    return data


def sweep_blobs(root: str | Path) -> int:
    """Check every blob's hash, remove the corrupt ones; return how many were removed (rare path:
    after a corrupt blob was met, so every other result is checked before the build tries again)."""
    removed = 0
    for path in (Path(root) / "blobs").glob("*/*"):
        if path.is_file() and not path.name.startswith("."):
            try:
                ok = sha256_bytes(path.read_bytes()) == path.name
            except OSError:
                ok = False
            if not ok:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def has_blob(root: str | Path, sha: str, size: int) -> bool:
    """Cheap presence check (the hash is checked when the blob is read)."""
    try:
        return blob_path(root, sha).stat().st_size == size
    except OSError:
        return False


def entry_path(root: str | Path | None, kind: str, key: str) -> Path | None:
    return Path(root) / "tasks" / kind / f"{key}.json" if root else None


def _digest(data: dict) -> str:
    body = {k: v for k, v in data.items() if k != "sha256"}
    return sha256_bytes(json.dumps(body, sort_keys=True, ensure_ascii=False).encode())


def get_entry(entry: Path | None) -> dict | None:
    """The entry's payload when it is whole and ours (version and checksum match), else None."""
    if entry is None or not entry.is_file():
        return None
    try:
        data = json.loads(entry.read_bytes())
        if (
            isinstance(data, dict)
            and data.get("v") == TASK_CACHE_VERSION
            and data.get("sha256") == _digest(data)
        ):
            return data
    except (OSError, ValueError):
        pass
    entry.unlink(missing_ok=True)  # corrupt, truncated or foreign: recompute
    return None


def put_entry(entry: Path | None, data: dict) -> None:
    if entry is not None:
        data = {**data, "v": TASK_CACHE_VERSION}
        data["sha256"] = _digest(data)
        atomic_write_text(entry, json.dumps(data, sort_keys=True, ensure_ascii=False))


def discard(entry: Path | None) -> None:
    if entry is not None:
        entry.unlink(missing_ok=True)
