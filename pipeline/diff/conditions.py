"""The conditions stated for an offer, old against new: which were added, dropped or reworded, and which way.

Split out of diff/compare.py (which pairs the offers): a condition is a sentence of the offer's
own paragraph that normalize typed as one; its change is judged as wording first, then as a
condition marker added or dropped (diff/edition.condition_shift) or a rule's scope changed
(diff/scope.py).
"""

from __future__ import annotations

from pipeline.diff.edition import (
    condition_change,
    condition_shift,
    offer_fields,
    one_sided,
    reworded,
    side_word,
    unique_prov,
)
from pipeline.diff.match import greedy_pairs
from pipeline.diff.model import Change, ChangeKind, ChangeSeverity
from pipeline.diff.scope import scope_shift
from pipeline.diff.text import classify_wording, masked_key, similarity, text_key
from pipeline.normalize.model import Offer

K = ChangeKind
S = ChangeSeverity


def diff_conditions(o: Offer, n: Offer) -> list[Change]:
    """An offer's stated conditions paired by similarity: reworded (with a direction when a
    condition marker or the rule's scope changed), added (breaking) or removed (major)."""
    ok = {text_key(c): c for c in o.conditions}
    nk = {text_key(c): c for c in n.conditions}
    gone = [c for k, c in ok.items() if k not in nk]
    came = [c for k, c in nk.items() if k not in ok]
    kept = greedy_pairs(
        ((similarity(a, b), i, j) for i, a in enumerate(gone) for j, b in enumerate(came)), 0.6
    )
    out = [_condition_edit(n, gone[i], came[j]) for _s, i, j in kept]
    for added, texts, used in (
        (False, gone, {i for _s, i, _j in kept}),
        (True, came, {j for _s, _i, j in kept}),
    ):
        for k, t in enumerate(texts):
            if k not in used:
                kind, sev = condition_change(added)
                out.append(
                    one_sided(
                        added,
                        text=t,
                        kind=kind,
                        severity=sev,
                        **offer_fields(o, n),
                        summary=f"{n.name}: condition {side_word(added)}",
                    )
                )
    return out


def _condition_edit(n: Offer, a: str, b: str) -> Change:
    verdict = classify_wording(a, b) or S.cosmetic
    kind, sev, what = K.text_changed, verdict, "condition reworded"
    if verdict is S.minor:
        shift = condition_shift(a, b) or scope_shift(a, b)
        if shift is not None:
            kind, sev, what = shift
        elif masked_key(a) != masked_key(b):
            # other words in a stated condition: eligibility changed, direction unknown (numbers
            # alone are judged as facts by number_fallback)
            sev, what = S.major, "condition changed (eligibility)"
    return Change(
        kind=kind,
        severity=sev,
        offer_id=n.id,
        section_id=n.section_id,
        subject="condition",
        **reworded(a, b),
        new_prov=unique_prov(n.prov),
        summary=f"{n.name}: {what}",
    )
