"""Small helpers shared by several test files (import as ``from helpers import …``)."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

#: The real CLI in a child process: ``[*CLI, "build", …]`` (``CLI_CHILD`` alone for ``-c``).
CLI_CHILD = "import sys; from pipeline.cli import main; sys.exit(main(sys.argv[1:]))"
CLI = [sys.executable, "-c", CLI_CHILD]


def require(*modules: str) -> None:
    """Skip the test while a module it needs is not written yet."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"not written yet: {', '.join(missing)}")


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file below ``folder`` (byte-for-byte build comparisons)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
