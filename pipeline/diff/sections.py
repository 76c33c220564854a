"""Text outside the offer schema: sections paired by id, title or content, and their
sentences turned into text/condition changes with a word-level redline."""

from __future__ import annotations

from collections import defaultdict

from pipeline.diff.content import Hunk, Unit, diff_units, strip_note_label
from pipeline.diff.edition import (
    Edition,
    condition_change,
    condition_shift,
    is_edition_stamp,
    one_sided,
    side_word,
    snip,
    unique_prov,
)
from pipeline.diff.match import greedy_pairs
from pipeline.diff.model import Change, ChangeKind, ChangeSeverity
from pipeline.diff.scope import scope_shift
from pipeline.diff.text import classify_wording, has_condition, similarity, text_key
from pipeline.normalize.model import SegmentKind
from pipeline.textutil import fold_for_match

K = ChangeKind
S = ChangeSeverity


# ---------------------------------------------------------------- sections and segments


def section_units(e: Edition) -> dict[str | None, list[Unit]]:
    """Segments per section, minus what the offer schema compares (offer text, conditions,
    offer/SLA table cells) and minus front matter."""
    out: dict[str | None, list[Unit]] = defaultdict(list)
    for seg in e.sd.segments:
        if seg.kind is SegmentKind.front_matter or seg.id in e.offer_segments or e.in_structured_table(seg):
            continue
        if text_key(seg.text) in e.condition_keys or not seg.text.strip() or is_edition_stamp(seg.text):
            continue
        out[seg.section_id].append(Unit(strip_note_label(seg.text), seg.id, None, list(seg.prov)))
    return out


def _section_title(e: Edition, sid: str | None) -> str:
    s = e.sections.get(sid or "")
    return s.title if s else ""


def pair_sections(eo: Edition, en: Edition, uo: dict, un: dict) -> tuple[list[tuple], list, list]:
    """Sections by id, then by folded title, then by content similarity (a renamed heading)."""
    # every section, plus text whose section is unknown to the section list (kept, never dropped)
    old_ids = list(dict.fromkeys([s.id for s in eo.sd.sections] + list(uo)))
    new_ids = list(dict.fromkeys([s.id for s in en.sd.sections] + list(un)))
    new_set = set(new_ids)
    pairs = [(i, i) for i in old_ids if i in new_set]
    lo = [i for i in old_ids if i not in new_set]
    ln = [i for i in new_ids if i not in set(old_ids)]
    by_title: dict[str, list] = defaultdict(list)
    for i in ln:
        by_title[fold_for_match(_section_title(en, i))].append(i)
    rest_o = []
    for i in lo:
        cand = by_title.get(fold_for_match(_section_title(eo, i)))
        if cand:
            pairs.append((i, cand.pop(0)))
        else:
            rest_o.append(i)
    rest_n = [i for i in ln if i not in {p[1] for p in pairs}]
    text_o = {i: " ".join(u.text for u in uo.get(i, [])) for i in rest_o}
    text_n = {i: " ".join(u.text for u in un.get(i, [])) for i in rest_n}
    long_o = {i for i, t in text_o.items() if len(text_key(t)) > 30}
    long_n = {i for i, t in text_n.items() if len(text_key(t)) > 30}
    kept = greedy_pairs(
        (
            (similarity(text_o[a], text_n[b]), x, y)
            for x, a in enumerate(rest_o)
            for y, b in enumerate(rest_n)
            if a in long_o and b in long_n
        ),
        0.6,
    )
    ux = {x for _s, x, _y in kept}
    uy = {y for _s, _x, y in kept}
    pairs += [(rest_o[x], rest_n[y]) for _s, x, y in kept]
    removed = [a for x, a in enumerate(rest_o) if x not in ux]
    added = [b for y, b in enumerate(rest_n) if y not in uy]
    return pairs, removed, added


def _outermost(e: Edition, ids: list) -> list:
    """Drop sections whose parent is in the same list (report a removed chapter once)."""
    chosen = set(ids)
    out = []
    for i in ids:
        s = e.sections.get(i or "")
        parent = s.parent if s else None
        skip = False
        while parent:
            if parent in chosen:
                skip = True
                break
            p = e.sections.get(parent)
            parent = p.parent if p else None
        if not skip:
            out.append(i)
    return out


def diff_sections(eo: Edition, en: Edition) -> tuple[list[Change], dict[str | None, str | None]]:
    """Section changes and text redlines; also returns the old -> new section mapping."""
    uo, un = section_units(eo), section_units(en)
    pairs, removed, added = pair_sections(eo, en, uo, un)
    out: list[Change] = []
    for is_added, e, ids, units in ((False, eo, removed, uo), (True, en, added, un)):
        for sid in _outermost(e, ids):
            s = e.sections.get(sid or "")
            if s is None:
                continue
            out.append(
                one_sided(
                    is_added,
                    value=s.title,
                    text=snip(" ".join(u.text for u in units.get(sid, []))) or None,
                    prov=s.prov,
                    kind=K.section_added if is_added else K.section_removed,
                    severity=S.minor,
                    section_id=sid,
                    summary=f"section {side_word(is_added)}: {s.title}",
                )
            )
    for a, b in pairs:
        old_units = uo.get(a, [])
        out += hunks_to_changes(diff_units(old_units, un.get(b, [])), None, b, old_units)
    return out, dict(pairs)


def _before(h: Hunk, units: list[Unit]) -> str | None:
    """The old text just before the hunk (the sentence a list item or paragraph starts with)."""
    first = h.old[0] if h.old else None
    i = next((k for k, u in enumerate(units) if u is first), None)
    return units[i - 1].text if i else None


def hunks_to_changes(
    hunks: list[Hunk], offer_id: str | None, section_id: str | None, old_units: list[Unit] | None = None
) -> list[Change]:
    out: list[Change] = []
    for h in hunks:
        ot, nt = h.old_text, h.new_text
        oid = offer_id or next((u.offer_id for u in [*h.new, *h.old] if u.offer_id), None)
        base = {
            "offer_id": oid,
            "section_id": section_id,
            "old_text": ot,
            "new_text": nt,
            "redline": h.redline,
            "old_prov": unique_prov(p for u in h.old for p in u.prov),
            "new_prov": unique_prov(p for u in h.new for p in u.prov),
        }
        if not h.old or not h.new:
            added = not h.old
            if has_condition(nt if added else ot):
                kind, sev = condition_change(added)
                out.append(Change(kind=kind, severity=sev, summary=f"condition {side_word(added)}", **base))
            else:
                out.append(
                    Change(kind=K.text_changed, severity=S.minor, summary=f"text {side_word(added)}", **base)
                )
            continue
        verdict = classify_wording(ot, nt)
        if verdict is None:
            continue
        shift = (
            (condition_shift(ot, nt) or scope_shift(ot, nt, _before(h, old_units or [])))
            if verdict is S.minor
            else None
        )
        if shift is not None:
            kind, sev, what = shift
            out.append(Change(kind=kind, severity=sev, summary=what, **base))
            continue
        summary = "reworded" if verdict is S.minor else "punctuation, case, order or synonyms only"
        out.append(Change(kind=K.text_changed, severity=verdict, summary=summary, **base))
    return out
