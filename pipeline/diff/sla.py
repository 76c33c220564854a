"""SLA commitments across two editions: groups, rows (severity or commitment) and targets (metric x
scope) paired, values compared from the customer's side.

A time lengthened (response, restoration, resolution, update interval) or an availability lowered
is breaking; the reverse is major; a commitment dropped is breaking, a new one major. A subject is
``<severity>/<scope>`` for first responses (the historic form) and ``<severity>/<scope>/<metric>``
for every other metric.
"""

from __future__ import annotations

from pipeline.diff.edition import Edition, one_line, one_sided, reworded, snip, unique_prov
from pipeline.diff.match import greedy_pairs
from pipeline.diff.model import Change, ChangeKind, ChangeSeverity
from pipeline.diff.rules import format_minutes, response_severity
from pipeline.diff.text import classify_wording, similarity, text_key
from pipeline.normalize.model import ServiceCredit, SlaMetric, SlaRow, SlaTable, SlaTarget
from pipeline.textutil import fold_for_match

K = ChangeKind
S = ChangeSeverity

# ---------------------------------------------------------------- pairing


def _table_signature(t: SlaTable) -> str:
    return " ".join([t.title or "", t.source.value, *t.columns, *(_row_key(r) for r in t.rows)])


def _pair_sla_tables(old: list[SlaTable], new: list[SlaTable]) -> list[tuple[SlaTable, SlaTable]]:
    if len(old) == len(new) and all(a.source == b.source for a, b in zip(old, new, strict=True)):
        return list(zip(old, new, strict=True))
    scored = (
        (similarity(_table_signature(a), _table_signature(b)), i, j)
        for i, a in enumerate(old)
        for j, b in enumerate(new)
    )
    pairs = [(old[i], new[j]) for _s, i, j in greedy_pairs(scored, 0.5)]
    return sorted(pairs, key=lambda p: old.index(p[0]))


def _row_key(row: SlaRow) -> str:
    """A severity row by its level; a commitment row (matrix, availability) by the metrics it holds."""
    if row.severity:
        return text_key(row.severity)
    return "~" + ",".join(sorted({t.metric.value for t in row.targets}))


def _target_key(t: SlaTarget, scope_id: str | None = None) -> tuple[str, str]:
    return (t.metric.value, scope_id if scope_id is not None else t.scope_id)


def _pair_targets(
    old: list[SlaTarget], new: list[SlaTarget], mapping: dict[str, str]
) -> list[tuple[SlaTarget | None, SlaTarget | None]]:
    nb = {_target_key(t): t for t in new}
    pairs: list[tuple[SlaTarget | None, SlaTarget | None]] = []
    used: set[tuple[str, str]] = set()
    for t in old:
        target = mapping.get(t.scope_id)
        key = _target_key(t, target) if target else None
        hit = nb.get(key) if key else None
        if hit is not None:
            used.add(key)  # type: ignore[arg-type]
        pairs.append((t, hit))
    pairs += [(None, t) for t in new if _target_key(t) not in used]
    return pairs


def _scope_profiles(t: SlaTable) -> dict[str, tuple[str, dict[str, object], int]]:
    """scope id -> (label, {row/metric: value}, column position) for one SLA group."""
    out: dict[str, tuple[str, dict[str, object], int]] = {}
    for row in t.rows:
        for pos, x in enumerate(row.targets):
            label, values, first_pos = out.get(x.scope_id, (x.scope, {}, pos))
            values[f"{_row_key(row)}/{x.metric.value}"] = x.minutes if x.percent is None else x.percent
            out[x.scope_id] = (label, values, first_pos)
    return out


def map_scopes(ta: SlaTable, tb: SlaTable) -> dict[str, str]:
    """Old scope id -> new scope id for a pair of SLA groups: same id, else the column whose name and
    values per row agree best (column names get reworded or re-translated between editions; the
    values rarely all change at once)."""
    pa, pb = _scope_profiles(ta), _scope_profiles(tb)
    mapping = {i: i for i in pa if i in pb}
    lo = [i for i in pa if i not in mapping]
    ln = [i for i in pb if i not in mapping.values()]
    width_a, width_b = max(len(pa), 1), max(len(pb), 1)
    scored = []
    for x, a in enumerate(lo):
        la, va, pos_a = pa[a]
        for y, b in enumerate(ln):
            lb, vb, pos_b = pb[b]
            shared = [k for k in va if k in vb]
            same = sum(va[k] == vb[k] for k in shared) / len(shared) if shared else 0.0
            place = 1.0 - abs(pos_a / width_a - pos_b / width_b)
            score = 0.45 * similarity(la, lb) + 0.4 * same + 0.15 * place
            scored.append((score, x, y))
    mapping.update((lo[x], ln[y]) for _s, x, y in greedy_pairs(scored, 0.5))
    return mapping


def _target_value(t: SlaTarget) -> tuple[object, ...]:
    """What a commitment promises, wording aside when it parsed to a figure."""
    words = text_key(t.text) if t.minutes is None and t.percent is None else ""
    return (t.minutes, t.percent, t.business_hours, t.coverage, words)


def _scope_values(t: SlaTable) -> dict[str, dict[str, tuple[object, ...]]]:
    out: dict[str, dict[str, tuple[object, ...]]] = {}
    for row in t.rows:
        for x in row.targets:
            out.setdefault(x.scope_id, {})[f"{_row_key(row)}/{x.metric.value}"] = _target_value(x)
    return out


def merged_scopes(ta: SlaTable, tb: SlaTable, mapping: dict[str, str]) -> dict[str, str]:
    """Old scope id -> new scope id for plan columns left unpaired by ``map_scopes`` whose every
    commitment (severity x metric) is found with the same value in one new column: plan columns
    merged ("E1 | F1" -> "all E and F plans") or re-laid out. Several old columns may land in one
    new column (renamed, or ``all``), never one printed in both editions (a plan dropped beside a
    kept plan with the same times is a real loss); a column with any value worse, better or missing
    stays unpaired and is reported."""
    va, vb = _scope_values(ta), _scope_values(tb)
    labels = {x.scope_id: x.scope for r in tb.rows for x in r.targets}
    out: dict[str, str] = {}
    for a, values in va.items():
        if a in mapping or not values:
            continue
        fits = [
            b
            for b, nv in vb.items()
            if (b == "all" or b not in va)  # a column kept under its own name is not where another went
            and all(nv.get(k) == v for k, v in values.items())
        ]
        if fits:
            label_a = next(x.scope for r in ta.rows for x in r.targets if x.scope_id == a)
            out[a] = max(fits, key=lambda b: (similarity(label_a, labels[b]), b))
    return out


# ---------------------------------------------------------------- comparing


def diff_sla(eo: Edition, en: Edition) -> list[Change]:
    out: list[Change] = []
    for ta, tb in _pair_sla_tables(eo.sd.sla_tables, en.sd.sla_tables):
        scopes = map_scopes(ta, tb)
        merged = merged_scopes(ta, tb, scopes)
        scopes |= merged
        out += [_merge_change(a, b, ta, tb) for a, b in sorted(merged.items())]
        rows_b = {_row_key(r): r for r in tb.rows}
        keys_a = {_row_key(r) for r in ta.rows}
        for ra in ta.rows:
            rb = rows_b.get(_row_key(ra))
            if rb is None:
                out.append(_sla_row_change(False, ra, ta))
                continue
            out += _diff_sla_row(ra, rb, tb, scopes)
        out += [_sla_row_change(True, rb, tb) for rb in tb.rows if _row_key(rb) not in keys_a]
        out += _diff_credits(ta, tb)
    return out


def _merge_change(a: str, b: str, ta: SlaTable, tb: SlaTable) -> Change:
    """A plan column folded into another with every value kept: a re-layout, not a lost commitment."""
    old = next(x for r in ta.rows for x in r.targets if x.scope_id == a)
    new = next(x for r in tb.rows for x in r.targets if x.scope_id == b)
    return Change(
        kind=K.sla_changed,
        severity=S.cosmetic,
        section_id=tb.section_id,
        subject=f"scope/{a}",
        old=one_line(old.scope),
        new=one_line(new.scope),
        summary=f'SLA column "{one_line(old.scope)}" merged into "{one_line(new.scope)}", same commitments',
    )


def _row_name(row: SlaRow) -> str:
    return f"severity {row.severity}" if row.severity else one_line(row.label) or "commitment"


def _sla_row_change(added: bool, row: SlaRow, table: SlaTable) -> Change:
    """A severity level or commitment gone from (breaking) or new in (major) an SLA group."""
    name = _row_name(row)
    return one_sided(
        added,
        value=row.severity or row.label,
        text=snip(" ".join([row.situation, row.our_response or row.label])),
        prov=row.prov,
        kind=K.sla_changed,
        severity=S.major if added else S.breaking,
        section_id=table.section_id,
        subject=row.severity or _row_key(row),
        summary=f"{name} {'added to' if added else 'removed from'} the SLA commitments",
    )


def _no_commitment(text: str) -> bool:
    t = fold_for_match(text)
    return any(
        w in t for w in ("no commitment", "aucun engagement", "pas d'engagement", "not applicable", "n/a")
    )


def format_value(t: SlaTarget | None) -> str | None:
    if t is None:
        return None
    if t.metric is SlaMetric.availability or t.percent is not None:
        return "no commitment" if t.percent is None else f"{t.percent:g} %"
    return format_minutes(t.minutes, t.business_hours)


def value_severity(a: SlaTarget, b: SlaTarget) -> ChangeSeverity | None:
    """Customer's side: a longer time or a lower availability is breaking; the reverse is major."""
    if a.percent is not None or b.percent is not None:
        if a.percent == b.percent:
            return None
        if a.percent is None:
            return S.major
        if b.percent is None:
            return S.breaking
        return S.breaking if b.percent < a.percent else S.major
    return response_severity(a.minutes, b.minutes, a.business_hours, b.business_hours)


def _subject(row: SlaRow, t: SlaTarget) -> str:
    base = f"{row.severity or _row_key(row)}/{t.scope_id}"
    return base if t.metric is SlaMetric.first_response else f"{base}/{t.metric.value}"


def _diff_sla_row(ra: SlaRow, rb: SlaRow, tb: SlaTable, scopes: dict[str, str]) -> list[Change]:
    out: list[Change] = []
    row = {"section_id": tb.section_id, "old_prov": unique_prov(ra.prov), "new_prov": unique_prov(rb.prov)}
    name = _row_name(rb)
    for a, b in _pair_targets(ra.targets, rb.targets, scopes):
        either: SlaTarget = b or a  # type: ignore[assignment]
        metric = either.metric.value.replace("_", " ")
        if a is None or b is None:
            out.append(
                Change(
                    kind=K.sla_changed,
                    severity=S.major if a is None else S.breaking,
                    **row,
                    subject=_subject(rb, either),
                    old=format_value(a),
                    new=format_value(b),
                    old_text=a.text if a else None,
                    new_text=b.text if b else None,
                    summary=f"{name}, {one_line(either.scope)}: {metric} {'added' if a is None else 'removed'}",
                )
            )
            continue
        sev = value_severity(a, b)
        unparsed = sev is None and a.minutes is None and a.percent is None
        if unparsed and classify_wording(a.text, b.text) not in (None, S.cosmetic):
            # neither side parsed to a value ("next day", "no commitment"): judge the words
            no_a, no_b = _no_commitment(a.text), _no_commitment(b.text)
            sev = None if no_a and no_b else S.breaking if no_b else S.major if no_a else S.minor
        if sev is None and (a.coverage or b.coverage) and a.coverage != b.coverage:
            sev = S.major  # the hours the clock runs changed ("24x7" -> "8x5")
        if sev is None:
            continue
        old_v, new_v = format_value(a), format_value(b)
        if a.coverage != b.coverage:
            old_v, new_v = f"{old_v} [{a.coverage or '-'}]", f"{new_v} [{b.coverage or '-'}]"
        out.append(
            Change(
                kind=K.sla_changed,
                severity=sev,
                **row,
                subject=_subject(rb, b),
                old=old_v,
                new=new_v,
                **reworded(a.text, b.text),
                summary=f"{name}, {one_line(b.scope)}: {metric} {old_v} → {new_v}",
            )
        )
    verdict = classify_wording(ra.situation, rb.situation)
    if verdict is not None:
        out.append(
            Change(
                kind=K.text_changed,
                severity=verdict,
                **row,
                subject=f"{rb.severity or _row_key(rb)}/situation",
                **reworded(ra.situation, rb.situation),
                summary=f"{name}: situation reworded",
            )
        )
    return out


def _credit_value(c: ServiceCredit) -> str:
    parts = [f"{c.percent:g} %" if c.percent is not None else "?"]
    if c.per_minutes:
        parts.append(f"per {format_minutes(c.per_minutes)}")
    if c.below_percent is not None:
        parts.append(f"below {c.below_percent:g} %")
    if c.cap_percent is not None:
        parts.append(f"cap {c.cap_percent:g} %")
    return " ".join(parts)


def _diff_credits(ta: SlaTable, tb: SlaTable) -> list[Change]:
    """Service credits paired in order: a smaller credit or cap is breaking, a larger one major."""
    out: list[Change] = []
    n = max(len(ta.credits), len(tb.credits))
    for i in range(n):
        a = ta.credits[i] if i < len(ta.credits) else None
        b = tb.credits[i] if i < len(tb.credits) else None
        if a is not None and b is not None and _credit_value(a) == _credit_value(b):
            continue
        if a is None or b is None:
            sev = S.major if a is None else S.breaking
        else:
            worse = (b.percent or 0) < (a.percent or 0) or (b.cap_percent or 0) < (a.cap_percent or 0)
            sev = S.breaking if worse else S.major
        out.append(
            Change(
                kind=K.sla_changed,
                severity=sev,
                section_id=tb.section_id,
                subject=f"credit/{i + 1}",
                old=_credit_value(a) if a else None,
                new=_credit_value(b) if b else None,
                old_text=a.text if a else None,
                new_text=b.text if b else None,
                old_prov=list(a.prov) if a else [],
                new_prov=list(b.prov) if b else [],
                summary=f"service credit {i + 1}: {_credit_value(a) if a else 'none'} → {_credit_value(b) if b else 'none'}",
            )
        )
    return out
