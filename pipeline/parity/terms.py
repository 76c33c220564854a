"""Do-not-translate terms learned from the data, not from a built-in list.

A *candidate* is what looks like a name in a source text: an acronym (``GCC``, ``E5``), a word
with inner capitals (``SharePoint``, ``eDiscovery``), a code-like token (``Set-Mailbox``,
``file.json``), or a run of capitalised words and numbers (``Exchange Online Plan 1``) that does not
start the sentence. A candidate is *learned* as do-not-translate when the target keeps it verbatim
in most aligned pairs whose source has it (``MIN_PAIRS`` pairs at least) — per document, and across
a corpus when ``build`` merges the counts of every document (``TermStats.merge``).

Acronyms that translators localise (``GDPR`` -> ``RGPD``, ``EAC`` -> ``CAE``) are learned the same
way: a source acronym missing from the target, while the target has an acronym the source does
not, is counted as a localisation; one that recurs is accepted wherever it appears. A TBX glossary
adds do-not-translate terms (entries marked so) and exceptions (an entry whose French form differs).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.parity.text import acronyms, fold, function_words

#: A term is learned when kept verbatim in at least this share of the pairs whose source has it …
KEEP_SHARE = 0.6
#: … and in at least this many pairs.
MIN_PAIRS = 2
#: A capitalised word is a common word when written in lower case in at least this share as many pairs.
COMMON_SHARE = 0.2
#: A single ordinary word is no name of its own when at least this share of its pairs have it inside a
#: longer run of name words.
INSIDE_SHARE = 0.8
#: A localised acronym (A -> B) is accepted after this many pairs.
MIN_LOCALISED = 2
#: … and when it is the form of at least this share of the pairs that do not keep the acronym: over a
#: corpus, an acronym the target merely happens to have (``ATP`` dropped beside an ``EOP``) adds up too.
LOCALISED_SHARE = 0.5

_TOKEN = r"(?:[A-Z][\w'’.-]*[\w]|[A-Z]|\d+(?:\.\d+)?)"
_RUN = re.compile(rf"(?<![\w-]){_TOKEN}(?:[ \u00a0]+{_TOKEN})*(?![\w-])")
_INNER_CAPS = re.compile(r"(?<![\w-])(?:[a-z]+[A-Z]\w*|[A-Z][a-z]+[A-Z]\w*)(?![\w-])")
_CODE = re.compile(
    r"`([^`]{2,60})`|(?<![\w-])([A-Za-z]+(?:-[A-Z][a-z]+)+|[\w-]+\.(?:json|xml|exe|ps1|csv|txt))(?![\w-])"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\(|[\"“«]\s*)$")


def _is_name_token(tok: str) -> bool:
    return bool(re.match(r"[A-Z]", tok))


def candidates(text: str) -> frozenset[str]:
    """Name-like terms of a source text (see the module docstring)."""
    return _scan(text)[0]


def whole_runs(text: str) -> frozenset[str]:
    """The runs of capitalised words of a text taken whole (``Office 365 Plan Options``, not its
    ``Office 365 Plan``): a name of several words is one that stands whole somewhere."""
    return _scan(text)[1]


@functools.lru_cache(maxsize=65536)
def _scan(text: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(candidates, whole runs, single-word candidates standing inside a longer run here)."""
    whole: set[str] = set()
    inside: set[str] = set()
    out: set[str] = set(acronyms(text))
    out |= {m.group(0) for m in _INNER_CAPS.finditer(text)}
    for m in _CODE.finditer(text):
        out.add(m.group(1) or m.group(2))
    stop = function_words()
    for m in _RUN.finditer(text):
        toks = m.group(0).split()
        at_start = bool(_SENTENCE_START.search(text[: m.start()]))
        # "The EAC": a capitalised function word opens a sentence, it is not part of the name
        while toks and (not _is_name_token(toks[0]) or toks[0].lower() in stop):
            toks, at_start = toks[1:], False
        if not toks:
            continue
        whole.add(" ".join(toks))
        if len(toks) == 1:
            if not at_start and len(toks[0]) > 1:
                out.add(toks[0])
            continue
        for i in range(
            len(toks)
        ):  # every sub-run that starts with a name word: "Office 365" of "Office 365 E3"
            if _is_name_token(toks[i]) and toks[i].lower() not in stop:
                for j in range(i + 2, min(len(toks), i + 6) + 1):
                    out.add(" ".join(toks[i:j]))
        words = toks[1:] if at_start else toks
        singles = [w for w in words if _is_name_token(w) and len(w) > 1 and w.lower() not in stop]
        out.update(singles)
        if len(words) > 1:  # "Exchange Online": its words stand inside a longer name
            inside.update(singles)
    names = frozenset(t for t in out if len(t) > 1 and not t.isdigit())
    return names, frozenset(whole), frozenset(inside & names)


_LOWER_WORD = re.compile(r"(?<![\w-])[a-z][a-z'’]+(?![\w-])")


def lowercase_words(text: str) -> set[str]:
    """Words written in lower case: a capitalised word also seen so is a common word, not a name."""
    return set(_LOWER_WORD.findall(text))


_GAP = " \u00a0"


def _is_word(c: str) -> bool:
    """What ``\\w`` matches in a ``str`` pattern: a letter, a digit or a number, or ``_``."""
    return c.isalnum() or c == "_"


def _end_at(text: str, words: list[str], i: int) -> int:
    """End of ``term`` (its ``words``) standing whole at ``i`` (where its first word is written), or -1.

    The term's pattern (``_pattern``) read by hand: not after a word character or ``-``, its words
    separated by spaces or no-break spaces, not before a word character. Terms are many and each
    is looked for in a few texts only: compiling a pattern for each costs more than the search."""
    if i > 0 and (_is_word(text[i - 1]) or text[i - 1] == "-"):
        return -1
    pos = i + len(words[0])
    for w in words[1:]:
        k = pos
        while k < len(text) and text[k] in _GAP:
            k += 1
        if k == pos or not text.startswith(w, k):
            return -1
        pos = k + len(w)
    return -1 if pos < len(text) and _is_word(text[pos]) else pos


def _ends(text: str, term: str) -> list[int]:
    """Ends of the non-overlapping occurrences of ``term`` standing whole in ``text``, left to right."""
    words = term.split()
    out: list[int] = []
    if not words or not all(w in text for w in words):
        return out
    pos = 0
    while (i := text.find(words[0], pos)) >= 0:
        end = _end_at(text, words, i)
        if end < 0:
            pos = i + 1
        else:
            out.append(end)
            pos = end
    return out


def contains(text: str, term: str) -> bool:
    if not term.split():
        return _pattern(term).search(text) is not None
    return bool(_ends(text, term))


def count(text: str, term: str) -> int:
    if not term.split():
        return len(_pattern(term).findall(text))
    return len(_ends(text, term))


def contains_any_case(text: str, term: str) -> bool:
    """``term`` in ``text`` whatever its case. An ASCII term is first looked for in the lower-cased
    text, with the two letters ``re.IGNORECASE`` also matches to ``i`` and ``s`` (dotless ``ı``,
    long ``ſ``) written as those (``İ``, whose lower case is two characters, skips the test)."""
    if term.isascii() and "İ" not in text:
        low = text.lower().replace("ı", "i").replace("ſ", "s")
        if not all(w.lower() in low for w in term.split()):
            return False
    return _pattern_ci(term).search(text) is not None


_PATTERNS: dict[str, re.Pattern[str]] = {}
_PATTERNS_CI: dict[str, re.Pattern[str]] = {}


def _pattern_ci(term: str) -> re.Pattern[str]:
    p = _PATTERNS_CI.get(term)
    if p is None:
        p = _PATTERNS_CI[term] = re.compile(_source(term), re.IGNORECASE)
    return p


def _source(term: str) -> str:
    """The pattern of ``term`` standing whole (``_end_at`` reads it without compiling it)."""
    body = r"[ \u00a0]+".join(re.escape(w) for w in term.split())
    return rf"(?<![\w-]){body}(?![\w])"


def _pattern(term: str) -> re.Pattern[str]:
    p = _PATTERNS.get(term)
    if p is None:
        p = _PATTERNS[term] = re.compile(_source(term))
    return p


_TARGET_WORD = re.compile(r"[^\W\d_][\w'’]*")
#: ``fold`` of one word, cached: the name counts fold every word of every target, and words repeat.
_fold_word = functools.lru_cache(maxsize=65536)(fold)


def _add(counter: Counter, items: Iterable[Any], times: int) -> None:
    """``counter.update(items)`` done ``times`` times."""
    if times == 1:
        counter.update(items)
    else:
        counter.update({k: n * times for k, n in Counter(items).items()})


@dataclass
class TermStats:
    """Counts over aligned pairs: how often each candidate is kept, and acronym localisations."""

    seen: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    localised: Counter = field(default_factory=Counter)  # (source acronym, target acronym)
    lower: Counter = field(default_factory=Counter)  # source words seen in lower case
    kept_any_case: Counter = field(default_factory=Counter)  # kept, perhaps with its case changed
    target_lower: Counter = field(default_factory=Counter)  # target words seen in lower case
    target_accented: Counter = field(default_factory=Counter)  # accented target words, as written
    whole: Counter = field(default_factory=Counter)  # candidates of several words seen as a whole run
    #: single-word candidates seen inside a longer run of name words (``Online`` of ``Exchange Online``)
    inside: Counter = field(default_factory=Counter)

    def add_pair(self, source: str, target: str, times: int = 1) -> None:
        """Count one aligned pair (``times`` pairs with these same two texts: a grid repeats its cells)."""
        _add(self.lower, lowercase_words(source), times)
        words = _TARGET_WORD.findall(target)
        _add(self.target_lower, (_fold_word(w) for w in words if w.islower()), times)
        _add(self.target_accented, (w for w in set(words) if _fold_word(w) != w.lower()), times)
        s_acr, t_acr = acronyms(source), acronyms(target)
        new_t = t_acr - s_acr
        names, whole, inside = _scan(source)
        _add(self.whole, (t for t in whole if " " in t and t in names), times)
        _add(self.inside, inside, times)
        for term in names:
            self.seen[term] += times
            if contains(target, term):
                self.kept[term] += times
                self.kept_any_case[term] += times
            elif contains_any_case(target, term):
                self.kept_any_case[term] += times
            elif term in s_acr and len(new_t) == 1:
                self.localised[(term, next(iter(new_t)))] += times

    def merge(self, other: TermStats) -> TermStats:
        self.seen.update(other.seen)
        self.kept.update(other.kept)
        self.localised.update(other.localised)
        self.lower.update(other.lower)
        self.kept_any_case.update(other.kept_any_case)
        self.target_lower.update(other.target_lower)
        self.target_accented.update(other.target_accented)
        self.whole.update(other.whole)
        self.inside.update(other.inside)
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "seen": dict(sorted(self.seen.items())),
            "kept": dict(sorted(self.kept.items())),
            "localised": {f"{a}\t{b}": n for (a, b), n in sorted(self.localised.items())},
            "lower": dict(sorted(self.lower.items())),
            "kept_any_case": dict(sorted(self.kept_any_case.items())),
            "target_lower": dict(sorted(self.target_lower.items())),
            "target_accented": dict(sorted(self.target_accented.items())),
            "whole": dict(sorted(self.whole.items())),
            "inside": dict(sorted(self.inside.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TermStats:
        loc = Counter({tuple(k.split("\t", 1)): v for k, v in (data.get("localised") or {}).items()})
        return cls(
            Counter(data.get("seen") or {}),
            Counter(data.get("kept") or {}),
            loc,
            Counter(data.get("lower") or {}),
            Counter(data.get("kept_any_case") or {}),
            Counter(data.get("target_lower") or {}),
            Counter(data.get("target_accented") or {}),
            Counter(data.get("whole") or {}),
            Counter(data.get("inside") or {}),
        )


@dataclass
class Terms:
    """What the checks use: do-not-translate terms and accepted acronym localisations."""

    dnt: frozenset[str] = frozenset()
    #: Do-not-translate terms from a glossary (not necessarily name-shaped: looked for by text).
    extra: frozenset[str] = frozenset()
    localised: dict[str, frozenset[str]] = field(default_factory=dict)
    #: The target forms a glossary gives for a source name (an exception to do-not-translate).
    glossary_forms: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Target-language words (folded, lower case): an accented form that is one (Éducation) is a localisation.
    target_words: frozenset[str] = frozenset()
    #: Learned one-word names seen almost only inside longer ones (``Online`` of ``Exchange Online``):
    #: standing before a common noun they are the ordinary word ("Online meetings").
    parts: frozenset[str] = frozenset()

    def accepted_forms(self, term: str) -> frozenset[str]:
        return self.localised.get(term, frozenset()) | self.glossary_forms.get(term, frozenset())

    def restrict(self, names: Iterable[str], words: Iterable[str]) -> Terms:
        """The part of a corpus-wide table one pair of editions can use: its names and target words.

        ``names`` are the name-like terms of either side, ``words`` the target's words (folded, and
        accented ones as written). A report keyed on this part is recomputed only when a change
        elsewhere in the corpus changes what this pair is judged by.
        """
        names, words = frozenset(names), frozenset(words)
        return Terms(
            self.dnt & names,
            self.extra,
            {a: b for a, b in self.localised.items() if a in names or b & names},
            dict(self.glossary_forms),
            self.target_words & words,
            self.parts & names,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "dnt": sorted(self.dnt),
            "extra": sorted(self.extra),
            "localised": {a: sorted(b) for a, b in sorted(self.localised.items())},
            "glossary_forms": {a: sorted(b) for a, b in sorted(self.glossary_forms.items())},
            "target_words": sorted(self.target_words),
            "parts": sorted(self.parts),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Terms:
        return cls(
            frozenset(data.get("dnt") or ()),
            frozenset(data.get("extra") or ()),
            {a: frozenset(b) for a, b in (data.get("localised") or {}).items()},
            {a: frozenset(b) for a, b in (data.get("glossary_forms") or {}).items()},
            frozenset(data.get("target_words") or ()),
            frozenset(data.get("parts") or ()),
        )


def learn(stats: TermStats, glossary: Any = None) -> Terms:
    """Do-not-translate terms: kept in most pairs (see ``KEEP_SHARE``, ``MIN_PAIRS``), plus the glossary's."""
    dnt = {
        t
        for t, n in stats.seen.items()
        # kept as written at least MIN_PAIRS times, and kept (perhaps with its case changed: that
        # is the defect the check reports) in most pairs
        if stats.kept[t] >= MIN_PAIRS
        and max(stats.kept[t], stats.kept_any_case[t]) >= KEEP_SHARE * n
        and not _common_word(t, stats)
        and (" " not in t or stats.whole[t] > 0)  # "Office 365 Plan" only ever inside "… Plan Options"
    }
    localised: dict[str, set[str]] = {}
    for (a, b), n in stats.localised.items():
        if n >= MIN_LOCALISED and n >= LOCALISED_SHARE * (stats.seen[a] - stats.kept_any_case[a]):
            localised.setdefault(a, set()).add(b)
    forms: dict[str, set[str]] = {}
    extra: set[str] = set()
    for entry in getattr(glossary, "terms", None) or []:
        ens = [e for e in (getattr(entry, "en", None) or []) if e]
        frs = [f for f in (getattr(entry, "fr", None) or []) if f]
        if getattr(entry, "dnt", False):
            dnt.update(ens)
            extra.update(ens)
        for e in ens:
            if any(f != e for f in frs):
                forms.setdefault(e, set()).update(frs)
    dnt -= {e for e, fs in forms.items() if e not in fs}
    return Terms(
        frozenset(dnt),
        frozenset(extra & dnt),
        {a: frozenset(b) for a, b in localised.items()},
        {e: frozenset(f) for e, f in forms.items()},
        frozenset(w for w, n in stats.target_lower.items() if n >= 2)
        | frozenset(w for w, n in stats.target_accented.items() if n >= 2),
        frozenset(t for t in dnt - extra if _word_of_longer_names(t, stats)),
    )


def _common_word(term: str, stats: TermStats) -> bool:
    """A single capitalised word also written in lower case (``Plan``/``plan``) is no name — unless
    the lower-case uses are a few against many capitalised ones (``Teams`` across a corpus that
    also says "your teams" now and then)."""
    lower = stats.lower[term.lower()]
    return " " not in term and term.istitle() and lower > 0 and lower >= COMMON_SHARE * stats.seen[term]


def _word_of_longer_names(term: str, stats: TermStats) -> bool:
    """An ordinary capitalised word seen almost only inside longer names (``Online`` of ``Exchange
    Online``, ``SharePoint Online``): a word of those names more than a name of its own."""
    seen = stats.seen[term]
    return bool(re.fullmatch(r"[A-Z][a-z]+", term)) and seen > 0 and stats.inside[term] >= INSIDE_SHARE * seen


def learn_pairs(
    pairs: Iterable[tuple[str, str]], glossary: Any = None, base: TermStats | None = None
) -> Terms:
    stats = TermStats()
    for s, t in pairs:
        stats.add_pair(s, t)
    if base is not None:
        stats.merge(base)
    return learn(stats, glossary)


@dataclass
class Alteration:
    term: str
    how: str  # dropped | case | accents | suffix | occurrence
    found: str = ""


def alterations(source: str, target: str, terms: Terms) -> list[Alteration]:
    """Learned terms of ``source`` that ``target`` drops or alters; the longest term wins."""
    present = [t for t in candidates(source) if t in terms.dnt]
    present += [t for t in terms.extra if t not in present and contains(source, t)]
    present.sort(key=len, reverse=True)
    out: list[Alteration] = []
    covered: list[str] = []
    for term in present:
        if any(term != c and contains(c, term) for c in covered):
            continue  # part of a longer term already judged
        covered.append(term)
        if any(contains(target, f) for f in terms.accepted_forms(term)):
            continue
        if re.fullmatch(r"[A-Z]{2,}s", term) and contains(target, term[:-1]):
            continue  # "APIs" -> "API": an acronym's plural is invariable in French
        n_s, n_t = count(source, term), count(target, term)
        if n_t >= n_s:
            continue
        if n_t:
            other = _how(term, _pattern(term).sub(" ", target))
            if other.how == "suffix" and _spelled_out(term, other.found, terms.target_words):
                continue  # "… Pro … Professionnel": one occurrence kept, the other spelled out
            out.append(other if other.how != "dropped" else Alteration(term, "occurrence", f"{n_t} of {n_s}"))
            continue
        alt = _how(term, target)
        accented = [w for w in alt.found.split() if fold(w) != w.lower()]
        if alt.how == "accents" and all(
            fold(w) in terms.target_words or w in terms.target_words for w in accented
        ):
            continue  # "Education" -> "Éducation": the target language's own word, a localisation
        if alt.how == "suffix" and re.fullmatch(
            r"\d+", alt.found[len(term) :] if alt.found.startswith(term) else ""
        ):
            continue  # a footnote digit glued to the name ("SharePoint2")
        if alt.how == "suffix" and _spelled_out(term, alt.found, terms.target_words):
            continue  # "Pro" -> "Professionnel": the localised edition name spells the abbreviation out
        out.append(alt)
    return out


def _spelled_out(term: str, found: str, target_words: frozenset[str]) -> bool:
    """A short capitalised abbreviation (``Pro``) written as the whole word it shortens
    (``Professionnel``); not a target word glued to a name (``Propour``: ``pour`` is a word)."""
    tail = found[len(term) :]
    return (
        bool(re.fullmatch(r"[A-Z][a-z]{1,3}", term))
        and bool(re.fullmatch(r"[a-z]{4,}", tail))
        and fold(tail) not in target_words
    )


def _how(term: str, target: str) -> Alteration:
    words = r"[ \u00a0]+".join(re.escape(w) for w in term.split())
    m = re.search(rf"(?<![\w-]){words}(?![\w])", target, flags=re.IGNORECASE)
    if m:
        return Alteration(term, "case", m.group(0))
    f_term = fold(term)
    m = re.search(rf"(?<![\w-])({r'[ ]+'.join(re.escape(w) for w in f_term.split())})(?![\w])", fold(target))
    if m:
        return Alteration(term, "accents", target[m.start() : m.end()])
    m = re.search(rf"(?<![\w-]){words}(\w+)", target)
    if m:
        return Alteration(term, "suffix", m.group(0))
    return Alteration(term, "dropped")
