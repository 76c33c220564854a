"""``svcdesc build``: corpus folder -> catalogs, reports and the comparison site, atomically.

Phases: discover the corpus; describe every file (extract + normalize + validate, cached, in
parallel); write one JSON per edition; diff consecutive editions and check FR/EN parity (cached, in
parallel); write the catalogs (JSON, XML, SQLite), the site, JUnit and SARIF; swap OUT in.
Everything is sorted and free of wall-clock time, so two builds of the same input are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipeline import __version__
from pipeline.catalog import tasks, workspace
from pipeline.catalog.catalog_model import (
    BuildProblem,
    Catalog,
    CatalogDocument,
    CatalogEdition,
    CatalogLanguage,
    CatalogOffer,
    CatalogPlanValue,
    CatalogReport,
    CatalogSla,
    Count,
)
from pipeline.catalog.corpus import EDITION, LANG, CorpusEntry, check_name, discover
from pipeline.catalog.executor import EXECUTORS, Outcome
from pipeline.errors import SvcdescError, UsageError
from pipeline.fsutil import atomic_write_bytes, atomic_write_text, safe_join
from pipeline.limits import Limits
from pipeline.normalize.model import ServiceDescription
from pipeline.render.canonical import canonical_json
from pipeline.render.catalog_findings import SEVERITY_RANK, FindingRecord, first_location

ALL_FORMATS = ("json", "xml", "sqlite", "site", "junit", "sarif")
FINDING_LEVELS = ("error", "warning", "info")
CHANGE_LEVELS = ("breaking", "major", "minor", "cosmetic")
FAIL_ON = (*FINDING_LEVELS, *CHANGE_LEVELS[:3], "never")


class Reporter(Protocol):
    def phase(self, name: str, total: int) -> None: ...
    def step(self, label: str, ok: bool, cached: bool) -> None: ...
    def note(self, line: str) -> None: ...


class QuietReporter:
    def phase(self, name: str, total: int) -> None:
        pass

    def step(self, label: str, ok: bool, cached: bool) -> None:
        pass

    def note(self, line: str) -> None:
        pass


@dataclass
class BuildOptions:
    corpus: Path
    out: Path
    jobs: int = 1
    executor: str = "local"
    formats: tuple[str, ...] = ALL_FORMATS
    cache_dir: Path | None = None  # default: OUT/../.svcdesc-cache
    use_cache: bool = True
    glossary: Path | None = None  # default: CORPUS/glossary.tbx when present
    limits: Limits = field(default_factory=Limits)
    fail_on: str = "error"


@dataclass
class BuildReport:
    out: Path
    catalog: Catalog
    findings: Counter = field(default_factory=Counter)  # severity -> count (all findings)
    changes: Counter = field(default_factory=Counter)  # severity -> count (all diffs)
    described: int = 0
    cached: int = 0
    pairs_cached: int = 0
    pairs: int = 0
    seconds: float = 0.0
    skipped_stages: list[str] = field(default_factory=list)

    @property
    def n_documents(self) -> int:
        return len(self.catalog.documents)

    @property
    def n_editions(self) -> int:
        return sum(len(d.editions) for d in self.catalog.documents)

    def reaches(self, fail_on: str) -> bool:
        if fail_on in FINDING_LEVELS:
            limit = FINDING_LEVELS.index(fail_on)
            return any(self.findings[s] for s in FINDING_LEVELS[: limit + 1])
        if fail_on in CHANGE_LEVELS:
            limit = CHANGE_LEVELS.index(fail_on)
            return any(self.changes[s] for s in CHANGE_LEVELS[: limit + 1])
        return False

    def exit_code(self, fail_on: str) -> int:
        if self.catalog.problems:
            return 2
        return 1 if self.reaches(fail_on) else 0

    def summary(self, site: bool = True) -> str:
        findings = ", ".join(f"{self.findings[s]} {s}" for s in FINDING_LEVELS)
        changes = ", ".join(f"{self.changes[s]} {s}" for s in CHANGE_LEVELS)
        line = (
            f"built {self.n_editions} editions of {self.n_documents} documents, {len(self.catalog.problems)} failed inputs, "
            f"{sum(self.findings.values())} findings ({findings}), {sum(self.changes.values())} changes ({changes})"
        )
        if site:
            line += f"; site: {self.out / 'index.html'}"
        return line


@dataclass
class Built:
    """One described input, placed in the catalog."""

    entry: CorpusEntry
    document: str
    edition: str
    lang: str
    sd: ServiceDescription
    text: str  # canonical JSON of sd
    findings: list[dict]


def source_date() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.strip().isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()


def build(opts: BuildOptions, reporter: Reporter | None = None) -> BuildReport:
    """Run a whole build; OUT is replaced only when it completes."""
    reporter = reporter or QuietReporter()
    began = time.monotonic()
    unknown = set(opts.formats) - set(ALL_FORMATS)
    if unknown:
        raise UsageError(None, f"unknown --formats {sorted(unknown)}; choose from {','.join(ALL_FORMATS)}")
    if opts.executor not in EXECUTORS:
        raise UsageError(None, f"unknown --executor {opts.executor!r}; choose local or ray")
    if opts.fail_on not in FAIL_ON:
        raise UsageError(None, f"unknown --fail-on {opts.fail_on!r}; choose from {'|'.join(FAIL_ON)}")
    corpus = discover(opts.corpus)
    out = Path(opts.out)
    cache_dir = (
        (Path(opts.cache_dir) if opts.cache_dir else out.parent / ".svcdesc-cache")
        if opts.use_cache
        else None
    )
    workspace.check_out(out, corpus.root, cache_dir)
    glossary = Path(opts.glossary) if opts.glossary else corpus.glossary
    if glossary is not None and not glossary.is_file():
        from pipeline.errors import InputNotFound

        raise InputNotFound(glossary, "glossary not found (--glossary)")
    for rel in corpus.unknown:
        reporter.note(f"unknown file (fits no corpus layout, not built): {rel}")
    problems = [BuildProblem(path=e.path or "", code=e.code, message=e.message) for e in corpus.problems]
    for p in problems:
        reporter.note(p.message if p.path in p.message else f"{p.path}: {p.message}")

    tmp = workspace.start(out)
    ex = EXECUTORS[opts.executor](opts.jobs)
    try:
        report = _build_into(tmp, opts, ex, corpus, glossary, cache_dir, problems, reporter)
        ex.close()
        report.out = out
        workspace.commit(tmp, out)
    except BaseException:
        ex.close()
        workspace.abandon(tmp)
        raise
    report.seconds = time.monotonic() - began
    return report


def _run(
    opts: BuildOptions, ex, fn, probe, items: list, reporter: Reporter, label
) -> tuple[list[Outcome], int]:
    """Probe the cache in this process; send only the misses to the executor."""
    outcomes: list[Outcome | None] = [None] * len(items)
    misses: list[int] = []
    cached = 0
    items = [tasks.pinned(item) for item in items]
    for i, item in enumerate(items):
        hit = probe(item) if opts.use_cache else None
        if hit is not None:
            outcomes[i] = Outcome(i, result=hit)
            cached += 1
            reporter.step(label(item), True, True)
        else:
            misses.append(i)
    if misses:

        def done(o: Outcome) -> None:
            reporter.step(label(items[misses[o.index]]), o.error is None, False)

        for o in ex.run(fn, [items[i] for i in misses], timeout_s=opts.limits.timeout_s, on_done=done):
            i = misses[o.index]
            outcomes[i] = Outcome(i, o.result, o.error_code, o.error)
    return [o for o in outcomes if o is not None], cached


def _build_into(tmp, opts, ex, corpus, glossary, cache_dir, problems, reporter) -> BuildReport:
    limits_json = opts.limits.model_dump_json()
    items = [
        tasks.DescribeTask(
            e.rel,
            str(e.path),
            str(glossary) if glossary else None,
            str(cache_dir) if cache_dir else None,
            limits_json,
        )
        for e in corpus.entries
    ]
    reporter.phase("describe", len(items))
    outcomes, cached = _run(opts, ex, tasks.describe, tasks.probe_describe, items, reporter, lambda t: t.rel)

    built: dict[tuple[str, str, str], Built] = {}
    for entry, outcome in zip(corpus.entries, outcomes, strict=True):
        if outcome.error:
            problems.append(
                BuildProblem(path=entry.rel, code=outcome.error_code or "E900", message=outcome.error)
            )
            reporter.note(f"{entry.rel}: {outcome.error}")
            continue
        result: tasks.DescribeResult = outcome.result
        sd = ServiceDescription.model_validate_json(result.description)
        try:
            edition = check_name(
                entry.edition or sd.document.edition_date or "undated", "edition", pattern=EDITION
            )
        except SvcdescError as exc:
            problems.append(BuildProblem(path=entry.rel, code=exc.code, message=exc.message))
            continue
        lang = entry.lang or (sd.document.language or "und").lower()
        if not LANG.match(lang):
            lang = "und"  # a detector's label that is no language code never becomes a path
        key = (entry.document, edition, lang)
        if key in built:
            msg = f"[E301] {entry.rel}: same document/edition/language as {built[key].entry.rel} ({'/'.join(key)}); skipped"
            problems.append(BuildProblem(path=entry.rel, code="E301", message=msg))
            reporter.note(msg)
            continue
        built[key] = Built(entry, entry.document, edition, lang, sd, result.description, result.findings)

    # One JSON per edition and language.
    for (doc, edition, lang), b in sorted(built.items()):
        atomic_write_text(safe_join(tmp, "editions", *doc.split("/"), edition, f"{lang}.json"), b.text)

    diffs, parities, skipped, pairs_cached = _pairs(
        tmp, opts, ex, built, glossary, cache_dir, problems, reporter
    )
    catalog = _catalog(built, diffs, parities, problems, corpus.unknown)
    records = _finding_records(built, parities)
    report = BuildReport(
        out=tmp, catalog=catalog, described=len(items), cached=cached, pairs_cached=pairs_cached
    )
    report.pairs = len(diffs) + len(parities)
    report.skipped_stages = skipped
    for r in records:
        report.findings[r.severity] += 1
    for d in diffs.values():
        for c in (d.data or {}).get("changes", []):
            report.changes[str(c.get("severity"))] += 1
    _write_outputs(tmp, opts, catalog, built, diffs, parities, records, reporter, report)
    return report


def _pairs(tmp, opts, ex, built, glossary, cache_dir, problems, reporter):
    """Diff consecutive editions per language and check EN->FR parity per edition."""
    by_doc: dict[str, dict[str, dict[str, Built]]] = {}
    for (doc, edition, lang), b in sorted(built.items()):
        by_doc.setdefault(doc, {}).setdefault(edition, {})[lang] = b
    jobs: list[tuple[tuple, tasks.PairTask]] = []
    skipped = [k for k in ("diff", "parity") if not tasks.available(k)]
    for kind in skipped:
        reporter.note(f"{kind} stage not available in this build of svcdesc: {kind} reports skipped")
    g = str(glossary) if glossary else None
    c = str(cache_dir) if cache_dir else None
    for doc, editions in sorted(by_doc.items()):
        names = sorted(editions)
        if "diff" not in skipped:
            langs = sorted({lang for e in editions.values() for lang in e})
            for lang in langs:
                have = [e for e in names if lang in editions[e]]
                for old, new in zip(have, have[1:], strict=False):
                    left = safe_join(tmp, "editions", *doc.split("/"), old, f"{lang}.json")
                    right = safe_join(tmp, "editions", *doc.split("/"), new, f"{lang}.json")
                    task = tasks.PairTask(
                        "diff",
                        f"{doc} {old}..{new} {lang}",
                        str(left),
                        str(right),
                        g,
                        c,
                        opts.limits.timeout_s,
                    )
                    jobs.append((("diff", doc, lang, old, new), task))
        if "parity" not in skipped:
            for edition in names:
                if {"en", "fr"} <= editions[edition].keys():
                    left = safe_join(tmp, "editions", *doc.split("/"), edition, "en.json")
                    right = safe_join(tmp, "editions", *doc.split("/"), edition, "fr.json")
                    task = tasks.PairTask(
                        "parity", f"{doc} {edition} en-fr", str(left), str(right), g, c, opts.limits.timeout_s
                    )
                    jobs.append((("parity", doc, "en-fr", edition, edition), task))
    reporter.phase("compare", len(jobs))
    outcomes, cached = _run(
        opts, ex, tasks.compare, tasks.probe_pair, [t for _, t in jobs], reporter, lambda t: t.name
    )
    diffs: dict[tuple, tasks.PairResult] = {}
    parities: dict[tuple, tasks.PairResult] = {}
    for (key, task), outcome in zip(jobs, outcomes, strict=True):
        if outcome.error:
            problems.append(
                BuildProblem(path=task.name, code=outcome.error_code or "E900", message=outcome.error)
            )
            reporter.note(f"{task.name}: {outcome.error}")
            continue
        (diffs if key[0] == "diff" else parities)[key[1:]] = outcome.result
    return diffs, parities, skipped, cached


def diff_files(doc: str, lang: str, old: str, new: str) -> dict[str, list[str]]:
    return {fmt: ["diffs", *doc.split("/"), f"{old}..{new}.{lang}.{fmt}"] for fmt in tasks.DIFF_FORMATS}


def parity_files(doc: str, edition: str) -> dict[str, list[str]]:
    return {ext: ["parity", *doc.split("/"), f"{edition}.{ext}"] for ext in tasks.PARITY_FORMATS}


def _counts(names: tuple[str, ...], severities: list[str]) -> list[Count]:
    c = Counter(severities)
    return [Count(name=n, count=c[n]) for n in names]


def _catalog_report(
    kind: str,
    r,
    items: str,
    levels: tuple[str, ...],
    files: dict,
    lang: str,
    old: str,
    new: str,
) -> CatalogReport:
    """One diff or parity entry of the catalog: the severities of its ``items`` ('changes' or
    'findings') counted over ``levels``, and the published files."""
    severities = [str(x.get("severity")) for x in (r.data or {}).get(items, [])]
    return CatalogReport(
        kind=kind,
        lang=lang,
        old=old,
        new=new,
        counts=_counts(levels, severities),
        files=["/".join(p) for p in files.values()],
    )


def _catalog(built, diffs, parities, problems, unknown) -> Catalog:
    docs: dict[str, CatalogDocument] = {}
    for (doc, edition, lang), b in sorted(built.items()):
        d = docs.setdefault(doc, CatalogDocument(id=doc))
        if not d.editions or d.editions[-1].edition != edition:
            d.editions.append(CatalogEdition(edition=edition))
        info = b.sd.document
        if info.title and (d.title is None or lang == "en"):
            d.title = info.title  # the English title when there is one, the latest edition's
        d.editions[-1].languages.append(
            CatalogLanguage(
                lang=lang,
                source=b.entry.rel,
                sha256=info.sha256,
                format=info.format.value,
                title=info.title,
                pages=info.pages,
                edition_date=info.edition_date,
                json_path="/".join(["editions", doc, edition, f"{lang}.json"]),
                offers=[
                    CatalogOffer(
                        id=o.id,
                        name=o.name,
                        availability=o.availability.value,
                        availability_mark=o.availability_mark,
                        category=list(o.category),
                        plan_values=[
                            CatalogPlanValue(
                                plan_id=p.plan_id, plan=p.plan, availability=p.availability.value, text=p.text
                            )
                            for p in o.plan_values
                        ],
                        conditions=len(o.conditions),
                        facts=len(o.facts),
                    )
                    for o in b.sd.offers
                ],
                sla=[
                    CatalogSla(
                        table_id=t.id,
                        severity=r.severity,
                        scope=s.scope,
                        scope_id=s.scope_id,
                        minutes=s.minutes,
                        business_hours=s.business_hours,
                        text=s.text,
                    )  # fmt: skip
                    for t in b.sd.sla_tables
                    for r in t.rows
                    for s in r.first_response
                ],
                facts=[
                    Count(name=k, count=n)
                    for k, n in sorted(Counter(f.kind.value for f in b.sd.facts).items())
                ],
                findings=_counts(
                    FINDING_LEVELS,
                    [f.severity.value for f in b.sd.findings] + [str(f.get("severity")) for f in b.findings],
                ),
            )
        )
    for (doc, lang, old, new), r in sorted(diffs.items()):
        docs[doc].diffs.append(
            _catalog_report(
                "diff", r, "changes", CHANGE_LEVELS, diff_files(doc, lang, old, new), lang, old, new
            )
        )
    for (doc, langs, edition, _), r in sorted(parities.items()):
        docs[doc].parity.append(
            _catalog_report(
                "parity", r, "findings", FINDING_LEVELS, parity_files(doc, edition), langs, edition, edition
            )
        )
    return Catalog(
        tool_version=__version__,
        build_date=source_date(),
        documents=[docs[k] for k in sorted(docs)],
        problems=sorted(problems, key=lambda p: (p.path, p.code, p.message)),
        unknown_files=sorted(unknown),
    )


def _finding_records(built, parities) -> list[FindingRecord]:
    records: list[FindingRecord] = []
    for (doc, edition, lang), b in sorted(built.items()):
        suite = f"{doc}/{edition}/{lang}"
        items = [("normalize", f.model_dump(mode="json")) for f in b.sd.findings] + [
            ("validate", f) for f in b.findings
        ]
        for seq, (origin, f) in enumerate(items, 1):
            line, page = first_location(f.get("prov"))
            records.append(
                FindingRecord(
                    suite,
                    origin,
                    seq,
                    str(f.get("code")),
                    str(f.get("severity")),
                    str(f.get("message", "")),
                    b.entry.rel,
                    line,
                    page,
                    f.get("offer_id") or f.get("segment_id"),
                )  # fmt: skip
            )
    for (doc, langs, edition, _), r in sorted(parities.items()):
        suite = f"{doc}/{edition}/parity {langs}"
        target = built.get((doc, edition, langs.partition("-")[2]))
        for seq, f in enumerate((r.data or {}).get("findings", []), 1):
            line, page = first_location(f.get("target_prov") or f.get("prov") or f.get("source_prov"))
            ids = f.get("target_ids") or f.get("source_ids") or []
            records.append(
                FindingRecord(
                    suite,
                    "parity",
                    seq,
                    str(f.get("code") or f.get("kind")),
                    str(f.get("severity")),
                    str(f.get("message", "")),
                    target.entry.rel if target else None,
                    line,
                    page,
                    f.get("offer_id") or (ids[0] if ids else None),
                )
            )
    return sorted(records, key=lambda r: (r.suite, r.seq, SEVERITY_RANK.get(r.severity, 9)))


def _write_outputs(tmp, opts, catalog, built, diffs, parities, records, reporter, report) -> None:
    formats = set(opts.formats)
    for (doc, lang, old, new), r in sorted(diffs.items()):
        for fmt, parts in diff_files(doc, lang, old, new).items():
            atomic_write_text(safe_join(tmp, *parts), r.outputs[fmt])
    for (doc, _langs, edition, _), r in sorted(parities.items()):
        for ext, parts in parity_files(doc, edition).items():
            atomic_write_text(safe_join(tmp, *parts), r.outputs[ext])
    reporter.phase("catalogs", len(formats))
    if "json" in formats:
        atomic_write_text(safe_join(tmp, "catalog.json"), canonical_json(catalog))
        reporter.step("catalog.json", True, False)
    if "xml" in formats:
        try:
            from pipeline.render.xml import model_to_xml
        except ImportError:
            report.skipped_stages.append("xml")
            reporter.note("XML renderer not available in this build of svcdesc: catalog.xml skipped")
        else:
            atomic_write_bytes(safe_join(tmp, "catalog.xml"), model_to_xml(catalog, "catalog"))
            reporter.step("catalog.xml", True, False)
    if "sqlite" in formats:
        from pipeline.render.sqlite_catalog import EditionRow, PairRow, write_sqlite

        titles = {d.id: d.title for d in catalog.documents}
        write_sqlite(
            safe_join(tmp, "catalog.sqlite"),
            titles,
            [EditionRow(doc, ed, lang, b.sd, b.findings) for (doc, ed, lang), b in sorted(built.items())],
            [
                PairRow(doc, old, new, lang, r.data or {})
                for (doc, lang, old, new), r in sorted(diffs.items())
            ],
            [
                PairRow(doc, ed, ed, langs, r.data or {})
                for (doc, langs, ed, _), r in sorted(parities.items())
            ],
        )
        reporter.step("catalog.sqlite", True, False)
    if "junit" in formats:
        from pipeline.render.junit_report import render_junit

        suites = [f"{d}/{e}/{lang}" for (d, e, lang) in built] + [
            f"{d}/{e}/parity {lg}" for (d, lg, e, _) in parities
        ]
        atomic_write_bytes(safe_join(tmp, "findings.junit.xml"), render_junit(records, suites))
        reporter.step("findings.junit.xml", True, False)
    if "sarif" in formats:
        from pipeline.render.sarif_report import render_sarif

        atomic_write_text(safe_join(tmp, "findings.sarif"), render_sarif(records))
        reporter.step("findings.sarif", True, False)
    if "site" in formats:
        from pipeline.render.site import render_site_index

        atomic_write_text(safe_join(tmp, "index.html"), render_site_index(catalog, formats=formats))
        reporter.step("index.html", True, False)
    # The build's own record: what was built, for tools (no timings: they would break byte-identity).
    atomic_write_text(
        safe_join(tmp, "build.json"),
        json.dumps(
            {
                "tool_version": __version__,
                "formats": sorted(formats),
                "skipped_stages": sorted(report.skipped_stages),
            },
            sort_keys=True,
            indent=2,
        )
        + "\n",
    )
