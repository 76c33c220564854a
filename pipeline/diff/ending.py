"""An added row that only splits out a part of an old row to give it an end date: an announced removal.

"Client 7 and later | Supported" -> "Client 8 and later | Supported" + "Client 7 | Supported only
until 13 October 2020": the customer of client 7 had it and is now told it ends. Read as a new row
it would be a major "offer added"; for the customer it is breaking. Only a row whose label is made
of an old row's words (the old row covered it) is read so: a brand-new row that ends at a date still
adds something. End words live in ``status.yaml`` (``ends``), per language; the date must follow
the end word closely (``normalize.edition.parse_date``), so "up to 2 000 users" is no end.
"""

from __future__ import annotations

import functools
import re

from pipeline.diff.edition import Edition
from pipeline.diff.match import OfferPairs
from pipeline.diff.rows import SPLIT_WORDS, contained
from pipeline.lexicon import load_all
from pipeline.normalize.edition import parse_date
from pipeline.normalize.model import Offer
from pipeline.textutil import fold_for_match

#: How far after the end word its date may run (characters): " Oct. 13, 2020", " octobre 13, 2020".
_NEAR = 30


@functools.cache
def _ends() -> re.Pattern[str] | None:
    words = {
        fold_for_match(w) for data in load_all("status").values() for w in (data or {}).get("ends") or []
    }
    if not words:
        return None
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)")


def end_date(text: str | None) -> str | None:
    """The ISO date a text says something ends on ("supported only until Oct. 13, 2020"), else None."""
    pattern = _ends()
    if not text or pattern is None:
        return None
    folded = fold_for_match(text)
    for m in pattern.finditer(folded):
        found = parse_date(folded[m.end() : m.end() + _NEAR])
        if found:
            return found
    return None


def row_texts(x: Offer, e: Edition) -> list[str]:
    """Everything the row says: its description, cells, conditions and the segments it was read from."""
    texts = [x.description or "", *(pv.text or "" for pv in x.plan_values), *x.conditions]
    texts += [seg.text for sid in x.segment_ids if (seg := e.segments.get(sid)) is not None]
    return [t for t in texts if t]


def announced_end(x: Offer, pairs: OfferPairs, e: Edition) -> str | None:
    """The end date an added row gives a part of an old row (its label made of that row's words)."""
    olds = [o for o, _n in pairs.matched] + [o for o, _n, _s in pairs.renamed] + list(pairs.removed)
    if not any(contained(x.name, o.name) >= SPLIT_WORDS for o in olds):
        return None
    return next((d for t in row_texts(x, e) if (d := end_date(t))), None)
