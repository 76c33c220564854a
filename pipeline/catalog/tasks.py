"""The units of work of a build, as plain picklable functions (local processes or Ray run the same code).

* :func:`describe` — one input file -> ServiceDescription JSON, validation findings, catalog fragment;
* :func:`compare` — two editions in one language -> diff reports (json/md/html), or the English and
  French of one edition -> parity reports (json/html/xlf), each with its catalog fragment.

A task writes what it makes to the store (:mod:`pipeline.catalog.store`) and returns a small
summary: the parent never receives a description. Each result is keyed by content: the input bytes,
the glossary bytes, the limits and a fingerprint of the tool's own source code (so an upgrade, or a
fix by a teammate, invalidates old entries). A corrupt entry is discarded and recomputed, never trusted.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline import __version__
from pipeline.catalog import store
from pipeline.catalog.store import TASK_CACHE_VERSION, CorruptBlob
from pipeline.hashing import sha256_bytes, sha256_file

__all__ = ["TASK_CACHE_VERSION", "CorruptBlob"]

#: An HTML report larger than this is split into pages (each page stays under 1 MB).
HTML_PAGE_LIMIT = 900_000


@functools.cache
def code_fingerprint() -> str:
    """Hash of the tool's sources and templates, and of the user's lexicon extensions: part of every
    cache key."""
    from pipeline.lexicon import extensions_fingerprint

    root = Path(__file__).resolve().parents[1]
    h = [__version__, f"lexicon extensions:{extensions_fingerprint()}"]
    for path in sorted(root.rglob("*")):
        if (
            path.suffix in {".py", ".j2", ".json", ".xsd", ".yaml", ".js", ".css"}
            and "__pycache__" not in path.parts
            and path.is_file()
        ):
            h.append(f"{path.relative_to(root).as_posix()}:{sha256_file(path)}")
    return sha256_bytes("\n".join(h).encode())


def pinned(task):
    """The task with its cache key computed here, once: the parent and the worker then agree on it
    even if the tool's files change while the build runs (the key hashes the tool's code)."""
    return replace(task, cache_key=task.key()) if not task.cache_key else task


Blob = tuple[str, int]  # (sha256, size) of a blob in the store


def _put_json(root: str, data) -> Blob:
    return store.put_blob(root, json.dumps(data, sort_keys=True, ensure_ascii=False).encode())


def read_json(root: str, blob: Blob):
    return json.loads(store.get_blob(root, blob[0]))


def _codes(value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("codes")
    return value


def _blob(value) -> Blob:
    if not (isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[0], str)):
        raise ValueError("blob")
    return (value[0], int(value[1]))


# --------------------------------------------------------------------------- describe


@dataclass(frozen=True)
class DescribeTask:
    rel: str  # path relative to the corpus root: the source named in every output
    path: str
    glossary: str | None
    store: str  # where results go (the cache, or a scratch folder with --no-cache)
    limits_json: str
    use_cache: bool = True  # False: never read an earlier result (results are still written)
    size: int = 0  # input bytes: the scheduler starts the largest first
    cache_key: str = ""  # fixed by the parent (see pinned), so every worker files its result under it

    def key(self) -> str:
        if self.cache_key:
            return self.cache_key
        parts = [
            "describe",
            code_fingerprint(),
            sha256_file(self.path),
            sha256_file(self.glossary) if self.glossary else "-",
            self.limits_json,
            self.rel,
        ]
        return sha256_bytes("\x00".join(parts).encode())


@dataclass(frozen=True)
class DescribeResult:
    """What the parent keeps of one described input: identity hints, counts and blob names."""

    rel: str
    key: str
    edition_date: str | None
    language: str | None
    title: str | None
    description: Blob  # canonical ServiceDescription JSON (published as editions/…/<lang>.json)
    fragment: Blob  # catalog fragment (see fragments.language_fragment)
    severities: dict[str, int] = field(default_factory=dict)  # finding severity -> count
    codes: list[str] = field(default_factory=list)  # finding codes (the SARIF rule list)
    cached: bool = False

    def blobs(self) -> list[Blob]:
        return [self.description, self.fragment]

    def to_json(self) -> dict:
        return {
            "rel": self.rel, "edition_date": self.edition_date, "language": self.language, "title": self.title,
            "description": list(self.description), "fragment": list(self.fragment), "severities": self.severities, "codes": self.codes,
        }  # fmt: skip

    @classmethod
    def from_json(cls, key: str, data: dict, cached: bool = True) -> DescribeResult:
        sev = data["severities"]
        if not isinstance(sev, dict) or not all(isinstance(v, int) for v in sev.values()):
            raise ValueError("severities")
        for name in ("edition_date", "language", "title"):
            if data[name] is not None and not isinstance(data[name], str):
                raise ValueError(name)
        return cls(
            str(data["rel"]), key, data["edition_date"], data["language"], data["title"],
            _blob(data["description"]), _blob(data["fragment"]), dict(sev), _codes(data["codes"]), cached,
        )  # fmt: skip


@functools.cache
def _glossary(path: str | None, stamp: str):  # noqa: ARG001 - stamp keys the cache on file content
    if not path:
        return None
    from pipeline.normalize.glossary import Glossary

    return Glossary.load(path)


def _probe(entry, make):
    data = store.get_entry(entry)
    if data is None:
        return None
    try:  # well-formed JSON of the wrong shape is corrupt too: never trusted (security: no data lost)
        result = make(data)
        for sha, size in result.blobs():
            if not store.has_blob(result_root(entry), sha, size):
                raise ValueError("blob missing")
    except (KeyError, TypeError, ValueError, AttributeError):
        store.discard(entry)
        return None
    return result


def result_root(entry: Path) -> Path:
    return entry.parents[2]  # <root>/tasks/<kind>/<key>.json


def _stored(task, kind: str, result_cls):
    """The stored result of ``task`` (its ``kind`` of entry, read back by ``result_cls.from_json``),
    or None (the parent calls this before sending work out)."""
    if not task.use_cache:
        return None
    return _probe(
        store.entry_path(task.store, kind, task.key()), lambda data: result_cls.from_json(task.key(), data)
    )


def probe_describe(task: DescribeTask) -> DescribeResult | None:
    return _stored(task, "describe", DescribeResult)


def describe(task: DescribeTask) -> DescribeResult:
    """Extract + normalize (through the loader and its cache) + validate one file, within the time
    limit; the description and its catalog fragment go to the store."""
    from pipeline.catalog.executor import deadline
    from pipeline.catalog.fragments import language_fragment
    from pipeline.catalog.loader import load_description
    from pipeline.limits import Limits
    from pipeline.render.canonical import canonical_json

    if (hit := probe_describe(task)) is not None:
        return hit
    limits = Limits.model_validate_json(task.limits_json)
    with deadline(limits.timeout_s, task.rel):
        glossary = _glossary(task.glossary, sha256_file(task.glossary) if task.glossary else "")
        loader_cache = str(Path(task.store) / code_fingerprint()[:16]) if task.use_cache else None
        sd = load_description(task.path, glossary=glossary, cache_dir=loader_cache, limits=limits)
        sd.document.source = task.rel  # outputs name the corpus-relative path, wherever the corpus lives
        findings = [f.model_dump(mode="json") for f in validate(sd)]
    fragment = language_fragment(sd, findings)
    severities = _tally(r[3] for r in fragment["records"])
    codes = sorted({r[2] for r in fragment["records"]})
    result = DescribeResult(
        task.rel,
        task.key(),
        sd.document.edition_date,
        sd.document.language,
        sd.document.title,
        store.put_blob(task.store, canonical_json(sd).encode("utf-8")),
        _put_json(task.store, fragment),
        severities,
        codes,
    )
    store.put_entry(store.entry_path(task.store, "describe", task.key()), result.to_json())
    return result


def validate(sd) -> list:
    from pipeline.checks.document import validate_description

    return list(validate_description(sd))


# --------------------------------------------------------------------------- pairs


@dataclass(frozen=True)
class PairTask:
    """Two stored editions compared: a diff (old, new) or a parity check (source, target)."""

    kind: str  # "diff" | "parity"
    name: str  # e.g. "support 2018-09-23..2021-06-04 en"
    stem: str  # the report's file name without extension (pages of a long report link by it)
    left: Blob  # the stored ServiceDescription JSONs
    right: Blob
    glossary: str | None
    store: str
    timeout_s: float | None = None
    use_cache: bool = True
    size: int = 0
    cache_key: str = ""
    #: diff of a translation: the stored source-language editions (old, new) it was translated from
    sources: tuple[Blob, Blob] | None = None
    #: parity: what the corpus says about this edition (parity.corpus: the part of the learned
    #: do-not-translate table it can meet, the corpus-wide inconsistencies it takes part in)
    context: Blob | None = None
    #: parity: the two editions' alignment, made by the first pass (a function of left, right, glossary)
    alignment: Blob | None = None

    def key(self) -> str:
        if self.cache_key:
            return self.cache_key
        parts = [
            self.kind,
            code_fingerprint(),
            self.left[0],
            self.right[0],
            sha256_file(self.glossary) if self.glossary else "-",
            self.stem,
            *(blob[0] for blob in self.sources or ()),
            self.context[0] if self.context else "-",
        ]
        return sha256_bytes("\x00".join(parts).encode())


@dataclass(frozen=True)
class PairResult:
    kind: str
    name: str
    key: str
    outputs: dict[str, Blob]  # file suffix ("json", "html", "p2.html", "xlf") -> blob
    fragment: Blob  # see fragments.diff_fragment / parity_fragment
    severities: dict[str, int] = field(default_factory=dict)  # change/finding severity -> count
    codes: list[str] = field(default_factory=list)  # finding codes (parity)
    cached: bool = False

    def blobs(self) -> list[Blob]:
        return [*self.outputs.values(), self.fragment]

    def to_json(self) -> dict:
        return {
            "kind": self.kind, "name": self.name, "outputs": {k: list(v) for k, v in self.outputs.items()},
            "fragment": list(self.fragment), "severities": self.severities, "codes": self.codes,
        }  # fmt: skip

    @classmethod
    def from_json(cls, key: str, data: dict, cached: bool = True) -> PairResult:
        outputs = data["outputs"]
        if not isinstance(outputs, dict):
            raise ValueError("outputs")
        sev = data["severities"]
        if not isinstance(sev, dict) or not all(isinstance(v, int) for v in sev.values()):
            raise ValueError("severities")
        return cls(
            str(data["kind"]), str(data["name"]), key, {str(k): _blob(v) for k, v in outputs.items()},
            _blob(data["fragment"]), dict(sev), _codes(data["codes"]), cached,
        )  # fmt: skip


DIFF_FORMATS = ("json", "md", "html")
PARITY_FORMATS = {"json": "json", "html": "html", "xlf": "xliff"}


def probe_pair(task: PairTask) -> PairResult | None:
    if not task.use_cache:
        return None

    def make(data: dict) -> PairResult:
        result = PairResult.from_json(task.key(), data)
        wanted = DIFF_FORMATS if task.kind == "diff" else PARITY_FORMATS
        if result.kind != task.kind or any(k not in result.outputs for k in wanted):
            raise ValueError("outputs")
        return result

    return _probe(store.entry_path(task.store, task.kind, task.key()), make)


def _stored_pair(task: PairTask | DigestTask):
    """The two stored descriptions a pair task compares (read back from the store)."""
    from pipeline.normalize.model import ServiceDescription

    def load(ref):
        return ServiceDescription.model_validate_json(store.get_blob(task.store, ref[0]))

    return load(task.left), load(task.right)


def compare(task: PairTask) -> PairResult:
    """Run the diff or the parity check on two stored editions and render its reports to the store."""
    from pipeline.catalog.executor import deadline
    from pipeline.catalog.fragments import diff_fragment, parity_fragment
    from pipeline.normalize.model import ServiceDescription
    from pipeline.render.paginate import paginate

    if (hit := probe_pair(task)) is not None:
        return hit
    left, right = _stored_pair(task)
    with deadline(task.timeout_s, task.name):
        if task.kind == "diff":
            from pipeline.diff.compare import diff_descriptions
            from pipeline.render.diff_report import render_diff

            src = [
                ServiceDescription.model_validate_json(store.get_blob(task.store, blob[0]))
                for blob in task.sources or ()
            ]
            model = diff_descriptions(left, right, *src)
            del left, right, src
            texts = {fmt: _text(render_diff(model, fmt)) for fmt in DIFF_FORMATS}
        else:
            from pipeline.parity.compare import check_parity
            from pipeline.parity.corpus import corpus_inputs
            from pipeline.render.parity_report import render_parity

            glossary = _glossary(task.glossary, sha256_file(task.glossary) if task.glossary else "")
            terms, found = (
                corpus_inputs(read_json(task.store, task.context)) if task.context else (None, None)
            )
            aligned = None
            if task.alignment:
                from pipeline.parity.model import AlignedPair

                aligned = [AlignedPair.model_validate(p) for p in read_json(task.store, task.alignment)]
            model = check_parity(
                left, right, glossary=glossary, terms=terms, corpus_findings=found, alignment=aligned
            )
            del left, right
            texts = {ext: _text(render_parity(model, fmt)) for ext, fmt in PARITY_FORMATS.items()}
    data = model.model_dump(mode="json")
    del model
    fragment = diff_fragment(data) if task.kind == "diff" else parity_fragment(data)
    outputs: dict[str, Blob] = {}
    for ext, text in texts.items():
        if ext == "html":
            for n, page in enumerate(paginate(text, task.stem, limit=HTML_PAGE_LIMIT), 1):
                outputs["html" if n == 1 else f"p{n}.html"] = store.put_blob(task.store, page.encode("utf-8"))
        else:
            outputs[ext] = store.put_blob(task.store, text.encode("utf-8"))
    if task.kind == "diff":
        severities = _tally(str(r[2]) for r in fragment["rows"])
    else:
        severities = _tally(r[3] for r in fragment["records"])
    codes = sorted({r[2] for r in fragment["records"]})
    result = PairResult(
        task.kind, task.name, task.key(), outputs, _put_json(task.store, fragment), severities, codes
    )
    store.put_entry(store.entry_path(task.store, task.kind, task.key()), result.to_json())
    return result


def run(task):
    """One task of any kind (the executors run this); the worker's text caches trimmed after it."""
    from pipeline.catalog.caches import trim

    try:
        if isinstance(task, DescribeTask):
            return describe(task)
        if isinstance(task, DigestTask):
            return digest(task)
        return compare(task)
    finally:
        trim()


# --------------------------------------------------------------------------- parity digests


@dataclass(frozen=True)
class DigestTask:
    """First parity pass: the (English, French) editions of one date aligned once and summed up for
    the corpus (parity.corpus.digest); the reports wait for every digest (second pass)."""

    name: str
    left: Blob
    right: Blob
    glossary: str | None
    store: str
    timeout_s: float | None = None
    use_cache: bool = True
    size: int = 0
    cache_key: str = ""

    def key(self) -> str:
        if self.cache_key:
            return self.cache_key
        parts = [
            "digest",
            code_fingerprint(),
            self.left[0],
            self.right[0],
            sha256_file(self.glossary) if self.glossary else "-",
        ]
        return sha256_bytes("\x00".join(parts).encode())


@dataclass(frozen=True)
class DigestResult:
    name: str
    key: str
    digest: Blob  # parity.corpus.digest
    alignment: Blob  # the aligned pairs, reused by the report (second pass): aligned once per build
    cached: bool = False

    def blobs(self) -> list[Blob]:
        return [self.digest, self.alignment]

    def to_json(self) -> dict:
        return {"name": self.name, "digest": list(self.digest), "alignment": list(self.alignment)}

    @classmethod
    def from_json(cls, key: str, data: dict, cached: bool = True) -> DigestResult:
        return cls(str(data["name"]), key, _blob(data["digest"]), _blob(data["alignment"]), cached)


def probe_digest(task: DigestTask) -> DigestResult | None:
    return _stored(task, "digest", DigestResult)


def digest(task: DigestTask) -> DigestResult:
    from pipeline.catalog.executor import deadline
    from pipeline.parity.align import align_descriptions
    from pipeline.parity.corpus import digest as make_digest

    if (hit := probe_digest(task)) is not None:
        return hit
    left, right = _stored_pair(task)
    with deadline(task.timeout_s, task.name):
        glossary = _glossary(task.glossary, sha256_file(task.glossary) if task.glossary else "")
        pairs = align_descriptions(left, right, glossary=glossary)
        data = make_digest(left, right, glossary, pairs)
    aligned = _put_json(task.store, [p.model_dump(mode="json") for p in pairs])
    result = DigestResult(task.name, task.key(), _put_json(task.store, data), aligned)
    store.put_entry(store.entry_path(task.store, "digest", task.key()), result.to_json())
    return result


def _tally(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
