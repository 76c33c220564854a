"""Wall-clock time limits by SIGALRM, shared by extract, build and the fuzz harness.

Imports no stage: the caller says what to raise when the time is up (a typed ``Timeout`` for a
document, the fuzz harness's ``Hang``).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def alarm(seconds: float, expired: Callable[[], BaseException]) -> Iterator[None]:
    """Raise ``expired()`` in the main thread after ``seconds``; the previous handler and a
    disarmed timer are restored on exit."""

    def on_alarm(signum, frame):  # noqa: ARG001
        raise expired()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def deadline(
    seconds: float | None, expired: Callable[[], BaseException], *, defer_to_armed: bool = False
) -> Iterator[None]:
    """:func:`alarm` where one can be armed: no limit for a missing or non-positive ``seconds``
    or outside the main thread (signals reach only it); with ``defer_to_armed``, an alarm already
    armed by an outer caller (build around extract) wins."""
    if (
        not seconds
        or seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or (defer_to_armed and signal.getitimer(signal.ITIMER_REAL)[0] > 0)
    ):
        yield
        return
    with alarm(seconds, expired):
        yield
