"""A task's share of the catalogs, made in the worker next to the result it comes from.

A describe task turns its ServiceDescription into a *language fragment*: the catalog entry of that
language (offers, SLA rows, counts), its SQLite rows and its finding records. A diff or parity task
turns its report into a *pair fragment*: severity counts, SQLite rows, finding records. Rows carry
no document/edition/language columns: the assembler prefixes them, so a fragment depends on the
input's content alone and a renamed edition reuses it.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

FINDING_LEVELS = ("error", "warning", "info")
CHANGE_LEVELS = ("breaking", "major", "minor", "cosmetic")


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _first_prov(prov: list | None) -> tuple[int | None, int | None]:
    for p in prov or []:
        if isinstance(p, dict):
            return p.get("line_start"), p.get("page")
    return None, None


def counts(levels: tuple[str, ...], severities: list[str]) -> list[dict]:
    c = Counter(severities)
    return [{"count": c[n], "name": n} for n in levels]


def _all_facts(sd) -> list:
    """Document-level facts plus those attached to offers and plan cells, each once (by id)."""
    seen: dict[str, Any] = {}
    for fact in sd.facts:
        seen.setdefault(fact.id, fact)
    for offer in sd.offers:
        for fact in [*offer.facts, *(f for pv in offer.plan_values for f in pv.facts)]:
            seen.setdefault(fact.id, fact)
    return sorted(seen.values(), key=lambda f: f.id)


def language_fragment(sd, findings: list[dict]) -> dict:
    """The catalog entry (less ``lang`` and ``json_path``), SQLite rows and finding records of one input."""
    info = sd.document
    normalize = [f.model_dump(mode="json") for f in sd.findings]
    entry = {
        "source": info.source,
        "sha256": info.sha256,
        "format": info.format.value,
        "title": info.title,
        "pages": info.pages,
        "edition_date": info.edition_date,
        "offers": [
            {
                "id": o.id,
                "name": o.name,
                "availability": o.availability.value,
                "availability_mark": o.availability_mark,
                "category": list(o.category),
                "plan_values": [
                    {
                        "plan_id": p.plan_id,
                        "plan": p.plan,
                        "availability": p.availability.value,
                        "text": p.text,
                    }
                    for p in o.plan_values
                ],
                "conditions": len(o.conditions),
                "facts": len(o.facts),
            }
            for o in sd.offers
        ],
        "sla": [
            {
                "table_id": t.id,
                "metric": s.metric.value,
                "severity": r.severity,
                "scope": s.scope,
                "scope_id": s.scope_id,
                "minutes": s.minutes,
                "percent": s.percent,
                "business_hours": s.business_hours,
                "coverage": s.coverage,
                "text": s.text,
            }  # fmt: skip
            for t, r, s in sd.sla_targets()
        ],
        "facts": [
            {"count": n, "name": k} for k, n in sorted(Counter(f.kind.value for f in sd.facts).items())
        ],
        "findings": counts(
            FINDING_LEVELS,
            [str(f.get("severity")) for f in normalize] + [str(f.get("severity")) for f in findings],
        ),
    }
    rows: dict[str, list] = {
        "offers": [],
        "offer_plan_values": [],
        "sla_rows": [],
        "facts": [],
        "findings": [],
    }
    seen_offers: set[str] = set()
    for o in sd.offers:
        if o.id not in seen_offers:  # the table's key: the first offer of an id wins
            seen_offers.add(o.id)
            rows["offers"].append(
                [
                    o.id,
                    o.name,
                    o.availability.value,
                    o.availability_mark,
                    " / ".join(o.category),
                    o.description,
                    o.hours,
                    _str(o.conditions),
                ]  # fmt: skip
            )
        for pv in o.plan_values:
            rows["offer_plan_values"].append(
                [
                    o.id,
                    pv.plan_id,
                    pv.plan,
                    pv.availability.value,
                    pv.text,
                    _str([f.normalized for f in pv.facts]) if pv.facts else None,
                ]  # fmt: skip
            )
    for t in entry["sla"]:
        rows["sla_rows"].append(
            [
                t["table_id"],
                t["severity"],
                t["scope"],
                t["scope_id"],
                t["minutes"],
                int(t["business_hours"]),
                t["text"],
                t["metric"],
                t["percent"],
                t["coverage"],
            ]
        )
    for f in _all_facts(sd):
        rows["facts"].append(
            [
                f.id,
                f.kind.value,
                f.value,
                f.value_max,
                f.unit,
                int(f.business),
                f.normalized,
                f.text,
                f.offer_id,
                f.segment_id,
            ]  # fmt: skip
        )
    records = []
    items = [("normalize", f) for f in normalize] + [("validate", f) for f in findings]
    for seq, (origin, f) in enumerate(items, 1):
        line, page = _first_prov(f.get("prov"))
        rows["findings"].append(
            [
                origin,
                seq,
                f.get("code"),
                f.get("severity"),
                f.get("message"),
                f.get("offer_id"),
                f.get("segment_id"),
                line,
                page,
            ]  # fmt: skip
        )
        records.append(
            [
                origin,
                seq,
                str(f.get("code")),
                str(f.get("severity")),
                str(f.get("message", "")),
                line,
                page,
                f.get("offer_id") or f.get("segment_id"),
            ]  # fmt: skip
        )
    return {
        "entry": entry,
        "edition_row": [
            info.source,
            info.sha256,
            info.format.value,
            info.title,
            info.pages,
            info.edition_date,
        ],
        "rows": rows,
        "records": records,
    }


def diff_fragment(data: dict) -> dict:
    changes = data.get("changes", [])
    return {
        "counts": counts(CHANGE_LEVELS, [str(c.get("severity")) for c in changes]),
        "rows": [
            [
                seq,
                c.get("kind"),
                c.get("severity"),
                c.get("offer_id"),
                c.get("section_id"),
                _str(c.get("subject")),
                _str(c.get("old")),
                _str(c.get("new")),
                c.get("summary"),
            ]  # fmt: skip
            for seq, c in enumerate(changes, 1)
        ],
        "records": [],
    }


def parity_fragment(data: dict) -> dict:
    findings = data.get("findings", [])
    rows, records = [], []
    for seq, f in enumerate(findings, 1):
        rows.append(
            [
                seq,
                f.get("code") or f.get("kind"),
                f.get("severity"),
                _str(f.get("kind")),
                f.get("message"),
                _str(f.get("source_text")),
                _str(f.get("target_text")),
                json.dumps(f, sort_keys=True, ensure_ascii=False),
            ]  # fmt: skip
        )
        line, page = _first_prov(f.get("target_prov") or f.get("prov") or f.get("source_prov"))
        ids = f.get("target_ids") or f.get("source_ids") or []
        records.append(
            [
                "parity",
                seq,
                str(f.get("code") or f.get("kind")),
                str(f.get("severity")),
                str(f.get("message", "")),
                line,
                page,
                f.get("offer_id") or (ids[0] if ids else None),
            ]  # fmt: skip
        )
    return {
        "counts": counts(FINDING_LEVELS, [str(f.get("severity")) for f in findings]),
        "rows": rows,
        "records": records,
    }
