"""Findings from the two descriptions' structure rather than from aligned text: offers, plan cells and SLA targets present on one side only or differing."""

from __future__ import annotations

from typing import Any

from pipeline.normalize.model import Segment, ServiceDescription
from pipeline.parity.checks import Issue
from pipeline.parity.model import (
    CATEGORY_SEVERITY,
    CheckCategory,
    ParityFinding,
    ParityKind,
)


def finding(
    issue: Issue,
    src: list[Segment],
    tgt: list[Segment],
    *,
    source_text: str | None = None,
    target_text: str | None = None,
) -> ParityFinding:
    return ParityFinding(
        kind=issue.kind,
        code=issue.code,
        severity=CATEGORY_SEVERITY[issue.category],
        category=issue.category,
        message=issue.message,
        source_text=source_text if source_text is not None else " ".join(s.text for s in src),
        target_text=target_text if target_text is not None else " ".join(s.text for s in tgt),
        source_ids=[s.id for s in src],
        target_ids=[s.id for s in tgt],
        source_prov=[p for s in src for p in s.prov],
        target_prov=[p for s in tgt for p in s.prov],
        detail=issue.detail,
    )


def unit_label(seg: Segment) -> str:
    kind = seg.kind.value
    return {"table_cell": "table cell", "list_item": "list item", "paragraph": "sentence"}.get(kind, kind)


def offer_findings(source: ServiceDescription, target: ServiceDescription) -> list[ParityFinding]:
    """Offers matched by id: availability and plan values must agree; offers missing on one side."""
    out: list[ParityFinding] = []
    s_ids = {o.id for o in source.offers}
    t_ids = {o.id for o in target.offers}
    shared = s_ids & t_ids
    t_offers: dict[str, Any] = {}
    for o in target.offers:
        t_offers.setdefault(o.id, o)  # the first of an id, as ``ServiceDescription.offer`` gives it
    for so in source.offers:
        to = t_offers.get(so.id)
        if to is None:
            continue
        if so.availability != to.availability and "unknown" not in (
            so.availability.value,
            to.availability.value,
        ):
            out.append(
                _availability_mismatch(
                    so,
                    to,
                    f"offer {so.id}: availability {so.availability.value} in source, {to.availability.value} in target",
                    f"{so.name}: {so.availability_mark or so.availability.value}",
                    f"{to.name}: {to.availability_mark or to.availability.value}",
                    {"offer_id": so.id},
                )
            )
        t_plans = {pv.plan_id: pv for pv in to.plan_values}
        for i, spv in enumerate(so.plan_values):
            tpv = t_plans.get(spv.plan_id) or (to.plan_values[i] if i < len(to.plan_values) else None)
            if tpv is None or spv.availability == tpv.availability:
                continue
            if "unknown" in (spv.availability.value, tpv.availability.value):
                continue
            out.append(
                _availability_mismatch(
                    so,
                    to,
                    f"offer {so.id}, plan {spv.plan}: {spv.availability.value} in source, {tpv.availability.value} in target",
                    f"{so.name} / {spv.plan}: {spv.text}",
                    f"{to.name} / {tpv.plan}: {tpv.text}",
                    {"offer_id": so.id, "plan_id": spv.plan_id},
                )
            )
    # Offer ids are language-neutral only through the glossary: report missing offers only when
    # the two editions' ids mostly agree (otherwise the difference is one of naming, not content).
    if shared and len(shared) >= 0.5 * max(len(s_ids), len(t_ids)):
        for so in source.offers:
            if so.id not in t_ids:
                out.append(_offer_missing(so, ParityKind.missing_in_target, "target"))
        for to in target.offers:
            if to.id not in s_ids:
                out.append(_offer_missing(to, ParityKind.missing_in_source, "source"))
    return out


def _availability_mismatch(
    so: Any, to: Any, message: str, source_text: str, target_text: str, detail: dict
) -> ParityFinding:
    """A critical finding on one offer matched by id (its whole availability or one plan cell)."""
    return ParityFinding(
        kind=ParityKind.availability_mismatch,
        severity=CATEGORY_SEVERITY[CheckCategory.critical],
        category=CheckCategory.critical,
        message=message,
        source_text=source_text,
        target_text=target_text,
        source_ids=list(so.segment_ids),
        target_ids=list(to.segment_ids),
        source_prov=list(so.prov),
        target_prov=list(to.prov),
        detail=detail,
    )


def _offer_missing(offer: Any, kind: ParityKind, where: str) -> ParityFinding:
    src_side = kind == ParityKind.missing_in_target
    return ParityFinding(
        kind=kind,
        severity=CATEGORY_SEVERITY[CheckCategory.critical],
        category=CheckCategory.critical,
        message=f"offer {offer.id} not in the {where}",
        source_text=offer.name if src_side else "",
        target_text="" if src_side else offer.name,
        source_ids=list(offer.segment_ids) if src_side else [],
        target_ids=[] if src_side else list(offer.segment_ids),
        source_prov=list(offer.prov) if src_side else [],
        target_prov=[] if src_side else list(offer.prov),
        detail={"unit": "offer", "offer_id": offer.id},
    )


def sla_findings(source: ServiceDescription, target: ServiceDescription) -> list[ParityFinding]:
    """SLA groups matched by position, rows by severity: every target's minutes (or percent) must agree."""
    out: list[ParityFinding] = []
    pairs = [
        pair
        for kind in dict.fromkeys(t.source for t in source.sla_tables)  # tables with tables, prose with prose
        for pair in zip(
            [t for t in source.sla_tables if t.source == kind],
            [t for t in target.sla_tables if t.source == kind],
            strict=False,
        )
    ]
    for st, tt in pairs:
        t_rows = {r.severity.strip().upper(): r for r in tt.rows}
        for i, sr in enumerate(st.rows):
            tr = t_rows.get(sr.severity.strip().upper()) or (tt.rows[i] if i < len(tt.rows) else None)
            if tr is None:
                continue
            s_min = [r.minutes if r.percent is None else r.percent for r in sr.targets]
            t_min = [r.minutes if r.percent is None else r.percent for r in tr.targets]
            if s_min != t_min and any(m is not None for m in s_min + t_min):
                out.append(
                    ParityFinding(
                        kind=ParityKind.sla_mismatch,
                        severity=CATEGORY_SEVERITY[CheckCategory.critical],
                        category=CheckCategory.critical,
                        message=f"SLA table {st.id}, severity {sr.severity or 'all'}: SLA values {s_min} in source, {t_min} in target (minutes or %)",
                        source_text=sr.our_response or sr.situation,
                        target_text=tr.our_response or tr.situation,
                        source_prov=list(sr.prov),
                        target_prov=list(tr.prov),
                        detail={"table_id": st.id, "severity": sr.severity},
                    )
                )
    return out
