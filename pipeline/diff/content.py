"""Content outside the offer schema: sections matched by id/title/content, segments compared as
one token stream per section so that a sentence split or joined differently (PDF reflow vs
Markdown) costs nothing, and each real edit is reported once with the sentences it touches.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from pipeline.diff.model import RedlineSpan
from pipeline.diff.text import Tok, is_word, redline, tokenize
from pipeline.extract.model import Provenance


@dataclass
class Unit:
    """One comparable piece of text (a segment): what it says and where it sits."""

    text: str
    segment_id: str | None = None
    offer_id: str | None = None
    prov: list[Provenance] = field(default_factory=list)


@dataclass
class Hunk:
    old: list[Unit]
    new: list[Unit]
    redline: list[RedlineSpan]
    words_changed: bool  # False: punctuation/case only inside the touched units

    @property
    def old_text(self) -> str | None:
        return " ".join(u.text for u in self.old) or None

    @property
    def new_text(self) -> str | None:
        return " ".join(u.text for u in self.new) or None


#: Labels a PDF prints at the head of a note box and Markdown keeps apart (``> [!NOTE]``).
NOTE_LABELS = frozenset(
    [
        "note",
        "notes",
        "tip",
        "tips",
        "important",
        "warning",
        "caution",
        "remarque",
        "conseil",
        "avertissement",
        "attention",
    ]
)


_LABEL_HEAD = re.compile(r"^\s*(\w+)\s*:?\s+(?=\S)")


def strip_note_label(text: str) -> str:
    """'Important Administrators can't …' -> 'Administrators can't …' (a PDF note box's label);
    'Note that …' and ordinary sentences stay as they are."""
    m = _LABEL_HEAD.match(text)
    if m and m.group(1).casefold() in NOTE_LABELS:
        rest = text[m.end() :]
        if rest[:1].isupper() and not rest.casefold().startswith("that "):
            return rest
    return text


def _stream(units: list[Unit]) -> list[Tok]:
    toks: list[Tok] = []
    for i, u in enumerate(units):
        unit_toks = tokenize(u.text, unit=i)
        if unit_toks and unit_toks[0].key in NOTE_LABELS:
            rest = unit_toks[1:]
            if rest and rest[0].key == ":":
                rest = rest[1:]
            # "Note" alone, or "Note" heading a sentence (not "Note that ...")
            if not rest or (rest[0].text[:1].isupper() and rest[0].key != "that"):
                unit_toks = rest
        toks.extend(unit_toks)
    return toks


def _touched(toks: list[Tok], lo: int, hi: int) -> set[int]:
    """Units whose tokens lie in [lo, hi); for an insertion point inside a unit, that unit."""
    if hi > lo:
        return {t.unit for t in toks[lo:hi]}
    if 0 < lo < len(toks) and toks[lo - 1].unit == toks[lo].unit:
        return {toks[lo].unit}
    return set()


def _unit_spans(toks: list[Tok]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for k, t in enumerate(toks):
        out.setdefault(t.unit, []).append(k)
    return out


def diff_units(old: list[Unit], new: list[Unit]) -> list[Hunk]:
    """Word-level diff of two unit sequences; one hunk per group of touched units."""
    a, b = _stream(old), _stream(new)
    ka, kb = [t.key for t in a], [t.key for t in b]
    if ka == kb:
        return []  # same words in the same order, however the sentences were split
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    opcodes = sm.get_opcodes()
    # token alignment through the equal runs: a unit partly kept pulls in its counterpart
    a_to_b: dict[int, int] = {}
    b_to_a: dict[int, int] = {}
    for tag, i1, i2, j1, _j2 in opcodes:
        if tag == "equal":
            for k in range(i2 - i1):
                a_to_b[i1 + k] = j1 + k
                b_to_a[j1 + k] = i1 + k
    a_units = _unit_spans(a)
    b_units = _unit_spans(b)
    groups: list[tuple[set[int], set[int]]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        ou, nu = _touched(a, i1, i2), _touched(b, j1, j2)
        for _ in range(2):  # close over counterparts (a unit's kept words live in the other side's unit)
            nu |= {b[a_to_b[k]].unit for u in ou for k in a_units.get(u, ()) if k in a_to_b}
            ou |= {a[b_to_a[k]].unit for u in nu for k in b_units.get(u, ()) if k in b_to_a}
        if groups and (groups[-1][0] & ou or groups[-1][1] & nu):
            groups[-1][0].update(ou)
            groups[-1][1].update(nu)
        else:
            groups.append((set(ou), set(nu)))
    hunks: list[Hunk] = []
    for ou, nu in groups:
        old_units = [old[i] for i in sorted(ou)]
        new_units = [new[j] for j in sorted(nu)]
        ot = [t for t in a if t.unit in ou]
        nt = [t for t in b if t.unit in nu]
        if [t.key for t in ot] == [t.key for t in nt]:
            continue
        words_changed = [t.key for t in ot if is_word(t.key)] != [t.key for t in nt if is_word(t.key)]
        if not ot and not nt:
            continue
        hunks.append(Hunk(old=old_units, new=new_units, redline=redline(ot, nt), words_changed=words_changed))
    return hunks
