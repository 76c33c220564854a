"""Build time vs corpus size and ``--jobs``, and the no-change rebuild.

Corpora of 1, 2, 4 and 8 documents are made in a temp folder by copying the shared corpus's
``bilingual-md`` documents (3 editions x EN/FR each) at run time; each is built cold (empty cache)
with ``--jobs 1`` and ``--jobs 2``, then rebuilt with nothing changed (warm cache).

    .venv/bin/python benchmarks/bench_build.py [--shared ../shared/corpus] [--sizes 1,2,4,8] [--jobs 1,2]

Prints a Markdown table and writes ``benchmarks/results/bench_build.json``. The cache key includes a
fingerprint of the tool's code, so run it on a quiet tree (or a snapshot on PYTHONPATH).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_corpus(shared: Path, root: Path, n: int) -> Path:
    slugs = sorted(p.name for p in (shared / "bilingual-md").iterdir() if p.is_dir())[:n]
    for slug in slugs:
        for edition in sorted((shared / "bilingual-md" / slug).iterdir()):
            for lang in ("en", "fr"):
                dst = root / slug / edition.name / f"{lang}.md"
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(edition / f"{lang}.md", dst)
    return root


def timed_build(corpus: Path, out: Path, cache: Path, jobs: int) -> tuple[float, object]:
    from pipeline.catalog.pipeline import BuildOptions, build

    began = time.monotonic()
    report = build(BuildOptions(corpus=corpus, out=out, jobs=jobs, cache_dir=cache, fail_on="never"))
    return time.monotonic() - began, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--sizes", default="1,2,4,8")
    parser.add_argument("--jobs", default="1,2")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        base = Path(tmp)
        for n in sizes:
            corpus = make_corpus(args.shared, base / f"corpus{n}", n)
            for jobs in jobs_list:
                cache = base / f"cache-{n}-{jobs}"
                out = base / f"out-{n}-{jobs}"
                cold, report = timed_build(corpus, out, cache, jobs)
                warm, again = timed_build(corpus, out, cache, jobs)
                if (
                    again.cached != again.described
                ):  # the tool's code changed in between: not a no-change rebuild
                    print(f"warning: only {again.cached}/{again.described} cached", flush=True)
                row = {
                    "documents": n,
                    "files": report.described,
                    "comparisons": report.pairs,
                    "jobs": jobs,
                    "cold_s": round(cold, 2),
                    "no_change_s": round(warm, 2),
                    "ratio": round(warm / cold, 3),
                    "cached": f"{again.cached}/{again.described}",
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
    print("\n| documents | files | comparisons | jobs | cold build (s) | no-change rebuild (s) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['documents']} | {r['files']} | {r['comparisons']} | {r['jobs']} | {r['cold_s']} | {r['no_change_s']} | {r['ratio']} |"
        )
    result = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "rows": rows,
    }
    out = REPO / "benchmarks" / "results" / "bench_build.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
