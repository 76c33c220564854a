"""SLA response tables across two editions: tables, severity rows and response scopes paired,
first-response times compared from the customer's side."""

from __future__ import annotations

from pipeline.diff.edition import Edition, one_line, one_sided, reworded, snip, unique_prov
from pipeline.diff.match import greedy_pairs
from pipeline.diff.model import Change, ChangeKind, ChangeSeverity
from pipeline.diff.rules import format_minutes, response_severity
from pipeline.diff.text import classify_wording, similarity, text_key
from pipeline.normalize.model import SlaResponse, SlaRow, SlaTable
from pipeline.textutil import fold_for_match

K = ChangeKind
S = ChangeSeverity


# ---------------------------------------------------------------- SLA tables


def _table_signature(t: SlaTable) -> str:
    return " ".join([t.title or "", *t.columns, *(r.severity for r in t.rows)])


def _pair_sla_tables(old: list[SlaTable], new: list[SlaTable]) -> list[tuple[SlaTable, SlaTable]]:
    if len(old) == len(new):
        return list(zip(old, new, strict=True))
    scored = (
        (similarity(_table_signature(a), _table_signature(b)), i, j)
        for i, a in enumerate(old)
        for j, b in enumerate(new)
    )
    pairs = [(old[i], new[j]) for _s, i, j in greedy_pairs(scored, 0.5)]
    return sorted(pairs, key=lambda p: old.index(p[0]))


def _sev_key(row: SlaRow) -> str:
    return text_key(row.severity)


def _pair_responses(
    old: list[SlaResponse], new: list[SlaResponse], mapping: dict[str, str]
) -> list[tuple[SlaResponse | None, SlaResponse | None]]:
    nb = {r.scope_id: r for r in new}
    pairs: list[tuple[SlaResponse | None, SlaResponse | None]] = []
    for r in old:
        target = mapping.get(r.scope_id)
        pairs.append((r, nb.get(target) if target else None))
    mapped = set(mapping.values())
    pairs += [(None, r) for r in new if r.scope_id not in mapped]
    return pairs


def _scope_profiles(t: SlaTable) -> dict[str, tuple[str, dict[str, int | None], int]]:
    """scope id -> (label, {severity: minutes}, column position) for one response table."""
    out: dict[str, tuple[str, dict[str, int | None], int]] = {}
    for row in t.rows:
        for pos, r in enumerate(row.first_response):
            label, times, first_pos = out.get(r.scope_id, (r.scope, {}, pos))
            times[_sev_key(row)] = r.minutes
            out[r.scope_id] = (label, times, first_pos)
    return out


def map_scopes(ta: SlaTable, tb: SlaTable) -> dict[str, str]:
    """Old scope id -> new scope id for a pair of response tables: same id, else the column whose
    name and response times per severity agree best (column names get reworded or re-translated
    between editions; the times per severity rarely all change at once)."""
    pa, pb = _scope_profiles(ta), _scope_profiles(tb)
    mapping = {i: i for i in pa if i in pb}
    lo = [i for i in pa if i not in mapping]
    ln = [i for i in pb if i not in mapping.values()]
    width_a, width_b = max(len(pa), 1), max(len(pb), 1)
    scored = []
    for x, a in enumerate(lo):
        la, ta_times, pos_a = pa[a]
        for y, b in enumerate(ln):
            lb, tb_times, pos_b = pb[b]
            shared = [k for k in ta_times if k in tb_times]
            same_times = sum(ta_times[k] == tb_times[k] for k in shared) / len(shared) if shared else 0.0
            place = 1.0 - abs(pos_a / width_a - pos_b / width_b)
            score = 0.45 * similarity(la, lb) + 0.4 * same_times + 0.15 * place
            scored.append((score, x, y))
    mapping.update((lo[x], ln[y]) for _s, x, y in greedy_pairs(scored, 0.5))
    return mapping


def diff_sla(eo: Edition, en: Edition) -> list[Change]:
    out: list[Change] = []
    for ta, tb in _pair_sla_tables(eo.sd.sla_tables, en.sd.sla_tables):
        scopes = map_scopes(ta, tb)
        rows_b = {_sev_key(r): r for r in tb.rows}
        keys_a = {_sev_key(r) for r in ta.rows}
        for ra in ta.rows:
            rb = rows_b.get(_sev_key(ra))
            if rb is None:
                out.append(_sla_row_change(False, ra, ta))
                continue
            out += _diff_sla_row(ra, rb, tb, scopes)
        out += [_sla_row_change(True, rb, tb) for rb in tb.rows if _sev_key(rb) not in keys_a]
    return out


def _sla_row_change(added: bool, row: SlaRow, table: SlaTable) -> Change:
    """A severity level gone from (breaking) or new in (major) a response table."""
    return one_sided(
        added,
        value=row.severity,
        text=snip(" ".join([row.situation, row.our_response])),
        prov=row.prov,
        kind=K.sla_changed,
        severity=S.major if added else S.breaking,
        section_id=table.section_id,
        subject=f"{row.severity}",
        summary=f"severity {row.severity} {'added to' if added else 'removed from'} the response table",
    )


def _no_commitment(text: str) -> bool:
    t = fold_for_match(text)
    return any(
        w in t for w in ("no commitment", "aucun engagement", "pas d'engagement", "not applicable", "n/a")
    )


def _diff_sla_row(ra: SlaRow, rb: SlaRow, tb: SlaTable, scopes: dict[str, str]) -> list[Change]:
    out: list[Change] = []
    row = {"section_id": tb.section_id, "old_prov": unique_prov(ra.prov), "new_prov": unique_prov(rb.prov)}
    for a, b in _pair_responses(ra.first_response, rb.first_response, scopes):
        scope = (b or a).scope_id  # type: ignore[union-attr]
        subject = f"{rb.severity}/{scope}"
        if a is None or b is None:
            sev = S.major if a is None else S.breaking
            out.append(
                Change(
                    kind=K.sla_changed,
                    severity=sev,
                    **row,
                    subject=subject,
                    old=format_minutes(a.minutes, a.business_hours) if a else None,
                    new=format_minutes(b.minutes, b.business_hours) if b else None,
                    old_text=a.text if a else None,
                    new_text=b.text if b else None,
                    summary=f"severity {rb.severity}, {one_line((b or a).scope)}: response {'added' if a is None else 'removed'}",  # type: ignore[union-attr]
                )
            )
            continue
        sev = response_severity(a.minutes, b.minutes, a.business_hours, b.business_hours)
        if sev is None and a.minutes is None and classify_wording(a.text, b.text) not in (None, S.cosmetic):
            # neither side parsed to minutes ("next day", "no commitment"): judge the words
            no_a, no_b = _no_commitment(a.text), _no_commitment(b.text)
            sev = None if no_a and no_b else S.breaking if no_b else S.major if no_a else S.minor
        if sev is None:
            continue
        old_v, new_v = (
            format_minutes(a.minutes, a.business_hours),
            format_minutes(b.minutes, b.business_hours),
        )
        out.append(
            Change(
                kind=K.sla_changed,
                severity=sev,
                **row,
                subject=subject,
                old=old_v,
                new=new_v,
                **reworded(a.text, b.text),
                summary=f"severity {rb.severity}, {one_line(b.scope)}: first response {old_v} → {new_v}",
            )
        )
    verdict = classify_wording(ra.situation, rb.situation)
    if verdict is not None:
        out.append(
            Change(
                kind=K.text_changed,
                severity=verdict,
                **row,
                subject=f"{rb.severity}/situation",
                **reworded(ra.situation, rb.situation),
                summary=f"severity {rb.severity}: situation reworded",
            )
        )
    return out
