"""Run per-document tasks: in this process, in ``--jobs N`` worker processes, or on a Ray cluster.

Every task is a plain picklable function of a frozen dataclass returning a dataclass, so the same
code runs under each executor and the outputs cannot depend on which one ran it. Results come back
in submission order whatever the completion order.

Time limits: each task arms a wall-clock alarm (``Limits.timeout_s``) in the process that runs it,
raising :class:`~pipeline.errors.Timeout`; if a worker is stuck in C code and ignores the alarm,
the parent kills the worker pool after a grace period and reports the document as timed out.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import heapq
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import timeouts
from pipeline.errors import Timeout

HARD_KILL_GRACE_S = 20.0


def deadline(seconds: float | None, what: str) -> contextlib.AbstractContextManager[None]:
    """Raise Timeout in the current (main) thread after ``seconds`` of wall-clock time."""
    return timeouts.deadline(seconds, lambda: Timeout(what, f"took longer than {seconds:g} s (--timeout)"))


@dataclass(frozen=True)
class Outcome:
    """What an executor hands back for one task: the task's result, or one error line."""

    index: int
    result: Any = None
    error_code: str | None = None
    error: str | None = None


def _call(fn: Callable, item: Any) -> Any:
    return fn(item)


#: A pool's workers are replaced after this many tasks, between two tasks (nothing in flight). A worker's
#: caches are trimmed after each task (``caches.trim``), but its memory still grows with the number of
#: tasks it ran (allocator fragmentation); replaced, the workers of a 2,000-edition build hold what
#: those of a 100-edition build hold. A replacement costs a fresh import (about a second per worker).
RECYCLE_AFTER = 400


def _worker_init() -> None:
    # Workers ignore Ctrl-C: the parent decides; they die with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalExecutor:
    """In this process (jobs <= 1) or in one process pool kept for the whole build.

    Keeping the pool between phases means each worker imports the tool and loads spaCy once.
    :meth:`stream` keeps at most ``jobs + 1`` tasks in the pool and the rest in a priority heap, so
    the largest waiting task always goes next and tasks added while others run (a document's
    comparisons once its editions are described) start without waiting for unrelated work.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: cf.ProcessPoolExecutor | None = None
        self.ran = 0  # tasks given to the current pool

    def _pool(self) -> cf.ProcessPoolExecutor:
        if self.pool is None:
            ctx = multiprocessing.get_context("forkserver")
            self.pool = cf.ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=ctx, initializer=_worker_init
            )
        return self.pool

    def _discard(self) -> None:
        if self.pool is not None:
            _kill(self.pool)
            self.pool = None
        self.ran = 0

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None
        self.ran = 0

    def release(self) -> None:
        """Stop the idle workers once every task is done (the catalogs are written in this process):
        their memory is not held through the publish step. A later ``stream`` starts new ones."""
        self.close()

    def run(
        self,
        fn: Callable[[Any], Any],
        items: Sequence[Any],
        *,
        timeout_s: float | None,
        on_done: Callable[[Outcome], None] | None = None,
    ) -> list[Outcome]:
        """``fn`` over ``items`` (no priorities, no follow-up tasks); outcomes in item order."""
        return run_plain(self, fn, items, timeout_s=timeout_s, on_done=on_done)

    def stream(self, fn: Callable[[Any], Any], queue: TaskQueue, *, timeout_s: float | None) -> None:
        """Run every task of ``queue`` (which may grow while this runs) to an outcome."""
        if self.jobs <= 1:
            while (nxt := queue.pop()) is not None:
                tid, item = nxt
                queue.finish(tid, _guarded(fn, item, tid))  # tasks arm their own time limit
            return
        attempts: dict[int, int] = {}
        limit = (timeout_s + HARD_KILL_GRACE_S) if timeout_s else None
        futures: dict[cf.Future, tuple[int, Any]] = {}
        started: dict[cf.Future, float] = {}
        try:
            while True:
                if self.ran >= RECYCLE_AFTER and not futures:
                    self.close()  # the pool has run its share and is idle: the next task starts new workers
                while (
                    len(futures) <= self.jobs
                    and self.ran < RECYCLE_AFTER
                    and (nxt := queue.pop()) is not None
                ):
                    futures[self._pool().submit(_call, fn, nxt[1])] = nxt
                    self.ran += 1
                if not futures:
                    if self.ran >= RECYCLE_AFTER:
                        continue  # drained for the replacement, not done
                    return
                finished, _ = cf.wait(list(futures), timeout=1.0, return_when=cf.FIRST_COMPLETED)
                broken = False
                for fut in finished:
                    tid, item = futures.pop(fut)
                    started.pop(fut, None)
                    exc = fut.exception()
                    if isinstance(exc, cf.process.BrokenProcessPool):
                        broken = True
                        self._retry(queue, attempts, tid, item)
                    else:
                        queue.finish(
                            tid,
                            Outcome(tid, result=fut.result()) if exc is None else _error_outcome(tid, exc),
                        )
                now = time.monotonic()
                for fut in futures:
                    if fut.running():
                        started.setdefault(fut, now)
                stuck = [f for f in futures if limit and now - started.get(f, now) > limit]
                if broken or stuck:
                    for fut in stuck:
                        tid, item = futures.pop(fut)
                        queue.finish(tid, _timeout_outcome(tid, item, timeout_s))
                    for tid, item in list(futures.values()):  # innocent bystanders go again
                        if broken:
                            self._retry(queue, attempts, tid, item)
                        else:
                            queue.push_back(tid, item)
                    futures.clear()
                    started.clear()
                    self._discard()
        except BaseException:
            self._discard()
            raise

    @staticmethod
    def _retry(queue: TaskQueue, attempts: dict[int, int], tid: int, item: Any) -> None:
        """A worker died (or was killed): its task gets one more try in a fresh pool."""
        attempts[tid] = attempts.get(tid, 0) + 1
        if attempts[tid] > 1:
            queue.finish(tid, _died_outcome(tid, item))
        else:
            queue.push_back(tid, item)


class TaskQueue:
    """Tasks waiting to run, largest first; ``on_done`` may add follow-up tasks.

    Each task gets an id (its submission number); ``on_done(id, item, outcome)`` is called once per
    task, in the parent, in completion order. Outcomes carry the task id as ``index``.
    """

    def __init__(self, on_done: Callable[[int, Any, Outcome], None]) -> None:
        self._heap: list[tuple[float, int, Any]] = []
        self._items: dict[int, Any] = {}
        self._next = 0
        self._on_done = on_done
        self.pending = 0

    def add(self, item: Any, size: float = 0.0) -> int:
        tid = self._next
        self._next += 1
        self._items[tid] = item
        heapq.heappush(self._heap, (-size, tid, item))
        self.pending += 1
        return tid

    def push_back(self, tid: int, item: Any) -> None:
        heapq.heappush(self._heap, (float("-inf"), tid, item))  # a retried task goes first

    def pop(self) -> tuple[int, Any] | None:
        if not self._heap:
            return None
        _, tid, item = heapq.heappop(self._heap)
        return tid, item

    def finish(self, tid: int, outcome: Outcome) -> None:
        item = self._items.pop(tid, None)
        if item is None:
            return  # already reported (a timed-out task whose worker answered late)
        self.pending -= 1
        self._on_done(tid, item, Outcome(tid, outcome.result, outcome.error_code, outcome.error))


def run_plain(ex, fn, items: Sequence[Any], *, timeout_s, on_done=None) -> list[Outcome]:
    """``fn`` over ``items`` through ``ex.stream``; outcomes in item order, indices = positions."""
    outcomes: list[Outcome | None] = [None] * len(items)

    def done(tid: int, item: Any, o: Outcome) -> None:
        outcomes[tid] = o
        if on_done:
            on_done(o)

    queue = TaskQueue(done)
    for item in items:
        queue.add(item)
    ex.stream(fn, queue, timeout_s=timeout_s)
    return [o for o in outcomes if o is not None]


def _guarded(fn: Callable, item: Any, index: int) -> Outcome:
    try:
        return Outcome(index, result=fn(item))
    except Exception as exc:  # a task error is data: reported, the rest goes on
        return _error_outcome(index, exc)


def _error_outcome(index: int, exc: BaseException) -> Outcome:
    from pipeline.errors import SvcdescError

    if isinstance(exc, SvcdescError):
        return Outcome(index, error_code=exc.code, error=exc.message)
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return Outcome(index, error_code="E900", error=f"[E900] internal error: {type(exc).__name__}: {reason}")


def _died_outcome(index: int, item: Any) -> Outcome:
    """A task whose worker died twice (each executor tries it once more first)."""
    error = f"[E900] {_task_name(item)}: worker process died (crash or out of memory)"
    return Outcome(index, error_code="E900", error=error)


def _task_name(item: Any) -> str:
    return getattr(item, "rel", None) or getattr(item, "name", None) or "task"


def _timeout_outcome(index: int, item: Any, timeout_s: float) -> Outcome:
    """A task whose worker ignored its alarm and was killed by the parent."""
    error = Timeout(
        None, f"{_task_name(item)}: worker stuck for more than {timeout_s:g} s (--timeout); killed"
    )
    return Outcome(index, error_code=Timeout.code, error=error.message)


def _kill(pool: cf.ProcessPoolExecutor) -> None:
    for proc in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _ray():
    try:
        import ray
    except ImportError:
        from pipeline.errors import UsageError

        raise UsageError(
            None, "--executor ray needs the optional extra: pip install 'svcdesc[ray]'"
        ) from None
    return ray


class RayExecutor:
    """The same tasks as Ray remote functions, fed from the same :class:`TaskQueue`, largest first.

    Where: the cluster at ``address`` (``--ray-address``), else the one ``RAY_ADDRESS`` names, else a
    Ray instance started in this process with ``jobs`` CPUs (and shut down with the executor). On a
    cluster, as many tasks are in flight as it has CPUs (at least ``jobs``), plus one.

    Workers read and write the build's store by path: on a multi-node cluster it must be on a file
    system every node mounts (``--cache-dir``). They must also run this build's code: each task
    checks the worker's :func:`~pipeline.catalog.tasks.code_fingerprint` against the build's, and a
    worker with other sources stops the build (its outputs could differ from a local build's)."""

    def __init__(self, jobs: int, address: str | None = None) -> None:
        self.jobs = jobs
        self.address = address
        self.started = False  # this executor started the Ray instance: it stops it in close()
        self.slots = max(jobs, 1)

    def run(self, fn, items, *, timeout_s, on_done=None) -> list[Outcome]:
        return run_plain(self, fn, items, timeout_s=timeout_s, on_done=on_done)

    def _connect(self):
        ray = _ray()
        if ray.is_initialized():
            return ray
        address = self.address or os.environ.get("RAY_ADDRESS") or None
        if address:
            try:  # a running cluster: its resources are its own (num_cpus may not be given)
                _listening(address)
                env = _worker_env()  # the cluster's workers were started with the cluster's environment
                ray.init(address=address, log_to_driver=False, runtime_env={"env_vars": env} if env else None)
            except (OSError, ValueError, RuntimeError) as exc:
                from pipeline.errors import UsageError

                reason = " ".join(str(exc).split())[:300] or type(exc).__name__
                raise UsageError(None, f"cannot join the Ray cluster at {address}: {reason}") from None
            cpus = int(ray.cluster_resources().get("CPU", 0))
            self.slots = max(self.jobs, cpus, 1)
        else:
            ray.init(num_cpus=max(self.jobs, 1), include_dashboard=False, log_to_driver=False)
        self.started = True
        return ray

    def stream(self, fn: Callable[[Any], Any], queue: TaskQueue, *, timeout_s: float | None) -> None:
        from pipeline.catalog.tasks import code_fingerprint

        if not queue.pending:  # all cached: no cluster to join (joining costs seconds)
            return
        ray = self._connect()
        # a task whose worker dies is tried once more, as in the local pool; task errors are outcomes
        remote = ray.remote(max_retries=1)(_checked)
        died = (
            ray.exceptions.WorkerCrashedError,
            ray.exceptions.OutOfMemoryError,
            ray.exceptions.NodeDiedError,
        )
        expected = code_fingerprint()
        limit = (timeout_s + HARD_KILL_GRACE_S) if timeout_s else None
        refs: dict[Any, tuple[int, Any, float]] = {}
        try:
            while True:
                while len(refs) <= self.slots and (nxt := queue.pop()) is not None:
                    tid, item = nxt
                    refs[remote.remote(fn, item, tid, expected)] = (tid, item, time.monotonic())
                if not refs:
                    return
                ready, _ = ray.wait(list(refs), num_returns=1, timeout=1.0)
                for ref in ready:
                    tid, item, _ = refs.pop(ref)
                    try:
                        outcome = ray.get(ref)
                    except died:  # reported as the local pool reports it: the same outputs
                        outcome = _died_outcome(tid, item)
                    except Exception as exc:
                        outcome = _error_outcome(tid, exc)
                    if isinstance(outcome, OtherCode):
                        from pipeline.errors import UsageError

                        raise UsageError(None, outcome.message())
                    queue.finish(tid, outcome)
                now = time.monotonic()
                for ref, (tid, item, began) in list(refs.items()):
                    if limit and now - began > limit:
                        ray.cancel(ref, force=True)
                        refs.pop(ref)
                        queue.finish(tid, _timeout_outcome(tid, item, timeout_s))
        except BaseException:
            for ref in refs:
                with contextlib.suppress(Exception):
                    ray.cancel(ref, force=True)
            raise

    def close(self) -> None:
        if self.started:
            self.started = False
            with contextlib.suppress(Exception):
                _ray().shutdown()

    def release(self) -> None:
        """Nothing to release: the cluster's workers are not this build's processes."""


def _worker_env() -> dict[str, str]:
    """What a worker of a running cluster must see of this process's environment to give the same
    outputs: the user's lexicon extensions (by absolute path, for the workers' own working folder)."""
    extra = os.environ.get("SVCDESC_LEXICON_PATH", "")
    paths = [str(Path(p).resolve()) for p in extra.split(os.pathsep) if p]
    return {"SVCDESC_LEXICON_PATH": os.pathsep.join(paths)} if paths else {}


def _listening(address: str, wait_s: float = 10.0) -> None:
    """Fail fast (OSError) when nothing listens at a ``HOST:PORT`` address: ``ray.init`` would
    retry for minutes. Other forms (``auto``, ``ray://…``) are left to Ray."""
    import socket

    host, _, port = address.rpartition(":")
    if host and port.isdigit():
        with socket.create_connection((host.strip("[]"), int(port)), timeout=wait_s):
            pass


@dataclass(frozen=True)
class OtherCode:
    """A Ray worker whose svcdesc sources are not the build's (another checkout or version)."""

    where: str
    fingerprint: str
    expected: str

    def message(self) -> str:
        return (
            f"a Ray worker ({self.where}) runs other svcdesc sources than this build "
            f"(code fingerprint {self.fingerprint[:12]}, build {self.expected[:12]}); start the cluster "
            "with this svcdesc installed or first on PYTHONPATH"
        )


def _checked(fn: Callable, item: Any, index: int, expected: str) -> Outcome | OtherCode:
    """A task on a Ray worker, run only if the worker's code is the build's."""
    import socket

    from pipeline.catalog.tasks import code_fingerprint

    mine = code_fingerprint()
    if mine != expected:
        import pipeline

        return OtherCode(f"{socket.gethostname()}: {Path(pipeline.__file__).parent}", mine, expected)
    return _guarded(fn, item, index)


EXECUTORS = {"local": LocalExecutor, "ray": RayExecutor}
