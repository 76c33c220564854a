"""The corpus-wide parity findings of a corpus, written so that two versions of the code can be compared.

Issue 14 bounded what an edition's parity context carries (its own occurrences of each corpus issue
plus a summary of the other editions, instead of every occurrence): the findings must stay the same,
only the "also in" tail of their message shortened. This script checks it on a real corpus:

    # once: describe every input and digest every (en, fr) edition into a store
    nice -n 10 .venv/bin/python benchmarks/parity_context_compare.py prepare ../shared/library --store S
    # with each version of the code first on the path: the corpus findings of every edition
    PYTHONPATH=<old tree> .venv/bin/python benchmarks/parity_context_compare.py findings --store S --out old.jsonl
    PYTHONPATH=<new tree> .venv/bin/python benchmarks/parity_context_compare.py findings --store S --out new.jsonl
    .venv/bin/python benchmarks/parity_context_compare.py compare old.jsonl new.jsonl

A finding is compared on its code, its message without the "; also in ..." tail, its segments and
occurrences, its count and its forms; the tail and the context's size are reported beside.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

TAIL = "; also in "


def prepare(corpus: Path, store_root: Path) -> None:
    from pipeline.catalog import tasks
    from pipeline.catalog.corpus import discover
    from pipeline.limits import Limits

    store_root.mkdir(parents=True, exist_ok=True)
    found = discover(corpus)
    limits = Limits().model_dump_json()
    described: dict[tuple[str, str, str], tasks.Blob] = {}
    for entry in found.entries:
        task = tasks.pinned(tasks.DescribeTask(entry.rel, str(entry.path), None, str(store_root), limits))
        described[(entry.document, entry.edition or "undated", entry.lang or "und")] = tasks.describe(
            task
        ).description
    editions = []
    for doc, ed, lang in sorted(described):
        if lang != "en" or (doc, ed, "fr") not in described:
            continue
        en, fr = described[(doc, ed, "en")], described[(doc, ed, "fr")]
        t0 = time.process_time()
        result = tasks.digest(
            tasks.pinned(tasks.DigestTask(f"{doc} {ed} en-fr", en, fr, None, str(store_root)))
        )
        print(f"{doc} {ed}: digested in {time.process_time() - t0:.1f} CPU s", flush=True)
        editions.append({"document": doc, "edition": ed, "en": en, "fr": fr, "digest": result.digest})
    (store_root / "editions.json").write_text(json.dumps(editions, indent=1))


def findings(store_root: Path, out: Path) -> None:
    from pipeline.catalog import tasks
    from pipeline.normalize.model import ServiceDescription
    from pipeline.parity.corpus import CorpusLearner, corpus_inputs

    root = str(store_root)
    editions = json.loads((store_root / "editions.json").read_text())
    learner = CorpusLearner()
    for e in editions:
        learner.add(e["document"], e["edition"], tasks.read_json(root, e["digest"]))
    rows = []
    for e in editions:
        data = tasks.read_json(root, e["digest"])
        context = learner.context_json(e["document"], e["edition"], data)
        _, found = corpus_inputs(json.loads(context))

        def segs(blob) -> dict:
            desc = ServiceDescription.model_validate_json(tasks.store.get_blob(root, blob[0]))
            return {s.id: s for s in desc.segments}

        for f in found(segs(e["en"]), segs(e["fr"])):
            message, _, tail = f.message.partition(TAIL)
            rows.append(
                {
                    "edition": f"{e['document']} {e['edition']}",
                    "code": f.code,
                    "message": message,
                    "source_ids": f.source_ids,
                    "target_ids": f.target_ids,
                    "occurrences": [[o.source_ids, o.target_ids] for o in f.occurrences],
                    "count": f.count,
                    "forms": f.detail.get("forms"),
                    "tail": tail,
                    "context_bytes": len(context),
                }
            )
    out.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows))
    print(f"{len(rows)} corpus findings in {len(editions)} editions -> {out}")


def compare(old: Path, new: Path) -> int:
    keep = ("edition", "code", "message", "source_ids", "target_ids", "occurrences", "count", "forms")

    def load(path: Path) -> list[dict]:
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    a, b = load(old), load(new)
    ka = [json.dumps({k: r[k] for k in keep}, sort_keys=True) for r in a]
    kb = [json.dumps({k: r[k] for k in keep}, sort_keys=True) for r in b]
    same = ka == kb
    print(f"old: {len(a)} findings, new: {len(b)} findings; identical without the 'also in' tail: {same}")
    for name, rows in (("old", a), ("new", b)):
        tails = [len(r["tail"]) for r in rows]
        ctx = {r["edition"]: r["context_bytes"] for r in rows}
        print(
            f"{name}: longest 'also in' tail {max(tails, default=0)} chars, total {sum(tails)};"
            f" largest context {max(ctx.values(), default=0)} bytes"
        )
    if not same:
        for x in sorted(set(ka) ^ set(kb))[:20]:
            print(("only old: " if x in set(ka) else "only new: ") + x)
    return 0 if same else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("corpus", type=Path)
    p.add_argument("--store", type=Path, required=True)
    f = sub.add_parser("findings")
    f.add_argument("--store", type=Path, required=True)
    f.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "prepare":
        prepare(args.corpus, args.store)
        return 0
    if args.cmd == "findings":
        findings(args.store, args.out)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
