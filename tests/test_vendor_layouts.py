"""Every gold value of every fictional-vendor document, in both languages and both formats.

The documents (``tests/data/vendors/<vendor>/{en,fr}.md``) are short service descriptions in layouts
the real corpus lacks (service x plan matrices with marks and legends, one availability column,
prose with conditions and prices, included/optional sections, SLA layouts …); ``vendor_gold.py``
says how gold is written and checked. One test per document, language and format; the failure
message lists every wrong value.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from vendor_gold import FORMATS, LANGS, describe, gold_files, load_gold, score, source

PKG = Path(__file__).resolve().parents[1] / "pipeline"
CASES = [(g.parent, lang, fmt) for g in gold_files() for lang in LANGS for fmt in FORMATS]


def test_there_are_vendor_documents() -> None:
    assert len(gold_files()) >= 4
    for gold in gold_files():
        data = load_gold(gold)
        assert data.get("vendor") and data.get("layout"), gold
        for lang in LANGS:
            assert (gold.parent / f"{lang}.md").is_file(), f"{gold.parent.name}: no {lang}.md"
            assert data.get(lang), f"{gold.parent.name}: no {lang} gold"


@pytest.mark.parametrize(
    ("folder", "lang", "fmt"), CASES, ids=[f"{f.name}-{lang}-{fmt}" for f, lang, fmt in CASES]
)
def test_gold_values(folder: Path, lang: str, fmt: str, tmp_path: Path) -> None:
    gold = load_gold(folder / "gold.json")[lang]
    sd = describe(source(folder, lang, fmt, tmp_path))
    verdicts = score(sd, gold)
    wrong = [f"{v.key}: expected {v.expected!r}, got {v.got!r}" for v in verdicts if not v.ok]
    assert verdicts
    assert not wrong, f"{len(wrong)}/{len(verdicts)} gold values wrong:\n" + "\n".join(wrong)


def test_no_test_vendor_name_in_code() -> None:
    """The fictional vendors' names (and their plan names) are test data: the code never knows them."""
    names = [load_gold(g)["vendor"] for g in gold_files()]
    rx = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in names), re.IGNORECASE)
    files = [*PKG.rglob("*.py"), *PKG.rglob("*.yaml")]
    hits = [f"{p.relative_to(PKG)}" for p in files if rx.search(p.read_text(encoding="utf-8"))]
    assert not hits, f"test vendor names in {hits}"
