"""Language detection on the shared corpus: documents right, blocks without a language, blocks read as
the other language.

Usage::

    .venv/bin/python benchmarks/bench_language.py [--json]

Truth: a document's language is its file name (``en.md``, ``fr.pdf``, ``….en.pdf``) or, for ``ussd-fr/``
and ``../seeds/``, French. A block's truth is its document's (the corpus is one language per file; a
block that quotes the other language is rare and counted as wrong, so "other language" is an upper
bound of the block errors). Figures of 2026-12-01 (function words only, lexicon ``function.yaml``):
documents 84/84 (48 md, 34 PDF, 1 Word, 1 text); 4,513 blocks, 759 without a language, 3 in the other
language. Without the Word file, before and after topic words left the lists: documents 83/83 both;
of 4,184 blocks, no language 641 -> 750, other language 1 -> 3.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract import extract, readable  # noqa: E402

SHARED = ROOT.parent / "shared"


def truth(path: Path) -> str | None:
    m = re.search(r"(?:^|[/.])(en|fr)\.\w+$", path.as_posix())
    if m:
        return m.group(1)
    return "fr" if "ussd-fr" in path.parts or "seeds" in path.parts else None


def measure() -> dict:
    files = sorted(
        p
        for folder in (SHARED / "corpus", SHARED / "seeds")
        for p in folder.rglob("*")
        if p.is_file() and p.name != "README.md" and readable(p)
    )
    out = {"documents": 0, "documents_right": 0, "by_format": {}, "blocks": 0, "no_language": 0, "other": 0}
    wrong_docs = []
    for p in files:
        t = truth(p)
        doc = extract(p)
        out["documents"] += 1
        fmt = p.suffix.lstrip(".")
        right = doc.meta.language == t
        out["documents_right"] += right
        out["by_format"].setdefault(fmt, [0, 0])
        out["by_format"][fmt][0] += right
        out["by_format"][fmt][1] += 1
        if not right:
            wrong_docs.append(p.relative_to(SHARED).as_posix())
        for b in doc.blocks:
            out["blocks"] += 1
            out["no_language"] += b.lang is None
            out["other"] += b.lang is not None and b.lang != t
    out["wrong_documents"] = wrong_docs
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    r = measure()
    if args.json:
        print(json.dumps(r, sort_keys=True))
    else:
        fmts = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(r["by_format"].items()))
        print(f"documents right {r['documents_right']}/{r['documents']} ({fmts})")
        print(f"blocks {r['blocks']}: no language {r['no_language']}, other language {r['other']}")
        for w in r["wrong_documents"]:
            print("wrong:", w)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
