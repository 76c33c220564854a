"""The published tree, streamed from the store one document at a time.

For each document (sorted), its fragments are read, turned into its catalog entry and appended to
``catalog.json`` / ``catalog.xml`` / ``catalog.sqlite`` / JUnit / SARIF as they go; its page is
rendered; then they are dropped. What crosses documents (the index rows, the totals of the JUnit
report, the SARIF rule list) comes from the tasks' summaries. Memory is bounded by the largest
document, not by the library.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pipeline import __version__
from pipeline.catalog import store
from pipeline.catalog.catalog_model import Catalog, CatalogDocument
from pipeline.catalog.json_writer import JsonCatalogWriter
from pipeline.catalog.plan import Edition, Pair
from pipeline.catalog.publish import Publisher, key, write_file
from pipeline.catalog.tasks import HTML_PAGE_LIMIT, code_fingerprint, read_json
from pipeline.fsutil import safe_join
from pipeline.render.catalog_findings import SEVERITY_RANK, FindingRecord
from pipeline.testhooks import stall

CATALOG_FILES = {
    "json": "catalog.json",
    "xml": "catalog.xml",
    "sqlite": "catalog.sqlite",
    "junit": "findings.junit.xml",
    "sarif": "findings.sarif",
    "site": "index.html",
}


def edition_path(e: Edition) -> str:
    return "/".join(["editions", e.document, e.edition, f"{e.lang}.json"])


def page_path(doc: str) -> str:
    return "/".join(["docs", f"{doc}.html"])


def doc_key(doc: str, editions: list[Edition], pairs: list[Pair]) -> str:
    parts: list[object] = [doc]
    for e in editions:
        parts += [e.edition, e.lang, e.rel, e.result.key, e.result.description[0], e.result.fragment[0]]
    for p in pairs:
        assert p.result is not None
        parts += [p.kind, p.lang, p.old, p.new, p.result.key, p.result.fragment[0], sorted(p.result.outputs)]
    return key(*parts)


class Assembly:
    """Plans the recipes of every output, then writes what changed."""

    def __init__(
        self, plan, formats: set[str], build_date: str | None, problems: list, unknown: list[str]
    ) -> None:
        self.plan = plan
        self.formats = formats
        self.build_date = build_date
        self.problems = sorted(problems, key=lambda p: (p.path, p.code, p.message))
        self.unknown = sorted(unknown)
        self.documents = plan.documents()
        self.doc_keys = {d: doc_key(d, eds, prs) for d, eds, prs in self.documents}
        self.global_key = key(
            __version__, code_fingerprint(), sorted(formats), build_date,
            *(f"{d}:{k}" for d, k in sorted(self.doc_keys.items())),
            *(p.model_dump_json() for p in self.problems), *self.unknown,
        )  # fmt: skip

    def build_record(self) -> bytes:
        """``build.json``: what was built, for tools (no timings: they would break byte-identity)."""
        body = {
            "tool_version": __version__,
            "formats": sorted(self.formats),
        }
        return (json.dumps(body, sort_keys=True, indent=2) + "\n").encode()

    def recipes(self) -> dict[str, str]:
        planned: dict[str, str] = {}
        for doc, editions, pairs in self.documents:
            for e in editions:
                planned[edition_path(e)] = f"blob:{e.result.description[0]}"
            for p in pairs:
                for suffix, rel in p.files().items():
                    planned[rel] = f"blob:{p.result.outputs[suffix][0]}"
            if "site" in self.formats:
                planned[page_path(doc)] = f"page:{code_fingerprint()}:{self.doc_keys[doc]}"
        for rel, blob in sorted(self.plan.corpus_outputs.items()):
            planned[rel] = f"blob:{blob[0]}"
        for fmt, name in CATALOG_FILES.items():
            if fmt in self.formats:
                planned[name] = f"catalog:{self.global_key}"
        planned["build.json"] = "blob:" + key(self.build_record())
        return planned

    # ----------------------------------------------------------------------------- write

    def write(self, pub: Publisher, reporter) -> None:
        tmp = pub.tmp
        assert tmp is not None
        reporter.phase("publish", len(self.documents) + 1)
        catalogs = {fmt for fmt in CATALOG_FILES if fmt in self.formats}
        changed = any(not pub.unchanged(CATALOG_FILES[f], f"catalog:{self.global_key}") for f in catalogs)
        writers = Writers(tmp, catalogs, self, pub.store) if changed else None
        index_rows = []
        try:
            for doc, editions, pairs in self.documents:
                for e in editions:
                    pub.blob(edition_path(e), e.result.description)
                for p in pairs:
                    for suffix, rel in p.files().items():
                        pub.blob(rel, p.result.outputs[suffix])
                page_recipe = f"page:{code_fingerprint()}:{self.doc_keys[doc]}"
                entry: dict | None = None

                def load(doc=doc, editions=editions, pairs=pairs) -> dict:
                    nonlocal entry
                    if entry is None:
                        entry = catalog_document(doc, editions, pairs, pub.store)
                    return entry

                if writers is not None:
                    index_rows.append(writers.add(self.doc_keys[doc], load, editions, pairs))
                    stall("build.catalog")  # catalogs half written (test hook)
                if "site" in self.formats:
                    pub.place(page_path(doc), page_recipe, lambda dst, load=load: _write_page(dst, load()))
                    stall("build.site")  # a page written, the index not yet (test hook)
                del entry
                reporter.step("publish", doc, True, False)
            for rel, blob in sorted(self.plan.corpus_outputs.items()):
                pub.blob(rel, blob)
            extras: dict[str, list[str]] = {}
            if writers is not None:
                extras = writers.close(index_rows)
                writers = None
        finally:
            if writers is not None:
                writers.abort()
        for fmt, name in CATALOG_FILES.items():
            if fmt in self.formats:
                pub.place(name, f"catalog:{self.global_key}", lambda dst, name=name: extras.get(name))
        pub.place("build.json", "blob:" + key(self.build_record()),
                  lambda dst: write_file(dst, self.build_record()))  # fmt: skip
        reporter.step("publish", "catalogs", True, False)


def catalog_document(doc: str, editions: list[Edition], pairs: list[Pair], store_root: str) -> dict:
    """One document's catalog entry (the pydantic model's JSON form) plus its fragments, for the writers."""
    title = None
    eds: list[dict] = []
    frags: dict[tuple, dict] = {}
    for e in editions:
        frag = read_json(store_root, e.result.fragment)
        frags[e.key] = frag
        if e.result.title and (title is None or e.lang == "en"):
            title = e.result.title  # the English title when there is one, the latest edition's
        if not eds or eds[-1]["edition"] != e.edition:
            eds.append({"edition": e.edition, "languages": []})
        eds[-1]["languages"].append({**frag["entry"], "lang": e.lang, "json_path": edition_path(e)})
    reports: dict[str, list] = {"diff": [], "parity": []}
    pair_frags = []
    for p in pairs:
        frag = read_json(store_root, p.result.fragment)
        pair_frags.append(frag)
        reports[p.kind].append(
            {
                "kind": p.kind,
                "lang": p.lang,
                "old": p.old,
                "new": p.new,
                "counts": frag["counts"],
                "files": [rel for suffix, rel in p.files().items() if not suffix.startswith("p")],
            }  # fmt: skip
        )
    model = CatalogDocument.model_validate(
        {"id": doc, "title": title, "editions": eds, "diffs": reports["diff"], "parity": reports["parity"]}
    )
    return {"model": model, "frags": frags, "pair_frags": pair_frags}


def write_pages(dst: Path, rel: str, html: str) -> list[str]:
    """``html`` at ``dst`` (``rel`` in OUT), split into pages under 1 MB; the further pages' paths."""
    from pipeline.render.paginate import paginate

    stem = dst.name[: -len(".html")]
    pages = paginate(html, stem, limit=HTML_PAGE_LIMIT)
    write_file(dst, pages[0].encode("utf-8"))
    extras = []
    for n, page in enumerate(pages[1:], 2):
        write_file(dst.with_name(f"{stem}.p{n}.html"), page.encode("utf-8"))
        extras.append(f"{rel[: -len('.html')]}.p{n}.html")
    return extras


def _write_page(dst: Path, entry: dict) -> list[str]:
    from pipeline.render.site import render_document_page

    depth = entry["model"].id.count("/") + 1
    html = render_document_page(entry["model"], root="../" * depth)
    return write_pages(dst, page_path(entry["model"].id), html)


def index_row(entry: dict, editions: list[Edition], pairs: list[Pair]) -> dict:
    """What the index shows and filters on, for one document (small: kept for every document)."""
    from pipeline.render.site import index_row_of

    return index_row_of(entry["model"], page_path(entry["model"].id))


class Writers:
    """The catalog files being written, one document at a time."""

    def __init__(self, tmp: Path, formats: set[str], asm: Assembly, store_root: str) -> None:
        self.tmp, self.formats, self.asm, self.store = tmp, formats, asm, store_root
        self.files: dict[str, object] = {}
        self.json = self.xml = self.sqlite = self.junit = self.sarif = None
        values = {
            "schema_version": Catalog.model_fields["schema_version"].default,
            "tool_version": __version__,
            "build_date": asm.build_date,
            "problems": asm.problems,
            "unknown_files": asm.unknown,
        }
        if "json" in formats:
            self.json = JsonCatalogWriter(self._open("catalog.json"), values)
        if "xml" in formats:
            from pipeline.render.xml import StreamedModelXml

            self.xml = StreamedModelXml(self._open("catalog.xml"), Catalog, "catalog", values, "documents")
        if "sqlite" in formats:
            from pipeline.render.sqlite_catalog import SqliteWriter

            self.sqlite = SqliteWriter(safe_join(tmp, "catalog.sqlite"))
        suites = tests = failures = 0
        codes: set[str] = set()
        for _, editions, pairs in asm.documents:
            summaries = [e.result for e in editions] + [p.result for p in pairs if p.kind == "parity"]
            for s in summaries:
                n = sum(s.severities.values())
                suites += 1
                tests += max(n, 1)
                failures += s.severities.get("error", 0)
                codes.update(s.codes)
        if "junit" in formats:
            from pipeline.render.junit_report import JunitWriter

            self.junit = JunitWriter(self._open("findings.junit.xml"), tests, failures)
        if "sarif" in formats:
            from pipeline.render.sarif_report import SarifWriter

            self.sarif = SarifWriter(self._open("findings.sarif"), sorted(codes))

    def _open(self, name: str):
        path = safe_join(self.tmp, name)
        fh = open(path, "wb")  # noqa: SIM115 - closed in close()/abort()
        self.files[name] = fh
        return fh

    def add(self, doc_key: str, load, editions: list[Edition], pairs: list[Pair]) -> dict:
        """Append one document to every catalog; return its index row.

        A document's share of each catalog (its *chunks*) is kept in the store under its key, so a
        later build appends an unchanged document's chunks as they are, without reading its
        fragments again; only the documents that changed are rebuilt from their fragments."""
        chunk_key = key("chunks", code_fingerprint(), doc_key, *sorted(self.formats))
        path = store.entry_path(self.store, "chunks", chunk_key)
        cached = store.get_entry(path)
        try:
            chunks = {f: tuple(cached["chunks"][f]) for f in self.formats if f != "site"} if cached else None
            if chunks and not all(store.has_blob(self.store, sha, size) for sha, size in chunks.values()):
                chunks = None
            row = cached["row"] if cached else None
            if not isinstance(row, dict):
                chunks = None
        except (KeyError, TypeError, ValueError):
            chunks = None
        if chunks is None:
            made = self.chunks(load(), editions, pairs)
            row = made.pop("row")
            chunks = {f: store.put_blob(self.store, data) for f, data in made.items()}
            store.put_entry(path, {"chunks": {f: list(b) for f, b in chunks.items()}, "row": row})
        self.add_chunks({f: store.get_blob(self.store, b[0]) for f, b in chunks.items()})
        return row

    def chunks(self, entry: dict, editions: list[Edition], pairs: list[Pair]) -> dict:
        """One document's share of every catalog, as bytes (and its index row)."""
        model: CatalogDocument = entry["model"]
        out: dict = {"row": index_row(entry, editions, pairs)}
        if self.json is not None:
            out["json"] = self.json.chunk(model.model_dump(mode="json")).encode("utf-8")
        if self.xml is not None:
            out["xml"] = self.xml.chunk(model)
        if self.sqlite is not None:
            from pipeline.render.sqlite_catalog import SqliteWriter

            shard = SqliteWriter(self.tmp / ".shard.sqlite")
            try:
                shard.add_document(model.id, model.title)
                for e in editions:
                    shard.add_edition(model.id, e.edition, e.lang, entry["frags"][e.key])
                for p, frag in zip(pairs, entry["pair_frags"], strict=True):
                    if p.kind == "diff":
                        shard.add_diff(model.id, p.lang, p.old, p.new, frag)
                    else:
                        shard.add_parity(model.id, p.old, p.lang, frag)
                shard.close(indexes=False)
            except BaseException:
                shard.abort()
                raise
            out["sqlite"] = (self.tmp / ".shard.sqlite").read_bytes()
            (self.tmp / ".shard.sqlite").unlink()
        if self.junit is not None or self.sarif is not None:
            suites = finding_records(model.id, editions, pairs, entry)
            if self.junit is not None:
                out["junit"] = b"".join(self.junit.chunk(name, records) for name, records in suites)
            if self.sarif is not None:
                out["sarif"] = self.sarif.chunk([r for _, records in suites for r in records]).encode("utf-8")
        return out

    def add_chunks(self, chunks: dict[str, bytes]) -> None:
        if self.json is not None:
            self.json.add_chunk(chunks["json"].decode("utf-8"))
        if self.xml is not None:
            self.xml.add_chunk(chunks["xml"])
        if self.sqlite is not None:
            self.sqlite.add_shard(chunks["sqlite"])
        if self.junit is not None:
            self.junit.add_chunk(chunks["junit"])
        if self.sarif is not None:
            self.sarif.add_chunk(chunks["sarif"].decode("utf-8"))

    def close(self, index_rows: list[dict]) -> dict[str, list[str]]:
        """Finish every file; the further pages written beside a page, by page."""
        for w in (self.json, self.xml, self.junit, self.sarif):
            if w is not None:
                w.close()
        for fh in self.files.values():
            fh.close()
        if self.sqlite is not None:
            self.sqlite.close()
        if "site" in self.formats:
            from pipeline.render.site import render_index

            html = render_index(
                index_rows, tool_version=__version__, build_date=self.asm.build_date,
                problems=self.asm.problems, unknown=self.asm.unknown, formats=self.asm.formats,
                corpus_parity="parity/corpus.html" in self.asm.plan.corpus_outputs,
            )  # fmt: skip
            return {"index.html": write_pages(safe_join(self.tmp, "index.html"), "index.html", html)}
        return {}

    def abort(self) -> None:
        for fh in self.files.values():
            fh.close()
        if self.sqlite is not None:
            self.sqlite.abort()


def finding_records(
    doc: str, editions: list[Edition], pairs: list[Pair], entry: dict
) -> list[tuple[str, list]]:
    """(suite, records) of one document: one suite per edition and language, one per parity check."""
    out: list[tuple[str, list]] = []
    rels = {e.key: e.rel for e in editions}
    for e in editions:
        suite = f"{doc}/{e.edition}/{e.lang}"
        records = [FindingRecord(suite, r[0], r[1], r[2], r[3], r[4], e.rel, r[5], r[6], r[7])
                   for r in entry["frags"][e.key]["records"]]  # fmt: skip
        out.append((suite, records))
    for p, frag in zip(pairs, entry["pair_frags"], strict=True):
        if p.kind != "parity":
            continue
        suite = f"{doc}/{p.old}/parity {p.lang}"
        path = rels.get((doc, p.old, p.lang.partition("-")[2]))
        records = [FindingRecord(suite, r[0], r[1], r[2], r[3], r[4], path, r[5], r[6], r[7])
                   for r in frag["records"]]  # fmt: skip
        out.append((suite, records))
    out.sort(key=lambda s: s[0])
    return [
        (name, sorted(rs, key=lambda r: (r.seq, SEVERITY_RANK.get(r.severity, 9), r))) for name, rs in out
    ]


def count_severities(plan) -> tuple[Counter, Counter]:
    """(finding severities, change severities) of the whole build, from the summaries."""
    findings: Counter = Counter()
    changes: Counter = Counter()
    for e in plan.editions.values():
        findings.update(e.result.severities)
    for p in plan.pairs:
        if p.result is not None:
            (changes if p.kind == "diff" else findings).update(p.result.severities)
    return findings, changes
