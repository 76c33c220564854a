"""Safe file output: atomic writes and paths that never leave their output folder."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from pipeline.errors import UnsafePath


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename: readers see old or new, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


#: Device names Windows refuses as file names (with any extension): never written, even on POSIX,
#: so a site built here can be copied anywhere.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_join(root: str | Path, *parts: str) -> Path:
    """Join ``parts`` under ``root``; refuse anything that would resolve outside it."""
    shown = "/".join(parts)
    if any("\x00" in part for part in parts):
        raise UnsafePath(shown.replace("\x00", "\\0"), "output path contains a NUL byte")
    for name in "/".join(parts).replace("\\", "/").split("/"):
        if name.split(".")[0].rstrip(" ").lower() in _RESERVED:
            raise UnsafePath(shown, f"output name {name!r} is a reserved device name")
    root_resolved = Path(root).resolve()
    candidate = root_resolved.joinpath(*parts).resolve()
    if candidate != root_resolved and root_resolved not in candidate.parents:
        raise UnsafePath("/".join(parts), f"output path escapes the output folder {root}")
    return candidate
