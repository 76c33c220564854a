"""The catalog as a SQLite database, ready for ad-hoc SQL.

Deterministic bytes: built in a fresh temp file, rows inserted in a fixed order, no timestamps,
``VACUUM`` at the end, then renamed into place. Same inputs, same file.

Example: the severity A first-response time across editions::

    SELECT edition, lang, scope, minutes FROM sla_rows
    WHERE document_id = 'nordlys-support' AND severity = 'A' ORDER BY edition, lang;
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.normalize.model import ServiceDescription

SCHEMA = """
CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT);
CREATE TABLE editions (
  document_id TEXT NOT NULL REFERENCES documents(id), edition TEXT NOT NULL, lang TEXT NOT NULL,
  source TEXT, sha256 TEXT, format TEXT, title TEXT, pages INTEGER, edition_date TEXT,
  PRIMARY KEY (document_id, edition, lang));
CREATE TABLE offers (
  document_id TEXT NOT NULL, edition TEXT NOT NULL, lang TEXT NOT NULL, offer_id TEXT NOT NULL,
  name TEXT, availability TEXT, availability_mark TEXT, category TEXT, description TEXT, hours TEXT,
  conditions TEXT, PRIMARY KEY (document_id, edition, lang, offer_id));
CREATE TABLE offer_plan_values (
  document_id TEXT NOT NULL, edition TEXT NOT NULL, lang TEXT NOT NULL, offer_id TEXT NOT NULL,
  plan_id TEXT NOT NULL, plan TEXT, availability TEXT, text TEXT, facts TEXT);
CREATE TABLE sla_rows (
  document_id TEXT NOT NULL, edition TEXT NOT NULL, lang TEXT NOT NULL, table_id TEXT NOT NULL,
  severity TEXT, scope TEXT, scope_id TEXT, minutes INTEGER, business_hours INTEGER, text TEXT);
CREATE TABLE facts (
  document_id TEXT NOT NULL, edition TEXT NOT NULL, lang TEXT NOT NULL, fact_id TEXT NOT NULL,
  kind TEXT, value REAL, value_max REAL, unit TEXT, business INTEGER, normalized TEXT, text TEXT,
  offer_id TEXT, segment_id TEXT);
CREATE TABLE changes (
  document_id TEXT NOT NULL, lang TEXT NOT NULL, old_edition TEXT NOT NULL, new_edition TEXT NOT NULL,
  seq INTEGER NOT NULL, kind TEXT, severity TEXT, offer_id TEXT, section_id TEXT, subject TEXT,
  old TEXT, new TEXT, summary TEXT);
CREATE TABLE parity_findings (
  document_id TEXT NOT NULL, edition TEXT NOT NULL, source_lang TEXT, target_lang TEXT, seq INTEGER NOT NULL,
  code TEXT, severity TEXT, kind TEXT, message TEXT, source_text TEXT, target_text TEXT, detail TEXT);
CREATE TABLE findings (
  document_id TEXT NOT NULL, edition TEXT NOT NULL, lang TEXT NOT NULL, origin TEXT NOT NULL, seq INTEGER NOT NULL,
  code TEXT, severity TEXT, message TEXT, offer_id TEXT, segment_id TEXT, line INTEGER, page INTEGER);
CREATE INDEX offers_by_id ON offers(offer_id);
CREATE INDEX sla_by_severity ON sla_rows(severity);
CREATE INDEX changes_by_kind ON changes(kind, severity);
"""


@dataclass
class EditionRow:
    document_id: str
    edition: str
    lang: str
    description: ServiceDescription
    findings: list[dict] = field(default_factory=list)  # validation findings (Finding dumps)


@dataclass
class PairRow:
    document_id: str
    left: str  # old edition (diff) / edition (parity)
    right: str  # new edition (diff) / edition (parity)
    lang: str  # diff language / "en-fr" for parity
    data: dict[str, Any]


def _first_prov(prov: list) -> tuple[int | None, int | None]:
    for p in prov or []:
        p = p if isinstance(p, dict) else p.model_dump()
        return p.get("line_start"), p.get("page")
    return None, None


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def write_sqlite(
    path: str | Path,
    titles: dict[str, str | None],
    editions: Iterable[EditionRow],
    diffs: Iterable[PairRow] = (),
    parities: Iterable[PairRow] = (),
) -> None:
    """Write the catalog database to ``path`` (atomically, deterministic bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.execute("BEGIN")
            _create(con)
            _fill(con, titles, editions, diffs, parities)
            con.execute("COMMIT")
            con.execute("VACUUM")
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _create(con: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            con.execute(statement)


def _fill(con, titles, editions, diffs, parities) -> None:
    ins = con.execute
    for doc_id in sorted(titles):
        ins("INSERT INTO documents VALUES (?, ?)", (doc_id, titles[doc_id]))
    for row in sorted(editions, key=lambda r: (r.document_id, r.edition, r.lang)):
        key = (row.document_id, row.edition, row.lang)
        sd, info = row.description, row.description.document
        ins(
            "INSERT INTO editions VALUES (?,?,?,?,?,?,?,?,?)",
            (*key, info.source, info.sha256, info.format.value, info.title, info.pages, info.edition_date),
        )
        for offer in sd.offers:
            ins(
                "INSERT OR IGNORE INTO offers VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    *key, offer.id, offer.name, offer.availability.value, offer.availability_mark,
                    " / ".join(offer.category), offer.description, offer.hours, _str(offer.conditions),
                ),
            )  # fmt: skip
            for pv in offer.plan_values:
                ins(
                    "INSERT INTO offer_plan_values VALUES (?,?,?,?,?,?,?,?,?)",
                    (*key, offer.id, pv.plan_id, pv.plan, pv.availability.value, pv.text,
                     _str([f.normalized for f in pv.facts]) if pv.facts else None),
                )  # fmt: skip
        for table in sd.sla_tables:
            for sla_row in table.rows:
                for resp in sla_row.first_response or []:
                    ins(
                        "INSERT INTO sla_rows VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (*key, table.id, sla_row.severity, resp.scope, resp.scope_id, resp.minutes,
                         int(resp.business_hours), resp.text),
                    )  # fmt: skip
        for fact in _all_facts(sd):
            ins(
                "INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (*key, fact.id, fact.kind.value, fact.value, fact.value_max, fact.unit, int(fact.business),
                 fact.normalized, fact.text, fact.offer_id, fact.segment_id),
            )  # fmt: skip
        seq = 0
        for origin, items in (
            ("normalize", [f.model_dump(mode="json") for f in sd.findings]),
            ("validate", row.findings),
        ):
            for f in items:
                seq += 1
                line, page = _first_prov(f.get("prov"))
                ins(
                    "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*key, origin, seq, f.get("code"), f.get("severity"), f.get("message"), f.get("offer_id"),
                     f.get("segment_id"), line, page),
                )  # fmt: skip
    for d in sorted(diffs, key=lambda r: (r.document_id, r.lang, r.left, r.right)):
        for seq, c in enumerate(d.data.get("changes", []), 1):
            ins(
                "INSERT INTO changes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (d.document_id, d.lang, d.left, d.right, seq, c.get("kind"), c.get("severity"), c.get("offer_id"),
                 c.get("section_id"), _str(c.get("subject")), _str(c.get("old")), _str(c.get("new")),
                 c.get("summary")),
            )  # fmt: skip
    for p in sorted(parities, key=lambda r: (r.document_id, r.left, r.lang)):
        src, _, tgt = p.lang.partition("-")
        for seq, f in enumerate(p.data.get("findings", []), 1):
            ins(
                "INSERT INTO parity_findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (p.document_id, p.left, src, tgt, seq, f.get("code") or f.get("kind"), f.get("severity"), _str(f.get("kind")),
                 f.get("message"), _str(f.get("source_text")), _str(f.get("target_text")),
                 json.dumps(f, sort_keys=True, ensure_ascii=False)),
            )  # fmt: skip


def _all_facts(sd: ServiceDescription) -> list:
    """Document-level facts plus those attached to offers and plan cells, each once (by id)."""
    seen: dict[str, Any] = {}
    for fact in sd.facts:
        seen.setdefault(fact.id, fact)
    for offer in sd.offers:
        for fact in [*offer.facts, *(f for pv in offer.plan_values for f in pv.facts)]:
            seen.setdefault(fact.id, fact)
    return sorted(seen.values(), key=lambda f: f.id)
