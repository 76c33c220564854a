"""Diff speed vs extraction speed on the largest real edition pairs.

For each pair: cold extraction (extract + normalize, no cache) of both editions, warm load from
the content-hash cache, the comparison alone cold (memoised text work cleared) and warm (median
of --repeat runs). Prints one row per pair and the ratio cold diff / extraction. The two largest
single documents (USSD 28 pages, vendor PDF 8 pages) are compared with themselves since no second
edition exists. Run:

    .venv/bin/python benchmarks/bench_diff.py [--corpus ../shared/corpus] [--pairs 4] [--repeat 5]
    .venv/bin/python benchmarks/bench_diff.py --noise [--cache-dir DIR]   # Markdown vs own PDF residue
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pipeline.catalog.loader import load_description
from pipeline.diff.compare import diff_descriptions
from pipeline.diff.text import clear_caches

REPO = Path(__file__).resolve().parents[1]


def edition_pairs(corpus: Path) -> list[tuple[Path, Path]]:
    """Oldest and newest edition of each bilingual PDF document (EN and FR), plus Markdown pairs."""
    pairs: list[tuple[Path, Path]] = []
    for folder, suffix in (("bilingual-pdf", ".pdf"), ("bilingual-md", ".md")):
        for doc in sorted((corpus / folder).iterdir()):
            eds = sorted(p for p in doc.iterdir() if p.is_dir())
            for lang in ("en", "fr"):
                a, b = eds[0] / f"{lang}{suffix}", eds[-1] / f"{lang}{suffix}"
                if a.is_file() and b.is_file():
                    pairs.append((a, b))
    return pairs


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def noise_report(corpus: Path, cache: str) -> None:
    """Each bilingual edition's Markdown against its own PDF rendering: what the diff still reports."""
    total = {"breaking": 0, "major": 0, "minor": 0, "cosmetic": 0}
    print(f"{'edition (Markdown vs own PDF)':70} breaking/major/minor/cosmetic  residue")
    for doc in sorted((corpus / "bilingual-pdf").iterdir()):
        for ed in sorted(p for p in doc.iterdir() if p.is_dir()):
            for lang in ("en", "fr"):
                pdf, md = ed / f"{lang}.pdf", corpus / "bilingual-md" / doc.name / ed.name / f"{lang}.md"
                if not (pdf.is_file() and md.is_file()):
                    continue
                diff = diff_descriptions(
                    load_description(md, cache_dir=cache), load_description(pdf, cache_dir=cache)
                )
                for k in total:
                    total[k] += diff.counts[k]
                counts = "/".join(str(diff.counts[k]) for k in total)
                what = "; ".join(c.summary for c in diff.changes)[:90]
                print(f"{doc.name[:50] + ' ' + ed.name + ' ' + lang:70} {counts:29} {what}")
    print(f"{'TOTAL':70} {'/'.join(str(v) for v in total.values())}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--pairs", type=int, default=4, help="largest N PDF pairs and N Markdown pairs")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--noise", action="store_true", help="also report Markdown-vs-own-PDF residue per edition"
    )
    ap.add_argument("--cache-dir", help="extraction cache for --noise (default: a temporary folder)")
    args = ap.parse_args(argv)
    if args.noise:
        with tempfile.TemporaryDirectory() as tmp:
            noise_report(args.corpus, args.cache_dir or tmp)
        return 0
    pairs = edition_pairs(args.corpus)
    size = lambda p: p[0].stat().st_size + p[1].stat().st_size  # noqa: E731
    chosen = sorted((p for p in pairs if p[0].suffix == ".pdf"), key=size, reverse=True)[: args.pairs]
    chosen += sorted((p for p in pairs if p[0].suffix == ".md"), key=size, reverse=True)[: args.pairs]
    # the largest single documents, against themselves (no second edition exists)
    for big in (
        args.corpus / "ussd-fr" / "ussd-fr-v1.pdf",
        args.corpus / "vendor-pdf" / "o365-engineering-direct-2019-03-25.en.pdf",
    ):
        if big.is_file():
            chosen.append((big, big))
    load_description(chosen[0][0])  # warm-up: imports, spaCy model, regexes (not counted)
    print(
        f"{'pair':70} {'KB':>6} {'extract s':>10} {'cached s':>9} {'cold ms':>8} {'diff ms':>8} "
        f"{'diff/extract':>12} changes b/M/m/c"
    )
    totals = {"extract": 0.0, "cached": 0.0, "diff": 0.0, "cold": 0.0}
    with tempfile.TemporaryDirectory() as cache:
        for a, b in chosen:
            if a == b:
                sa, t_extract = timed(lambda a=a: load_description(a, cache_dir=cache))
                sb = sa.model_copy(deep=True)
            else:
                (sa, sb), t_extract = timed(
                    lambda a=a, b=b: (
                        load_description(a, cache_dir=cache),
                        load_description(b, cache_dir=cache),
                    )
                )
            _, t_cached = timed(
                lambda a=a, b=b: (load_description(a, cache_dir=cache), load_description(b, cache_dir=cache))
            )
            clear_caches()
            _, t_cold = timed(lambda sa=sa, sb=sb: diff_descriptions(sa, sb))
            runs = []
            for _ in range(args.repeat):
                diff, t = timed(lambda sa=sa, sb=sb: diff_descriptions(sa, sb))
                runs.append(t)
            t_diff = statistics.median(runs)
            totals["extract"] += t_extract
            totals["cached"] += t_cached
            totals["diff"] += t_diff
            totals["cold"] += t_cold
            name = (
                f"{a.name} (self)"
                if a == b
                else f"{a.parent.parent.name[:40]} {a.parent.name}->{b.parent.name} {a.name}"
            )
            counts = "/".join(str(diff.counts[k]) for k in ("breaking", "major", "minor", "cosmetic"))
            print(
                f"{name:70} {size((a, b)) / 1024:6.0f} {t_extract:10.2f} {t_cached:9.3f} {t_cold * 1000:8.1f} "
                f"{t_diff * 1000:8.1f} {t_cold / t_extract:12.2%} {counts}"
            )
    print(
        f"{'TOTAL':70} {'':6} {totals['extract']:10.2f} {totals['cached']:9.3f} {totals['cold'] * 1000:8.1f} "
        f"{totals['diff'] * 1000:8.1f} {totals['cold'] / totals['extract']:12.2%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
