"""Test hook: a named step made to block on purpose, so limit and interruption tests never guess speed.

With ``SVCDESC_TEST_STALL=<point>:<marker file>`` in the environment, :func:`stall` at that point
writes the marker file (the test then knows the process is there) and blocks until a signal ends
the process or interrupts the wait (the ``--timeout`` alarm, Ctrl-C, SIGKILL). Without the variable
it is one environment look-up. Points: ``extract`` (inside the per-document deadline),
``build.write`` (every task run, nothing published in the temporary tree yet), ``build.catalog`` (the
first document appended to the catalog files, which are open and half written), ``build.site``
(the first document page written, the index not yet), ``build.commit`` (the temporary tree
complete, OUT not yet replaced).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV = "SVCDESC_TEST_STALL"


def stall(point: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    name, _, marker = spec.partition(":")
    if name != point:
        return
    if marker:
        Path(marker).write_text(f"{os.getpid()}\n", encoding="utf-8")
    while True:  # sleep() returns to Python between signals, so an alarm's exception is raised here
        time.sleep(0.05)
