"""What a build runs, and in which order: describe every input, then each document's comparisons.

One task queue for the whole build: every input is described, largest first; as soon as every input
of a document is described, that document's diffs (consecutive editions, per language) and EN→FR
parity checks join the queue, so a document's comparisons never wait on unrelated documents.
Cached results are taken in this process before anything is sent to a worker. The parent keeps only
the tasks' summaries (:class:`~pipeline.catalog.tasks.DescribeResult`, ``PairResult``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.catalog import corpus_pass, tasks
from pipeline.catalog.catalog_model import BuildProblem
from pipeline.catalog.corpus import EDITION, LANG, CorpusEntry, check_name
from pipeline.catalog.executor import Outcome, TaskQueue
from pipeline.errors import SvcdescError
from pipeline.normalize import DAMAGED_PAGE

DESCRIBE, DIGEST, COMPARE = "describe", "digest", "compare"


#: The language the corpus's other languages are translated from: a translation's diff is judged
#: against it (a change the source did not make is translation churn, not a service change).
SOURCE_LANG = "en"


@dataclass
class Edition:
    """One described input, placed: (document, edition, language)."""

    document: str
    edition: str
    lang: str
    rel: str
    result: tasks.DescribeResult

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.document, self.edition, self.lang)


@dataclass
class Pair:
    """A diff (``lang``, ``old``..``new``) or a parity check (``lang`` = 'en-fr', old = new)."""

    kind: str
    document: str
    lang: str
    old: str
    new: str
    task: tasks.PairTask
    result: tasks.PairResult | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.document, self.kind, self.lang, self.old, self.new)

    def files(self) -> dict[str, str]:
        """Published file (relative to OUT) per output suffix of the result."""
        folder = "diffs" if self.kind == "diff" else "parity"
        stem = self.task.stem
        parts = [folder, *self.document.split("/")]
        outputs = self.result.outputs if self.result else {}
        return {suffix: "/".join([*parts, f"{stem}.{suffix}"]) for suffix in sorted(outputs)}


@dataclass
class Bilingual:
    """The English and French of one edition: digested first, its parity report checked after."""

    document: str
    edition: str
    en: Edition
    fr: Edition
    digest: tasks.DigestTask
    result: tasks.DigestResult | None = None


def identity(entry: CorpusEntry, result: tasks.DescribeResult) -> tuple[str, str]:
    """(edition, language) of a described input: from its path, else from the document itself."""
    edition = check_name(entry.edition or result.edition_date or "undated", "edition", pattern=EDITION)
    lang = entry.lang or (result.language or "und").lower()
    if not LANG.match(lang):
        lang = "und"  # a detector's label that is no language code never becomes a path
    return edition, lang


class Plan:
    def __init__(
        self, opts, corpus, glossary: Path | None, store_root: Path, problems: list, reporter
    ) -> None:
        self.opts = opts
        self.corpus = corpus
        self.glossary = str(glossary) if glossary else None
        self.store = str(store_root)
        self.problems: list[BuildProblem] = problems
        self.reporter = reporter
        self.editions: dict[tuple[str, str, str], Edition] = {}
        self.pairs: list[Pair] = []
        self.described = self.cached = self.pairs_cached = 0
        self._waiting: dict[str, int] = {}  # document -> inputs not yet described
        self._results: dict[str, list[tuple[CorpusEntry, tasks.DescribeResult]]] = {}
        self._pairs: dict[int, Pair] = {}
        self._entries: dict[int, CorpusEntry] = {}
        # parity in two passes (parity.corpus): every edition digested, then every report checked
        self._digests: dict[int, Bilingual] = {}
        self._bilingual: list[Bilingual] = []
        self._second_pass_done = False
        self.corpus_step = corpus_pass.CorpusStep(self.store, self.glossary, opts.use_cache)
        #: corpus-level parity outputs (file relative to OUT -> stored blob)
        self.corpus_outputs: dict[str, tasks.Blob] = {}

    # ----------------------------------------------------------------------------------- run

    def run(self, ex) -> None:
        queue = TaskQueue(self._done)
        self.queue = queue
        entries = self.corpus.entries
        self.reporter.phase(DESCRIBE, len(entries))
        limits_json = self.opts.limits.model_dump_json()
        for entry in entries:
            self._waiting[entry.document] = self._waiting.get(entry.document, 0) + 1
        ready: list[tuple[CorpusEntry, Any]] = []
        for entry in entries:
            task = tasks.pinned(
                tasks.DescribeTask(
                    entry.rel,
                    str(entry.path),
                    self.glossary,
                    self.store,
                    limits_json,
                    use_cache=self.opts.use_cache,
                    size=_size(entry.path),
                )  # fmt: skip
            )
            self.described += 1
            hit = tasks.probe_describe(task)
            if hit is not None:
                ready.append((entry, hit))
            else:
                self._entries[queue.add(task, task.size)] = entry
        for entry, hit in ready:  # after every miss is queued: a hit may complete a document
            self.cached += 1
            self.reporter.step(DESCRIBE, entry.rel, True, True)
            self._described(entry, hit)
        self._maybe_second_pass()
        ex.stream(tasks.run, queue, timeout_s=self.opts.limits.timeout_s)

    def _done(self, tid: int, item: Any, outcome: Outcome) -> None:
        if isinstance(item, tasks.DescribeTask):
            entry = self._entries.pop(tid)
            self.reporter.step(DESCRIBE, entry.rel, outcome.error is None, False)
            if outcome.error:
                self._problem(entry.rel, outcome)
                self._described(entry, None)
            else:
                self._described(entry, outcome.result)
        elif isinstance(item, tasks.DigestTask):
            bil = self._digests.pop(tid)
            if outcome.error and "CorruptBlob" in outcome.error:
                raise tasks.CorruptBlob(f"an input of {item.name}")
            self.reporter.step(DIGEST, item.name, outcome.error is None, False)
            if outcome.error:
                self._problem(item.name, outcome)
            else:
                self._digested(bil, outcome.result)
            self._maybe_second_pass()
        else:
            pair = self._pairs.pop(tid)
            if outcome.error and "CorruptBlob" in outcome.error:
                raise tasks.CorruptBlob(f"an input of {item.name}")  # the build sweeps the store, retries
            self.reporter.step(COMPARE, item.name, outcome.error is None, False)
            if outcome.error:
                self._problem(item.name, outcome)
            else:
                pair.result = outcome.result

    def _problem(self, path: str, outcome: Outcome) -> None:
        self.problems.append(
            BuildProblem(path=path, code=outcome.error_code or "E900", message=outcome.error)
        )
        self.reporter.note(f"{path}: {outcome.error}")

    def _garbled(self, entry: CorpusEntry, result: tasks.DescribeResult) -> None:
        """Unreadable PDF pages: one line per page; the document counts as failed (exit 2) unless
        ``--allow-garbled``. Its sound pages are built either way."""
        records = tasks.read_json(self.store, result.fragment)["records"]
        for r in records:
            if r[2] != DAMAGED_PAGE:
                continue
            line = f"[{DAMAGED_PAGE}] {entry.rel}: {r[4]}"
            if not self.opts.allow_garbled:
                self.problems.append(BuildProblem(path=entry.rel, code=DAMAGED_PAGE, message=line))
                line += " (counted as failed; --allow-garbled to accept)"
            self.reporter.note(line)

    # --------------------------------------------------------------------- per document

    def _described(self, entry: CorpusEntry, result: tasks.DescribeResult | None) -> None:
        doc = entry.document
        if result is not None:
            self._results.setdefault(doc, []).append((entry, result))
            if DAMAGED_PAGE in result.codes:
                self._garbled(entry, result)
        self._waiting[doc] -= 1
        if self._waiting[doc] == 0:
            self._place(doc, sorted(self._results.pop(doc, []), key=lambda er: er[0]))

    def _place(self, doc: str, described: list[tuple[CorpusEntry, tasks.DescribeResult]]) -> None:
        """Every input of ``doc`` is described: name its editions, then queue its comparisons."""
        placed: dict[tuple[str, str, str], Edition] = {}
        for entry, result in described:
            try:
                edition, lang = identity(entry, result)
            except SvcdescError as exc:
                self.problems.append(BuildProblem(path=entry.rel, code=exc.code, message=exc.message))
                continue
            key = (doc, edition, lang)
            if key in placed:
                msg = f"[E301] {entry.rel}: same document/edition/language as {placed[key].rel} ({'/'.join(key)}); skipped"
                self.problems.append(BuildProblem(path=entry.rel, code="E301", message=msg))
                self.reporter.note(msg)
                continue
            placed[key] = Edition(doc, edition, lang, entry.rel, result)
        self.editions.update(placed)
        self._queue_pairs(self._plan_pairs(doc, placed))
        bilingual = self._plan_digests(doc, placed)
        if bilingual:
            self.reporter.phase(DIGEST, len(bilingual))
        for bil in bilingual:
            self._bilingual.append(bil)
            hit = tasks.probe_digest(bil.digest)
            if hit is not None:
                self.reporter.step(DIGEST, bil.digest.name, True, True)
                bil.result = hit  # learned only if the corpus step is not stored (_maybe_second_pass)
            else:
                self._digests[self.queue.add(bil.digest, bil.digest.size)] = bil
        self._maybe_second_pass()

    def _queue_pairs(self, pairs: list[Pair]) -> None:
        if pairs:
            self.reporter.phase(COMPARE, len(pairs))
        for pair in pairs:
            self.pairs.append(pair)
            hit = tasks.probe_pair(pair.task)
            if hit is not None:
                pair.result = hit
                self.pairs_cached += 1
                self.reporter.step(COMPARE, pair.task.name, True, True)
            else:
                self._pairs[self.queue.add(pair.task, pair.task.size)] = pair

    # ------------------------------------------------------------------ parity, two passes

    def _plan_digests(self, doc: str, placed: dict[tuple[str, str, str], Edition]) -> list[Bilingual]:
        """The first parity pass: one digest per edition that has both English and French."""
        out = []
        for edition in sorted({e for (_, e, _) in placed}):
            en, fr = placed.get((doc, edition, "en")), placed.get((doc, edition, "fr"))
            if en is None or fr is None:
                continue
            size = en.result.description[1] + fr.result.description[1]
            t = tasks.pinned(
                tasks.DigestTask(
                    f"{doc} {edition} en-fr",
                    en.result.description,
                    fr.result.description,
                    self.glossary,
                    self.store,
                    self.opts.limits.timeout_s,
                    use_cache=self.opts.use_cache,
                    size=size,
                )  # fmt: skip
            )
            out.append(Bilingual(doc, edition, en, fr, t))
        return out

    def _digested(self, bil: Bilingual, result: tasks.DigestResult) -> None:
        """A digest a worker made: merged into the corpus's counts as it arrives (nothing else of
        it is held), while the workers make the others."""
        bil.result = result
        self.corpus_step.learn(bil.document, bil.edition, result.digest)

    def _maybe_second_pass(self) -> None:
        """Once every document is placed and every digest merged: queue every parity report."""
        if self._second_pass_done or self._digests or any(self._waiting.values()):
            return
        self._second_pass_done = True
        done = sorted(
            (b for b in self._bilingual if b.result is not None), key=lambda b: (b.document, b.edition)
        )
        if not done:
            return
        step = self.corpus_step.result([(b.document, b.edition, b.result.digest) for b in done])
        self.corpus_outputs = step.outputs
        pairs = []
        for bil in done:
            t = tasks.pinned(
                tasks.PairTask(
                    "parity",
                    f"{bil.document} {bil.edition} en-fr",
                    bil.edition,
                    bil.en.result.description,
                    bil.fr.result.description,
                    self.glossary,
                    self.store,
                    self.opts.limits.timeout_s,
                    use_cache=self.opts.use_cache,
                    size=bil.digest.size,
                    context=step.contexts[f"{bil.document} {bil.edition}"],
                    alignment=bil.result.alignment,
                )  # fmt: skip
            )
            pairs.append(Pair("parity", bil.document, "en-fr", bil.edition, bil.edition, t))
        self._queue_pairs(pairs)

    def _plan_pairs(self, doc: str, placed: dict[tuple[str, str, str], Edition]) -> list[Pair]:
        by_edition: dict[str, dict[str, Edition]] = {}
        for (_, edition, lang), e in sorted(placed.items()):
            by_edition.setdefault(edition, {})[lang] = e
        names = sorted(by_edition)
        out: list[Pair] = []

        def task(
            kind: str,
            name: str,
            stem: str,
            left: Edition,
            right: Edition,
            sources: tuple | None = None,
        ) -> tasks.PairTask:
            return tasks.pinned(
                tasks.PairTask(
                    kind,
                    name,
                    stem,
                    left.result.description,
                    right.result.description,
                    self.glossary,
                    self.store,
                    self.opts.limits.timeout_s,
                    use_cache=self.opts.use_cache,
                    size=left.result.description[1] + right.result.description[1],
                    sources=sources,
                )  # fmt: skip
            )

        langs = sorted({lang for e in by_edition.values() for lang in e})
        for lang in langs:
            have = [e for e in names if lang in by_edition[e]]
            for old, new in zip(have, have[1:], strict=False):
                a, b = by_edition[old][lang], by_edition[new][lang]
                src = None  # a translation is judged against its source language's same two dates
                if lang != SOURCE_LANG and SOURCE_LANG in by_edition[old] and SOURCE_LANG in by_edition[new]:
                    src = (
                        by_edition[old][SOURCE_LANG].result.description,
                        by_edition[new][SOURCE_LANG].result.description,
                    )
                t = task("diff", f"{doc} {old}..{new} {lang}", f"{old}..{new}.{lang}", a, b, src)
                out.append(Pair("diff", doc, lang, old, new, t))
        return out

    # ------------------------------------------------------------------------------ views

    def documents(self) -> list[tuple[str, list[Edition], list[Pair]]]:
        """(document, its editions sorted, its finished comparisons sorted), documents sorted."""
        docs: dict[str, tuple[list[Edition], list[Pair]]] = {}
        for key in sorted(self.editions):
            docs.setdefault(key[0], ([], []))[0].append(self.editions[key])
        for pair in sorted(self.pairs, key=lambda p: p.sort_key):
            if pair.result is not None:
                docs.setdefault(pair.document, ([], []))[1].append(pair)
        return [(d, *docs[d]) for d in sorted(docs)]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
