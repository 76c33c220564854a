"""Where the CPU of one edition goes: a cold ``svcdesc build --jobs 1`` of a small synthetic library,
sampled in this process every few milliseconds of CPU time (``SIGPROF``), each sample put in the
innermost stage of its stack (extract, normalize, checks, diff, parity, render, catalog, ...).

CPU seconds, not wall: the machine is shared, so wall time says more about the neighbours than
about the code. A sampling profiler, not cProfile: cProfile's per-call cost inflates call-heavy
code (the JSON encoder, generators) three- to fourfold and so misplaces the time.

    nice -n 10 .venv/bin/python benchmarks/profile_edition.py --editions 24 --out benchmarks/results/profile_edition.md

The corpus is made as ``bench_scale.py --synthetic`` makes it (in a temp folder). Reported: CPU
seconds per stage, per edition, and the hottest functions (self time); ``--label`` names the run in
the Markdown (rows of other labels already in the file are kept, so a before/after table builds up).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

#: (stage, file-path fragment, function name or "" for any); the innermost matching frame wins.
STAGES = [
    ("hash: cache keys (code fingerprint, input hashes)", "pipeline/hashing.py", ""),
    ("hash: cache keys (code fingerprint, input hashes)", "catalog/tasks.py", "code_fingerprint"),
    ("store: blobs and entries (read/write/verify)", "catalog/store.py", ""),
    ("describe: extract", "pipeline/extract/", ""),
    ("describe: normalize", "pipeline/normalize/", ""),
    ("describe: checks (validation)", "pipeline/checks/", ""),
    ("describe: loader (its cache, pickling)", "catalog/loader.py", ""),
    ("describe: catalog fragment", "catalog/fragments.py", "language_fragment"),
    ("serialise: description JSON (canonical_json)", "render/canonical.py", ""),
    ("compare: load stored descriptions, dump result model", "catalog/tasks.py", "<listcomp>"),
    ("compare: load stored descriptions, dump result model", "catalog/tasks.py", "<genexpr>"),
    ("compare: load stored descriptions, dump result model", "catalog/tasks.py", "compare"),
    ("diff: compare", "pipeline/diff/", ""),
    ("diff: render reports", "render/diff_report.py", ""),
    ("parity pass 1: digest (align, counts) in workers", "parity/corpus.py", "digest"),
    ("parity pass 1: digest (align, counts) in workers", "catalog/tasks.py", "digest"),
    ("parity, parent: corpus learner (merge, learn, consistency, contexts)", "parity/corpus.py", "add"),
    ("parity, parent: corpus learner (merge, learn, consistency, contexts)", "parity/corpus.py", "context"),
    ("parity, parent: corpus learner (merge, learn, consistency, contexts)", "parity/corpus.py", "terms"),
    ("parity, parent: corpus learner (merge, learn, consistency, contexts)", "parity/corpus.py", "issues"),
    ("parity, parent: corpus learner (merge, learn, consistency, contexts)", "parity/corpus.py", "table"),
    ("parity, parent: corpus learner (merge, learn, consistency, contexts)", "catalog/plan.py", "_digested"),
    (
        "parity, parent: corpus learner (merge, learn, consistency, contexts)",
        "catalog/plan.py",
        "_maybe_second_pass",
    ),
    (
        "parity, parent: corpus learner (merge, learn, consistency, contexts)",
        "catalog/plan.py",
        "corpus_reports",
    ),
    ("parity pass 2: check_parity", "parity/compare.py", "check_parity"),
    ("parity: render reports", "render/parity_report.py", ""),
    ("render: pagination", "render/paginate.py", ""),
    ("compare: catalog fragment", "catalog/fragments.py", "diff_fragment"),
    ("compare: catalog fragment", "catalog/fragments.py", "parity_fragment"),
    ("plan/scheduling (parent)", "catalog/plan.py", ""),
    ("plan/scheduling (parent)", "catalog/executor.py", ""),
    ("corpus discovery", "catalog/corpus.py", ""),
    ("catalog: assemble and write (json/xml/sqlite/site/junit/sarif)", "catalog/assemble.py", ""),
    ("catalog: assemble and write (json/xml/sqlite/site/junit/sarif)", "catalog/publish.py", ""),
    ("catalog: assemble and write (json/xml/sqlite/site/junit/sarif)", "catalog/json_writer.py", ""),
    ("imports", "<frozen importlib._bootstrap", ""),
]
STAGE_ORDER = list(dict.fromkeys(s for s, _, _ in STAGES))


class Sampler:
    """Stacks sampled every ``interval`` s of this process's CPU time."""

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.stages: collections.Counter = collections.Counter()
        self.selfs: collections.Counter = collections.Counter()
        self.samples = 0

    def _on(self, signum, frame) -> None:  # noqa: ARG002
        self.samples += 1
        stage = None
        f = frame
        top = f"{Path(f.f_code.co_filename).name}:{f.f_code.co_name}" if f else "?"
        self.selfs[top] += 1
        while f is not None and stage is None:
            path, name = f.f_code.co_filename, f.f_code.co_name
            for label, frag, fn in STAGES:
                if frag in path and (not fn or fn == name):
                    stage = label
                    break
            f = f.f_back
        self.stages[stage or "other (cli, startup, ...)"] += 1

    def __enter__(self) -> Sampler:
        signal.signal(signal.SIGPROF, self._on)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *exc) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> int:
    from bench_scale import make_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, default=REPO.parent / "shared" / "library")
    parser.add_argument("--editions", type=int, default=24)
    parser.add_argument("--label", default="now")
    parser.add_argument("--out", type=Path, help="Markdown file to write (rows of other labels are kept)")
    args = parser.parse_args()
    if not args.library.is_dir():
        raise SystemExit(f"library not found at {args.library} (--library)")
    from pipeline.cli import main as cli

    with tempfile.TemporaryDirectory(prefix="profile-edition-") as tmp:
        corpus, made = make_corpus(args.library, Path(tmp) / "corpus", args.editions, synthetic_only=True)
        argv = ["build", str(corpus), "--out", str(Path(tmp) / "out"), "--jobs", "1", "--fail-on", "never",
                "--progress", "none", "--cache-dir", str(Path(tmp) / "cache")]  # fmt: skip
        began, wall = _cpu(), time.monotonic()
        with Sampler() as s:
            cli(argv)
        cpu, wall = _cpu() - began, time.monotonic() - wall
    total = max(s.samples, 1)
    result = {
        "label": args.label,
        "editions": made,
        "cpu_s": round(cpu, 2),
        "cpu_s_per_edition": round(cpu / made, 3),
        "wall_s": round(wall, 1),
        "stages": {k: round(cpu * v / total, 2) for k, v in s.stages.most_common()},
        "hottest": [(k, round(cpu * v / total, 2)) for k, v in s.selfs.most_common(25)],
    }
    print(json.dumps(result, indent=2))
    if args.out:
        _write_md(args.out, result)
    return 0


def _write_md(path: Path, result: dict) -> None:
    runs = {}
    if path.is_file():
        m = re.search(r"<!-- runs (.*?) -->", path.read_text(encoding="utf-8"), re.S)
        runs = json.loads(m.group(1)) if m else {}
    runs[result["label"]] = result
    labels = list(runs)
    stages = [
        s for s in [*STAGE_ORDER, "other (cli, startup, ...)"] if any(s in r["stages"] for r in runs.values())
    ]
    lines = [
        "## CPU per stage, per run",
        "",
        "Cold `svcdesc build --jobs 1` of a synthetic library (as `bench_scale.py --synthetic` makes it),",
        "sampled every 2 ms of CPU (`benchmarks/profile_edition.py`). CPU seconds of the build process;",
        "with `--jobs N` each worker also pays its start (imports) once.",
        "",
        "| stage | " + " | ".join(f"{lb} (CPU s)" for lb in labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    for st in stages:
        lines.append(
            f"| {st} | " + " | ".join(f"{runs[lb]['stages'].get(st, 0):.2f}" for lb in labels) + " |"
        )
    lines.append("| **total CPU** | " + " | ".join(f"**{runs[lb]['cpu_s']:.2f}**" for lb in labels) + " |")
    lines.append("| editions | " + " | ".join(str(runs[lb]["editions"]) for lb in labels) + " |")
    lines.append(
        "| **CPU s per edition** | "
        + " | ".join(f"**{runs[lb]['cpu_s_per_edition']:.3f}**" for lb in labels)
        + " |"
    )
    for lb in labels:
        lines += ["", f"Hottest functions (self CPU s), run `{lb}`:", ""]
        lines += [f"- `{name}` {sec:.2f}" for name, sec in runs[lb]["hottest"][:15]]
    lines += ["", f"<!-- runs {json.dumps(runs)} -->", ""]
    table = "\n".join(lines)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if "<!-- table -->" in old and "<!-- /table -->" in old:  # keep the notes written around the table
        head, rest = old.split("<!-- table -->", 1)
        table = (
            head + "<!-- table -->\n" + table + "\n" + "<!-- /table -->" + rest.split("<!-- /table -->", 1)[1]
        )
    path.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
