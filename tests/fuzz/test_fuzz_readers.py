"""Short, bounded fuzz run of every reader (CI): mutated real-ish inputs give a result or a typed error.

Hypothesis drives the mutator in ``harness.py`` (seeded with generated inputs and, when present, the
smallest real shared files), and also generates Markdown/text from a token alphabet. Each example has
a hard 10 s hang guard. ``SVCDESC_FUZZ_EXAMPLES`` scales the run; ``run_long.py`` is the long run.
"""

from __future__ import annotations

import os
import random

import pytest
from harness import TARGETS, mutate, run_target, seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SCALE = float(os.environ.get("SVCDESC_FUZZ_SCALE", "1"))
EXAMPLES = {"pdf": 15, "docx": 40, "markdown": 60, "text": 60, "tbx": 80, "xliff": 80}
FUZZ = dict(
    deadline=None,
    derandomize=os.environ.get("SVCDESC_FUZZ_RANDOM") != "1",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MD_TOKENS = ["# ", "## ", "1. ", "- ", "  - ", "* ", "> ", "> [!NOTE]", "|", "|---|", "\n", "\r\n", "\r", "---\n",
             "title: x\n", "`", "```", "<sup>1</sup>", "<b>", "</b>", "[a](", ")", "](javascript:x)", "**", "_", "\\",
             "&amp;", "&#0;", "\u00a0", "\u202f", "\ufeff", "\uf0c8", "✓", "+", "Page 1 of 8", "Service", "é"]  # fmt: skip


@st.composite
def mutated(draw, name: str) -> bytes:
    base = draw(st.sampled_from(seeds(name)))
    return mutate(base, random.Random(draw(st.integers(0, 2**32 - 1))))


def tokens_text() -> st.SearchStrategy[bytes]:
    piece = st.one_of(st.sampled_from(MD_TOKENS), st.text(max_size=12))
    return st.lists(piece, max_size=80).map(lambda xs: "".join(xs).encode("utf-8", "surrogatepass"))


def _check(name: str, data: bytes) -> None:
    outcome = run_target(name, data)  # raises on a crash or a hang
    assert outcome == "ok" or outcome.startswith("E")


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzz_reader(name: str):
    strategy = mutated(name)
    if name in {"markdown", "text"}:
        strategy = st.one_of(strategy, tokens_text(), st.binary(max_size=512))
    elif name in {"tbx", "xliff", "docx"}:
        strategy = st.one_of(strategy, st.binary(max_size=256))

    @settings(max_examples=max(1, int(EXAMPLES[name] * SCALE)), **FUZZ)
    @given(strategy)
    def run(data: bytes) -> None:
        _check(name, data)

    run()


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_seeds_are_accepted(name: str):
    """The unmutated seeds are real inputs: the valid ones must read as valid (the fuzzer starts from sense)."""
    outcomes = [run_target(name, s) for s in seeds(name)]
    assert outcomes[0] == "ok", outcomes
