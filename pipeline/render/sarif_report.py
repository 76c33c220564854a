"""Findings as SARIF 2.1.0 (code-scanning UIs): one rule per finding code, locations in the corpus."""

from __future__ import annotations

import json
import re

from pipeline import __version__
from pipeline.render.canonical import dumps
from pipeline.render.catalog_findings import FindingRecord

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _result(r: FindingRecord, rule_index: dict[str, int]) -> dict:
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
    return result


def _log(codes: list[str], results: list) -> dict:
    return {
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


_SLOT = "\x00results\x00"


class _OpenIndex(dict):
    def __getitem__(self, code: str) -> int:
        return -1


_OPEN_INDEX = _OpenIndex()
#: ``"ruleId": "<code>",`` then ``"ruleIndex": -1`` (sorted keys put them one after the other).
_RULE_INDEX = re.compile(r'("ruleId": ("(?:[^"\\]|\\.)*"),\n\s*)"ruleIndex": -1')


class SarifWriter:
    """The SARIF log written result by result. The rule list (every finding code) is known
    beforehand, from the tasks' summaries, so each result gets its ``ruleIndex`` as it is written."""

    def __init__(self, fh, codes: list[str]) -> None:
        self.fh = fh
        self.codes = sorted(set(codes))
        self.rule_index = {code: i for i, code in enumerate(self.codes)}
        log = _log(self.codes, [_SLOT])
        text = dumps(log) + "\n"
        slot = json.dumps(_SLOT)
        at = text.index(slot)
        line_start = text.rindex("\n", 0, at) + 1
        self.indent = text[line_start:at]
        self.head, self.tail = text[:line_start], text[at + len(slot) :]
        self.first = True
        self.any = False

    def add(self, r: FindingRecord) -> None:
        self.add_chunk(self.chunk([r]))

    def chunk(self, records: list[FindingRecord]) -> str:
        """The results of ``records`` as text to :meth:`add_chunk` later, with their rule indices
        left open (a chunk can be kept while the rule list of the whole log changes)."""
        out = []
        for r in records:
            out.append(dumps(_result(r, _OPEN_INDEX), self.indent))
        return ",\n".join(out)

    def add_chunk(self, text: str) -> None:
        if not text:
            return
        if self.first:
            self.fh.write(self.head.encode())
            self.first = False
        else:
            self.fh.write(b",\n")

        def index(m: re.Match) -> str:
            return f'{m.group(1)}"ruleIndex": {self.rule_index[json.loads(m.group(2))]}'

        self.fh.write(_RULE_INDEX.sub(index, text).encode())
        self.any = True

    def close(self) -> None:
        if not self.any:
            self.fh.write((dumps(_log(self.codes, [])) + "\n").encode())
        else:
            self.fh.write(self.tail.encode())
