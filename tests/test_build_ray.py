"""``--executor ray``: the same per-document tasks on a local Ray instance give the same outputs.

Starts ``ray.init(num_cpus=2, include_dashboard=False)`` locally. Skips when ray is not installed
(it is the optional extra ``svcdesc[ray]``), except in CI where that is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import tree_digest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray():
    try:
        import ray
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI is set but ray is not installed (pip install -e '.[ray]')")
        pytest.skip("ray not installed (optional extra: pip install 'svcdesc[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield ray
    ray.shutdown()


def test_ray_executor_matches_local_executor(ray, tmp_path):
    from pipeline.catalog.pipeline import BuildOptions, build

    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus" / "nordlys-support", corpus / "nordlys-support")
    shutil.copy(REPO / "corpus" / "glossary.tbx", corpus / "glossary.tbx")
    local = build(
        BuildOptions(corpus=corpus, out=tmp_path / "local", jobs=2, use_cache=False, fail_on="never")
    )
    remote = build(
        BuildOptions(
            corpus=corpus, out=tmp_path / "ray", jobs=2, executor="ray", use_cache=False, fail_on="never"
        )
    )
    assert ray.is_initialized()
    assert remote.cached == 0 and remote.described == 4 and remote.pairs == 4
    assert remote.problems == []
    assert tree_digest(tmp_path / "ray") == tree_digest(tmp_path / "local")
    assert local.changes == remote.changes and local.findings == remote.findings
