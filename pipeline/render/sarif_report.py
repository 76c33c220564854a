"""Findings as SARIF 2.1.0 (code-scanning UIs): one rule per finding code, locations in the corpus."""

from __future__ import annotations

import json
from collections.abc import Iterable

from pipeline import __version__
from pipeline.render.catalog_findings import FindingRecord

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render_sarif(records: Iterable[FindingRecord]) -> str:
    records = sorted(records)
    codes = sorted({r.code for r in records})
    rule_index = {code: i for i, code in enumerate(codes)}
    results = []
    for r in records:
        result: dict = {
            "ruleId": r.code,
            "ruleIndex": rule_index[r.code],
            "level": LEVELS.get(r.severity, "note"),
            "message": {"text": r.message or r.code},
            "properties": {"origin": r.origin, "suite": r.suite, "severity": r.severity},
        }
        if r.subject:
            result["properties"]["subject"] = r.subject
        if r.page:
            result["properties"]["page"] = r.page
        if r.path:
            physical: dict = {"artifactLocation": {"uri": r.path, "uriBaseId": "CORPUS"}}
            if r.line and r.line >= 1:
                physical["region"] = {"startLine": r.line}
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "svcdesc",
                        "version": __version__,
                        "rules": [
                            {"id": c, "name": c, "shortDescription": {"text": f"svcdesc finding {c}"}}
                            for c in codes
                        ],
                    }
                },
                "originalUriBaseIds": {
                    "CORPUS": {"description": {"text": "the corpus folder given to svcdesc build"}}
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
