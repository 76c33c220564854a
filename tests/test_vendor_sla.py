"""SLA gold values of the fictional-vendor documents, FR and EN, Markdown and generated PDF.

``sla_gold.py`` says how the gold is written; ``benchmarks/sla_layouts.py`` prints the per-layout
accuracy from the same checker.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sla_gold import SLA_CHECKERS

from pipeline.extract import extract
from pipeline.normalize import normalize

VENDORS = Path(__file__).resolve().parent / "data" / "vendors"
ROOT = Path(__file__).resolve().parents[1]
SLA_FOLDERS = sorted(
    g.parent
    for g in VENDORS.glob("*/gold.json")
    if any(k in g.read_text(encoding="utf-8") for k in SLA_CHECKERS)
)
CASES = [(f, lang, fmt) for f in SLA_FOLDERS for lang in ("en", "fr") for fmt in ("md", "pdf")]


def render_pdf(md: Path, out: Path) -> Path:
    spec = importlib.util.spec_from_file_location(
        "make_sample_corpus", ROOT / "scripts" / "make_sample_corpus.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.render(md, out)
    return out


def test_sla_documents_cover_the_shapes() -> None:
    assert len(SLA_FOLDERS) >= 5


@pytest.mark.parametrize(("folder", "lang", "fmt"), CASES, ids=[f"{f.name}-{la}-{fm}" for f, la, fm in CASES])
def test_sla_gold(folder: Path, lang: str, fmt: str, tmp_path: Path) -> None:
    import json

    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))[lang]
    md = folder / f"{lang}.md"
    sd = normalize(extract(md if fmt == "md" else render_pdf(md, tmp_path / f"{lang}.pdf")))
    verdicts = [v for key, check in SLA_CHECKERS.items() if key in gold for v in check(sd, gold[key])]
    names = {o.name for o in sd.offers}
    verdicts_not_offers = [n for n in gold.get("not_offers", []) if n in names]
    wrong = [f"{v.key}: expected {v.expected!r}, got {v.got!r}" for v in verdicts if not v.ok]
    wrong += [f"not_offers/{n}: is an offer" for n in verdicts_not_offers]
    assert verdicts
    assert not wrong, f"{len(wrong)}/{len(verdicts)} SLA gold values wrong:\n" + "\n".join(wrong)
