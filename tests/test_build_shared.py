"""``svcdesc build`` on the whole shared corpus (Markdown and PDF, every edition), once per session.

The one real build of the session: the CLI in a subprocess with ``--jobs 2`` and a content-hash
cache under ``.svcdesc-cache/`` in the repository (gitignored), so a second run is quick.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from helpers import CLI

REPO = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="session")
def shared_build(shared_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("shared-build") / "out"
    proc = subprocess.run(
        [*CLI, "build", str(shared_corpus), "--out", str(out), "--jobs", "2", "--fail-on", "never",
         "--cache-dir", str(REPO / ".svcdesc-cache" / "tests"), "--progress", "plain"],
        capture_output=True, text=True, timeout=1500,
    )  # fmt: skip
    return proc, out


def test_shared_corpus_builds_without_a_failed_document(shared_build):
    proc, out = shared_build
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith("built 42 editions of 18 documents, 0 failed inputs,"), summary
    assert summary.endswith(f"site: {out / 'index.html'}")
    assert "ussd-fr-v1.docx" not in proc.stderr  # the Word twin of the PDF edition: one edition, not unknown


def test_every_document_and_edition_is_in_the_catalog(shared_build, shared_corpus):
    _, out = shared_build
    catalog = json.loads((out / "catalog.json").read_text())
    docs = {d["id"]: d for d in catalog["documents"]}
    slugs = sorted(p.name for p in (shared_corpus / "bilingual-md").iterdir() if p.is_dir())
    assert len(slugs) == 8
    expected = {f"bilingual-md/{s}" for s in slugs} | {f"bilingual-pdf/{s}" for s in slugs}
    expected |= {"vendor-pdf/o365-engineering-direct", "ussd-fr/ussd-fr-v1"}
    assert set(docs) == expected
    for slug in slugs:
        md_dates = sorted(p.name for p in (shared_corpus / "bilingual-md" / slug).iterdir())
        pdf_dates = sorted(p.name for p in (shared_corpus / "bilingual-pdf" / slug).iterdir())
        assert [e["edition"] for e in docs[f"bilingual-md/{slug}"]["editions"]] == md_dates
        assert [e["edition"] for e in docs[f"bilingual-pdf/{slug}"]["editions"]] == pdf_dates
        for e in docs[f"bilingual-md/{slug}"]["editions"] + docs[f"bilingual-pdf/{slug}"]["editions"]:
            assert [lang["lang"] for lang in e["languages"]] == ["en", "fr"]
    # Loose files: edition and language from the name (vendor PDF), detected (USSD, French).
    assert [e["edition"] for e in docs["vendor-pdf/o365-engineering-direct"]["editions"]] == ["2019-03-25"]
    ussd = docs["ussd-fr/ussd-fr-v1"]["editions"][0]["languages"]
    assert [lang["lang"] for lang in ussd] == ["fr"] and ussd[0]["format"] == "pdf"


def test_report_pages_for_every_pair(shared_build):
    _, out = shared_build
    catalog = json.loads((out / "catalog.json").read_text())
    index = (out / "index.html").read_text()
    n_diffs = n_parity = 0
    for doc in catalog["documents"]:
        assert f'href="docs/{doc["id"]}.html"' in index, doc["id"]
        html = (out / "docs" / f"{doc['id']}.html").read_text()
        root = "../" * (doc["id"].count("/") + 1)
        editions = [e["edition"] for e in doc["editions"]]
        langs = sorted({lang["lang"] for e in doc["editions"] for lang in e["languages"]})
        expected_pairs = {
            (lang, a, b) for lang in langs for a, b in zip(editions, editions[1:], strict=False)
        }
        assert {(r["lang"], r["old"], r["new"]) for r in doc["diffs"]} == expected_pairs, doc["id"]
        bilingual = [
            e["edition"] for e in doc["editions"] if {"en", "fr"} <= {x["lang"] for x in e["languages"]}
        ]
        assert [r["old"] for r in doc["parity"]] == bilingual, doc["id"]
        for report in doc["diffs"] + doc["parity"]:
            for f in report["files"]:
                assert (out / f).is_file(), f
                assert f'href="{root}{f}"' in html, f
        n_diffs += len(doc["diffs"])
        n_parity += len(doc["parity"])
    assert (n_diffs, n_parity) == (48, 40)


def test_no_page_over_one_megabyte(shared_build):
    _, out = shared_build
    sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*.html")}
    assert sizes and max(sizes.values()) <= 1_000_000, max(sizes.items(), key=lambda kv: kv[1])


def test_second_build_is_byte_identical(shared_build, shared_corpus, tmp_path):
    """The whole shared corpus built again (from the cache, into a fresh OUT): the same bytes."""
    from helpers import tree_digest

    _, out = shared_build
    again = tmp_path / "again"
    proc = subprocess.run(
        [*CLI, "build", str(shared_corpus), "--out", str(again),
         "--jobs", "2", "--fail-on", "never", "--cache-dir", str(REPO / ".svcdesc-cache" / "tests"), "--progress", "none"],
        capture_output=True, text=True, timeout=1500,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert tree_digest(again) == tree_digest(out)


def test_support_severity_table_in_sqlite(shared_build):
    """bilingual-md/support 2021-06-04 (en): the severity x plan table gives first-response minutes."""
    _, out = shared_build
    con = sqlite3.connect(out / "catalog.sqlite")
    rows = con.execute(
        "SELECT severity, minutes FROM sla_rows WHERE document_id = 'bilingual-md/support' "
        "AND edition = '2021-06-04' AND lang = 'en' AND minutes IS NOT NULL"
    ).fetchall()
    con.close()
    assert rows, "no SLA rows with minutes for support 2021-06-04"
    assert min(m for _, m in rows) <= 60


def test_ussd_availability_offers_in_the_catalog(shared_build):
    """ussd-fr: the availability tables give offers both included (✓) and additional (+)."""
    _, out = shared_build
    con = sqlite3.connect(out / "catalog.sqlite")
    counts = dict(
        con.execute(
            "SELECT availability, count(*) FROM offers WHERE document_id = 'ussd-fr/ussd-fr-v1' GROUP BY 1"
        ).fetchall()
    )
    con.close()
    assert counts.get("included", 0) >= 5 and counts.get("additional", 0) >= 5, counts
