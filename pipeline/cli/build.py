"""``svcdesc build CORPUS --out OUT``: catalogs, reports and the comparison site for a whole corpus."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.cli.common import add_glossary, add_limits, limits_from

FORMATS = "json,xml,sqlite,site,junit,sarif"
FAIL_ON = ["error", "warning", "info", "breaking", "major", "minor", "never"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build catalogs (JSON, XML, SQLite), diff and parity reports and a comparison site from a corpus",
        description=(
            "Corpus layout: <document>/<YYYY-MM-DD>/<lang>.(pdf|md|txt), loose <name>[-<date>][.<lang>].<ext> "
            "files, or a corpus.yaml/corpus.toml manifest; CORPUS/glossary.tbx applies to every document. "
            "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 a document or the input failed "
            "(the rest is still built), 3 internal error."
        ),
    )
    p.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    p.add_argument("--out", required=True, metavar="OUT", help="output folder (replaced whole, atomically)")
    p.add_argument(
        "-j", "--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)), help="worker processes"
    )
    p.add_argument(
        "--executor",
        choices=["local", "ray"],
        help="local processes (default) or Ray (default with --ray-address)",
    )
    p.add_argument(
        "--ray-address",
        metavar="HOST:PORT",
        help="with --executor ray: the running Ray cluster to use (default: RAY_ADDRESS, else a Ray "
        "instance started for the build); its nodes must share --cache-dir and run this svcdesc",
    )
    p.add_argument(
        "--fail-on", choices=FAIL_ON, default="error", help="exit 1 on findings/changes at or above this"
    )
    p.add_argument("--formats", default=FORMATS, help=f"outputs to write (default {FORMATS})")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not fill the content-hash cache")
    p.add_argument(
        "--allow-garbled",
        action="store_true",
        help="a PDF with unreadable pages (W104) is built from its sound pages, not counted as failed",
    )
    p.add_argument(
        "--progress", choices=["auto", "bar", "plain", "none"], default="auto", help="progress display"
    )
    add_glossary(p)
    add_limits(p)
    p.set_defaults(func=run)


class PlainReporter:
    """One line per event on stderr: what CI logs want. Phases overlap (a document's comparisons
    start as soon as its editions are described), so each line names its phase and its count."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.total: dict[str, int] = {}
        self.done: dict[str, int] = {}

    def phase(self, name: str, total: int) -> None:
        first = name not in self.total
        self.total[name] = self.total.get(name, 0) + total
        self.done.setdefault(name, 0)
        if first and total:
            print(f"svcdesc: {name}: {total} tasks", file=self.stream, flush=True)

    def step(self, phase: str, label: str, ok: bool, cached: bool) -> None:
        self.done[phase] = self.done.get(phase, 0) + 1
        state = "cached" if cached else ("ok" if ok else "FAILED")
        total = max(self.total.get(phase, 0), self.done[phase])
        print(f"svcdesc: {phase} [{self.done[phase]}/{total}] {label} {state}", file=self.stream, flush=True)

    def note(self, line: str) -> None:
        print(f"svcdesc: {line}", file=self.stream, flush=True)


class BarReporter:
    """Rich progress bars on a terminal, one per phase: done/total, rate, elapsed, ETA, last task.
    Notes are printed above the bars."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:5.2f}/s" if speed else "    –/s", style="progress.data.speed")

        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]{task.description:<9}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[last]}", style="dim"),
            console=self.console,
            transient=False,
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> BarReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def phase(self, name: str, total: int) -> None:
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(name, total=total, last="")
        else:
            task = self.tasks[name]
            current = self.progress.tasks[task].total or 0
            self.progress.update(task, total=current + total)

    def step(self, phase: str, label: str, ok: bool, cached: bool) -> None:
        if phase not in self.tasks:
            self.phase(phase, 0)
        last = label[-50:] if ok else f"[red]{label[-44:]} failed"
        self.progress.update(self.tasks[phase], advance=1, last=last)

    def note(self, line: str) -> None:
        self.progress.console.print(f"svcdesc: {line}", markup=False, highlight=False)


class NotesReporter:
    """``--progress none``: no progress, but every note still printed — a failed input, an unknown
    file, a damaged page must name its file on stderr whatever the progress display."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream

    def phase(self, name: str, total: int) -> None:
        pass

    def step(self, phase: str, label: str, ok: bool, cached: bool) -> None:
        pass

    def note(self, line: str) -> None:
        print(f"svcdesc: {line}", file=self.stream, flush=True)


def _reporter(mode: str):
    if mode == "none":
        return NotesReporter()
    if mode == "bar" or (mode == "auto" and sys.stderr.isatty()):
        return BarReporter()
    return PlainReporter()


def run(args: argparse.Namespace) -> int:
    from pipeline.catalog.pipeline import BuildOptions, build
    from pipeline.errors import UsageError

    if args.jobs < 1:
        raise UsageError(None, "--jobs must be at least 1")
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    opts = BuildOptions(
        corpus=Path(args.corpus),
        out=Path(args.out),
        jobs=args.jobs,
        executor=args.executor or ("ray" if args.ray_address else "local"),
        ray_address=args.ray_address,
        formats=formats,
        cache_dir=Path(args.cache_dir) if args.cache_dir else None,
        use_cache=not args.no_cache,
        glossary=Path(args.glossary) if args.glossary else None,
        limits=limits_from(args),
        fail_on=args.fail_on,
        allow_garbled=args.allow_garbled,
    )
    reporter = _reporter(args.progress)
    if isinstance(reporter, BarReporter):
        with reporter:
            report = build(opts, reporter)
    else:
        report = build(opts, reporter)
    print(report.summary(site="site" in formats), flush=True)
    published = (
        "nothing changed, OUT left as it was"
        if report.unchanged
        else f"{report.files_written} files written, {report.files_reused} unchanged files kept"
    )
    if report.phase_seconds:
        published += " (" + ", ".join(f"{k} {v:.2f} s" for k, v in report.phase_seconds.items()) + ")"
    print(
        f"svcdesc: {report.described} files described ({report.cached} from cache), "
        f"{report.pairs} comparisons ({report.pairs_cached} from cache), {published}, in {report.seconds:.2f} s",
        file=sys.stderr,
    )
    return report.exit_code(args.fail_on)
