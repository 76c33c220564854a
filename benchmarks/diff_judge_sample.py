"""Draw the sample of breaking/major diff changes to judge by hand, and score the verdicts.

    nice .venv/bin/python benchmarks/diff_judge_sample.py draw --lang en   # -> benchmarks/diff_judged_en.jsonl
    nice .venv/bin/python benchmarks/diff_judge_sample.py draw --lang en --all-breaking --items 60  # census of breaking + sample
    nice .venv/bin/python benchmarks/diff_judge_sample.py score --lang en
    nice .venv/bin/python benchmarks/diff_judge_sample.py rescore --lang en  # with today's code

``draw`` runs the diff over every consecutive edition pair of ``../shared/library`` and
``../shared/corpus/bilingual-md`` (French pairs with their English editions as the source),
shuffles the pairs that hold a material change with a fixed seed and takes up to
``--per-pair`` changes of each (also drawn with the seed) until ``--items`` changes over at least
``--pairs`` pairs are in. Each line holds the change (kind, severity, summary) and the source lines it
points at, plus empty ``verdict``/``reason`` fields. With ``--all-breaking`` every breaking change of
the library is drawn (``stratum: census``) and the per-pair draw takes only the other material
changes (``stratum: sample``); ``score`` then also weights each severity's precision by how many
changes of that severity the library holds (``diff_judged_<lang>.meta.json``) (no text of the shared pages is copied). Verdicts already written in the file are kept
for items that are drawn again (same pair, kind, summary).

Verdicts: ``ok`` (a real change of the service, right kind and direction), ``wrong_severity``
(real, but breaking/major the wrong way or should be minor), ``false`` (no such change: a
re-layout, a mis-pairing, a translation artefact). ``score`` prints precision for breaking and for
all material (``ok`` counts as correct; the other two do not). ``rescore`` runs today's diff again
over the judged pairs and scores only the judged items it still reports as material with the same
kind, severity and summary (a fix drops items out; new items it raises are not judged, so this is
precision on the already-judged sample, not a fresh draw).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diff_library import ROOTS, load, pairs, upstream_fingerprint  # noqa: E402

from pipeline.diff.compare import diff_descriptions  # noqa: E402

HERE = Path(__file__).resolve().parent
SEED = 12


def _where(change) -> str:
    """The source lines a change points at ('old 358 / new 358'): judges read them in the pages
    (no text of the shared documents is copied into the verdict files)."""
    parts = []
    for side, provs in (("old", change.old_prov), ("new", change.new_prov)):
        lines = sorted({p.line_start for p in provs if p.line_start})
        if lines:
            parts.append(f"{side} {', '.join(map(str, lines[:4]))}")
    return " / ".join(parts)


def _row(name: str, c, stratum: str) -> dict:
    return {
        "pair": name,
        "kind": c.kind.value,
        "severity": c.severity.value,
        "summary": c.summary,
        "lines": _where(c),
        "stratum": stratum,
        "verdict": "",
        "reason": "",
    }


def draw(
    lang: str, items: int, min_pairs: int, per_pair: int, cache: Path, all_breaking: bool = False
) -> tuple[list[dict], dict[str, int]]:
    """The rows to judge and the population they are drawn from (material changes per severity).

    With ``all_breaking`` every breaking change is taken (a census: the stratum the contract team
    reads first), and the random per-pair draw fills the rest with the other material changes."""
    fp = upstream_fingerprint()
    found = []
    for root, doc, lg, a, b in pairs(ROOTS, [lang]):
        old, new = load(a / f"{lg}.md", cache, fp), load(b / f"{lg}.md", cache, fp)
        src = []
        if lg != "en":
            src = [load(a / "en.md", cache, fp), load(b / "en.md", cache, fp)]
        d = diff_descriptions(old, new, *src)
        mat = d.material()
        if mat:
            found.append((f"{root}/{doc} {a.name}..{b.name} {lg}", a / f"{lg}.md", b / f"{lg}.md", mat))
    population: dict[str, int] = {}
    for *_, mat in found:
        for c in mat:
            population[c.severity.value] = population.get(c.severity.value, 0) + 1
    rng = random.Random(SEED)
    rng.shuffle(found)
    out: list[dict] = []
    if all_breaking:
        out = [
            _row(name, c, "census")
            for name, _a, _b, mat in found
            for c in mat
            if c.severity.value == "breaking"
        ]
    drawn = 0
    for used_pairs, (name, _a, _b, mat) in enumerate(found):
        if drawn >= items and used_pairs >= min_pairs:
            break
        rest = [c for c in mat if not (all_breaking and c.severity.value == "breaking")]
        picks = rng.sample(rest, min(per_pair, len(rest)))
        out.extend(_row(name, c, "sample") for c in picks)
        drawn += len(picks)
    return out, population


def _key(r: dict) -> tuple:
    return (r["pair"], r["kind"], r["summary"], r.get("lines", ""))


def still_reported(rows: list[dict], cache: Path) -> list[dict]:
    """The judged items today's diff still reports as material (same kind, severity, summary)."""
    fp = upstream_fingerprint()
    wanted = {r["pair"] for r in rows}
    live: set[tuple] = set()
    for root, doc, lg, a, b in pairs(ROOTS, sorted({r["pair"].rsplit(" ", 1)[1] for r in rows})):
        name = f"{root}/{doc} {a.name}..{b.name} {lg}"
        if name not in wanted:
            continue
        src = [] if lg == "en" else [load(a / "en.md", cache, fp), load(b / "en.md", cache, fp)]
        d = diff_descriptions(load(a / f"{lg}.md", cache, fp), load(b / f"{lg}.md", cache, fp), *src)
        live |= {(name, c.kind.value, c.severity.value, c.summary) for c in d.material()}
    return [r for r in rows if (r["pair"], r["kind"], r["severity"], r["summary"]) in live]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["draw", "score", "rescore"])
    ap.add_argument("--lang", default="en")
    ap.add_argument("--items", type=int, default=60)
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--per-pair", type=int, default=6)
    ap.add_argument(
        "--all-breaking", action="store_true", help="every breaking change (census) + a sample of the rest"
    )
    ap.add_argument("--cache", type=Path, default=Path("/tmp/svcdesc-h12-cache"))
    args = ap.parse_args()
    path = HERE / f"diff_judged_{args.lang}.jsonl"
    meta = HERE / f"diff_judged_{args.lang}.meta.json"
    old = {}
    if path.is_file():
        old = {_key(r): r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    if args.action == "draw":
        rows, population = draw(
            args.lang, args.items, args.pairs, args.per_pair, args.cache, args.all_breaking
        )
        meta.write_text(json.dumps({"population": population, "all_breaking": args.all_breaking}) + "\n")
        for r in rows:
            prev = old.get(_key(r))
            if prev:
                r["verdict"], r["reason"] = prev["verdict"], prev["reason"]
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{len(rows)} items over {len({r['pair'] for r in rows})} pairs -> {path}")
        return 0
    rows = list(old.values())
    if args.action == "rescore":
        kept = still_reported(rows, args.cache)
        print(f"{len(rows) - len(kept)} judged items no longer reported as material")
        rows = kept
    judged = [r for r in rows if r["verdict"]]
    for label, sel in (
        ("breaking", [r for r in judged if r["severity"] == "breaking"]),
        ("material", judged),
    ):
        ok = sum(r["verdict"] == "ok" for r in sel)
        print(f"{args.lang} {label}: {ok}/{len(sel)} = {ok / len(sel):.2f}" if sel else f"{label}: none")
    if meta.is_file() and json.loads(meta.read_text()).get("all_breaking"):
        # breaking is a census, the other severities a random sample: weight each stratum by its population
        population = json.loads(meta.read_text())["population"]
        total = weighted = 0.0
        for sev, n in sorted(population.items()):
            if sev not in ("breaking", "major"):
                continue
            sel = [r for r in judged if r["severity"] == sev]
            if sel:
                p = sum(r["verdict"] == "ok" for r in sel) / len(sel)
                print(f"{args.lang} {sev}: {p:.2f} on {len(sel)} judged of {n} reported")
                total += n
                weighted += n * p
        if total:
            print(f"{args.lang} material, strata weighted by population: {weighted / total:.2f}")
    print(f"judged {len(judged)}/{len(rows)} items over {len({r['pair'] for r in rows})} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
