"""``svcdesc build``: corpus folder -> catalogs, reports and the comparison site, atomically.

Phases: discover the corpus; run the plan (:mod:`pipeline.catalog.plan`: describe every file, then
each document's diffs and FR/EN parity, cached, in parallel, largest first; results go to the store
as they are produced); then publish (:mod:`pipeline.catalog.assemble`): catalogs streamed from the
store one document at a time, files whose recipe did not change linked from the previous OUT, and
OUT left untouched when nothing changed; swap OUT in.
Everything is sorted and free of wall-clock time, so two builds of the same input are byte-identical,
and an incremental build publishes the same bytes as a cold one.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipeline.catalog import workspace
from pipeline.catalog.assemble import Assembly, count_severities
from pipeline.catalog.catalog_model import BuildProblem
from pipeline.catalog.corpus import discover
from pipeline.catalog.executor import EXECUTORS, LocalExecutor, RayExecutor
from pipeline.catalog.plan import Plan
from pipeline.catalog.publish import Publisher
from pipeline.catalog.store import CorruptBlob, sweep_blobs
from pipeline.errors import UsageError
from pipeline.limits import Limits
from pipeline.testhooks import stall

ALL_FORMATS = ("json", "xml", "sqlite", "site", "junit", "sarif")
FINDING_LEVELS = ("error", "warning", "info")
CHANGE_LEVELS = ("breaking", "major", "minor", "cosmetic")
FAIL_ON = (*FINDING_LEVELS, *CHANGE_LEVELS[:3], "never")


class Reporter(Protocol):
    def phase(self, name: str, total: int) -> None:
        """Add ``total`` tasks to phase ``name`` (phases overlap: comparisons join as documents finish)."""

    def step(self, phase: str, label: str, ok: bool, cached: bool) -> None: ...
    def note(self, line: str) -> None: ...


class QuietReporter:
    def phase(self, name: str, total: int) -> None:
        pass

    def step(self, phase: str, label: str, ok: bool, cached: bool) -> None:
        pass

    def note(self, line: str) -> None:
        pass


@dataclass
class BuildOptions:
    corpus: Path
    out: Path
    jobs: int = 1
    executor: str = "local"
    ray_address: str | None = (
        None  # with executor "ray": the cluster to join (default: RAY_ADDRESS, else a local one)
    )
    formats: tuple[str, ...] = ALL_FORMATS
    cache_dir: Path | None = None  # default: OUT/../.svcdesc-cache
    use_cache: bool = True
    glossary: Path | None = None  # default: CORPUS/glossary.tbx when present
    limits: Limits = field(default_factory=Limits)
    fail_on: str = "error"
    allow_garbled: bool = False  # a PDF with unreadable pages (W104) is not counted as failed


@dataclass
class BuildReport:
    out: Path
    n_documents: int = 0
    n_editions: int = 0
    problems: list[BuildProblem] = field(default_factory=list)
    findings: Counter = field(default_factory=Counter)  # severity -> count (all findings)
    changes: Counter = field(default_factory=Counter)  # severity -> count (all diffs)
    described: int = 0
    cached: int = 0
    pairs_cached: int = 0
    pairs: int = 0
    seconds: float = 0.0
    unchanged: bool = False  # nothing to publish: OUT was left as it was
    files_written: int = 0
    files_reused: int = 0
    phase_seconds: dict[str, float] = field(default_factory=dict)  # run (describe + compare), publish

    def reaches(self, fail_on: str) -> bool:
        if fail_on in FINDING_LEVELS:
            limit = FINDING_LEVELS.index(fail_on)
            return any(self.findings[s] for s in FINDING_LEVELS[: limit + 1])
        if fail_on in CHANGE_LEVELS:
            limit = CHANGE_LEVELS.index(fail_on)
            return any(self.changes[s] for s in CHANGE_LEVELS[: limit + 1])
        return False

    def exit_code(self, fail_on: str) -> int:
        if self.problems:
            return 2
        return 1 if self.reaches(fail_on) else 0

    def summary(self, site: bool = True) -> str:
        findings = ", ".join(f"{self.findings[s]} {s}" for s in FINDING_LEVELS)
        changes = ", ".join(f"{self.changes[s]} {s}" for s in CHANGE_LEVELS)
        line = (
            f"built {self.n_editions} editions of {self.n_documents} documents, {len(self.problems)} failed inputs, "
            f"{sum(self.findings.values())} findings ({findings}), {sum(self.changes.values())} changes ({changes})"
        )
        if site:
            line += f"; site: {self.out / 'index.html'}"
        return line


def source_date() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.strip().isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()


def build(opts: BuildOptions, reporter: Reporter | None = None) -> BuildReport:
    """Run a whole build; OUT is replaced only when it completes (and only if something changed)."""
    reporter = reporter or QuietReporter()
    began = time.monotonic()
    unknown = set(opts.formats) - set(ALL_FORMATS)
    if unknown:
        raise UsageError(None, f"unknown --formats {sorted(unknown)}; choose from {','.join(ALL_FORMATS)}")
    if opts.executor not in EXECUTORS:
        raise UsageError(None, f"unknown --executor {opts.executor!r}; choose local or ray")
    if opts.ray_address and opts.executor != "ray":
        raise UsageError(None, "--ray-address is for --executor ray")
    if opts.fail_on not in FAIL_ON:
        raise UsageError(None, f"unknown --fail-on {opts.fail_on!r}; choose from {'|'.join(FAIL_ON)}")
    corpus = discover(opts.corpus)
    out = Path(opts.out)
    cache_dir = (
        (Path(opts.cache_dir) if opts.cache_dir else out.parent / ".svcdesc-cache")
        if opts.use_cache
        else None
    )
    workspace.check_out(out, corpus.root, cache_dir)
    # absolute: workers (a Ray worker's cwd is its own) open it by path
    glossary = Path(opts.glossary).resolve() if opts.glossary else corpus.glossary
    if glossary is not None and not glossary.is_file():
        from pipeline.errors import InputNotFound

        raise InputNotFound(glossary, "glossary not found (--glossary)")
    for rel in corpus.unknown:
        reporter.note(f"unknown file (fits no corpus layout, not built): {rel}")
    problems = [BuildProblem(path=e.path or "", code=e.code, message=e.message) for e in corpus.problems]
    for p in problems:
        reporter.note(p.message)  # "[E3xx] file: reason": code first, the file named

    tmp = workspace.start(out)
    # absolute: workers (a Ray worker works in its own folder) read and write it by path
    store_root = (
        cache_dir.resolve() if cache_dir else (tmp / ".svcdesc-store").resolve()
    )  # scratch: never published
    ex = RayExecutor(opts.jobs, opts.ray_address) if opts.executor == "ray" else LocalExecutor(opts.jobs)
    try:
        try:
            report = _build_into(tmp, out, store_root, opts, ex, corpus, glossary, list(problems), reporter)
        except CorruptBlob as exc:
            # A stored result changed on disk after it was checked (its bytes no longer hash to its
            # name): it is removed; a second pass recomputes the tasks that made it.
            removed = sweep_blobs(store_root)
            reporter.note(
                f"stored result {exc} is corrupt: {removed} corrupt stored results removed and recomputed"
            )
            workspace.abandon(tmp)
            tmp = workspace.start(out)
            store_root = cache_dir.resolve() if cache_dir else (tmp / ".svcdesc-store").resolve()
            report = _build_into(tmp, out, store_root, opts, ex, corpus, glossary, list(problems), reporter)
        ex.close()
        if cache_dir is None:
            shutil.rmtree(store_root, ignore_errors=True)
        if report.unchanged:
            workspace.abandon(tmp)
        else:
            os.sync()  # files in tmp are written without fsync each: one sync before the swap
            stall("build.commit")
            workspace.commit(tmp, out)
    except BaseException:
        ex.close()
        workspace.abandon(tmp)
        raise
    report.out = out
    report.seconds = time.monotonic() - began
    return report


def _build_into(tmp, out, store_root, opts, ex, corpus, glossary, problems, reporter) -> BuildReport:
    began = time.monotonic()
    plan = Plan(opts, corpus, glossary, store_root, problems, reporter)
    plan.run(ex)
    ex.release()  # every task is done: the workers' memory is not held while the catalogs are written
    ran = time.monotonic()
    asm = Assembly(plan, set(opts.formats), source_date(), problems, corpus.unknown)
    report = BuildReport(
        out=out,
        n_documents=len({d for d, _, _ in plan.editions}),
        n_editions=len({(d, e) for d, e, _ in plan.editions}),
        problems=asm.problems,
        described=plan.described,
        cached=plan.cached,
        pairs_cached=plan.pairs_cached,
        pairs=sum(1 for p in plan.pairs if p.result is not None),
    )
    report.findings, report.changes = count_severities(plan)
    pub = Publisher(tmp, out, str(store_root))
    if pub.same_as_before(asm.recipes()):
        report.unchanged = True
        reporter.note(f"nothing changed since the last build: {out} left as it is")
        return report
    stall("build.write")
    asm.write(pub, reporter)
    pub.finish()
    report.files_written, report.files_reused = pub.written, pub.reused
    report.phase_seconds = {"run": round(ran - began, 2), "publish": round(time.monotonic() - ran, 2)}
    return report
