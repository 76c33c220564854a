"""The units of work of a build, as plain picklable functions (local processes or Ray run the same code).

* :func:`describe` — one input file -> ServiceDescription JSON + validation findings;
* :func:`compare` — two editions of one document in one language -> diff report (json/md/html);
* :func:`parity` — the English and French files of one edition -> parity report (json/html/xlf).

Each result is cached by content: the input bytes, the glossary bytes, the limits and a fingerprint
of the tool's own source code (so an upgrade, or a fix by a teammate, invalidates old entries).
A corrupt entry is discarded and recomputed, never trusted.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline import __version__
from pipeline.fsutil import atomic_write_text
from pipeline.hashing import sha256_bytes, sha256_file

TASK_CACHE_VERSION = "1"


@functools.cache
def code_fingerprint() -> str:
    """Hash of the tool's sources and templates: part of every cache key."""
    root = Path(__file__).resolve().parents[1]
    h = [__version__]
    for path in sorted(root.rglob("*")):
        if (
            path.suffix in {".py", ".j2", ".json", ".xsd"}
            and "__pycache__" not in path.parts
            and path.is_file()
        ):
            h.append(f"{path.relative_to(root).as_posix()}:{sha256_file(path)}")
    return sha256_bytes("\n".join(h).encode())


def _cache_path(cache_dir: str | None, kind: str, key: str) -> Path | None:
    return Path(cache_dir) / "tasks" / kind / f"{key}.json" if cache_dir else None


def _digest(data: dict) -> str:
    body = {k: v for k, v in data.items() if k != "sha256"}
    return sha256_bytes(json.dumps(body, sort_keys=True, ensure_ascii=False).encode())


def _cache_get(entry: Path | None) -> dict | None:
    """The entry's payload when it is whole and ours (version and checksum match), else None."""
    if entry is None or not entry.is_file():
        return None
    try:
        data = json.loads(entry.read_bytes())
        if (
            isinstance(data, dict)
            and data.get("v") == TASK_CACHE_VERSION
            and data.get("sha256") == _digest(data)
        ):
            return data
    except (OSError, ValueError):
        pass
    entry.unlink(missing_ok=True)  # corrupt, truncated or foreign: recompute
    return None


def _cache_put(entry: Path | None, data: dict) -> None:
    if entry is not None:
        data = {**data, "v": TASK_CACHE_VERSION}
        data["sha256"] = _digest(data)
        atomic_write_text(entry, json.dumps(data, sort_keys=True, ensure_ascii=False))


def pinned(task):
    """The task with its cache key computed here, once: the parent and the worker then agree on it
    even if the tool's files change while the build runs (the key hashes the tool's code)."""
    return replace(task, cache_key=task.key()) if task.cache_dir and not task.cache_key else task


# --------------------------------------------------------------------------- describe


@dataclass(frozen=True)
class DescribeTask:
    rel: str  # path relative to the corpus root: the source named in every output
    path: str
    glossary: str | None
    cache_dir: str | None
    limits_json: str
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
    rel: str
    description: str  # canonical ServiceDescription JSON
    findings: list[dict] = field(default_factory=list)  # validation findings (Finding dumps)
    cached: bool = False


@functools.cache
def _glossary(path: str | None, stamp: str):  # noqa: ARG001 - stamp keys the cache on file content
    if not path:
        return None
    from pipeline.normalize.glossary import Glossary

    return Glossary.load(path)


def probe_describe(task: DescribeTask) -> DescribeResult | None:
    """The cached result of ``task``, or None (the parent calls this before sending work out)."""
    entry = _cache_path(task.cache_dir, "describe", task.key())
    data = _cache_get(entry)
    if data is None:
        return None
    try:  # well-formed JSON of the wrong shape is corrupt too: never trusted (security: no data lost)
        from pipeline.normalize.model import ServiceDescription

        if not isinstance(data.get("findings"), list) or not all(
            isinstance(f, dict) for f in data["findings"]
        ):
            raise ValueError("findings")
        ServiceDescription.model_validate_json(data["description"])
    except (KeyError, TypeError, ValueError):
        _discard(entry)
        return None
    return DescribeResult(task.rel, data["description"], data["findings"], cached=True)


def _discard(entry: Path | None) -> None:
    if entry is not None:
        entry.unlink(missing_ok=True)


def describe(task: DescribeTask) -> DescribeResult:
    """Extract + normalize (through the loader and its cache) + validate one file, within the time limit."""
    from pipeline.catalog.executor import deadline
    from pipeline.catalog.loader import load_description
    from pipeline.limits import Limits
    from pipeline.render.canonical import canonical_json

    if (hit := probe_describe(task)) is not None:
        return hit
    limits = Limits.model_validate_json(task.limits_json)
    with deadline(limits.timeout_s, task.rel):
        glossary = _glossary(task.glossary, sha256_file(task.glossary) if task.glossary else "")
        loader_cache = str(Path(task.cache_dir) / code_fingerprint()[:16]) if task.cache_dir else None
        sd = load_description(task.path, glossary=glossary, cache_dir=loader_cache, limits=limits)
        sd.document.source = task.rel  # outputs name the corpus-relative path, wherever the corpus lives
        findings = [f.model_dump(mode="json") for f in validate(sd)]
    result = DescribeResult(task.rel, canonical_json(sd), findings)
    _cache_put(
        _cache_path(task.cache_dir, "describe", task.key()),
        {"description": result.description, "findings": result.findings},
    )
    return result


def validate(sd) -> list:
    try:
        from pipeline.checks.document import validate_description
    except ImportError:  # validation module not available in this build of the tool
        return []
    return list(validate_description(sd))


# --------------------------------------------------------------------------- pairs


@dataclass(frozen=True)
class PairTask:
    """Two saved edition JSONs (paths) compared: a diff (old, new) or a parity check (source, target)."""

    kind: str  # "diff" | "parity"
    name: str  # e.g. "support 2018-09-23..2021-06-04 en"
    left: str
    right: str
    glossary: str | None
    cache_dir: str | None
    timeout_s: float | None = None
    cache_key: str = ""

    def key(self) -> str:
        if self.cache_key:
            return self.cache_key
        parts = [
            self.kind,
            code_fingerprint(),
            sha256_file(self.left),
            sha256_file(self.right),
            sha256_file(self.glossary) if self.glossary else "-",
        ]
        return sha256_bytes("\x00".join(parts).encode())


@dataclass(frozen=True)
class PairResult:
    kind: str
    name: str
    data: dict | None  # the Diff / Parity model dump; None when the stage is not available
    outputs: dict[str, str] = field(default_factory=dict)  # format -> rendered text
    cached: bool = False


DIFF_FORMATS = ("json", "md", "html")
PARITY_FORMATS = {"json": "json", "html": "html", "xlf": "xliff"}


def available(kind: str) -> bool:
    """Whether the stage behind ``kind`` is importable in this build of the tool."""
    try:
        if kind == "diff":
            import pipeline.diff.compare  # noqa: F401
            import pipeline.render.diff_report  # noqa: F401
        else:
            import pipeline.parity.compare  # noqa: F401
            import pipeline.render.parity_report  # noqa: F401
    except ImportError:
        return False
    return True


def probe_pair(task: PairTask) -> PairResult | None:
    entry = _cache_path(task.cache_dir, task.kind, task.key())
    data = _cache_get(entry)
    if data is None:
        return None
    try:  # well-formed JSON of the wrong shape is corrupt too: never trusted
        if task.kind == "diff":
            from pipeline.diff.model import Diff as Model
        else:
            from pipeline.parity.model import Parity as Model
        Model.model_validate(data["data"])
        outputs, wanted = data["outputs"], DIFF_FORMATS if task.kind == "diff" else PARITY_FORMATS
        if not isinstance(outputs, dict) or any(not isinstance(outputs.get(k), str) for k in wanted):
            raise ValueError("outputs")
    except (KeyError, TypeError, ValueError):
        _discard(entry)
        return None
    return PairResult(task.kind, task.name, data["data"], data["outputs"], cached=True)


def compare(task: PairTask) -> PairResult:
    """Run the diff or the parity check on two saved editions and render its reports."""
    from pipeline.catalog.executor import deadline
    from pipeline.normalize.model import ServiceDescription

    if (hit := probe_pair(task)) is not None:
        return hit
    left = ServiceDescription.model_validate_json(Path(task.left).read_bytes())
    right = ServiceDescription.model_validate_json(Path(task.right).read_bytes())
    with deadline(task.timeout_s, task.name):
        if task.kind == "diff":
            from pipeline.diff.compare import diff_descriptions
            from pipeline.render.diff_report import render_diff

            model = diff_descriptions(left, right)
            outputs = {fmt: _text(render_diff(model, fmt)) for fmt in DIFF_FORMATS}
        else:
            from pipeline.parity.compare import check_parity
            from pipeline.render.parity_report import render_parity

            glossary = _glossary(task.glossary, sha256_file(task.glossary) if task.glossary else "")
            model = check_parity(left, right, glossary=glossary)
            outputs = {ext: _text(render_parity(model, fmt)) for ext, fmt in PARITY_FORMATS.items()}
    result = PairResult(task.kind, task.name, model.model_dump(mode="json"), outputs)
    _cache_put(
        _cache_path(task.cache_dir, task.kind, task.key()), {"data": result.data, "outputs": result.outputs}
    )
    return result


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
