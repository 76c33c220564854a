"""Draw the hand-judging sample of parity findings (issue 13) with a fixed seed.

Usage::

    .venv/bin/python benchmarks/parity_sample.py run      # parity of every edition -> findings file
    .venv/bin/python benchmarks/parity_sample.py sample   # the sample to judge (fixed seed)
    .venv/bin/python benchmarks/parity_sample.py windows  # 5 windows of 30 consecutive aligned pairs
    .venv/bin/python benchmarks/parity_sample.py score    # precision per kind from the verdicts
    .venv/bin/python benchmarks/parity_sample.py interim  # 15 findings per kind to read after a change

``run`` checks the parity of every English/French edition of ``../shared/library`` (16 documents x
4 editions) and ``../shared/corpus/bilingual-md`` (8 x 3) and writes every error and warning
(grouped findings once, with their count) to ``/tmp/svcdesc-parity-findings.jsonl`` (with their
texts, so outside the repository: the committed sample names each finding by edition, line, code
and message only, and the judge reads the texts there and in the files).
``sample`` draws, with ``random.Random(13)``, up to ``PER_KIND`` findings of each kind (all of
a kind when it has fewer), then tops up at random to ``TOTAL``; it writes
``benchmarks/parity_judged_sample.jsonl`` with an empty ``verdict`` for the judge to fill in
(``real``, ``false`` and a ``why``). Judging rule: a finding is *real* when the target, read
against the source, has the defect the message names (a wrong number, a name altered, a mark
changed, English left, a repeated word …) — judged on the texts themselves and the files.
``windows`` prints 5 windows of 30 consecutive aligned pairs (fixed seed) with the findings on them,
for the recall reading (``benchmarks/parity_judged_windows.md``).
"""

from __future__ import annotations

import json
import os
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
#: Every finding with its texts: outside the repository (the shared texts are not copied into it).
OUT = Path(os.environ.get("SVCDESC_PARITY_OUT", "/tmp/svcdesc-parity-findings.jsonl"))
SAMPLE = REPO / "benchmarks" / "parity_judged_sample.jsonl"
#: Kind counts of the run the sample was drawn from (the population of the as-drawn estimate).
DRAWN = REPO / "benchmarks" / "parity_judged_population.jsonl"
SEED, PER_KIND, TOTAL = 13, 14, 110
CACHE = "/tmp/svcdesc-bench-cache"


def editions() -> list[Path]:
    out = []
    for root in (SHARED / "library", SHARED / "corpus" / "bilingual-md"):
        out += sorted(p for p in root.glob("*/*") if (p / "en.md").is_file() and (p / "fr.md").is_file())
    return out


def _parity(ed: Path):
    from pipeline.catalog.loader import load_description
    from pipeline.parity.compare import check_parity

    return check_parity(
        load_description(ed / "en.md", cache_dir=CACHE), load_description(ed / "fr.md", cache_dir=CACHE)
    )


def run() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for ed in editions():
        p = _parity(ed)
        rel = str(ed.relative_to(SHARED))
        for n, f in enumerate(p.findings):
            if f.severity.value == "info":
                continue
            line = next((pv.line_start for pv in f.source_prov + f.target_prov if pv.line_start), None)
            rows.append(
                {
                    "edition": rel, "n": n, "kind": f.kind.value, "code": f.code, "severity": f.severity.value,
                    "count": f.count, "message": f.message, "source": f.source_text, "target": f.target_text,
                    "line": line,
                }
            )  # fmt: skip
        print(rel, dict(Counter(r["kind"] for r in rows if r["edition"] == rel)), file=sys.stderr)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} findings (errors and warnings) -> {OUT}", Counter(r["kind"] for r in rows))


def _identity(row: dict) -> tuple:
    return (row["edition"], row["n"], row["line"], row["code"], row["message"][:140])


def _judged() -> dict[tuple, dict]:
    """Verdicts already written in the sample file, by finding identity."""
    if not SAMPLE.is_file():
        return {}
    rows = [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines() if x.strip()]
    return {_identity(r): r for r in rows if r.get("verdict")}


def sample() -> None:
    rows = [json.loads(x) for x in OUT.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(SEED)
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    picked = []
    for kind in sorted(by_kind):
        group = by_kind[kind]
        picked += rng.sample(group, min(PER_KIND, len(group)))
    rest = [r for r in rows if r not in picked]
    picked += rng.sample(rest, max(0, min(len(rest), TOTAL - len(picked))))
    DRAWN.write_text("".join(json.dumps({"kind": r["kind"]}) + "\n" for r in rows), encoding="utf-8")
    keep = ("edition", "n", "line", "kind", "code", "severity", "count")
    judged = _judged()
    with SAMPLE.open("w", encoding="utf-8") as fh:
        for r in picked:
            row = {k: r[k] for k in keep} | {"message": r["message"][:140], "verdict": "", "why": ""}
            prior = judged.get(_identity(row))
            if prior:  # the same finding drawn again keeps its verdict (judged on the same texts)
                row |= {"verdict": prior["verdict"], "why": prior["why"]}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(picked)} findings -> {SAMPLE}", Counter(r["kind"] for r in picked))


def interim() -> None:
    """Up to 15 findings of each kind (seed 13), printed with their texts for a quick reading after a
    change (the texts stay out of the repository; the verdicts name findings by edition, line, code)."""
    rows = [json.loads(x) for x in OUT.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(SEED)
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    for kind in sorted(by_kind):
        group = by_kind[kind]
        print(f"\n## {kind} ({len(group)})")
        for k, r in enumerate(rng.sample(group, min(15, len(group))), 1):
            print(f"{k}. {r['edition']} line {r['line']} {r['code']} x{r['count']}: {r['message'][:160]}")
            print(f"    EN: {r['source'][:300]}\n    FR: {r['target'][:300]}")


def _prose_starts(alignment: list) -> list[int]:
    """Window starts whose 30 pairs carry text (mean source length >= 60 characters), not Yes/No grids."""
    lengths = [len(a.source_text) for a in alignment]
    return [i for i in range(0, max(1, len(alignment) - 30)) if sum(lengths[i : i + 30]) / 30 >= 60]


def windows() -> None:
    """Six windows of 30 consecutive pairs in six documents (seed 13), among the windows that carry text:
    a random window of a feature grid is 30 "Yes"/"Oui" cells and measures nothing."""
    rng = random.Random(SEED)
    eds = editions()
    shown, docs = 0, set()
    for ed in rng.sample(eds, len(eds)):
        if shown == 6:
            break
        if ed.parent.name in docs:
            continue  # one window per document: editions of one document repeat each other
        docs.add(ed.parent.name)
        p = _parity(ed)
        starts = _prose_starts(p.alignment)
        if not starts:
            continue
        shown += 1
        start = rng.choice(starts)
        owner = {}
        for i, a in enumerate(p.alignment):
            for sid in a.source + a.target:
                owner[sid] = i
        by_pair = defaultdict(list)
        for f in p.findings:
            for ids in [f.source_ids + f.target_ids] + [o.source_ids + o.target_ids for o in f.occurrences]:
                k = next((owner[i] for i in ids if i in owner), None)
                if k is not None:
                    by_pair[k].append(f"{f.severity.value} {f.code} {f.message}")
        print(f"\n## {ed.relative_to(SHARED)} pairs {start + 1}-{start + 30}\n")
        for i in range(start, min(start + 30, len(p.alignment))):
            a = p.alignment[i]
            print(f"{i + 1}. [{a.kind.value}] EN: {a.source_text}\n    FR: {a.target_text}")
            for f in by_pair.get(i, []):
                print(f"    -> {f}")


def _report(judged: list[dict], population: Counter, title: str) -> None:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in judged:
        by_kind[r["kind"]].append(r)
    real = sum(r["verdict"] == "real" for r in judged)
    # the sample is stratified by kind: the overall estimate weights each kind's precision by its size
    weighted = sum(
        population[k] * sum(r["verdict"] == "real" for r in g) / len(g) for k, g in by_kind.items()
    ) / max(1, sum(population[k] for k in by_kind))
    print(
        f"{title}: sample {real}/{len(judged)} real = {real / max(1, len(judged)):.3f}; "
        f"population-weighted {weighted:.3f} (errors+warnings: {sum(population.values())})"
    )
    for kind, group in sorted(by_kind.items()):
        k_real = sum(r["verdict"] == "real" for r in group)
        print(
            f"  {kind:<24} {k_real}/{len(group)} = {k_real / len(group):.3f}   (population {population[kind]})"
        )


def _key(r: dict) -> tuple:
    """A finding's identity across runs: the committed sample keeps only the first 40 characters of a
    long quotation (no shared sentence is copied into the repository), so compare on that prefix."""
    return r["edition"], r["code"], r.get("line"), r["message"][:40]


def score() -> None:
    """Precision as drawn, then on the findings the current code still reports (its filters only remove)."""
    rows = [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines()]
    judged = [r for r in rows if r["verdict"] in ("real", "false")]
    drawn = Counter(r["kind"] for r in map(json.loads, DRAWN.read_text(encoding="utf-8").splitlines()))
    _report(judged, drawn, "as drawn")
    if OUT.is_file():
        now = [json.loads(x) for x in OUT.read_text(encoding="utf-8").splitlines()]
        alive = {_key(r) for r in now}
        kept = [r for r in judged if _key(r) in alive]
        _report(kept, Counter(r["kind"] for r in now), "current code (sampled findings it still reports)")


if __name__ == "__main__":
    {"run": run, "sample": sample, "windows": windows, "score": score, "interim": interim}[
        sys.argv[1] if len(sys.argv) > 1 else "run"
    ]()
