"""Run the diff over every consecutive edition pair of the real library (EN and FR) and summarise.

For each document of ``../shared/library`` (and ``../shared/corpus/bilingual-md``) and each
language, consecutive editions are compared; French pairs get their English counterparts as the
source language. Prints one line per pair (counts per severity, whether the visible text is
identical) and totals per kind/severity; ``--show`` prints the material changes of the pairs
matching a substring; ``--save DIR`` writes each diff as JSON (what the judging scripts sample).

Descriptions are cached by input hash + the code *upstream* of the diff (extract, normalize,
lexicon), so editing the diff does not re-extract 130 editions. Run:

    nice -n 10 .venv/bin/python benchmarks/diff_library.py [--lang en|fr] [--show DOC] [--save DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

from pipeline.catalog.loader import load_description
from pipeline.diff.compare import diff_descriptions
from pipeline.normalize.model import ServiceDescription

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ROOTS = [SHARED / "library", SHARED / "corpus" / "bilingual-md"]
SOURCE_AWARE = "source_old" in diff_descriptions.__code__.co_varnames
UPSTREAM = [
    "extract",
    "normalize",
    "lexicon",
    "quantities",
    "textutil.py",
    "limits.py",
    "hashing.py",
    "errors.py",
]


def upstream_fingerprint() -> str:
    h = hashlib.sha256()
    root = REPO / "pipeline"
    for part in UPSTREAM:
        p = root / part
        files = [p] if p.is_file() else sorted([*p.rglob("*.py"), *p.rglob("*.yaml")])
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def load(path: Path, cache: Path, fp: str) -> ServiceDescription:
    key = hashlib.sha256(path.read_bytes() + fp.encode()).hexdigest()
    entry = cache / f"{key}.json"
    if entry.is_file():
        return ServiceDescription.model_validate_json(entry.read_bytes())
    sd = load_description(path)
    cache.mkdir(parents=True, exist_ok=True)
    entry.write_text(sd.model_dump_json())
    return sd


_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def visible(path: Path) -> str:
    """The Markdown body without its front matter: what a reader sees."""
    return _FRONT.sub("", path.read_text(encoding="utf-8"), count=1)


def pairs(roots: list[Path], langs: list[str]):
    for root in roots:
        if not root.is_dir():
            continue
        for doc in sorted(p for p in root.iterdir() if p.is_dir()):
            eds = sorted(p for p in doc.iterdir() if p.is_dir())
            for lang in langs:
                for a, b in zip(eds, eds[1:], strict=False):
                    if (a / f"{lang}.md").is_file() and (b / f"{lang}.md").is_file():
                        yield root.name, doc.name, lang, a, b


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", choices=["en", "fr"], action="append")
    ap.add_argument("--doc", help="only documents whose name contains this")
    ap.add_argument("--show", help="print material changes of pairs whose 'doc old..new lang' contains this")
    ap.add_argument("--save", type=Path, help="write each diff JSON under this folder")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/svcdesc-h12-cache"))
    args = ap.parse_args()
    fp = upstream_fingerprint()
    kinds: Counter = Counter()
    sev_total: Counter = Counter()
    identical_material = 0
    for root, doc, lang, a, b in pairs(ROOTS, args.lang or ["en", "fr"]):
        if args.doc and args.doc not in doc:
            continue
        old, new = load(a / f"{lang}.md", args.cache, fp), load(b / f"{lang}.md", args.cache, fp)
        src = {}
        if lang != "en" and (a / "en.md").is_file() and (b / "en.md").is_file():
            src = {
                "source_old": load(a / "en.md", args.cache, fp),
                "source_new": load(b / "en.md", args.cache, fp),
            }
        d = diff_descriptions(old, new, **src) if src and SOURCE_AWARE else diff_descriptions(old, new)
        same = visible(a / f"{lang}.md") == visible(b / f"{lang}.md")
        mat = [c for c in d.changes if c.material()]
        if same and mat:
            identical_material += 1
        name = f"{doc} {a.name}..{b.name} {lang}"
        print(f"{'=' if same else ' '} {name:78s} " + " ".join(f"{k[:3]}{v}" for k, v in d.counts.items()))
        for c in d.changes:
            kinds[(c.kind.value, c.severity.value)] += 1
            sev_total[c.severity.value] += 1
        if args.show and args.show in name:
            for c in mat:
                print(f"    [{c.severity.value}] {c.kind.value} {c.subject or ''}: {c.summary[:160]}")
                if c.old_text or c.new_text:
                    print(f"        - {(c.old_text or '')[:160]}\n        + {(c.new_text or '')[:160]}")
        if args.save:
            out = args.save / root / doc / f"{a.name}..{b.name}.{lang}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(d.model_dump_json(indent=1))
    print("\ntotals:", dict(sev_total))
    for (k, s), n in sorted(kinds.items(), key=lambda t: -t[1]):
        if s in ("breaking", "major"):
            print(f"  {s:9s} {k:22s} {n}")
    print(f"pairs with identical visible text but material changes: {identical_material}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
