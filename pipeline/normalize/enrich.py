"""How, when and in which language an offer is delivered: its delivery modes, hours and languages.

Read from the offer's own text (description, conditions, segments) by :func:`pipeline.normalize.offers.enrich`.
Every word lives in lexicon data: ``delivery.yaml`` (modes, language names, local language and time,
working-day and business-hours words, negations) and the round-the-clock idioms of ``metrics.yaml``
(``coverage``/``24x7``), which the SLA readers use too: an offer's "24/7" and an SLA's "24x7" are one
reading. Business hours keep a narrower list: "within 10 business days" is an SLA's business time,
not the hours an offer is given in.
"""

from __future__ import annotations

import functools
import re

from pipeline.lexicon import load_all
from pipeline.normalize.sla.vocab import says_coverage
from pipeline.textutil import fold_for_match

_HOURS = re.compile(
    r"(?P<h1>\d{1,2})\s*(?:h|:)\s*(?P<m1>\d{2})?\s*(?P<ap1>[ap]\.?m\.?)?\s*(?:à|a|to|-|–)\s*"
    r"(?P<h2>\d{1,2})\s*(?:h|:)\s*(?P<m2>\d{2})?\s*(?P<ap2>[ap]\.?m\.?)?",
    re.I,
)


def _phrases(key: str) -> list[str]:
    """Folded phrases under ``key`` of ``delivery.yaml``, every language, longest first."""
    out = {
        fold_for_match(str(w)) for data in load_all("delivery").values() for w in (data or {}).get(key) or []
    }
    return sorted(out, key=lambda w: (-len(w), w))


def _groups(key: str) -> dict[str, list[str]]:
    """``{id: folded phrases}`` under the mapping ``key`` of ``delivery.yaml``, every language merged."""
    out: dict[str, set[str]] = {}
    for data in load_all("delivery").values():
        for gid, words in ((data or {}).get(key) or {}).items():
            out.setdefault(str(gid), set()).update(fold_for_match(str(w)) for w in words or [])
    return {k: sorted(v, key=lambda w: (-len(w), w)) for k, v in out.items()}


def _inside(words: list[str]) -> re.Pattern[str]:
    """Any of ``words`` anywhere in folded text (no word boundary: "remote" finds "remotely")."""
    return re.compile("|".join(re.escape(w) for w in words) or r"(?!)")


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    negations = "|".join(re.escape(w) for w in _phrases("negations")) or r"(?!)"
    return {
        "local_time": _inside(_phrases("local_time")),
        "business_days": _inside(_phrases("business_days")),
        "business_hours": _inside(_phrases("business_hours")),
        "local_language": _inside(_phrases("local_language")),
        "negation": re.compile(rf"\b(?:{negations})\b(?:\W+\w+){{0,7}}\W*$"),
        **{f"mode:{mode}": _inside(words) for mode, words in _groups("modes").items()},
    }


@functools.cache
def _language_names() -> dict[str, str]:
    """folded language name -> ISO code ("anglais" -> "en")."""
    return {w: code for code, words in _groups("languages").items() for w in words}


def _clock(h: str, m: str | None, ap: str | None) -> str:
    hour = int(h)
    if ap and ap.lower().startswith("p") and hour < 12:
        hour += 12
    if ap and ap.lower().startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{int(m or 0):02d}"


def hours_of(text: str) -> str | None:
    """ "09:00-17:00, local, business days", "24/7", "business hours", or None."""
    f = fold_for_match(text)
    m = _HOURS.search(text)
    parts = []
    if m:
        parts.append(f"{_clock(m['h1'], m['m1'], m['ap1'])}-{_clock(m['h2'], m['m2'], m['ap2'])}")
        if _patterns()["local_time"].search(f):
            parts.append("local")
        if _patterns()["business_days"].search(f):
            parts.append("business days")
    elif says_coverage("24x7", text):
        parts.append("24/7")
    elif _patterns()["business_hours"].search(f):
        parts.append("business hours")
    return ", ".join(parts) or None


def languages_of(text: str) -> list[str]:
    """ISO codes of the languages the text names, and "local" for the customer's own (not denied)."""
    f = fold_for_match(text)
    names = _language_names()
    found = {names[w] for w in re.findall(r"\b(\w+)\b", f) if w in names}
    local = _patterns()["local_language"].search(f)
    if local and not _patterns()["negation"].search(f[max(0, local.start() - 60) : local.start()]):
        found.add("local")
    return sorted(found)


def delivery_of(text: str) -> list[str]:
    """Delivery modes the text names ("remote", "onsite"), in the order of the lexicon."""
    f = fold_for_match(text)
    return [mode for mode in _groups("modes") if _patterns()[f"mode:{mode}"].search(f)]
