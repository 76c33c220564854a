"""``--executor ray``: the same per-document tasks on Ray give the same outputs as local processes.

A one-node Ray cluster is started for the module (``ray start --head --block``, 2 CPUs, free ports,
its own temp folder and authentication token, this tree first on its workers' PYTHONPATH) and the
build joins it with ``--ray-address``; the SIGKILL test lets the build start its own Ray instance.
Skips when ray is not installed (the optional extra ``svcdesc[ray]``), except in CI where that is a
failure.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import CLI, tree_digest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _need_ray() -> None:
    try:
        import ray  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI is set but ray is not installed (pip install -e '.[ray]')")
        pytest.skip("ray not installed (optional extra: pip install 'svcdesc[ray]')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(address, environment) of a running one-node Ray cluster, stopped by its pid afterwards."""
    _need_ray()
    work = tmp_path_factory.mktemp("ray")
    port = _free_port()
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
        RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32), RAY_USAGE_STATS_ENABLED="0",
    )  # fmt: skip
    log = work / "head.log"
    cmd = [str(Path(sys.executable).with_name("ray")), "start", "--head", "--block", f"--port={port}",
           "--node-ip-address=127.0.0.1", "--num-cpus=2", "--num-gpus=0", "--object-store-memory=80000000",
           "--include-dashboard=false", f"--dashboard-port={_free_port()}", "--disable-usage-stats",
           f"--dashboard-agent-listen-port={_free_port()}", f"--temp-dir={work}"]  # fmt: skip
    with open(log, "wb") as fh:
        head = subprocess.Popen(cmd, stdout=fh, stderr=fh, env=env, cwd=work, start_new_session=True)
    try:
        hang_guard = time.monotonic() + 300  # not a speed bound: only stops a broken start hanging the suite
        while b"Ray runtime started" not in log.read_bytes():
            assert head.poll() is None and time.monotonic() < hang_guard, log.read_text()[-3000:]
            time.sleep(0.5)
        yield f"127.0.0.1:{port}", env
    finally:
        head.send_signal(signal.SIGTERM)  # `ray start --block` drains and stops what it started
        try:
            head.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
            head.wait()


def test_ray_cluster_build_matches_local_build(cluster, tmp_path):
    """Joined with --ray-address, the build publishes the local executor's bytes. What the build
    process was given reaches the cluster's workers, whose working folder and environment are the
    cluster's: a relative --glossary, OUT and --no-cache store, and SVCDESC_LEXICON_PATH (set for the
    build only; a document here reads its durations only with that extension)."""
    from test_build_streaming import lexicon_corpus

    address, env = cluster
    corpus = lexicon_corpus(tmp_path)
    shutil.copytree(REPO / "corpus" / "nordlys-support", corpus / "nordlys-support")
    shutil.copy(REPO / "corpus" / "glossary.tbx", tmp_path / "terms.tbx")

    def build(out: str, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*CLI, "build", "corpus", "--out", out, "--jobs", "2", "--no-cache", "--glossary", "terms.tbx",
             "--fail-on", "never", "--progress", "none", *extra],
            capture_output=True, text=True, cwd=tmp_path, timeout=600,
            env=dict(env, SVCDESC_LEXICON_PATH="lex"),
        )  # fmt: skip

    local = build("local")
    assert local.returncode == 0, local.stderr[-2000:]
    remote = build("ray", "--ray-address", address)
    assert remote.returncode == 0, remote.stderr[-2000:]
    assert "5 files described (0 from cache), 4 comparisons (0 from cache)" in remote.stderr
    assert tree_digest(tmp_path / "ray") == tree_digest(tmp_path / "local")
    assert remote.stdout.replace("ray/", "local/") == local.stdout  # same findings and changes


def test_sigkill_of_a_ray_build_keeps_out_and_stops_its_workers(tmp_path):
    """A build on Ray killed (SIGKILL to the build process alone) while a Ray worker is inside a
    task: the previous OUT is untouched, the Ray instance the build started goes with it (the stuck
    worker too), and the next build recovers."""
    _need_ray()

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


def test_ray_executor_with_nothing_to_run_does_not_start_ray(monkeypatch):
    """A no-change rebuild has every task cached: joining or starting Ray (seconds) is skipped."""
    _need_ray()
    import ray

    from pipeline.catalog.executor import RayExecutor, TaskQueue

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert not ray.is_initialized()
    ex = RayExecutor(1)
    try:
        ex.stream(len, TaskQueue(lambda *_: None), timeout_s=None)
        assert not ray.is_initialized() and not ex.started
    finally:
        ex.close()


def test_unreachable_ray_cluster_is_a_usage_error():
    """Nothing listens at the address: E501 at once (ray.init itself would wait for minutes)."""
    _need_ray()
    from pipeline.catalog.executor import RayExecutor, TaskQueue
    from pipeline.errors import UsageError

    queue = TaskQueue(lambda *_: None)
    queue.add("task")
    with pytest.raises(UsageError, match="cannot join the Ray cluster at 127.0.0.1:1"):
        RayExecutor(1, f"127.0.0.1:{1}").stream(len, queue, timeout_s=None)


def test_a_dying_worker_is_reported_alike_by_both_executors(cluster):
    """A task that kills its worker (a crash, the OOM killer) is tried once more, then reported with
    the same line by the local pool and by Ray (the line is published in the catalogs)."""
    from pipeline.catalog.executor import LocalExecutor

    local = LocalExecutor(2)
    try:
        (expected,) = local.run(os._exit, [3], timeout_s=None)
    finally:
        local.close()
    assert expected.error_code == "E900" and "worker process died" in expected.error
    address, env = cluster
    probe = (
        "import os, sys; from pipeline.catalog.executor import RayExecutor; "
        "ex = RayExecutor(1, sys.argv[1]); (o,) = ex.run(os._exit, [3], timeout_s=None); ex.close(); "
        "print(repr((o.index, o.result, o.error_code, o.error)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, address], capture_output=True, text=True, env=env, timeout=600
    )
    assert run.returncode == 0, run.stderr[-2000:]
    got = run.stdout.strip().splitlines()[-1]
    assert got == repr((expected.index, expected.result, expected.error_code, expected.error))
