"""Pair checks in the style of Xbench / Verifika / ``pofilter``: one small named function per check.

Each check reads one aligned pair (source side, target side: plain text, inline markup, links,
footnote markers, languages) and returns zero or more ``Issue``s, each with a stable code and a
category (critical -> error, functional -> warning, cosmetic / typography -> info). The checks
know nothing of alignment or models, so they run as well on the gold segment pairs as on aligned
editions. Checks over a whole document (inconsistencies) live in ``parity.consistency``.
A check reads a side's content only (``Side.content``: not its ``ids``) and keeps no state:
``check_parity`` gives a pair of sides seen before the issues they had then.

One module per family: ``base`` (sides, issues, context), ``quantities``, ``markup``, ``names``,
``wording``; this module lists the checks in report order and runs them.
"""

from __future__ import annotations

from pipeline.parity.checks.base import Check, CheckContext, Issue, Side
from pipeline.parity.checks.markup import check_footnotes, check_links, check_markup
from pipeline.parity.checks.names import check_names, check_terminology
from pipeline.parity.checks.quantities import (
    check_availability_mark,
    check_durations,
    check_numbers,
    check_sizes,
    check_unit_form,
)
from pipeline.parity.checks.wording import (
    check_fr_typography,
    check_omission,
    check_repeated_words,
    check_sentence_case,
    check_untranslated,
)
from pipeline.parity.text import acronyms

#: The pair checks, in report order.
CHECKS: list[tuple[str, Check]] = [
    ("numbers", check_numbers),
    ("sizes", check_sizes),
    ("unit_form", check_unit_form),
    ("durations", check_durations),
    ("availability", check_availability_mark),
    ("footnotes", check_footnotes),
    ("links", check_links),
    ("markup", check_markup),
    ("names", check_names),
    ("untranslated", check_untranslated),
    ("repeated_words", check_repeated_words),
    ("sentence_case", check_sentence_case),
    ("omission", check_omission),
    ("terminology", check_terminology),
    ("fr_typography", check_fr_typography),
]


def run_checks(src: Side, tgt: Side, ctx: CheckContext | None = None) -> list[Issue]:
    ctx = ctx or CheckContext()
    out: list[Issue] = []
    for _name, check in CHECKS:
        out.extend(check(src, tgt, ctx))
    return out


__all__ = [
    "CHECKS",
    "Check",
    "CheckContext",
    "Issue",
    "Side",
    "acronyms",
    "check_availability_mark",
    "check_durations",
    "check_footnotes",
    "check_fr_typography",
    "check_links",
    "check_markup",
    "check_names",
    "check_numbers",
    "check_omission",
    "check_repeated_words",
    "check_sentence_case",
    "check_sizes",
    "check_terminology",
    "check_unit_form",
    "check_untranslated",
    "run_checks",
]
