"""One reader per quantity: numbers, durations, sizes, money and percentages in French and English.

Shared plumbing (imports no stage). Every word it knows lives in the lexicon data files
(``pipeline/lexicon/data/<lang>/numbers.yaml`` and ``units.yaml``): a new unit alias or number word
is a data change. Modules: :mod:`.lexicon` (the vocabularies, loaded once), :mod:`.numbers` (number
mentions in any locale format) and :mod:`.read` (a number with its unit: :class:`Quantity`).
"""

from __future__ import annotations

from pipeline.quantities.lexicon import norm_lang, number_words, units
from pipeline.quantities.numbers import (
    NumberMention,
    fmt_number,
    number_word,
    numbers_in,
    parse_number,
    parse_number_phrase,
    values,
    word_digit_pairs,
)
from pipeline.quantities.read import Quantity, QuantityKind, is_unbounded, quantities_in, read_duration

__all__ = [
    "NumberMention",
    "clear_caches",
    "Quantity",
    "QuantityKind",
    "fmt_number",
    "is_unbounded",
    "norm_lang",
    "number_word",
    "number_words",
    "numbers_in",
    "parse_number",
    "parse_number_phrase",
    "quantities_in",
    "read_duration",
    "units",
    "values",
    "word_digit_pairs",
]


def clear_caches() -> None:
    """Forget the loaded vocabularies (after ``SVCDESC_LEXICON_PATH`` changed, e.g. in a test)."""
    import functools

    from pipeline import lexicon
    from pipeline.quantities import lexicon as vocab
    from pipeline.quantities import numbers

    for module in (lexicon, vocab, numbers):
        for obj in vars(module).values():
            if isinstance(obj, functools._lru_cache_wrapper):
                obj.cache_clear()
