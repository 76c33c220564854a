"""The parent's step between the two parity passes: every digest learned, each edition's context made.

The step's result (:class:`CorpusResult`: each edition's context blob and the corpus reports) is
stored under the hash of every digest it was made from. A rebuild whose digests did not change reads
it back and neither reads the digests nor learns the corpus again, so a no-change rebuild only checks
hashes; one changed digest makes it again (the learned table and the corpus issues are corpus-wide).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

from pipeline.catalog import store, tasks
from pipeline.hashing import sha256_bytes

KIND = "corpus"


@dataclass(frozen=True)
class CorpusResult:
    contexts: dict[str, tasks.Blob]  # "document edition" -> its context (parity.corpus.CorpusLearner)
    outputs: dict[str, tasks.Blob]  # file relative to OUT (parity/corpus.json, its pages) -> blob

    def blobs(self) -> list[tasks.Blob]:
        return [*self.contexts.values(), *self.outputs.values()]

    def to_json(self) -> dict:
        return {
            "contexts": {k: list(v) for k, v in self.contexts.items()},
            "outputs": {k: list(v) for k, v in self.outputs.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> CorpusResult:
        contexts, outputs = data["contexts"], data["outputs"]
        if not isinstance(contexts, dict) or not isinstance(outputs, dict):
            raise ValueError("corpus result")
        return cls(
            {str(k): tasks._blob(v) for k, v in contexts.items()},
            {str(k): tasks._blob(v) for k, v in outputs.items()},
        )


def key(glossary: str | None, digests: list[tuple[str, str, str]]) -> str:
    """The step's key: the code, the glossary and every (document, edition, digest hash)."""
    parts = [KIND, tasks.code_fingerprint(), tasks.sha256_file(glossary) if glossary else "-"]
    parts += [f"{d}\x01{e}\x01{sha}" for d, e, sha in sorted(digests)]
    return sha256_bytes("\x00".join(parts).encode())


def probe(store_root: str, step_key: str) -> CorpusResult | None:
    return tasks._probe(store.entry_path(store_root, KIND, step_key), CorpusResult.from_json)


def put(store_root: str, step_key: str, result: CorpusResult) -> None:
    store.put_entry(store.entry_path(store_root, KIND, step_key), result.to_json())


def corpus_reports(store_root: str, learner) -> dict[str, tasks.Blob]:
    """``parity/corpus.json`` (learned table, corpus-wide inconsistencies) and its HTML pages, each
    written one issue at a time: the corpus-wide lists are never whole in memory."""
    from pipeline.render.paginate import page_name
    from pipeline.render.parity_corpus import corpus_pages

    def dumps(value) -> bytes:
        return json.dumps(value, sort_keys=True, ensure_ascii=False).encode()

    def corpus_json():  # the bytes of json.dumps({"inconsistencies": [...], "terms": ...}, sort_keys=True)
        yield b'{"inconsistencies": ['
        for k, issue in enumerate(learner.issues):
            yield (b", " if k else b"") + dumps(issue.as_dict())
        yield b'], "terms": ' + dumps(learner.table()) + b"}"

    out = {"parity/corpus.json": store.put_blob_stream(store_root, corpus_json())}
    issues = lambda: (i.as_dict() for i in learner.issues)  # noqa: E731
    for n, page in enumerate(corpus_pages(issues, learner.table(), limit=tasks.HTML_PAGE_LIMIT), 1):
        out[f"parity/{page_name('corpus', n)}"] = store.put_blob(store_root, page.encode("utf-8"))
    return out


class CorpusStep:
    """The parent's side of the corpus learning: digests merged as workers make them (by
    :meth:`learn`), then, once all are there, the step's result made or read back (:meth:`result`).
    Of each digest only its names and words are kept (what its context restricts the table to)."""

    def __init__(self, store_root: str, glossary: str | None, use_cache: bool) -> None:
        self.store, self.glossary, self.use_cache = store_root, glossary, use_cache
        self.learner: Any = None  # parity.corpus.CorpusLearner, made on the first digest
        self.seen: dict[tuple[str, str], tuple[list[str], list[str]]] = {}

    def learn(self, document: str, edition: str, digest: tasks.Blob) -> None:
        from pipeline.parity.corpus import CorpusLearner

        if self.learner is None:
            stamp = tasks.sha256_file(self.glossary) if self.glossary else ""
            self.learner = CorpusLearner(tasks._glossary(self.glossary, stamp))
        data = tasks.read_json(self.store, digest)
        # its pairs are read again if an issue needs them: the parent does not hold every pair
        self.learner.add(document, edition, data, lambda: tasks.read_json(self.store, digest))
        intern = sys.intern
        self.seen[(document, edition)] = (
            [intern(n) for n in data["names"]],
            [intern(w) for w in data["words"]],
        )

    def result(self, digests: list[tuple[str, str, tasks.Blob]]) -> CorpusResult:
        """Each edition's context and the corpus reports: read back when every digest is as it
        was, else made from every digest (those not learned yet are read now, one at a time)."""
        step_key = key(self.glossary, [(d, e, blob[0]) for d, e, blob in digests])
        hit = probe(self.store, step_key) if self.use_cache else None
        if hit is None:
            for document, edition, blob in digests:
                if (document, edition) not in self.seen:
                    self.learn(document, edition, blob)
            contexts = {}
            for document, edition, _ in digests:
                names, words = self.seen.pop((document, edition))
                data = {"names": names, "words": words}
                context = self.learner.context_json(document, edition, data)
                contexts[f"{document} {edition}"] = store.put_blob(self.store, context)
            hit = CorpusResult(contexts, corpus_reports(self.store, self.learner))
            put(self.store, step_key, hit)
        self.learner, self.seen = None, {}  # the pairs are not needed any more: summaries only
        return hit
