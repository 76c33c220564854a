"""The scope of a stated rule widened or narrowed, no number changed: a condition change with a direction.

"It is not supported between A tenants and B or C tenants" -> "... B, D, or C tenants" keeps every
word of the rule; only the list of what it covers grew. Read as wording, it would be minor; for the
customer it is a tightened exclusion (breaking). The same for a limit that now counts messages
"from any and all sources", a requirement whose alternatives shrank ("must be assigned X or Y" ->
"must be assigned X"), a grant extended to more tenants (relaxed, major).

Conservative by construction: the sentence must keep all its words but for pure insertions (or pure
deletions) of a few words that are a list item (next to or holding a list separator) or a universal
quantifier, outside any rule word; the nearest rule word before the edit (restrictive, permissive or
requirement) gives the direction. Every word lives in ``conditions.yaml`` (``scope``), per language.

An exclusion extended to an item that the old text already left out ("supported only between
tenants within A. It is not supported between A tenants and B tenants." -> "... and B or C
tenants") takes nothing away: the old grant's "only within A" already excluded C. That is a
clarification (major), not a tightening.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

from pipeline.diff.match import greedy_pairs
from pipeline.diff.model import ChangeKind, ChangeSeverity
from pipeline.diff.text import is_word, strip_accents, tokenize
from pipeline.lexicon import load_all

K = ChangeKind
S = ChangeSeverity

#: An edit longer than this is a rewrite, not a list item.
MAX_CHUNK = 16
_ENDS = frozenset({".", ";", "!", "?"})
_FILLER = frozenset({"the", "a", "an", "le", "la", "les", "l", "un", "une", "des", "du", "de", "d"})


def _keys(phrase: str) -> tuple[str, ...]:
    return tuple(strip_accents(t.key) for t in tokenize(phrase))


@dataclass(frozen=True)
class _Vocab:
    rules: tuple[tuple[tuple[str, ...], str], ...]  # (marker keys, role), longest first
    separators: frozenset[str]
    alternatives: frozenset[str]
    universal: tuple[tuple[str, ...], ...]
    not_lists: tuple[tuple[str, ...], ...]  # "or later": a separator word that joins no list
    exclusive: tuple[tuple[str, ...], ...]  # "only between": what follows is all the grant covers


@functools.cache
def _vocab() -> _Vocab:
    rules: list[tuple[tuple[str, ...], str]] = []
    seps: set[str] = set()
    alts: set[str] = set()
    univ: list[tuple[str, ...]] = []
    idioms: list[tuple[str, ...]] = []
    only: list[tuple[str, ...]] = []
    for data in load_all("conditions").values():
        scope = (data or {}).get("scope") or {}
        for role in ("restrictive", "permissive", "requirement"):
            rules += [(_keys(w), role) for w in scope.get(role, []) if _keys(w)]
        seps |= {k for w in scope.get("separators", []) for k in _keys(w)}
        alts |= {k for w in scope.get("alternatives", []) for k in _keys(w)}
        univ += [_keys(w) for w in scope.get("universal", []) if _keys(w)]
        idioms += [_keys(w) for w in scope.get("not_lists", []) if _keys(w)]
        only += [_keys(w) for w in scope.get("exclusive", []) if _keys(w)]
    rules.sort(key=lambda r: -len(r[0]))
    return _Vocab(tuple(rules), frozenset(seps), frozenset(alts), tuple(univ), tuple(idioms), tuple(only))


def _joins(seq: list[str]) -> set[int]:
    """Where ``seq`` has a separator that joins list items (not the "or" of "or later")."""
    v = _vocab()
    skip = {i for idiom in v.not_lists for i in _find(seq, idiom)}
    return {i for i, k in enumerate(seq) if k in v.separators and i not in skip}


def _sentences(text: str | None) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for t in tokenize(text):
        key = strip_accents(t.key)
        out[-1].append(key)
        if key in _ENDS:
            out.append([])
    return [s for s in out if any(is_word(k) for k in s)]


def _find(seq: list[str], phrase: tuple[str, ...]) -> list[int]:
    n = len(phrase)
    return [i for i in range(len(seq) - n + 1) if tuple(seq[i : i + n]) == phrase]


def _rule_spans(seq: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, role) of every rule word, a longer marker winning over the words inside it."""
    taken: set[int] = set()
    spans: list[tuple[int, int, str]] = []
    for phrase, role in _vocab().rules:
        for i in _find(seq, phrase):
            span = set(range(i, i + len(phrase)))
            if span & taken:
                continue
            taken |= span
            spans.append((i, i + len(phrase), role))
    return sorted(spans)


def _chunk_shift(seq: list[str], lo: int, hi: int) -> tuple[str, int] | None:
    """(role, start of its rule word) governing an inserted/deleted run ``seq[lo:hi]`` when the
    run is a list item or a universal quantifier; None when it is something else."""
    v = _vocab()
    chunk = seq[lo:hi]
    if len(chunk) > MAX_CHUNK or not any(is_word(k) and k not in v.separators | _FILLER for k in chunk):
        return None
    spans = _rule_spans(seq)
    if any(s < hi and lo < e for s, e, _r in spans):
        return None  # a rule word itself came or went: a polarity change, not a scope change
    before = [(s, r) for s, e, r in spans if e <= lo]
    if not before:
        return None
    start, role = before[-1]
    joins = _joins(seq)
    listed = any(i in joins for i in range(lo - 1, hi + 1))  # in the run or right next to it
    universal = any(_find(chunk, u) for u in v.universal)
    if role == "requirement":
        # only alternatives widen or narrow a requirement ("X or Y"); "X and Y" is not read: the
        # run holds the alternative word, or the next joining word after it is one
        words = [seq[i] for i in sorted(joins) if lo <= i < hi + MAX_CHUNK and is_word(seq[i])]
        return (role, start) if words and words[0] in v.alternatives else None
    return (role, start) if (listed or universal) else None


#: role -> does covering more help the customer
_MORE_IS_BETTER = {"restrictive": False, "permissive": True, "requirement": True}


#: A few words reworded before the rule word ("in order to use X, ..." -> "to use X, ...") are
#: outside what the rule covers and do not hide a scope edit after it.
MAX_PREAMBLE = 3


def _pair_shift(a: list[str], b: list[str], added_exclusions: list[list[str]] | None = None) -> bool | None:
    """True = the rule covers more, False = less, None = not a scope edit. ``added_exclusions``
    collects the runs inserted under a restrictive rule word (what an exclusion now also covers)."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    seps = _vocab().separators
    verdicts: set[bool] = set()
    other: list[tuple[int, int, int, int]] = []
    first_rule: tuple[int, int] | None = None  # (old, new) position of the earliest governing rule word
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if set(a[i1:i2]) <= seps and set(b[j1:j2]) <= seps:
            continue  # "and" -> ",", a comma more or less, while a list grows
        if tag == "replace":
            other.append((i1, i2, j1, j2))
            continue
        added = tag == "insert"
        found = _chunk_shift(b, j1, j2) if added else _chunk_shift(a, i1, i2)
        if found is None:
            other.append((i1, i2, j1, j2))
            continue
        role, start = found
        # the rule word's place on the other side: same offset from the edit
        pos = (start - (j1 - i1), start) if added else (start, start + (j1 - i1))
        first_rule = pos if first_rule is None or pos[0] < first_rule[0] else first_rule
        # a rule covering more (insert) is better when the rule grants; worse when it restricts
        verdicts.add(added == _MORE_IS_BETTER[role])
        if added and role == "restrictive" and added_exclusions is not None:
            added_exclusions.append(b[j1:j2])
    if len(verdicts) != 1 or first_rule is None:
        return None
    for i1, i2, j1, j2 in other:
        if i2 > first_rule[0] or j2 > first_rule[1] or max(i2 - i1, j2 - j1) > MAX_PREAMBLE:
            return None
        if _rule_spans(a[i1:i2]) or _rule_spans(b[j1:j2]):
            return None
    return verdicts.pop()


def _already_excluded(chunks: list[list[str]], sentences: list[list[str]]) -> bool:
    """Every added exclusion names something outside what an exclusive grant of the old text
    ("supported only between tenants within A") covered: none of its words is in that grant's scope."""
    v = _vocab()
    scopes: list[set[str]] = []
    for seq in sentences:
        for phrase in v.exclusive:
            for i in _find(seq, phrase):
                # a grant restricted to what follows: a permissive rule word before the marker
                if any(r == "permissive" and e <= i for _s, e, r in _rule_spans(seq)):
                    scopes.append(set(seq[i + len(phrase) :]))
    if not scopes or not chunks:
        return False
    for chunk in chunks:
        words = [k for k in chunk if is_word(k) and k not in v.separators | _FILLER]
        if not words or any(k in sc for sc in scopes for k in words):
            return False
    return True


def scope_shift(
    old: str | None, new: str | None, context: str | None = None
) -> tuple[ChangeKind, ChangeSeverity, str] | None:
    """(kind, severity, summary) when a sentence's rule covers more or less than before, else None.
    Sentences are paired by similarity; all scope edits of the text must agree on the direction.
    ``context``: old text just before ``old`` (the rest of its paragraph or list item), read for
    an exclusive grant that already left out what an exclusion now adds."""
    sa, sb = _sentences(old), _sentences(new)
    if not sa or not sb:
        return None
    scored = (
        (difflib.SequenceMatcher(None, x, y, autojunk=False).ratio(), i, j)
        for i, x in enumerate(sa)
        for j, y in enumerate(sb)
    )
    verdicts: set[bool] = set()
    excluded: list[list[str]] = []
    for _s, i, j in greedy_pairs(scored, 0.6):
        if sa[i] == sb[j]:
            continue
        better = _pair_shift(sa[i], sb[j], excluded)
        if better is None:
            continue
        verdicts.add(better)
    if len(verdicts) != 1:
        return None
    if verdicts.pop():
        return K.condition_removed, S.major, "condition relaxed (scope)"
    if _already_excluded(excluded, [*_sentences(context), *sa]):
        return K.condition_added, S.major, "exclusion clarified (scope: the old grant already left it out)"
    return K.condition_added, S.breaking, "condition tightened (scope)"


def rule_roles(text: str | None) -> set[str]:
    """The kinds of rule a text states (restrictive, permissive, requirement), from its rule words."""
    return {role for sentence in _sentences(text) for _s, _e, role in _rule_spans(sentence)}
