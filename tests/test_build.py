"""``svcdesc build`` on the repository's sample corpus (Nordlys Premier Support, EN/FR, two editions).

The sample corpus is built once per session (Markdown and PDF, cold cache); the other tests read
that OUT, rebuild it from the cache, or build small copies of it in tmp_path.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from helpers import CLI, tree_digest

from pipeline.catalog.pipeline import BuildOptions, build

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpus"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """(OUT, cache dir, report, seconds) of one cold build of the sample corpus."""
    base = tmp_path_factory.mktemp("sample-build")
    out, cache = base / "out", base / "cache"
    began = time.monotonic()
    report = build(BuildOptions(corpus=SAMPLE, out=out, jobs=2, cache_dir=cache, fail_on="never"))
    return out, cache, report, time.monotonic() - began


@pytest.fixture(scope="session")
def sample_db(sample_build):
    con = sqlite3.connect(sample_build[0] / "catalog.sqlite")
    yield con
    con.close()


def test_sample_corpus_layout_is_discovered():
    from pipeline.catalog.corpus import discover

    corpus = discover(SAMPLE)
    assert corpus.documents == ["nordlys-support", "nordlys-support-pdf"]
    assert {(e.edition, e.lang) for e in corpus.entries} == {
        (d, lang) for d in ("2025-03-01", "2025-09-01") for lang in ("en", "fr")
    }
    assert corpus.glossary == SAMPLE.resolve() / "glossary.tbx"
    assert corpus.unknown == [] and corpus.problems == []


def test_sample_corpus_builds_every_output(sample_build):
    out, _, report, _ = sample_build
    assert report.problems == []
    assert (report.n_documents, report.n_editions) == (2, 4)
    for name in [
        "catalog.json",
        "catalog.xml",
        "catalog.sqlite",
        "index.html",
        "findings.junit.xml",
        "findings.sarif",
    ]:
        assert (out / name).is_file(), name
        assert (out / name).stat().st_mode & 0o044 == 0o044, f"{name} not readable by a web server"
    for doc in ["nordlys-support", "nordlys-support-pdf"]:
        for edition in ["2025-03-01", "2025-09-01"]:
            for lang in ["en", "fr"]:
                assert (out / "editions" / doc / edition / f"{lang}.json").is_file()
            for ext in ["html", "json", "xlf"]:
                assert (out / "parity" / doc / f"{edition}.{ext}").is_file()
        for lang in ["en", "fr"]:
            for ext in ["html", "json", "md"]:
                assert (out / "diffs" / doc / f"2025-03-01..2025-09-01.{lang}.{ext}").is_file()


def test_sqlite_holds_the_planted_severity_a_change(sample_db):
    """Severity A, cloud services: 1 hour in March, 30 minutes in September, in both languages and formats."""
    rows = sample_db.execute(
        "SELECT document_id, edition, lang, minutes FROM sla_rows WHERE severity = 'A' AND scope_id = 'cloud-services' "
        "ORDER BY 1, 2, 3"
    ).fetchall()
    assert rows == [
        (doc, ed, lang, minutes)
        for doc in ("nordlys-support", "nordlys-support-pdf")
        for ed, minutes in (("2025-03-01", 60), ("2025-09-01", 30))
        for lang in ("en", "fr")
    ]
    changes = sample_db.execute(
        "SELECT document_id, lang, old, new FROM changes WHERE kind = 'sla_changed' AND subject = 'A/cloud-services' ORDER BY 1, 2"
    ).fetchall()
    assert [(d, lang) for d, lang, _, _ in changes] == [
        (d, lang) for d in ("nordlys-support", "nordlys-support-pdf") for lang in ("en", "fr")
    ]
    assert {(old, new) for *_, old, new in changes} == {("1 h", "30 min")}


def test_sqlite_holds_the_other_planted_changes(sample_db):
    def kinds(offer: str) -> set[str]:
        q = "SELECT kind FROM changes WHERE document_id = 'nordlys-support' AND lang = 'en' AND offer_id = ?"
        return {k for (k,) in sample_db.execute(q, (offer,))}

    assert "offer_removed" in kinds("upgrade-planning")
    assert "offer_added" in kinds("security-posture-review")
    assert "availability_changed" in kinds("health-check-assessment")
    assert {"condition_added", "fact_changed"} <= kinds("on-site-engineer")
    fees = sample_db.execute(
        "SELECT old, new, severity FROM changes WHERE document_id = 'nordlys-support' AND lang = 'en' "
        "AND kind = 'fact_changed' AND offer_id = 'on-site-engineer'"
    ).fetchall()
    # a higher fee is worse for the customer: breaking; said once (the fact, not again as the offer's term)
    assert fees == [("1450 EUR", "1600 EUR", "breaking")]
    avail = sample_db.execute(
        "SELECT edition, availability FROM offers WHERE document_id = 'nordlys-support-pdf' AND lang = 'fr' "
        "AND offer_id = 'health-check-assessment' ORDER BY 1"
    ).fetchall()
    assert avail == [("2025-03-01", "included"), ("2025-09-01", "additional")]


def test_sqlite_holds_the_planted_translation_slips(sample_db):
    """September French: the architecture review row is missing and severity B says 4 h for 2 h."""
    missing = sample_db.execute(
        "SELECT count(*) FROM offers WHERE document_id = 'nordlys-support' AND edition = '2025-09-01' "
        "AND offer_id = 'architecture-review' AND lang = ?",
        ("fr",),
    ).fetchone()[0]
    assert missing == 0
    b = dict(
        sample_db.execute(
            "SELECT lang, minutes FROM sla_rows WHERE document_id = 'nordlys-support' AND edition = '2025-09-01' "
            "AND severity = 'B' AND scope_id = 'cloud-services'"
        ).fetchall()
    )
    assert b == {"en": 120, "fr": 240}
    kinds = {
        k
        for (k,) in sample_db.execute(
            "SELECT kind FROM parity_findings WHERE document_id = 'nordlys-support' AND edition = '2025-09-01'"
        )
    }
    assert {"missing_in_target", "sla_mismatch"} <= kinds


def test_catalog_valid_against_json_schema_and_xsd(sample_build):
    import jsonschema
    from lxml import etree

    out = sample_build[0]
    schema = json.loads((REPO / "schemas" / "catalog.schema.json").read_text())
    catalog = json.loads((out / "catalog.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(catalog)
    xsd = etree.XMLSchema(etree.parse(str(REPO / "schemas" / "catalog.xsd")))
    doc = etree.parse(str(out / "catalog.xml"))
    assert xsd.validate(doc), xsd.error_log.last_error
    assert [d["id"] for d in catalog["documents"]] == ["nordlys-support", "nordlys-support-pdf"]
    offers = {o["id"] for o in catalog["documents"][0]["editions"][1]["languages"][0]["offers"]}
    assert "security-posture-review" in offers and "upgrade-planning" not in offers


def test_committed_catalog_schemas_match_the_model():
    from pipeline.catalog.catalog_model import catalog_json_schema, catalog_xsd

    assert (REPO / "schemas" / "catalog.schema.json").read_text(encoding="utf-8") == catalog_json_schema()
    assert (REPO / "schemas" / "catalog.xsd").read_bytes() == catalog_xsd()


def test_junit_and_sarif_carry_the_parity_errors(sample_build):
    from lxml import etree

    out = sample_build[0]
    junit = etree.parse(str(out / "findings.junit.xml")).getroot()
    suites = {s.get("name"): s for s in junit.iter("testsuite")}
    parity = suites["nordlys-support/2025-09-01/parity en-fr"]
    failures = [f.get("type") for f in parity.iter("failure")]
    assert "missing_in_target" in failures and "sla_mismatch" in failures
    assert int(junit.get("failures")) == sum(int(s.get("failures")) for s in suites.values())
    sarif = json.loads((out / "findings.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
    slips = [
        r
        for r in results
        if r["ruleId"] == "sla_mismatch" and r["properties"]["suite"].startswith("nordlys-support/")
    ]
    assert slips and slips[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "nordlys-support/2025-09-01/fr.md"
    )
    assert slips[0]["level"] == "error"


def test_site_links_every_report(sample_build):
    """The index links one page per document; each page links its diff and parity reports."""
    out = sample_build[0]
    index = (out / "index.html").read_text()
    for doc in ("nordlys-support", "nordlys-support-pdf"):
        assert f'href="docs/{doc}.html"' in index, doc
        page = (out / "docs" / f"{doc}.html").read_text()
        assert 'href="../index.html"' in page
        assert 'class="matrix offers-editions"' in page and 'class="matrix sla"' in page
        assert 'class="history"' in page
    for doc, link in [
        ("nordlys-support", "diffs/nordlys-support/2025-03-01..2025-09-01.en.html"),
        ("nordlys-support-pdf", "diffs/nordlys-support-pdf/2025-03-01..2025-09-01.fr.html"),
        ("nordlys-support", "parity/nordlys-support/2025-09-01.html"),
        ("nordlys-support-pdf", "parity/nordlys-support-pdf/2025-03-01.xlf"),
    ]:
        assert f'href="../{link}"' in (out / "docs" / f"{doc}.html").read_text(), link
        assert (out / link).is_file()
    for html in [index, *(p.read_text() for p in (out / "docs").glob("*.html"))]:
        assert "http://" not in html.split("</head>")[0] and "<script src" not in html
    assert 'id="q"' in index and 'id="lang"' in index and 'id="sev"' in index and 'id="since"' in index


def test_no_change_rebuild_is_byte_identical_and_all_cached(sample_build, tmp_path):
    """Same input, cache warm: the same bytes, and no document or pair computed again (the work
    skipped is counted, not timed: a wall-clock ratio fails on a loaded machine)."""
    out, cache, _, _ = sample_build
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = {p: p.stat().st_mtime_ns for p in copy.rglob("*")}
    report = build(BuildOptions(corpus=SAMPLE, out=copy, jobs=2, cache_dir=cache, fail_on="never"))
    assert report.cached == report.described == 8 and report.pairs_cached == report.pairs == 8
    assert report.unchanged  # nothing to publish: OUT is left as it was, not one file rewritten
    assert {p: p.stat().st_mtime_ns for p in copy.rglob("*")} == before
    assert tree_digest(copy) == tree_digest(out)


def test_one_edited_document_rebuilds_only_its_part_byte_identical_to_cold(tmp_path, monkeypatch):
    """Edit one document of two: only its tasks run again, the other's files are kept (hard links,
    same inode), and the result is byte for byte what a cold build of the edited corpus gives."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    corpus = tmp_path / "corpus"
    for doc in ("alpha", "beta"):
        mini_corpus(corpus / "_tmp")
        shutil.move(corpus / "_tmp" / "nordlys-support", corpus / doc)
    shutil.move(corpus / "_tmp" / "glossary.tbx", corpus / "glossary.tbx")
    shutil.rmtree(corpus / "_tmp")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(BuildOptions(corpus=corpus, out=out, jobs=2, cache_dir=cache, fail_on="never"))
    kept = out / "diffs" / "alpha" / "2025-03-01..2025-09-01.en.html"
    inode = kept.stat().st_ino
    edited = corpus / "beta" / "2025-09-01" / "en.md"
    edited.write_text(edited.read_text().replace("30 minutes", "20 minutes"))
    report = build(BuildOptions(corpus=corpus, out=out, jobs=2, cache_dir=cache, fail_on="never"))
    assert report.described == 8 and report.cached == 7  # the one edited input described again
    # its English diff, its French diff (judged against that English) and the parity of its edition;
    # the other parity reports use a corpus-learned name table that this edit leaves as it was
    assert report.pairs - report.pairs_cached == 3
    assert not report.unchanged and report.files_reused > report.files_written
    assert kept.stat().st_ino == inode  # alpha's report was linked, not rewritten
    cold = build(BuildOptions(corpus=corpus, out=tmp_path / "cold", jobs=1, use_cache=False, fail_on="never"))
    assert cold.cached == 0
    assert tree_digest(out) == tree_digest(tmp_path / "cold")
    con = sqlite3.connect(out / "catalog.sqlite")
    minutes = con.execute(
        "SELECT minutes FROM sla_rows WHERE document_id = 'beta' AND edition = '2025-09-01' AND lang = 'en' "
        "AND severity = 'A' AND scope_id = 'cloud-services'"
    ).fetchall()
    con.close()
    assert minutes == [(20,)]


def mini_corpus(root: Path, editions=("2025-03-01", "2025-09-01")) -> Path:
    for edition in editions:
        for lang in ("en", "fr"):
            src = SAMPLE / "nordlys-support" / edition / f"{lang}.md"
            dst = root / "nordlys-support" / edition / f"{lang}.md"
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    shutil.copy(SAMPLE / "glossary.tbx", root / "glossary.tbx")
    return root


def test_two_cold_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    corpus = mini_corpus(tmp_path / "corpus")
    a = build(BuildOptions(corpus=corpus, out=tmp_path / "a", jobs=1, use_cache=False))
    b = build(BuildOptions(corpus=corpus, out=tmp_path / "b", jobs=2, use_cache=False))
    assert a.cached == b.cached == 0
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert json.loads((tmp_path / "a" / "catalog.json").read_text())["build_date"] == "2026-01-01"


def test_sigkill_mid_build_leaves_previous_out_intact(sample_build, tmp_path):
    """SIGKILL while the new tree is complete but not yet swapped in (the build is made to block there)."""
    out = tmp_path / "out"
    shutil.copytree(sample_build[0], out)
    before = tree_digest(out)
    corpus = tmp_path / "corpus"  # one edited document: the build has a new tree to publish
    shutil.copytree(SAMPLE, corpus)
    edited = corpus / "nordlys-support" / "2025-09-01" / "en.md"
    edited.write_text(edited.read_text().replace("30 minutes", "20 minutes"))
    marker = tmp_path / "reached"
    proc = subprocess.Popen(
        [*CLI, "build", str(corpus), "--out", str(out), "--no-cache", "--jobs", "1", "--progress", "plain"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=dict(os.environ, SVCDESC_TEST_STALL=f"build.commit:{marker}"),
    )
    tmp_out = out.parent / f".out.building-{proc.pid}"
    try:
        hang_guard = time.monotonic() + 600  # not a speed bound: only stops a broken build hanging the suite
        while not marker.exists() and proc.poll() is None and time.monotonic() < hang_guard:
            time.sleep(0.05)
        assert marker.exists() and proc.poll() is None, proc.stdout.read().decode()[-2000:]
        assert (tmp_out / "index.html").is_file()  # the new tree is whole, OUT not yet replaced
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert tmp_out.exists()  # the killed build's tree is where it was killed, beside OUT
    assert tree_digest(out) == before  # and OUT is the previous build, byte for byte
    # The next build cleans the dead temp folder and replaces OUT.
    report = build(BuildOptions(corpus=corpus, out=out, jobs=2, cache_dir=sample_build[1], fail_on="never"))
    assert report.n_editions == 4 and not tmp_out.exists() and tree_digest(out) != before


def test_bad_document_reported_and_the_rest_built(tmp_path):
    corpus = mini_corpus(tmp_path / "corpus", editions=("2025-03-01",))
    bad = corpus / "broken" / "2025-01-01" / "en.pdf"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"<html>not a pdf</html>")
    (corpus / "notes" / "2025-01-01").mkdir(parents=True)
    (corpus / "notes" / "2025-01-01" / "draft.odt").write_bytes(b"PK")
    proc = subprocess.run(
        [
            *CLI,
            "build",
            str(corpus),
            "--out",
            str(tmp_path / "out"),
            "--no-cache",
            "--jobs",
            "1",
            "--fail-on",
            "never",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "[E101] en.pdf: not a PDF" in proc.stderr
    assert "unknown file (fits no corpus layout, not built): notes/2025-01-01/draft.odt" in proc.stderr
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith("built 1 editions of 1 documents, 1 failed inputs,"), summary
    catalog = json.loads((tmp_path / "out" / "catalog.json").read_text())
    assert [p["path"] for p in catalog["problems"]] == ["broken/2025-01-01/en.pdf"]
    assert catalog["unknown_files"] == ["notes/2025-01-01/draft.odt"]


def test_fail_on_thresholds(sample_build):
    report = sample_build[2]
    assert report.findings["error"] > 0 and report.changes["breaking"] > 0
    assert report.exit_code("never") == 0
    assert report.exit_code("error") == 1
    assert report.exit_code("breaking") == 1


def test_out_that_is_not_a_build_is_never_replaced(tmp_path):
    from pipeline.errors import UsageError

    corpus = mini_corpus(tmp_path / "corpus", editions=("2025-03-01",))
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("keep me")
    with pytest.raises(UsageError, match="not made by svcdesc build"):
        build(BuildOptions(corpus=corpus, out=precious, use_cache=False))
    with pytest.raises(UsageError, match="outside the corpus"):
        build(BuildOptions(corpus=corpus, out=corpus / "out", use_cache=False))
    assert (precious / "thesis.tex").read_text() == "keep me"


def test_manifest_layout(tmp_path):
    from pipeline.catalog.corpus import discover

    root = tmp_path / "docs"
    for name in ("march.md", "september.md"):
        (root / "src").mkdir(parents=True, exist_ok=True)
        (root / "src" / name).write_text("# Support\n\nText.\n")
    (root / "corpus.toml").write_text(
        '[[documents]]\ndocument = "support"\nedition = "2025-03-01"\nlang = "en"\npath = "src/march.md"\n'
        '[[documents]]\ndocument = "support"\nedition = "2025-09-01"\nlang = "en"\npath = "src/september.md"\n'
    )
    (root / "src" / "stray.pdf").write_bytes(b"%PDF-1.4")
    corpus = discover(root)
    assert [(e.document, e.edition, e.lang, e.rel) for e in corpus.entries] == [
        ("support", "2025-03-01", "en", "src/march.md"),
        ("support", "2025-09-01", "en", "src/september.md"),
    ]
    assert corpus.unknown == ["src/stray.pdf"]


def test_loose_files_take_document_date_and_language_from_the_name(tmp_path):
    from pipeline.catalog.corpus import discover

    (tmp_path / "vendor-pdf").mkdir()
    (tmp_path / "vendor-pdf" / "o365-direct-2019-03-25.en.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "ussd").mkdir()
    (tmp_path / "ussd" / "ussd-v1.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "ussd" / "ussd-v1.docx").write_bytes(b"PK")
    corpus = discover(tmp_path)
    assert [(e.document, e.edition, e.lang) for e in corpus.entries] == [
        ("ussd/ussd-v1", None, None),
        ("vendor-pdf/o365-direct", "2019-03-25", "en"),
    ]
    # the same edition as PDF and Word: the PDF is built, the Word file listed as ignored
    assert corpus.unknown == [] and corpus.ignored == ["ussd/ussd-v1.docx"]
    assert [e.rel for e in corpus.entries] == ["ussd/ussd-v1.pdf", "vendor-pdf/o365-direct-2019-03-25.en.pdf"]


def test_per_document_timeout_reports_each_document(tmp_path):
    """Every document's extraction blocks (test hook): each is reported as E203, OUT is still written.

    A fresh CLI process: worker processes inherit the hook's variable from it, whereas in this
    process a pool or fork server started by an earlier test would not see a variable set now."""
    corpus = mini_corpus(tmp_path / "corpus", editions=("2025-03-01",))
    out = tmp_path / "out"
    run = subprocess.run(
        [*CLI, "build", str(corpus), "--out", str(out), "--jobs", "2", "--no-cache", "--timeout", "0.5",
         "--fail-on", "never", "--progress", "none"],
        capture_output=True, text=True, env=dict(os.environ, SVCDESC_TEST_STALL="extract:"),
    )  # fmt: skip
    assert run.returncode == 2, run.stderr[-2000:]
    problems = json.loads((out / "catalog.json").read_text())["problems"]
    assert sorted((p["path"], p["code"]) for p in problems) == [
        ("nordlys-support/2025-03-01/en.md", "E203"),
        ("nordlys-support/2025-03-01/fr.md", "E203"),
    ]
    assert "[E203] en.md:" in run.stderr and "[E203] fr.md:" in run.stderr, run.stderr[-2000:]


def test_corrupt_cache_entries_are_recomputed_not_trusted(sample_build, tmp_path):
    out, cache, _, _ = sample_build
    corrupt = tmp_path / "cache"
    shutil.copytree(cache, corrupt)
    entries = [p for p in (corrupt / "tasks").rglob("*.json")]
    assert entries
    for i, p in enumerate(entries):
        data = json.loads(p.read_bytes())
        if i % 2:  # well-formed JSON, wrong content (checksum no longer matches)
            data["description"] = data.get("description", "")[:100]
            p.write_text(json.dumps(data))
        else:  # truncated
            p.write_bytes(p.read_bytes()[:50])
    for p in corrupt.rglob("descriptions/*.json"):
        p.write_bytes(b"\x00garbage")
    report = build(
        BuildOptions(corpus=SAMPLE, out=tmp_path / "out", jobs=2, cache_dir=corrupt, fail_on="never")
    )
    assert report.problems == []
    assert tree_digest(tmp_path / "out") == tree_digest(out)
