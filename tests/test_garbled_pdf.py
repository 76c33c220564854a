"""Unreadable text layers (pipeline/extract/pdf/damage.py): damaged copies of real PDFs, made here.

Four kinds of damage (tests/pdf_damage.py) on copies of shared-corpus PDFs written to a temp folder
at test time: each must give a W104 warning naming the file and page, a W104 finding, and no offer
the sound file does not have (no gibberish offer); every real PDF of the corpus must give none.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import CLI

pytest.importorskip("pikepdf", reason="pikepdf (dev dependency) makes the damaged copies")
from pdf_damage import KINDS  # noqa: E402

from pipeline.catalog.loader import load_description  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.normalize import DAMAGED_PAGE  # noqa: E402

pytestmark = pytest.mark.shared

BILINGUAL = "bilingual-pdf/support/2021-06-04/en.pdf"
#: (kind, source): drop_tounicode on the bilingual PDF, whose CID fonts need their maps; the others
#: on both the vendor PDF (simple TrueType fonts) and the bilingual one (CID fonts)
CASES = [
    ("xor_stream", "vendor"),
    ("xor_stream", "bilingual"),
    ("truncate_stream", "vendor"),
    ("truncate_stream", "bilingual"),
    ("drop_tounicode", "bilingual"),
    ("swap_encoding", "vendor"),
    ("swap_encoding", "bilingual"),
]


@pytest.fixture(scope="module")
def sources(shared_corpus: Path, vendor_pdf: Path) -> dict[str, Path]:
    return {"vendor": vendor_pdf, "bilingual": shared_corpus / BILINGUAL}


def _damaged(tmp_path: Path, kind: str, source: Path) -> Path:
    out = tmp_path / f"{kind}-{source.name}"
    out.write_bytes(KINDS[kind](source.read_bytes(), 1))  # the second page
    return out


def _offer_names(path: Path) -> set[str]:
    return {o.name for o in load_description(path).offers}


@pytest.mark.parametrize(("kind", "source"), CASES, ids=[f"{k}-{s}" for k, s in CASES])
def test_damaged_page_is_reported_and_left_out(kind: str, source: str, sources, tmp_path: Path):
    src = sources[source]
    bad = _damaged(tmp_path, kind, src)
    doc = extract(bad)
    pages = [d.page for d in doc.damaged_pages]
    assert 2 in pages, (kind, source, doc.damaged_pages)
    if kind in ("xor_stream", "truncate_stream"):  # the damage is in page 2's own stream
        assert pages == [2]
    assert not [b for b in doc.blocks for p in b.prov if p.page in pages]  # nothing read from them
    sd = load_description(bad)
    findings = [f for f in sd.findings if f.code == DAMAGED_PAGE]
    assert [f.prov[0].page for f in findings] == pages
    assert all(f.severity.value == "warning" and f"page {f.prov[0].page}:" in f.message for f in findings)
    assert not [x for x in sd.facts for p in x.prov if p.page in pages]
    assert _offer_names(bad) <= _offer_names(src)  # damage may lose offers, never invent one


def test_cli_warning_names_file_and_page(sources, tmp_path: Path):
    bad = _damaged(tmp_path, "truncate_stream", sources["vendor"])
    run = subprocess.run(
        [*CLI, "extract", str(bad), "-o", str(tmp_path / "out.json")], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr  # the sound pages are still described
    lines = run.stderr.splitlines()
    assert lines == [
        f"svcdesc: [W104] {bad.name}: page 2: unreadable text layer: a compressed content stream is cut "
        "short or corrupt; its text is left out of offers, SLA and facts"
    ], run.stderr
    codes = [f["code"] for f in json.loads((tmp_path / "out.json").read_text())["findings"]]
    assert DAMAGED_PAGE in codes


def test_every_real_pdf_reads_clean(shared_corpus: Path, extracted):
    """No false alarm: every page of every real PDF of the shared corpus has a readable text layer."""
    flagged = {
        str(p.relative_to(shared_corpus)): extracted(p).damaged_pages
        for p in sorted(shared_corpus.rglob("*.pdf"))
    }
    assert len(flagged) >= 34
    assert {k: v for k, v in flagged.items() if v} == {}


@pytest.mark.slow
def test_build_counts_a_garbled_document_as_failed_unless_allowed(sources, tmp_path: Path):
    corpus = tmp_path / "corpus"
    (corpus / "damaged" / "2019-03-25").mkdir(parents=True)
    (corpus / "damaged" / "2019-03-25" / "en.pdf").write_bytes(
        KINDS["truncate_stream"](sources["vendor"].read_bytes(), 1)
    )
    args = [*CLI, "build", str(corpus), "--progress", "plain", "--jobs", "1", "--fail-on", "never"]
    strict = subprocess.run([*args, "--out", str(tmp_path / "a")], capture_output=True, text=True)
    assert strict.returncode == 2, strict.stderr[-3000:]
    assert "[W104] damaged/2019-03-25/en.pdf: page 2: unreadable text layer" in strict.stderr
    catalog = json.loads((tmp_path / "a" / "catalog.json").read_text())
    assert [(p["path"], p["code"]) for p in catalog["problems"]] == [
        ("damaged/2019-03-25/en.pdf", DAMAGED_PAGE)
    ]
    allowed = subprocess.run(
        [*args, "--out", str(tmp_path / "b"), "--allow-garbled"], capture_output=True, text=True
    )
    assert allowed.returncode == 0, allowed.stderr[-3000:]
    assert "[W104] damaged/2019-03-25/en.pdf: page 2:" in allowed.stderr  # still said, not counted
    assert json.loads((tmp_path / "b" / "catalog.json").read_text())["problems"] == []
