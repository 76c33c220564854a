"""SLA gold for the fictional-vendor documents (``tests/data/vendors/<vendor>/gold.json``) and its checker.

Keys (per language, beside the offers keys of ``vendor_gold.py``)::

    "sla":         [{"metric": "restoration", "severity": "1" | "critical" | "", "scope": "all" | plan name,
                     "minutes": 240, "business_hours": true}            # a time
                    | {"metric": "availability", …, "percent": 99.9, "period": "month"},   # a percentage
                    optional "coverage": "24x7" | "8x5" | "business hours 09:00-18:00"]
    "sla_credits": [{"percent": 5.0, "per_minutes": 60, "below_percent": …, "cap_percent": 30.0}]

One verdict per target value (minutes + business flag, or percent [+ period]), one per coverage
given, one per credit (every field given must match). ``severity`` is the level id the reader
gives ("1" for "P1" / "Sev 1", "critical" for "Critique"); "" is a commitment for every level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.normalize.model import ServiceDescription, SlaTarget
from pipeline.textutil import slugify


@dataclass(frozen=True)
class Verdict:
    key: str
    expected: Any
    got: Any

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def _scope(name: str) -> str:
    return slugify(name.split(":", 1)[-1]) if name != "all" else "all"


def find_target(sd: ServiceDescription, metric: str, severity: str, scope: str) -> SlaTarget | None:
    want = _scope(scope)
    for _table, row, target in sd.sla_targets():
        if target.metric.value != metric or row.severity != severity:
            continue
        if want in (_scope(target.scope), _scope(target.scope_id)):
            return target
    return None


def _value(target: SlaTarget | None, want: dict[str, Any]) -> dict[str, Any] | None:
    if target is None:
        return None
    fields = ("percent", "period") if "percent" in want else ("minutes", "business_hours")
    return {f: getattr(target, f) for f in fields if f in want}


def check_sla(sd: ServiceDescription, gold: list[dict[str, Any]]) -> list[Verdict]:
    out: list[Verdict] = []
    for want in gold:
        key = f"sla/{want['metric']}/{want['severity'] or '-'}/{want['scope']}"
        target = find_target(sd, want["metric"], want["severity"], want["scope"])
        expected = {f: want[f] for f in ("percent", "period", "minutes", "business_hours") if f in want}
        out.append(Verdict(key, expected, _value(target, want)))
        if "coverage" in want:
            out.append(Verdict(f"{key}/coverage", want["coverage"], target.coverage if target else None))
    return out


def check_sla_credits(sd: ServiceDescription, gold: list[dict[str, Any]]) -> list[Verdict]:
    credits = [c.model_dump() for t in sd.sla_tables for c in t.credits]
    out = []
    for i, want in enumerate(gold):
        hit = next((c for c in credits if all(c.get(k) == v for k, v in want.items())), None)
        out.append(Verdict(f"sla_credits/{i}", want, {k: hit[k] for k in want} if hit else None))
    return out


SLA_CHECKERS = {"sla": check_sla, "sla_credits": check_sla_credits}
