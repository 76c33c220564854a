"""Draw the hand-judging sample of corpus-wide parity inconsistencies (issue 13) with a fixed seed.

Usage::

    nice .venv/bin/python -m pipeline build ../shared/corpus --out /tmp/corpus-out -j 2 --fail-on never
    .venv/bin/python benchmarks/parity_corpus_sample.py /tmp/corpus-out [N]

Reads ``OUT/parity/corpus.json`` (every P150 target / P151 source inconsistency that crosses
editions), draws ``N`` (default 20) issues with ``random.Random(13)`` and prints each with its
distinct (source, target) variants and where they occur (document, edition, segment ids, line or
page), for a judge to read against the files. The verdicts go to
``benchmarks/parity_corpus_inconsistency.md``, naming each issue by code, documents and segment
ids (the shared texts are not copied into the repository). Judging rule: an issue is *real* when
the same source really is rendered with different wording (P150), or two different names really
share one rendering (P151), in the files — not an alignment error, an extraction artefact or a
typographic variant only.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SEED = 13


def main(out: Path, n: int = 20) -> None:
    data = json.loads((out / "parity" / "corpus.json").read_text(encoding="utf-8"))
    issues = data["inconsistencies"]
    print(f"{len(issues)} issues; terms learned: {len(data['terms']['do_not_translate'])}")
    drawn = sorted(random.Random(SEED).sample(range(len(issues)), min(n, len(issues))))
    for k in drawn:
        issue = issues[k]
        print(f"\n## #{k} {issue['code']} ({issue['count']} occurrences, {issue['editions']} editions)")
        print(issue["message"])
        seen: dict[tuple[str, str], list[str]] = {}
        for o in issue["occurrences"]:
            loc = o["source_loc"].get("line_start") or o["source_loc"].get("page")
            where = f"{o['document']} {o['edition']} {o['source_id']}->{o['target_id']} @{loc}"
            seen.setdefault((o["source_text"], o["target_text"]), []).append(where)
        for (src, tgt), places in seen.items():
            print(f"  EN: {src}\n  FR: {tgt}")
            for p in places:
                print(f"     {p}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 20)
