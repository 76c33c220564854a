"""Per-layout accuracy on the fictional-vendor documents: gold values right / total, per language and format.

Scores every ``tests/data/vendors/*/gold.json`` with the test harness's scorer (``tests/vendor_gold.py``:
same documents, same PDFs typeset from the Markdown, same verdicts as ``tests/test_vendor_layouts.py``)
and prints one line per layout x language x format, then totals; ``--json`` writes the figures.
The gold keys can be limited (``--keys offers not_offers findings`` for the offer side only).

    PYTHONPATH=. .venv/bin/python benchmarks/vendor_layouts.py [--keys …] [--json benchmarks/results/vendor_layouts.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from vendor_gold import FORMATS, LANGS, describe, gold_files, load_gold, score, source  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", nargs="*", help="gold keys to score (default: all)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    rows: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    wrong: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for gold_path in gold_files():
            gold = load_gold(gold_path)
            for lang in LANGS:
                wanted = {k: v for k, v in gold[lang].items() if not args.keys or k in args.keys}
                if not wanted:
                    continue
                for fmt in FORMATS:
                    sd = describe(source(gold_path.parent, lang, fmt, Path(tmp)))
                    verdicts = score(sd, wanted)
                    cell = rows[(gold["layout"], lang, fmt)]
                    cell[0] += sum(v.ok for v in verdicts)
                    cell[1] += len(verdicts)
                    wrong += [f"{gold_path.parent.name} {lang} {fmt}: {v.key}" for v in verdicts if not v.ok]
    total = [sum(r[0] for r in rows.values()), sum(r[1] for r in rows.values())]
    for (layout, lang, fmt), (ok, n) in sorted(rows.items()):
        print(f"{layout:48} {lang} {fmt:3}  {ok:4}/{n:<4} {ok / n:6.1%}")
    print(f"{'total':48} {'':6}  {total[0]:4}/{total[1]:<4} {total[0] / max(total[1], 1):6.1%}")
    for line in wrong:
        print("wrong:", line)
    if args.json:
        out = {
            "rows": [
                {"layout": k[0], "lang": k[1], "format": k[2], "right": v[0], "total": v[1]}
                for k, v in sorted(rows.items())
            ],
            "right": total[0],
            "total": total[1],
            "wrong": wrong,
        }
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
