"""Small helpers shared by several test files (import as ``from helpers import …``)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

#: The real CLI in a child process: ``[*CLI, "build", …]`` (``CLI_CHILD`` alone for ``-c``).
CLI_CHILD = "import sys; from pipeline.cli import main; sys.exit(main(sys.argv[1:]))"
CLI = [sys.executable, "-c", CLI_CHILD]


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file below ``folder`` (byte-for-byte build comparisons)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


#: Budgets of the resource tests are hang guards far above normal times; on a very slow machine
#: (emulator, sanitizer build) ``SVCDESC_TIME_SCALE=4`` stretches every one of them.
TIME_SCALE = float(os.environ.get("SVCDESC_TIME_SCALE", "1") or 1)


@contextlib.contextmanager
def no_hang(seconds: float = 60.0) -> Iterator[None]:
    """Fail instead of hanging when the block runs past ``seconds`` x TIME_SCALE of wall time.

    A guard against blow-ups (exponential entity expansion, quadratic fallbacks), not a speed bound:
    the limit is orders of magnitude above the block's normal time, and it fails the test at the
    limit instead of measuring afterwards, so a real hang never blocks the suite."""
    from pipeline.timeouts import alarm

    limit = seconds * TIME_SCALE
    with alarm(limit, lambda: AssertionError(f"still running after {limit:g} s: a hang or a blow-up")):
        yield


def diff_texts(tmp_path: Path, old: str, new: str):
    """The diff of two Markdown editions written to ``tmp_path`` (old.md, new.md) and loaded as a user's are."""
    from pipeline.catalog.loader import load_description
    from pipeline.diff.compare import diff_descriptions

    a, b = tmp_path / "old.md", tmp_path / "new.md"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    return diff_descriptions(load_description(a), load_description(b))
