"""Shared fixtures: the real corpus in ../shared/corpus, parsed once per session.

Tests that read the shared corpus skip with a clear reason when it is absent, except when
``SVCDESC_REQUIRE_SHARED=1`` (CI), where its absence is a failure.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SVCDESC_SHARED", REPO.parent / "shared"))
SHARED_CORPUS = SHARED / "corpus"
SAMPLE_CORPUS = REPO / "corpus"


def _require_shared() -> Path:
    if SHARED_CORPUS.is_dir():
        return SHARED_CORPUS
    if os.environ.get("SVCDESC_REQUIRE_SHARED") == "1":
        pytest.fail(f"SVCDESC_REQUIRE_SHARED=1 but the shared corpus is missing at {SHARED_CORPUS}")
    pytest.skip(
        f"shared corpus not found at {SHARED_CORPUS} (set SVCDESC_SHARED or place it beside the repo)"
    )


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    return _require_shared()


@pytest.fixture(scope="session")
def seeds_dir(shared_corpus: Path) -> Path:
    return shared_corpus.parent / "seeds"


@pytest.fixture(scope="session")
def vendor_pdf(shared_corpus: Path) -> Path:
    return shared_corpus / "vendor-pdf" / "o365-engineering-direct-2019-03-25.en.pdf"


@pytest.fixture(scope="session")
def ussd_pdf(shared_corpus: Path) -> Path:
    return shared_corpus / "ussd-fr" / "ussd-fr-v1.pdf"


@functools.cache
def _extract_cached(path: str):
    from pipeline.extract import extract

    return extract(Path(path))


DESCRIBE_CACHE = REPO / ".svcdesc-cache" / "tests-describe"


@functools.cache
def _describe_cached(path: str):
    """Through the content-hash cache on disk, so parallel test workers normalise each file once."""
    from pipeline.catalog.loader import load_description

    return load_description(path, cache_dir=DESCRIBE_CACHE)


@pytest.fixture(scope="session")
def extracted():
    """``extracted(path) -> Document``, each file parsed once per test session."""
    return lambda path: _extract_cached(str(Path(path).resolve()))


@pytest.fixture(scope="session")
def described():
    """``described(path) -> ServiceDescription`` (no glossary), each file normalised once per session."""
    return lambda path: _describe_cached(str(Path(path).resolve()))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/ digests from the current output (an intended change; name it in the commit)",
    )


@pytest.fixture(scope="session")
def regen_golden(request: pytest.FixtureRequest) -> bool:
    """True with ``--regen-golden`` or ``SVCDESC_REGEN_GOLDEN=1``: golden tests write instead of compare."""
    return bool(request.config.getoption("--regen-golden")) or os.environ.get("SVCDESC_REGEN_GOLDEN") == "1"
