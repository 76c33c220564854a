"""Saved descriptions of earlier schema versions, upgraded to the current one before validation.

``diff``, ``history`` and the catalog load saved JSON (``catalog.loader.load_saved``); a file written
by an earlier svcdesc must still load and compare with a fresh extraction. One function per step,
applied in order from the file's ``schema_version``; a file without a version is 1.0.

* 1.0 -> 2.0: an SLA row's ``first_response`` list becomes typed ``targets`` (metric
  ``first_response``); the row's printed level is kept as ``label`` and a named level becomes its
  lexicon id ("Critical" -> "critical"); a table whose scopes are its column titles is a ``grid``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pipeline.normalize.model import SCHEMA_VERSION

Json = dict[str, Any]


def _v1_to_v2(data: Json) -> Json:
    from pipeline.normalize.sla.vocab import level_id

    for table in data.get("sla_tables") or []:
        columns = set(table.get("columns") or [])
        scopes: set[str] = set()
        for row in table.get("rows") or []:
            responses = row.pop("first_response", None) or []
            targets = row.setdefault("targets", [])
            for resp in responses:
                targets.append({"metric": "first_response", **resp})
                scopes.add(resp.get("scope", "all"))
            printed = row.get("severity") or ""
            row.setdefault("label", printed)
            row["severity"] = level_id(printed) if printed else ""
        table.setdefault("source", "grid" if scopes and scopes <= columns else "table")
    return data


#: from version -> (to version, step)
STEPS: dict[str, tuple[str, Callable[[Json], Json]]] = {"1.0": ("2.0", _v1_to_v2)}


def migrate(data: Json) -> Json:
    """A copy of saved JSON ``data`` upgraded to :data:`SCHEMA_VERSION` (unchanged when current)."""
    if not isinstance(data, dict):
        return data
    version = str(data.get("schema_version") or "1.0")
    if version == SCHEMA_VERSION:
        return data
    out = copy.deepcopy(data)
    while version in STEPS:
        version, step = STEPS[version]
        out = step(out)
        out["schema_version"] = version
    return out
