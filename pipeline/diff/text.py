"""Word-level comparison of text: normalised tokens, redlines, and cosmetic-vs-meaning verdicts.

Everything here compares *folded* tokens so that what differs between a PDF and its Markdown
source (curly vs straight quotes, dashes, line-break hyphenation, superscript footnote digits,
case, no-break spaces) never counts as a change, while the displayed redline keeps the text as
written.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

from pipeline.diff.model import ChangeSeverity, RedlineOp, RedlineSpan
from pipeline.textutil import clean_text

_QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "‚": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "−": "-",
        "…": "...",
        **{ch: None for ch in "⁰¹²³⁴⁵⁶⁷⁸⁹"},
    }
)
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-\s+(?=[^\W\d_])")
_COPYRIGHT = re.compile(r"(©|\(c\)|copyright)\s*(\d{4}(\s*[-–]\s*\d{4})?)", re.IGNORECASE)
_TOKEN = re.compile(r"\w+(?:[-'’.,/:]\w+)*%?|[^\w\s]", re.UNICODE)

#: Words whose swap does not change what the customer gets (folded forms, both directions).
SYNONYMS: dict[str, str] = {
    "may": "can",
    "shall": "must",
    "email": "email",
    "e-mail": "email",
    "per": "a",
    "via": "through",
    "using": "through",
    "utilise": "use",
    "utilize": "use",
    "purchase": "buy",
    "acquire": "buy",
    "obtain": "get",
    "receive": "get",
    "assist": "help",
    "assistance": "help",
    "additionally": "also",
    "furthermore": "also",
    "moreover": "also",
    "customers": "customer",
    "users": "user",
    "approximately": "about",
    "roughly": "about",
    "commence": "start",
    "begin": "start",
    "terminate": "end",
    "pouvez": "peut",
    "peuvent": "peut",
    "utiliser": "use",
    "acheter": "buy",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "un": "1",
    "une": "1",
    "deux": "2",
    "trois": "3",
    "quatre": "4",
    "cinq": "5",
    "sept": "7",
    "dix": "10",
}

#: Words that carry no meaning on their own: adding/removing them alone stays cosmetic.
FILLER = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "also",
        "please",
        "simply",
        "just",
        "currently",
        "then",
        "thus",
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d",
        "ce",
        "cette",
        "ces",
        "aussi",
    ]
)

#: Markers of a condition, eligibility rule or restriction (folded, matched on word boundaries).
CONDITION_MARKERS = (
    "must",
    "only",
    "requires",
    "required",
    "require",
    "requirement",
    "prerequisite",
    "eligible",
    "eligibility",
    "unless",
    "except",
    "subject to",
    "limited to",
    "at least",
    "minimum",
    "no longer",
    "not available",
    "not included",
    "not supported",
    "cannot",
    "can't",
    "provided that",
    "doit",
    "doivent",
    "uniquement",
    "seulement",
    "exige",
    "requis",
    "prerequis",
    "eligible",
    "sauf",
    "sous reserve",
    "limite a",
    "au moins",
    "a condition",
    "pas disponible",
    "pas disponibles",
    "plus disponibles",
    "pas pris en charge",
    "not supported",
    "ne peut pas",
    "ne peuvent pas",
    "plus disponible",
)
_CONDITION_RE = re.compile(
    r"(?<!\w)("
    + "|".join(re.escape(m) for m in sorted(set(CONDITION_MARKERS), key=len, reverse=True))
    + r")(?!\w)"
)


@functools.lru_cache(maxsize=65536)
def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=65536)
def _norm_cached(text: str) -> str:
    text = clean_text(text).translate(_QUOTES)
    text = _HYPHEN_BREAK.sub("-", text)  # "GCC- High" -> "GCC-High"; keys drop hyphens anyway
    text = _COPYRIGHT.sub(lambda m: f"{m.group(1)} YEAR", text)
    return " ".join(text.split())


def clear_caches() -> None:
    """Forget memoised text work (benchmarks measure a cold comparison with this)."""
    for fn in (_norm_cached, _tokens_cached, strip_accents, is_word):
        fn.cache_clear()


def norm_text(text: str | None) -> str:
    """Display-neutral text: clean_text, quotes/dashes folded, superscript digits dropped,
    line-break hyphenation joined, copyright years masked. Case and words are kept."""
    return _norm_cached(text) if text else ""


def token_key(token: str) -> str:
    """Comparison key of one token: case-folded, hyphens and trailing dots dropped (``e-mail`` = ``email``)."""
    key = token.casefold().replace("-", "").replace("\u00ad", "")
    if len(key) > 1:
        key = key.rstrip(".")
    return key or token


@functools.lru_cache(maxsize=65536)
def is_word(key: str) -> bool:
    return any(ch.isalnum() for ch in key)


@dataclass(frozen=True)
class Tok:
    key: str
    text: str
    unit: int = 0
    space: bool = True  # whitespace before it in the text (for display only)


@functools.lru_cache(maxsize=65536)
def _tokens_cached(text: str) -> tuple[Tok, ...]:
    norm = norm_text(text)
    return tuple(
        Tok(token_key(m.group(0)), m.group(0), 0, m.start() == 0 or norm[m.start() - 1].isspace())
        for m in _TOKEN.finditer(norm)
    )


def tokenize(text: str | None, unit: int = 0) -> list[Tok]:
    if not text:
        return []
    toks = _tokens_cached(text)
    return list(toks) if unit == 0 else [Tok(t.key, t.text, unit, t.space) for t in toks]


def text_key(text: str | None) -> str:
    """Folded word sequence: equal keys = no change worth reporting, not even cosmetic."""
    return " ".join(t.key for t in tokenize(text))


def word_key(text: str | None) -> str:
    """Folded words only (no punctuation): equal = at most a cosmetic change."""
    return " ".join(t.key for t in tokenize(text) if is_word(t.key))


def masked_key(text: str | None) -> str:
    """Words with digits masked: the context a number sits in, to pair facts across editions."""
    return re.sub(r"\d+(?:[.,]\d+)*", "#", strip_accents(word_key(text)))


def similarity(a: str | None, b: str | None) -> float:
    """Token-level similarity 0..1 of two texts (difflib ratio on folded words)."""
    ka = [t.key for t in tokenize(a) if is_word(t.key)]
    kb = [t.key for t in tokenize(b) if is_word(t.key)]
    if not ka and not kb:
        return 1.0
    if not ka or not kb:
        return 0.0
    return difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio()


#: A condition is a sentence; a long passage that happens to hold "must" is not one.
CONDITION_MAX_WORDS = 60


def has_condition(text: str | None) -> bool:
    folded = strip_accents(norm_text(text).casefold())
    return len(folded.split()) <= CONDITION_MAX_WORDS and bool(_CONDITION_RE.search(folded))


def condition_marker_count(text: str | None) -> int:
    return len(_CONDITION_RE.findall(strip_accents(norm_text(text).casefold())))


def redline(old: list[Tok], new: list[Tok]) -> list[RedlineSpan]:
    """Word-level redline: runs of kept, deleted and inserted tokens, display text as written."""
    sm = difflib.SequenceMatcher(None, [t.key for t in old], [t.key for t in new], autojunk=False)
    spans: list[RedlineSpan] = []

    def add(op: RedlineOp, toks: list[Tok]) -> None:
        if not toks:
            return
        text = (" " if spans and toks[0].space else "") + _join(toks)
        if spans and spans[-1].op == op:
            spans[-1] = RedlineSpan(op=op, text=spans[-1].text + text)
        else:
            spans.append(RedlineSpan(op=op, text=text))

    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            add(RedlineOp.equal, new[j1:j2])
        else:
            add(RedlineOp.delete, old[i1:i2])
            add(RedlineOp.insert, new[j1:j2])
    return spans


def _join(toks: list[Tok]) -> str:
    out = ""
    for t in toks:
        if out and t.space:
            out += " "
        out += t.text
    return out


def canonical_words(keys: list[str]) -> list[str]:
    out = []
    for k in keys:
        k = strip_accents(k)
        k = SYNONYMS.get(k, k)
        if k not in FILLER:
            out.append(k)
    return out


def classify_wording(old_text: str | None, new_text: str | None) -> ChangeSeverity | None:
    """None = no change at all; cosmetic = punctuation/case/order/synonyms only; else minor."""
    old_t, new_t = tokenize(old_text), tokenize(new_text)
    if [t.key for t in old_t] == [t.key for t in new_t]:
        return None
    old_w = [t.key for t in old_t if is_word(t.key)]
    new_w = [t.key for t in new_t if is_word(t.key)]
    if old_w == new_w or sorted(old_w) == sorted(new_w):
        return ChangeSeverity.cosmetic
    if sorted(canonical_words(old_w)) == sorted(canonical_words(new_w)):
        return ChangeSeverity.cosmetic
    return ChangeSeverity.minor


def numbers_in(text: str | None) -> list[str]:
    return re.findall(r"\d+(?:[.,]\d+)*", norm_text(text))
