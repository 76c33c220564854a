"""``--executor ray``: the same per-document tasks on a local Ray instance give the same outputs.

Starts ``ray.init(num_cpus=2, include_dashboard=False)`` locally. Skips when ray is not installed
(it is the optional extra ``svcdesc[ray]``), except in CI where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers import tree_digest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray():
    try:
        import ray
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI is set but ray is not installed (pip install -e '.[ray]')")
        pytest.skip("ray not installed (optional extra: pip install 'svcdesc[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield ray
    ray.shutdown()


def test_ray_executor_matches_local_executor(ray, tmp_path):
    from pipeline.catalog.pipeline import BuildOptions, build

    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus" / "nordlys-support", corpus / "nordlys-support")
    shutil.copy(REPO / "corpus" / "glossary.tbx", corpus / "glossary.tbx")
    local = build(
        BuildOptions(corpus=corpus, out=tmp_path / "local", jobs=2, use_cache=False, fail_on="never")
    )
    remote = build(
        BuildOptions(
            corpus=corpus, out=tmp_path / "ray", jobs=2, executor="ray", use_cache=False, fail_on="never"
        )
    )
    assert ray.is_initialized()
    assert remote.cached == 0 and remote.described == 4 and remote.pairs == 4
    assert remote.problems == []
    assert tree_digest(tmp_path / "ray") == tree_digest(tmp_path / "local")
    assert local.changes == remote.changes and local.findings == remote.findings


def test_sigkill_of_a_ray_build_keeps_out_and_stops_its_workers(tmp_path):
    """A build on Ray killed (SIGKILL to the build process alone) while a Ray worker is inside a
    task: the previous OUT is untouched, the Ray instance the build started goes with it (the stuck
    worker too), and the next build recovers."""
    pytest.importorskip("ray", reason="ray not installed (optional extra: pip install 'svcdesc[ray]')")
    from helpers import CLI

    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus" / "nordlys-support", corpus / "nordlys-support")
    out = tmp_path / "out"
    args = ["build", str(corpus), "--out", str(out), "--progress", "none", "--fail-on", "never", "--no-cache"]
    first = subprocess.run([*CLI, *args, "--jobs", "1"], capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    before = tree_digest(out)
    new = corpus / "nordlys-support" / "2026-01-01" / "en.md"
    new.parent.mkdir()
    shutil.copy(corpus / "nordlys-support" / "2025-09-01" / "en.md", new)

    marker = tmp_path / "reached"
    proc = subprocess.Popen(
        [*CLI, *args, "--executor", "ray", "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env=dict(os.environ, SVCDESC_TEST_STALL=f"extract:{marker}"), start_new_session=True,
    )  # fmt: skip
    worker = None
    try:
        hang_guard = time.monotonic() + 300  # not a speed bound: only stops a broken build hanging the suite
        while not _read_pid(marker) and proc.poll() is None and time.monotonic() < hang_guard:
            time.sleep(0.1)
        assert _read_pid(marker) and proc.poll() is None, proc.stderr.read().decode()[-2000:]
        worker = _read_pid(marker)
        assert worker != proc.pid, "the task ran in the build process, not on a Ray worker"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
        gone_by = time.monotonic() + 60
        while _alive(worker) and time.monotonic() < gone_by:
            time.sleep(0.2)
        assert not _alive(worker), "the stuck Ray worker outlived the killed build"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if worker is not None and _alive(worker):
            os.kill(worker, signal.SIGKILL)
        proc.wait()
    assert tree_digest(out) == before
    again = subprocess.run([*CLI, *args, "--jobs", "1"], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "docs/nordlys-support.html" in tree_digest(out)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


def _read_pid(marker: Path) -> int | None:
    """The pid the stall hook wrote, once the file holds it whole (a line ending in a newline)."""
    try:
        text = marker.read_text()
    except OSError:
        return None
    return int(text) if text.endswith("\n") and text.strip().isdigit() else None


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to reap it counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def test_ray_worker_with_other_code_is_refused():
    """A Ray worker whose svcdesc sources differ from the build's answers with OtherCode, not a result
    (the executor then stops the build with E501); with the same sources it runs the task."""
    from pipeline.catalog.executor import OtherCode, Outcome, _checked
    from pipeline.catalog.tasks import code_fingerprint

    other = _checked(len, "abc", 7, "0" * 64)
    assert isinstance(other, OtherCode) and "other svcdesc sources" in other.message()
    same = _checked(len, "abc", 7, code_fingerprint())
    assert same == Outcome(7, result=3)


def test_ray_address_needs_the_ray_executor(tmp_path):
    from pipeline.catalog.pipeline import BuildOptions, build
    from pipeline.errors import UsageError

    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus" / "nordlys-support", corpus / "nordlys-support")
    with pytest.raises(UsageError, match="--ray-address is for --executor ray"):
        build(BuildOptions(corpus=corpus, out=tmp_path / "out", ray_address="127.0.0.1:1"))
