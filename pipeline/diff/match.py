"""Pairing offers across editions: by id, then renamed offers by content, category and position.

A rename is the same offer under a new name: its description, facts, conditions and per-plan
values barely change, it stays in the same category, and it keeps its place between the same
neighbours. Table rows with no description (feature x plan tables) are judged on their plan
values, which many rows share ("Yes" everywhere), so those also need the same place or a
similar name before they count as renamed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.diff.text import similarity, text_key
from pipeline.normalize.model import Offer
from pipeline.textutil import fold_for_match, slugify

RENAME_MIN_SCORE = 0.75


def greedy_pairs(
    scored: Iterable[tuple[float, int, int]], threshold: float = float("-inf")
) -> list[tuple[float, int, int]]:
    """One-to-one pairing, best score first (ties by position): each (score, i, j) is kept unless
    its score is below ``threshold`` or ``i`` or ``j`` is already paired. Kept triples in that order."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    out: list[tuple[float, int, int]] = []
    for s, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if s < threshold or i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        out.append((s, i, j))
    return out


@dataclass(frozen=True)
class OfferPairs:
    matched: list[tuple[Offer, Offer]]
    renamed: list[tuple[Offer, Offer, float]]
    removed: list[Offer]
    added: list[Offer]


def category_key(offer: Offer) -> tuple[str, ...]:
    return tuple(fold_for_match(c) for c in offer.category)


def content_signature(offer: Offer, plan_map: dict[str, str] | None = None) -> str:
    """What an offer *is*, minus its name: description, conditions, facts, per-plan values
    (old plan ids translated through the plan-column mapping, so renamed columns still agree)."""
    plan_map = plan_map or {}
    parts = [offer.description or ""]
    parts += offer.conditions
    parts += [f.normalized for f in offer.facts]
    parts += [
        f"{plan_map.get(pv.plan_id, pv.plan_id)} {pv.availability.value} {pv.text}"
        for pv in offer.plan_values
    ]
    if offer.availability.value != "unknown":
        parts.append(offer.availability.value)
    return " ; ".join(p for p in parts if p)


def _slots(offers: list[Offer], common: set[str]) -> dict[str, tuple[str | None, str | None]]:
    """For each offer, the nearest offers before and after it that exist in both editions."""
    out: dict[str, tuple[str | None, str | None]] = {}
    prev: str | None = None
    for o in offers:
        out[o.id] = (prev, None)
        if o.id in common:
            prev = o.id
    nxt: str | None = None
    for o in reversed(offers):
        out[o.id] = (out[o.id][0], nxt)
        if o.id in common:
            nxt = o.id
    return out


def name_similarity(a: str, b: str) -> float:
    """Word sequence, characters of the slugs ('Canaux-privés' ~ 'Canaux - Privé') or the bag of
    words (reordered names): the highest."""
    chars = difflib.SequenceMatcher(None, slugify(a), slugify(b), autojunk=False).ratio()
    wa, wb = set(slugify(a).split("-")), set(slugify(b).split("-"))
    bag = 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0  # same words, new order
    return max(similarity(a, b), chars, bag)


def own_words(name: str) -> str:
    """A row label without the group it is prefixed with ('Area: Feature' -> 'Feature')."""
    head, sep, tail = name.rpartition(": ")
    return tail if sep and len(tail) > 3 else name


def value_signature(offer: Offer) -> str:
    """The values of an offer's row whatever its plan columns are called (columns get merged,
    split and renamed between editions; '25 TB' stays '25 TB')."""
    texts = sorted({pv.text for pv in offer.plan_values if pv.text})
    facts = sorted(
        {f.normalized for pv in offer.plan_values for f in pv.facts} | {f.normalized for f in offer.facts}
    )
    return " ; ".join(texts + facts)


def rename_score(
    old: Offer,
    new: Offer,
    same_slot: bool,
    plan_map: dict[str, str] | None = None,
    same_home: bool | None = None,
) -> float:
    """0..1; at least RENAME_MIN_SCORE means 'same offer, new name'. ``same_home``: same category,
    or sections paired across editions (a renamed heading changes the category path)."""
    sig_old, sig_new = content_signature(old, plan_map), content_signature(new)
    if not sig_old.strip() or not sig_new.strip():
        return 0.0
    content = similarity(sig_old, sig_new)
    name = name_similarity(old.name, new.name)
    home = bool(same_home or category_key(old) == category_key(new))
    vo, vn = value_signature(old), value_signature(new)
    values = similarity(vo, vn) if vo and vn else 0.0
    if name >= 0.85 and max(content, values) >= 0.5:
        return 0.85  # the same name respelled ('Canaux-privés' / 'Canaux - Privé')
    if not home and not same_slot:
        return 0.0
    has_description = bool(old.description and new.description and len(text_key(old.description)) > 40)
    if has_description:
        # A described offer: its description carries the identity.
        return content if home and (content >= 0.85 or same_slot or name >= 0.3) else 0.0
    # A bare table row: identical values are common ("Available" on every row), so the name must
    # agree too, on the words that tell rows apart (not a group prefix 'Area: …' they all share).
    own = name_similarity(own_words(old.name), own_words(new.name))
    if own >= 0.9 and home:
        return 0.95  # the same row under a relabelled group, whatever its value became
    if own < 0.7 and not (same_slot and len(old.plan_values) >= 2):
        return 0.0  # one value ("Available") in the same place says nothing about identity
    if home and content >= 0.95 and (same_slot or name >= 0.5):
        return 0.9 if same_slot else 0.8
    if same_slot and values >= 0.8 and name >= 0.35:
        return 0.75 + 0.1 * name  # same values in the same place under a new name, new plan columns
    if same_slot and home and name >= 0.7:
        return 0.76
    return 0.0


def pair_offers(
    old: list[Offer],
    new: list[Offer],
    plan_map: dict[str, str] | None = None,
    section_map: dict[str | None, str | None] | None = None,
    slotless: bool = False,
) -> OfferPairs:
    """Same ids, then renames by :func:`rename_score`. ``slotless``: the rows' places were
    already compared (their neighbours are not among ``old``/``new``): only content counts."""
    new_by_id = {o.id: o for o in new}
    old_ids = {o.id for o in old}
    common = old_ids & set(new_by_id)
    matched = [(o, new_by_id[o.id]) for o in old if o.id in common]
    lonely_old = [o for o in old if o.id not in common]
    lonely_new = [o for o in new if o.id not in old_ids]
    slot_old, slot_new = _slots(old, common), _slots(new, common)
    candidates: list[tuple[float, int, int]] = []
    for i, o in enumerate(lonely_old):
        for j, n in enumerate(lonely_new):
            home = (
                section_map is not None
                and o.section_id is not None
                and section_map.get(o.section_id) == n.section_id
            )
            same_slot = not slotless and slot_old[o.id] == slot_new[n.id]
            candidates.append((rename_score(o, n, same_slot, plan_map, home), i, j))
    kept = greedy_pairs(candidates, RENAME_MIN_SCORE)
    used_old = {i for _s, i, _j in kept}
    used_new = {j for _s, _i, j in kept}
    renamed = [(lonely_old[i], lonely_new[j], score) for score, i, j in kept]
    removed = [o for i, o in enumerate(lonely_old) if i not in used_old]
    added = [n for j, n in enumerate(lonely_new) if j not in used_new]
    return OfferPairs(matched=matched, renamed=renamed, removed=removed, added=added)
