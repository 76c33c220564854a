"""The pieces that keep a big build bounded: streamed catalogs, split pages, the task queue, the store."""

from __future__ import annotations

import io
import json
import re

import pytest
from lxml import html as lxml_html

from pipeline.catalog.catalog_model import (
    BuildProblem,
    Catalog,
    CatalogDocument,
    CatalogEdition,
    CatalogLanguage,
    CatalogOffer,
    CatalogReport,
    Count,
)
from pipeline.render.canonical import canonical_json


def small_catalog(n_docs: int = 3) -> Catalog:
    docs = []
    for d in range(n_docs):
        editions = [
            CatalogEdition(
                edition=f"2021-0{e + 1}-01",
                languages=[
                    CatalogLanguage(
                        lang=lang,
                        source=f"d{d}/{e}/{lang}.md",
                        sha256="0" * 64,
                        format="markdown",
                        title=f"Doc «{d}» <{lang}>",
                        json_path=f"editions/d{d}/{e}/{lang}.json",
                        offers=[
                            CatalogOffer(id=f"o{i}", name=f"Offer {i} & co", availability="included")
                            for i in range(e + 1)
                        ],
                        findings=[Count(name="error", count=d)],
                    )  # fmt: skip
                    for lang in ("en", "fr")
                ],
            )
            for e in range(2)
        ]
        diffs = [CatalogReport(kind="diff", lang="en", old="2021-01-01", new="2021-02-01",
                               counts=[Count(name="major", count=1)], files=[f"diffs/d{d}/x.en.html"])]  # fmt: skip
        docs.append(CatalogDocument(id=f"group/d{d}", title=f"D{d}", editions=editions, diffs=diffs))
    return Catalog(
        tool_version="9.9", build_date="2026-01-01", documents=docs,
        problems=[BuildProblem(path="x.pdf", code="E101", message="not a PDF")], unknown_files=["a.docx"],
    )  # fmt: skip


def _values(c: Catalog) -> dict:
    return {
        "schema_version": c.schema_version, "tool_version": c.tool_version, "build_date": c.build_date,
        "problems": c.problems, "unknown_files": c.unknown_files,
    }  # fmt: skip


@pytest.mark.parametrize("n_docs", [0, 1, 3])
def test_streamed_catalog_json_is_the_canonical_json_of_the_whole_catalog(n_docs):
    from pipeline.catalog.assemble import JsonCatalogWriter

    catalog = small_catalog(n_docs)
    fh = io.BytesIO()
    w = JsonCatalogWriter(fh, _values(catalog))
    for doc in catalog.documents:
        w.add(doc.model_dump(mode="json"))
    w.close()
    assert fh.getvalue().decode() == canonical_json(catalog)


@pytest.mark.parametrize("n_docs", [1, 3])
def test_streamed_catalog_xml_is_the_xml_of_the_whole_catalog(n_docs):
    from pipeline.render.xml import StreamedModelXml, model_to_xml

    catalog = small_catalog(n_docs)
    fh = io.BytesIO()
    w = StreamedModelXml(fh, Catalog, "catalog", _values(catalog), "documents")
    for doc in catalog.documents:
        w.add(doc)
    w.close()
    assert fh.getvalue() == model_to_xml(catalog, "catalog")


def big_page(n_rows: int) -> str:
    rows = "".join(
        f'<tr id="p{i}"><td>{i}</td><td>{"source text " * 20}</td><td>{"texte cible " * 20}</td></tr>\n'
        for i in range(1, n_rows + 1)
    )
    template = (
        '{% extends "base.html.j2" %}{% block content %}<h1>Report &lt;x&gt;</h1><p><a href="#p'
        + str(n_rows)
        + '">last row</a></p>'
        '<table class="pairs"><thead><tr><th>#</th><th>en</th><th>fr</th></tr></thead><tbody>{{ rows | safe }}'
        "</tbody></table><script>document.querySelectorAll('tr');</script>{% endblock %}"
    )
    from pipeline.render.html import environment

    return environment().from_string(template).render(title="Report", lang="en", rows=rows)


def test_a_big_report_is_split_into_linked_pages_under_the_limit():
    from pipeline.render.paginate import paginate

    page = big_page(3000)
    assert len(page.encode()) > 1_500_000
    pages = paginate(page, "2021-01-01..2021-02-01.en", limit=400_000)
    assert len(pages) >= 4
    seen: list[int] = []
    for n, p in enumerate(pages, 1):
        assert len(p.encode()) <= 400_000
        tree = lxml_html.document_fromstring(p)
        assert tree.findtext(".//h1") == "Report <x>"  # the title on every page
        assert tree.find(".//thead") is not None  # the header row on every page
        assert len(tree.findall(".//script")) == 1
        assert f"Page {n} of {len(pages)}" in p
        seen += [int(tr.get("id")[1:]) for tr in tree.iter("tr") if tr.get("id")]
        links = {a.get("href") for a in tree.iter("a")}
        others = {f"2021-01-01..2021-02-01.en.p{k}.html" for k in range(2, len(pages) + 1)} - {
            f"2021-01-01..2021-02-01.en.p{n}.html"
        }
        assert others <= links
    assert seen == list(range(1, 3001))  # every row once, in order
    first = lxml_html.document_fromstring(pages[0])
    jump = next(a.get("href") for a in first.iter("a") if a.text == "last row")
    assert re.fullmatch(rf"2021-01-01\.\.2021-02-01\.en\.p{len(pages)}\.html#p3000", jump)


def test_a_small_page_is_left_byte_for_byte():
    from pipeline.render.paginate import paginate

    page = big_page(10)
    assert paginate(page, "x", limit=400_000) == [page]


def test_task_queue_runs_largest_first_and_takes_follow_ups():
    from pipeline.catalog.executor import LocalExecutor, TaskQueue

    order: list[str] = []

    def done(tid, item, outcome):
        order.append(outcome.result)
        if item == "b":  # finishing one task may queue more (a document's comparisons)
            queue.add("b-follow-up", 1)

    queue = TaskQueue(done)
    for item, size in [("a", 10), ("b", 300), ("c", 20)]:
        queue.add(item, size)
    LocalExecutor(1).stream(str.upper, queue, timeout_s=None)
    assert order == ["B", "C", "A", "B-FOLLOW-UP"]
    assert queue.pending == 0


def test_store_refuses_a_corrupt_blob(tmp_path):
    from pipeline.catalog import store

    sha, size = store.put_blob(tmp_path, b"hello")
    assert store.get_blob(tmp_path, sha) == b"hello" and store.has_blob(tmp_path, sha, size)
    store.blob_path(tmp_path, sha).write_bytes(b"hellO")
    with pytest.raises(store.CorruptBlob):
        store.get_blob(tmp_path, sha)
    assert not store.blob_path(tmp_path, sha).exists()  # removed: the next build recomputes it


def test_manifest_lists_every_published_file(tmp_path):
    """The OUT manifest names every file with its hash: what the next build compares against."""
    from helpers import tree_digest
    from test_build import mini_corpus

    from pipeline.catalog.pipeline import BuildOptions, build
    from pipeline.catalog.publish import MANIFEST

    corpus = mini_corpus(tmp_path / "corpus", editions=("2025-03-01",))
    out = tmp_path / "out"
    build(BuildOptions(corpus=corpus, out=out, jobs=1, cache_dir=tmp_path / "cache", fail_on="never"))
    manifest = json.loads((out / MANIFEST).read_text())["files"]
    digest = tree_digest(out)
    assert set(manifest) == set(digest) - {MANIFEST, ".svcdesc-build"}
    assert all(manifest[k][1] == digest[k] for k in manifest)
    assert "docs/nordlys-support.html" in manifest and "parity/nordlys-support/2025-03-01.html" in manifest


def test_a_big_document_page_is_split_too(tmp_path):
    """A document page with a huge offers x editions matrix: its sections are packed into pages."""
    from pipeline.catalog.assemble import write_pages
    from pipeline.render.site import render_document_page

    catalog = small_catalog(1)
    doc = catalog.documents[0]
    for ed in doc.editions:
        for lv in ed.languages:
            lv.offers = [CatalogOffer(id=f"offer-{i}", name=f"Offer number {i} " * 4, availability="included")
                         for i in range(2500)]  # fmt: skip
    html = render_document_page(doc, root="../../")
    assert len(html.encode()) > 1_000_000
    dst = tmp_path / "docs" / "group" / "d0.html"
    dst.parent.mkdir(parents=True)
    extras = write_pages(dst, "docs/group/d0.html", html)
    assert extras and extras[0] == "docs/group/d0.p2.html"
    pages = [dst, *(tmp_path / e for e in extras)]
    assert all(p.stat().st_size <= 1_000_000 for p in pages)
    text = "".join(p.read_text() for p in pages)
    assert all(f">offer-{i}<" in text for i in range(0, 2500, 97))
    assert 'id="sla"' in text and 'class="history"' in text and 'id="reports"' in text


def test_a_stored_result_corrupted_in_place_is_recomputed_not_published(tmp_path):
    """A blob whose bytes change but keep their size passes the cheap presence check; it is caught
    when read (its hash is its name), removed, and the build recomputes it: same output as before."""
    from helpers import tree_digest
    from test_build import mini_corpus

    from pipeline.catalog.pipeline import BuildOptions, build

    corpus = mini_corpus(tmp_path / "corpus", editions=("2025-03-01",))
    cache = tmp_path / "cache"
    build(BuildOptions(corpus=corpus, out=tmp_path / "a", jobs=1, cache_dir=cache, fail_on="never"))
    for blob in (cache / "blobs").rglob("*"):
        if blob.is_file():
            data = bytearray(blob.read_bytes())
            data[len(data) // 2] ^= 0x01
            blob.write_bytes(bytes(data))
    report = build(BuildOptions(corpus=corpus, out=tmp_path / "b", jobs=1, cache_dir=cache, fail_on="never"))
    assert report.problems == []
    assert tree_digest(tmp_path / "b") == tree_digest(tmp_path / "a")


LEXICON_DOC = """---
title: Support
---
# Support

## Plans

| Plan | Response time |
|---|---|
| Premier | 4 hrz |
| Basic | 8 hrz |

We answer within 4 hrz.
"""


def lexicon_corpus(tmp_path):
    """A document whose durations are read only with a user lexicon extension ('hrz' = hours)."""
    doc = tmp_path / "corpus" / "support" / "2024-01-01" / "en.md"
    doc.parent.mkdir(parents=True)
    doc.write_text(LEXICON_DOC, encoding="utf-8")
    (tmp_path / "lex" / "en").mkdir(parents=True)
    (tmp_path / "lex" / "en" / "units.yaml").write_text("duration:\n  hour: [hrz]\n", encoding="utf-8")
    return tmp_path / "corpus"


def test_a_lexicon_extension_invalidates_cached_results(tmp_path):
    """SVCDESC_LEXICON_PATH changes what is read: a cached build made without it is not reused."""
    import subprocess
    import sys

    from helpers import CLI_CHILD, tree_digest

    corpus = lexicon_corpus(tmp_path)

    def build(out, cache, lexicon):
        env = {k: v for k, v in __import__("os").environ.items() if k != "SVCDESC_LEXICON_PATH"}
        if lexicon:
            env["SVCDESC_LEXICON_PATH"] = str(tmp_path / "lex")
        args = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
        run = subprocess.run(
            [sys.executable, "-c", CLI_CHILD, "build", str(corpus), "--out", str(out), "--jobs", "1",
             "--progress", "none", "--fail-on", "never", *args],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-2000:]
        return tree_digest(out)

    plain = build(tmp_path / "out", tmp_path / "cache", lexicon=False)
    extended = build(tmp_path / "out", tmp_path / "cache", lexicon=True)
    assert extended != plain
    assert extended == build(tmp_path / "cold", None, lexicon=True)


def test_local_pool_is_replaced_after_its_share_of_tasks(monkeypatch):
    """A worker's memory grows with the tasks it ran: the pool is replaced, idle, every RECYCLE_AFTER
    tasks, and every task still runs once (in priority order, none lost at a replacement)."""
    from pipeline.catalog import executor

    monkeypatch.setattr(executor, "RECYCLE_AFTER", 3)
    made: list[int] = []
    real = executor.LocalExecutor._pool

    def counting(self):
        if self.pool is None:
            made.append(1)
        return real(self)

    monkeypatch.setattr(executor.LocalExecutor, "_pool", counting)
    out: list[str] = []
    queue = executor.TaskQueue(lambda tid, item, outcome: out.append(outcome.result))
    for k in range(8):
        queue.add(f"t{k}", 8 - k)
    ex = executor.LocalExecutor(2)
    try:
        ex.stream(str.upper, queue, timeout_s=None)
    finally:
        ex.close()
    assert sorted(out) == [f"T{k}" for k in range(8)]
    assert len(made) == 3  # 8 tasks, 3 per pool
    assert queue.pending == 0
