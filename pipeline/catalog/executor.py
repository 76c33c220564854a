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
import multiprocessing
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


def _worker_init() -> None:
    # Workers ignore Ctrl-C: the parent decides; they die with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalExecutor:
    """In this process (jobs <= 1) or in one process pool kept for the whole build.

    Keeping the pool between phases means each worker imports the tool and loads spaCy once.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: cf.ProcessPoolExecutor | None = None

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

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    def run(
        self,
        fn: Callable[[Any], Any],
        items: Sequence[Any],
        *,
        timeout_s: float | None,
        on_done: Callable[[Outcome], None] | None = None,
    ) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(items)

        def done(o: Outcome) -> None:
            outcomes[o.index] = o
            if on_done:
                on_done(o)

        if self.jobs <= 1 or len(items) <= 1 and self.pool is None:
            for i, item in enumerate(items):  # tasks arm their own time limit (see tasks.py)
                done(_guarded(fn, item, i))
            return [o for o in outcomes if o is not None]
        pending = list(range(len(items)))
        attempts: dict[int, int] = {}
        while pending:
            retry = self._round(fn, items, pending, timeout_s, done)
            pending = []
            for i in retry:  # a worker died (or was killed): its tasks get one more try in a fresh pool
                attempts[i] = attempts.get(i, 0) + 1
                if attempts[i] > 1:
                    error = f"[E900] {_task_name(items[i])}: worker process died (crash or out of memory)"
                    done(Outcome(i, error_code="E900", error=error))
                else:
                    pending.append(i)
        return [o for o in outcomes if o is not None]

    def _round(self, fn, items, pending: list[int], timeout_s, done) -> list[int]:
        """Run ``pending`` in the pool; return the indices to retry when the pool had to be killed."""
        pool = self._pool()
        futures = {pool.submit(_call, fn, items[i]): i for i in pending}
        started: dict[cf.Future, float] = {}
        remaining = set(futures)
        try:
            while remaining:
                finished, remaining = cf.wait(remaining, timeout=1.0, return_when=cf.FIRST_COMPLETED)
                broken: list[int] = []
                for fut in finished:
                    i = futures[fut]
                    exc = fut.exception()
                    if isinstance(exc, cf.process.BrokenProcessPool):
                        broken.append(i)
                    else:
                        done(Outcome(i, result=fut.result()) if exc is None else _error_outcome(i, exc))
                if broken:
                    self._discard()
                    return sorted([*broken, *(futures[f] for f in remaining)])
                now = time.monotonic()
                for fut in remaining:
                    if fut.running():
                        started.setdefault(fut, now)
                limit = (timeout_s + HARD_KILL_GRACE_S) if timeout_s else None
                stuck = [f for f in remaining if limit and now - started.get(f, now) > limit]
                if stuck:
                    for fut in stuck:
                        i = futures[fut]
                        done(_timeout_outcome(i, items[i], timeout_s))
                    self._discard()
                    return sorted(futures[f] for f in remaining if f not in stuck)
        except BaseException:
            self._discard()
            raise
        return []


def run_local(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    jobs: int,
    timeout_s: float | None,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """``fn`` over ``items`` with a pool of its own (see :class:`LocalExecutor`)."""
    ex = LocalExecutor(jobs)
    try:
        return ex.run(fn, items, timeout_s=timeout_s, on_done=on_done)
    finally:
        ex.close()


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


def run_ray(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    jobs: int,
    timeout_s: float | None,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """The same tasks as Ray remote functions (a running cluster via RAY_ADDRESS, else a local one)."""
    try:
        import ray
    except ImportError:
        from pipeline.errors import UsageError

        raise UsageError(
            None, "--executor ray needs the optional extra: pip install 'svcdesc[ray]'"
        ) from None
    if not ray.is_initialized():
        ray.init(
            num_cpus=max(jobs, 1), include_dashboard=False, ignore_reinit_error=True, log_to_driver=False
        )
    remote = ray.remote(max_retries=0)(_guarded)
    refs = {remote.remote(fn, item, i): i for i, item in enumerate(items)}
    outcomes: list[Outcome | None] = [None] * len(items)
    waiting = list(refs)
    limit = (timeout_s + HARD_KILL_GRACE_S) if timeout_s else None
    began = time.monotonic()
    while waiting:
        ready, waiting = ray.wait(waiting, num_returns=1, timeout=1.0)
        for ref in ready:
            try:
                outcome = ray.get(ref)
            except Exception as exc:  # a worker crash: reported like any task error
                outcome = _error_outcome(refs[ref], exc)
            outcomes[outcome.index] = outcome
            if on_done:
                on_done(outcome)
        if limit and waiting and time.monotonic() - began > limit * max(1, len(items) / max(jobs, 1)):
            for ref in waiting:
                ray.cancel(ref, force=True)
                i = refs[ref]
                outcomes[i] = _timeout_outcome(i, items[i], timeout_s)
                if on_done:
                    on_done(outcomes[i])
            break
    return [o for o in outcomes if o is not None]


class RayExecutor:
    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def run(self, fn, items, *, timeout_s, on_done=None) -> list[Outcome]:
        return run_ray(fn, items, jobs=self.jobs, timeout_s=timeout_s, on_done=on_done)

    def close(self) -> None:
        pass


EXECUTORS = {"local": LocalExecutor, "ray": RayExecutor}
