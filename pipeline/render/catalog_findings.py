"""One neutral record per finding of a build, shared by the JUnit and SARIF renderers."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, order=True)
class FindingRecord:
    suite: str  # "nordlys-support/2025-03-01/en" or "nordlys-support/2025-03-01/parity en-fr"
    origin: str  # normalize | validate | parity
    seq: int
    code: str
    severity: str  # error | warning | info
    message: str
    path: str | None = None  # input file, relative to the corpus
    line: int | None = None
    page: int | None = None
    subject: str | None = None  # offer or segment id
