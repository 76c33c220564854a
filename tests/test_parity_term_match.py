"""The hand-written term matcher of ``parity.terms`` (``contains``, ``count``) finds exactly what the
term's regular expression finds: same boundaries (word characters of every script, ``-``, ``_``),
spaces and no-break spaces between words, non-overlapping occurrences."""

from __future__ import annotations

import random

import pytest

from pipeline.parity.terms import _pattern, contains, count

#: Characters that stress the boundaries: word characters of several scripts, digits, "-", "_",
#: spaces of both kinds, punctuation, a combining accent.
ALPHABET = ["a", "b", "A", "B", "é", "1", "²", "_", "-", " ", " ", " ", ".", "(", "'", "\u0301", "ß", "Ω"]
TERMS = [
    "a",
    "ab",
    "a b",
    "A B",
    "ab-b",
    "a.b",
    "é1",
    "b a b",
    "1",
    "a_",
    "(a)",
    "-a",
    "a-",
    "ß Ω",
    "a  b",
    " ",
]


@pytest.mark.parametrize("seed", range(4))
def test_matches_as_the_pattern(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 14)))
        for term in TERMS:
            rx = _pattern(term)
            assert contains(text, term) == (rx.search(text) is not None), (text, term)
            assert count(text, term) == len(rx.findall(text)), (text, term)


def test_examples() -> None:
    assert contains("Use Exchange\u00a0Online now", "Exchange Online")
    assert not contains("Use Exchange-Online now", "Exchange Online")
    assert not contains("pre-Exchange Online", "Exchange Online")
    assert not contains("Exchange Onlines", "Exchange Online")
    assert contains("Exchange Online-", "Exchange Online")  # the pattern allows "-" after a term
    assert count("GCC, GCC High and GCCX", "GCC") == 2
