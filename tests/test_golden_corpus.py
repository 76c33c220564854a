"""Golden output over the shared corpus and seeds: the document model and the description of every file, by digest.

Guards refactors: a change that is meant to keep behaviour must keep every digest. A change that is
MEANT to change output (a schema bump, a better reading of marks, a fixed extraction bug) regenerates
the digests and names the change in its commit message::

    pytest tests/test_golden_corpus.py --regen-golden        # or SVCDESC_REGEN_GOLDEN=1 pytest …
    git diff --stat tests/golden/                             # which files changed: say why in the commit

One digest file per input (``tests/golden/<path under ../shared>.sha256``: the sha256 of the canonical JSON of
the document model, then of the description), so parallel workers never write the same file and the
diff of a commit shows exactly which inputs changed. A corpus file without a digest fails until the
digests are regenerated; a digest whose input left the corpus fails too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import SHARED_CORPUS

from pipeline.extract import extract, readable
from pipeline.normalize import normalize
from pipeline.render.canonical import canonical_json

GOLDEN = Path(__file__).resolve().parent / "golden"

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _inputs() -> list[str]:
    """Every readable file of ``corpus/`` and ``seeds/``, relative to the shared folder."""
    shared = SHARED_CORPUS.parent
    return sorted(
        p.relative_to(shared).as_posix()
        for folder in (SHARED_CORPUS, shared / "seeds")
        if folder.is_dir()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "README.md" and readable(p)
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("rel", _inputs() or ["(shared corpus absent)"])
def test_output_matches_golden_digest(
    rel: str, shared_corpus: Path, regen_golden: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read by its path relative to the shared folder: the document's ``source`` is then the same on
    # every machine (a clone elsewhere, CI's copy of shared/), so the digest holds only the output.
    monkeypatch.chdir(shared_corpus.parent)
    document = extract(Path(rel))
    description = normalize(document)
    got = (
        f"document {_digest(canonical_json(document))}\ndescription {_digest(canonical_json(description))}\n"
    )
    golden = GOLDEN / f"{rel}.sha256"
    if regen_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
        return
    assert golden.is_file(), f"no golden digest for {rel}: run pytest {__file__} --regen-golden"
    assert got == golden.read_text(encoding="utf-8"), (
        f"output of {rel} changed; if intended, regenerate with --regen-golden and name the change in the commit"
    )


def test_every_golden_digest_has_its_input(shared_corpus: Path, regen_golden: bool) -> None:
    stale = sorted(
        p.relative_to(GOLDEN).as_posix().removesuffix(".sha256")
        for p in GOLDEN.rglob("*.sha256")
        if not (shared_corpus.parent / p.relative_to(GOLDEN)).with_suffix("").is_file()
    )
    if regen_golden:
        for rel in stale:
            (GOLDEN / f"{rel}.sha256").unlink()
        return
    assert not stale, f"golden digests without an input (regenerate with --regen-golden): {stale}"
