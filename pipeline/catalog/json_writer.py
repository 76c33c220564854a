"""catalog.json written as a stream: the head and tail of the catalog around one document at a time, so the build never holds every document."""

from __future__ import annotations

import json

from pipeline.render.canonical import dumps

_SLOT = "\x00documents\x00"


class JsonCatalogWriter:
    """``catalog.json`` written document by document, byte-identical to the canonical JSON of the
    whole :class:`Catalog` (sorted keys, two-space indent)."""

    def __init__(self, fh, values: dict) -> None:
        self.fh = fh
        self.values = values
        text = dumps(self._body([_SLOT])) + "\n"
        slot = json.dumps(_SLOT)
        at = text.index(slot)
        start = text.rindex("\n", 0, at) + 1
        self.indent, self.head, self.tail = text[start:at], text[:start], text[at + len(slot) :]
        self.n = 0

    def _body(self, documents: list) -> dict:
        v = self.values
        return {
            "schema_version": v["schema_version"], "tool_version": v["tool_version"], "build_date": v["build_date"],
            "documents": documents, "problems": [p.model_dump(mode="json") for p in v["problems"]],
            "unknown_files": v["unknown_files"],
        }  # fmt: skip

    def add(self, doc: dict) -> None:
        self.add_chunk(self.chunk(doc))

    def chunk(self, doc: dict) -> str:
        return dumps(doc, self.indent)

    def add_chunk(self, text: str) -> None:
        self.fh.write((self.head if self.n == 0 else ",\n").encode())
        self.fh.write(text.encode())
        self.n += 1

    def close(self) -> None:
        if self.n == 0:
            text = dumps(self._body([])) + "\n"
            self.fh.write(text.encode())
        else:
            self.fh.write(self.tail.encode())
