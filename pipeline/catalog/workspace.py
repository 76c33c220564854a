"""Atomic replacement of a build's output folder.

A build writes into a temp sibling of OUT (``.OUT.building-<pid>``) and swaps it in only when
complete: one ``renameat2(RENAME_EXCHANGE)`` on Linux, else ``OUT -> .OUT.old-<pid>``, temp -> OUT,
remove old. A crash or SIGKILL at any point leaves the previous OUT (or, between the two renames,
its ``.old`` copy, restored by the next build) intact. OUT is only ever replaced when it is empty
or was made by ``svcdesc build`` (a marker file), never a folder of the user's.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
from pathlib import Path

from pipeline.errors import UsageError

MARKER = ".svcdesc-build"
MARKER_TEXT = "This folder is written by `svcdesc build` and replaced whole by the next build.\n"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_out(out: Path, corpus: Path, cache_dir: Path | None) -> None:
    """Refuse an OUT that would overwrite the corpus, hold it, or belong to someone else."""
    out_r, corpus_r = out.resolve(), corpus.resolve()
    if out_r == corpus_r or corpus_r in out_r.parents or out_r in corpus_r.parents:
        raise UsageError(str(out), "--out must be outside the corpus folder (and not contain it)")
    if out_r == Path(out_r.anchor) or out_r == Path.home().resolve():
        raise UsageError(str(out), "--out must be a dedicated folder, not / or the home folder")
    if cache_dir is not None:
        cache_r = cache_dir.resolve()
        if cache_r == out_r or out_r in cache_r.parents:
            raise UsageError(str(cache_dir), "--cache-dir must be outside --out (OUT is replaced whole)")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(str(out), "--out exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(
            str(out),
            f"--out is a non-empty folder not made by svcdesc build (no {MARKER}); refusing to replace it",
        )


def recover(out: Path) -> None:
    """Undo what a killed build left: restore ``.old`` if OUT is missing, drop dead temp folders."""
    parent = out.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out.name}.old-*"))
    if not out.exists() and olds:
        os.rename(olds[-1], out)
        olds = olds[:-1]
    for path in [*olds, *parent.glob(f".{out.name}.building-*")]:
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)) and ".building-" in path.name:
            continue  # another build is running there
        shutil.rmtree(path, ignore_errors=True)


def start(out: Path) -> Path:
    """A fresh temp folder beside OUT to build into."""
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return tmp


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False when unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _publishable(tmp: Path) -> None:
    """Atomic writes go through mkstemp (mode 0600); a site is for readers: files 0644, folders 0755
    (less what the umask takes away)."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [tmp, *tmp.rglob("*")]:
        if path.is_symlink():
            continue
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~umask)


def commit(tmp: Path, out: Path) -> None:
    """Put the finished build in place of OUT; the previous OUT is removed only afterwards."""
    _publishable(tmp)
    if not out.exists():
        os.rename(tmp, out)
        return
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous build
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def abandon(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        shutil.rmtree(tmp)
