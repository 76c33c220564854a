"""Nothing lost: an interrupted build keeps the previous OUT whole; a corrupt cache is never trusted.

The interrupted builds are real ``svcdesc build`` process groups sent SIGINT (as Ctrl-C does) or
SIGKILL (as a cancelled CI job) while they work; the previous OUT must be byte-identical afterwards
and the next build must succeed. Cache entries are overwritten with garbage, truncated JSON and
well-formed JSON of the wrong shape; loading again must give a valid result and a repaired entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import CLI_CHILD as CHILD

DOC = """---
title: Support
---
# Support

## 1. Plans

| Plan | Included |
|---|---|
| Premier | Yes |
| Basic | {basic} |

Response within {hours} hours.
"""


def _corpus(root: Path, editions: dict[str, tuple[str, int]]) -> Path:
    for date, (basic, hours) in editions.items():
        p = root / "support" / date / "en.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(DOC.format(basic=basic, hours=hours))
    return root


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build(corpus: Path, out: Path, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, "build", str(corpus), "--out", str(out), "--progress", "none", *extra],
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


#: What the half-built temp folder holds when the build is stopped at each point: (must, must not).
MID_WRITE = {
    "build.write": ({".svcdesc-build"}, {"editions", "catalog.json", "docs", "index.html"}),
    "build.catalog": ({"catalog.json", "catalog.xml", "findings.sarif"}, {"docs", "index.html"}),
    "build.site": ({"catalog.json", "docs"}, {"index.html", ".svcdesc-manifest.json"}),
    "build.commit": ({"catalog.json", "docs", "index.html", ".svcdesc-manifest.json"}, set()),
}


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT back to its default in the child, as for a command typed in a terminal: a test run
    started in the background by a non-interactive shell (``.ci/run &``, nohup) inherits SIGINT
    ignored, and Python then installs no KeyboardInterrupt handler (the build ran on, as designed)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt(corpus: Path, out: Path, sig: int, point: str, marker: Path, *extra: str) -> int:
    """Start a build made to block at ``point`` (test hook), send ``sig`` once it is there (after
    checking, for the publishing points, that the temp folder is as half-written as it should be)."""
    # stderr goes to a file, not a pipe nobody reads while the child runs (a full pipe would block it)
    log = marker.with_suffix(".stderr")
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, "build", str(corpus), "--out", str(out), "--progress", "none", *extra],
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True, preexec_fn=_ctrl_c_as_in_a_terminal,
            env=dict(os.environ, SVCDESC_TEST_STALL=f"{point}:{marker}", PYTHONFAULTHANDLER="1"),
        )  # fmt: skip
    try:
        hang_guard = time.monotonic() + 600  # not a speed bound: only stops a broken build hanging the suite
        while not marker.exists() and proc.poll() is None and time.monotonic() < hang_guard:
            time.sleep(0.05)
        assert marker.exists() and proc.poll() is None, log.read_text(errors="replace")[-2000:]
        if point in MID_WRITE:
            building = {p.name for p in (out.parent / f".{out.name}.building-{proc.pid}").iterdir()}
            must, must_not = MID_WRITE[point]
            assert must <= building and not (must_not & building), (point, sorted(building))
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=600)  # like hang_guard: a stuck exit fails, a slow (loaded) machine does not
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGABRT)  # faulthandler writes where it is stuck to the log
            proc.wait()
            stuck = log.read_text(errors="replace")[-4000:]
            raise AssertionError(f"no exit after {signal.Signals(sig).name} at {point}: {stuck}") from None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    marker.unlink()
    return proc.returncode


@pytest.mark.slow
def test_interrupted_build_keeps_previous_out(tmp_path: Path):
    corpus = _corpus(tmp_path / "corpus", {"2020-01-01": ("No", 8), "2021-06-04": ("Yes", 4)})
    out = tmp_path / "out"
    first = _build(corpus, out, "--cache-dir", str(tmp_path / "cache"))
    assert first.returncode in (0, 1), first.stderr[-2000:]
    before = _snapshot(out)
    assert "catalog.json" in before and "index.html" in before, sorted(before)

    # a new edition makes the next build do real work; each interruption lands at a known step
    _corpus(corpus, {"2022-03-01": ("Yes", 2)})
    marker = tmp_path / "reached"
    for sig, point in [
        (signal.SIGINT, "extract"),
        (signal.SIGINT, "build.write"),
        (signal.SIGKILL, "build.write"),
        (signal.SIGKILL, "build.catalog"),  # catalog files half written
        (signal.SIGKILL, "build.site"),  # a document page written, no index yet
        (signal.SIGKILL, "build.commit"),
    ]:
        rc = _interrupt(corpus, out, sig, point, marker, "--no-cache", "--jobs", "1")
        name = signal.Signals(sig).name
        assert rc == (130 if sig == signal.SIGINT else -sig), f"{name} at {point}: rc={rc}"
        assert _snapshot(out) == before, f"OUT changed after {name} at {point} (rc={rc})"
        json.loads((out / "catalog.json").read_bytes())  # still readable
    # the next build recovers and replaces OUT whole; no temp folders are left next to it
    final = _build(corpus, out, "--cache-dir", str(tmp_path / "cache"))
    assert final.returncode in (0, 1), final.stderr[-2000:]
    catalog = json.loads((out / "catalog.json").read_bytes())
    editions = [e["edition"] for d in catalog["documents"] for e in d["editions"]]
    assert "2022-03-01" in editions
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert leftovers == [], leftovers


def test_loader_discards_corrupt_cache_entry(tmp_path: Path):
    from pipeline.catalog.loader import load_description
    from pipeline.normalize.model import ServiceDescription

    src = _corpus(tmp_path / "c", {"2021-06-04": ("Yes", 4)}) / "support/2021-06-04/en.md"
    cache = tmp_path / "cache"
    good = load_description(src, cache_dir=cache)
    entries = sorted((cache / "descriptions").glob("*.json"))
    assert len(entries) == 1
    for garbage in [
        b"\x00\xff garbage",
        b'{"schema_version": "1.0", "document": {',
        b'{"document": 5}',
        b"[]",
        b"",
    ]:
        entries[0].write_bytes(garbage)
        again = load_description(src, cache_dir=cache)
        assert again == good
        ServiceDescription.model_validate_json(entries[0].read_bytes())  # the entry was rebuilt, valid


def test_loader_cache_keeps_identical_editions_apart(tmp_path: Path):
    """Two editions with the same bytes (a page that did not change) share no cache entry: each keeps
    the date of its folder and its own source, whichever is described first."""
    from pipeline.catalog.loader import load_description

    root = _corpus(tmp_path / "c", {"2020-01-01": ("Yes", 4), "2021-06-04": ("Yes", 4)})
    old, new = root / "support/2020-01-01/en.md", root / "support/2021-06-04/en.md"
    assert old.read_bytes() == new.read_bytes()
    for first, second in [(new, old), (old, new)]:
        cache = tmp_path / f"cache-{first.parent.name}"
        for path in (first, second):
            sd = load_description(path, cache_dir=cache)
            assert (sd.document.edition_date, sd.document.source) == (path.parent.name, str(path))
        assert len(list((cache / "descriptions").glob("*.json"))) == 2


@pytest.mark.slow
def test_build_discards_corrupt_cache_entries(tmp_path: Path):
    corpus = _corpus(tmp_path / "corpus", {"2020-01-01": ("No", 8), "2021-06-04": ("Yes", 4)})
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = _build(corpus, out, "--cache-dir", str(cache))
    assert first.returncode in (0, 1), first.stderr[-2000:]
    catalog = (out / "catalog.json").read_bytes()
    entries = [p for p in cache.rglob("*.json") if p.is_file()]
    assert entries, "the build wrote no cache entries"
    from pipeline.catalog.tasks import TASK_CACHE_VERSION

    wrong_shape = json.dumps(
        {"v": TASK_CACHE_VERSION, "description": {"bogus": True}, "findings": 3, "data": 7, "outputs": 5}
    ).encode()
    for shapes in ([b"\x00garbage", b'{"v": 1', b"null", b"[]"], [wrong_shape]):
        for i, p in enumerate(sorted(c for c in cache.rglob("*.json") if c.is_file())):
            p.write_bytes(shapes[i % len(shapes)])
        again = _build(corpus, out, "--cache-dir", str(cache))
        assert "Traceback" not in again.stderr and again.returncode == first.returncode, again.stderr[-2000:]
        assert (out / "catalog.json").read_bytes() == catalog
