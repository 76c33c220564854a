#!/usr/bin/env python
"""The long fuzz run: mutate seeds for every reader for a time budget; print executions and crashes.

    .venv/bin/python tests/fuzz/run_long.py --seconds 600 [--targets pdf,markdown] [--out DIR]
    .venv/bin/python tests/fuzz/run_long.py --atheris markdown -- -runs=100000   # coverage-guided

A crash is any outcome other than a result or a typed SvcdescError: another exception, a hang past
10 s, a MemoryError under the 2 GB address-space cap. Each distinct crash (target, exception type,
innermost pipeline frame) is saved once to ``--out`` with its traceback; turn it into a regression test
in ``tests/fuzz/test_fuzz_regressions.py`` and fix it.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import resource
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TARGETS, crash_id, digest, mutate, run_target, seeds  # noqa: E402

MEM_CAP = 2 * 1024**3


def fuzz(name: str, seconds: float, rng: random.Random, out: Path) -> dict:
    corpus = list(seeds(name))
    execs, crashes, outcomes = 0, {}, {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        base = rng.choice(corpus)
        data = mutate(base, rng)
        execs += 1
        try:
            outcome = run_target(name, data)
        except BaseException as exc:  # noqa: BLE001 — a crash, by definition
            if isinstance(exc, KeyboardInterrupt):
                raise
            cid = crash_id(name, exc)
            outcome = "CRASH"
            if cid not in crashes:
                path = out / f"{cid.replace(':', '_')}-{digest(data)}.bin"
                path.write_bytes(data)
                path.with_suffix(".txt").write_text("".join(traceback.format_exception(exc)))
                crashes[cid] = str(path)
                print(f"  crash {cid} -> {path}", flush=True)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome == "ok" and len(corpus) < 64 and rng.random() < 0.05:
            corpus.append(data)  # keep some valid mutants: deeper mutations from inputs that still parse
    return {
        "target": name,
        "executions": execs,
        "crashes": len(crashes),
        "crash_files": crashes,
        "outcomes": outcomes,
    }


def run_atheris(name: str, argv: list[str]) -> None:
    import atheris  # optional: pip install atheris

    with atheris.instrument_imports(include=["pipeline"]):
        import pipeline.extract  # noqa: F401
        import pipeline.extract.markdown  # noqa: F401
        import pipeline.extract.pdf  # noqa: F401
        import pipeline.extract.text  # noqa: F401
        import pipeline.normalize.glossary  # noqa: F401
        import pipeline.xmlsafe  # noqa: F401

    def one_input(data: bytes) -> None:
        run_target(name, data)

    corpus_dir = Path(f"/tmp/svcdesc-atheris-{name}")
    corpus_dir.mkdir(exist_ok=True)
    for s in seeds(name):
        (corpus_dir / digest(s)).write_bytes(s)
    atheris.Setup([sys.argv[0], *argv, str(corpus_dir)], one_input)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=300.0, help="budget per target")
    ap.add_argument("--targets", default=",".join(TARGETS), help="comma-separated: " + ",".join(TARGETS))
    ap.add_argument("--out", type=Path, default=Path("/tmp/svcdesc-fuzz-crashes"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write the summary here too")
    ap.add_argument(
        "--atheris", metavar="TARGET", help="run one target under atheris instead (extra args after --)"
    )
    args, rest = ap.parse_known_args(argv)
    resource.setrlimit(resource.RLIMIT_AS, (MEM_CAP, MEM_CAP))
    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)  # library noise; outcomes are counted instead
    if args.atheris:
        run_atheris(args.atheris, [a for a in rest if a != "--"])
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    results = []
    for name in args.targets.split(","):
        print(f"{name}: fuzzing for {args.seconds:g} s", flush=True)
        r = fuzz(name, args.seconds, rng, args.out)
        results.append(r)
        print(
            f"{name}: {r['executions']} executions, {r['crashes']} distinct crashes, outcomes {r['outcomes']}",
            flush=True,
        )
    total_e = sum(r["executions"] for r in results)
    total_c = sum(r["crashes"] for r in results)
    print(f"TOTAL: {total_e} executions, {total_c} distinct crashes")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True))
    return 1 if total_c else 0


if __name__ == "__main__":
    raise SystemExit(main())
