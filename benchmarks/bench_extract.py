"""PDF extraction speed: our extractor next to raw pdfplumber ``page.extract_text()``, same run.

Not a timed test. Runs both on every PDF of the shared corpus (vendor-pdf, ussd-fr, bilingual-pdf),
alternating the order per round so neither side profits from a warm page cache, and prints pages/s
for each, the ratio (ours / raw; the aim is <= 1.5) and the peak resident memory of the process.

    .venv/bin/python benchmarks/bench_extract.py [--corpus ../shared/corpus] [--rounds 3]

``--startup`` measures whole processes instead, as a user meets them: a fresh ``python`` that opens the
file with pdfplumber and extracts every page's text, next to a fresh ``svcdesc extract FILE`` (the full
description: offers, SLA, facts). It reports wall time and CPU time (user + system of the child; the
steadier figure on a shared machine) per file, medians over the rounds, and the ratios (aim <= 1.5):

    .venv/bin/python benchmarks/bench_extract.py --startup [--files A.pdf B.pdf] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pdfplumber

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.extract.pdf import extract_pdf  # noqa: E402
from pipeline.limits import DEFAULT_LIMITS  # noqa: E402

FOLDERS = ("vendor-pdf", "ussd-fr", "bilingual-pdf")


def corpus_pdfs(corpus: Path) -> list[Path]:
    return [p for folder in FOLDERS for p in sorted((corpus / folder).rglob("*.pdf"))]


def raw_extract_text(paths: list[Path]) -> int:
    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages


def ours(paths: list[Path]) -> int:
    return sum(extract_pdf(path, DEFAULT_LIMITS).meta.page_count or 0 for path in paths)


def timed(fn, paths: list[Path]) -> tuple[float, int]:  # noqa: ANN001
    t0 = time.perf_counter()
    pages = fn(paths)
    return time.perf_counter() - t0, pages


def peak_traced(fn, paths: list[Path]) -> int:  # noqa: ANN001
    """Peak Python heap (bytes) while running ``fn`` once on the largest file."""
    tracemalloc.start()
    fn(paths)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


RAW_SCRIPT = """import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
"""
STARTUP_FILES = ("vendor-pdf", "ussd-fr")


def run_process(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one child process run to the end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # cwd=REPO: ``python -m pipeline`` puts the working directory first on sys.path, before PYTHONPATH
    env = dict(os.environ, PYTHONPATH=str(REPO))
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=REPO)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def startup(paths: list[Path], rounds: int) -> int:
    """Fresh-process raw pdfplumber vs fresh-process ``svcdesc extract``, per file."""
    worst = 0.0
    for path in paths:
        raw = [sys.executable, "-c", RAW_SCRIPT, str(path)]
        ours_cmd = [sys.executable, "-m", "pipeline", "extract", str(path), "-o", os.devnull]
        results: dict[str, list[tuple[float, float]]] = {"raw": [], "ours": []}
        for r in range(rounds):
            order = [("raw", raw), ("ours", ours_cmd)]
            if r % 2:
                order.reverse()
            for name, cmd in order:
                results[name].append(run_process(cmd))
        (rw, rc), (ow, oc) = (
            tuple(statistics.median(x[i] for x in results[k]) for i in (0, 1)) for k in ("raw", "ours")
        )
        worst = max(worst, oc / rc)
        print(
            f"{path.name}: raw {rw:.2f} s wall / {rc:.2f} s cpu;  svcdesc extract {ow:.2f} s wall / "
            f"{oc:.2f} s cpu;  ratio wall {ow / rw:.2f}, cpu {oc / rc:.2f}  (aim <= 1.50)"
        )
    print(f"worst cpu ratio: {worst:.2f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    default = Path(os.environ.get("SVCDESC_SHARED", REPO.parent / "shared")) / "corpus"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=default)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--startup", action="store_true", help="whole fresh processes, per file")
    ap.add_argument(
        "--files", type=Path, nargs="*", help="--startup: these PDFs (default: vendor-pdf, ussd-fr)"
    )
    args = ap.parse_args(argv)
    if args.startup:
        files = args.files or [p for f in STARTUP_FILES for p in sorted((args.corpus / f).glob("*.pdf"))]
        if not files:
            print(f"no PDFs under {args.corpus}", file=sys.stderr)
            return 2
        return startup(files, args.rounds)
    paths = corpus_pdfs(args.corpus)
    if not paths:
        print(f"no PDFs under {args.corpus}", file=sys.stderr)
        return 2
    raw_times, our_times, pages = [], [], 0
    for r in range(args.rounds):
        order = [(raw_extract_text, raw_times), (ours, our_times)]
        if r % 2:
            order.reverse()
        for fn, sink in order:
            secs, pages = timed(fn, paths)
            sink.append(secs)
    raw_t, our_t = statistics.median(raw_times), statistics.median(our_times)
    largest = [max(paths, key=lambda p: p.stat().st_size)]
    raw_peak, our_peak = peak_traced(raw_extract_text, largest), peak_traced(ours, largest)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files: {len(paths)}  pages: {pages}  rounds: {args.rounds} (median)")
    print(f"raw pdfplumber extract_text: {raw_t:7.2f} s  {pages / raw_t:7.1f} pages/s")
    print(f"svcdesc extract_pdf:         {our_t:7.2f} s  {pages / our_t:7.1f} pages/s")
    print(f"ratio ours/raw: {our_t / raw_t:.2f}  (aim <= 1.50)")
    print(
        f"peak traced heap on {largest[0].name}: raw {raw_peak / 2**20:.1f} MiB, ours {our_peak / 2**20:.1f} MiB"
    )
    print(f"peak RSS of this process: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
