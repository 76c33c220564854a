"""PDF extraction speed: our extractor next to raw pdfplumber ``page.extract_text()``, same run.

Not a timed test. Runs both on every PDF of the shared corpus (vendor-pdf, ussd-fr, bilingual-pdf),
alternating the order per round so neither side profits from a warm page cache, and prints pages/s
for each, the ratio (ours / raw; the aim is <= 1.5) and the peak resident memory of the process.

    .venv/bin/python benchmarks/bench_extract.py [--corpus ../shared/corpus] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
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


def main(argv: list[str] | None = None) -> int:
    default = Path(os.environ.get("SVCDESC_SHARED", REPO.parent / "shared")) / "corpus"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=default)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
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
