"""What a diff change gained and lost over the whole library: two ``diff_library.py --save`` folders compared.

A material change (breaking/major) is keyed by pair, kind, severity, subject, old/new values and
texts; ``gained`` are in the second run only, ``lost`` in the first only. ``--sample N --seed S``
draws N of the gained at random (what a judge reads; every gained item when there are fewer).

    .venv/bin/python benchmarks/diff_library.py --save /tmp/before   # on main
    .venv/bin/python benchmarks/diff_library.py --save /tmp/after    # on the branch
    .venv/bin/python benchmarks/diff_compare_runs.py /tmp/before /tmp/after --sample 20 --seed 12
    .venv/bin/python benchmarks/diff_compare_runs.py /tmp/after --list condition_ "no bound"

``--list`` with one folder prints every material change whose kind starts with, or whose summary
contains, one of the given words (the population judged in benchmarks/diff_condition_check.md).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path


def _key(c: dict) -> tuple:
    return tuple(c.get(k) for k in ("kind", "severity", "subject", "old", "new", "old_text", "new_text"))


def _material(path: Path) -> dict[tuple, dict]:
    if not path.is_file():
        return {}
    changes = json.loads(path.read_text())["changes"]
    return {_key(c): c for c in changes if c["severity"] in ("breaking", "major")}


def compare(before: Path, after: Path) -> tuple[list, list]:
    gained, lost = [], []
    for f in sorted(after.rglob("*.json")):
        rel = f.relative_to(after).as_posix()
        a, b = _material(before / rel), _material(f)
        gained += [(rel, b[k]) for k in sorted(b.keys() - a.keys(), key=str)]
        lost += [(rel, a[k]) for k in sorted(a.keys() - b.keys(), key=str)]
    return gained, lost


def list_material(folder: Path, words: list[str]) -> int:
    n = 0
    for f in sorted(folder.rglob("*.json")):
        for c in _material(f).values():
            if any(c["kind"].startswith(w) or w in c["summary"] for w in words):
                n += 1
                print(
                    f"{n:3d}. {f.relative_to(folder).as_posix()} [{c['severity']}] {c['kind']}: {c['summary'][:120]}"
                )
                print(f"     - {(c.get('old_text') or '')[:400]}\n     + {(c.get('new_text') or '')[:400]}")
    print(f"{n} changes")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path, nargs="?")
    ap.add_argument("--list", nargs="+", metavar="WORD", help="list the material changes of BEFORE alone")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    if args.list or args.after is None:
        return list_material(args.before, args.list or [""])
    gained, lost = compare(args.before, args.after)
    print(f"gained {len(gained)}, lost {len(lost)}")
    shown = gained
    if args.sample and len(gained) > args.sample:
        shown = sorted(random.Random(args.seed).sample(gained, args.sample), key=lambda t: t[0])
    for title, items in (("GAINED" + (" (sample)" if shown is not gained else ""), shown), ("LOST", lost)):
        print(f"\n== {title}")
        for i, (rel, c) in enumerate(items, 1):
            print(f"{i:3d}. {rel} [{c['severity']}] {c['kind']}: {c['summary'][:120]}")
            print(f"     - {(c.get('old_text') or '')[:400]}\n     + {(c.get('new_text') or '')[:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
