"""The catalog as a SQLite database, ready for ad-hoc SQL.

Deterministic bytes: built in a fresh temp file, rows inserted in a fixed order, no timestamps,
indexes built at the end, then renamed into place. Same inputs, same file.

Example: the severity A first-response time across editions::

    SELECT edition, lang, scope, minutes FROM sla_rows
    WHERE document_id = 'nordlys-support' AND severity = 'A' AND metric = 'first_response'
    ORDER BY edition, lang;

``sla_rows`` holds one row per SLA target: ``metric`` (first_response, restoration, resolution,
update_interval, availability …), ``severity`` (the level, '' for all levels), ``scope``/``scope_id``
(the plan or scope), ``minutes`` or ``percent``, ``business_hours`` and ``coverage`` ('24x7', '8x5' …).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

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
  severity TEXT, scope TEXT, scope_id TEXT, minutes INTEGER, business_hours INTEGER, text TEXT,
  metric TEXT, percent REAL, coverage TEXT);
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
"""


INDEXES = """
CREATE INDEX offers_by_id ON offers(offer_id);
CREATE INDEX sla_by_severity ON sla_rows(severity);
CREATE INDEX changes_by_kind ON changes(kind, severity);
"""

BATCH = 5_000  # rows per executemany


class SqliteWriter:
    """The catalog database written document by document, rows inserted in batches.

    Deterministic bytes: a fresh temp file, rows in a fixed order (documents sorted, then the
    fragment order), no timestamps, indexes built at the end; renamed into place by :meth:`close`.
    The rows come from the build's fragments (:mod:`pipeline.catalog.fragments`) without their key
    columns, which are prefixed here.
    """

    TABLES = {
        "editions": 9, "offers": 11, "offer_plan_values": 9, "sla_rows": 13, "facts": 13,
        "findings": 12, "changes": 13, "parity_findings": 12, "documents": 2,
    }  # fmt: skip

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        self.con = sqlite3.connect(self.tmp, isolation_level=None)
        self.con.execute("PRAGMA journal_mode=OFF")
        self.con.execute("PRAGMA synchronous=OFF")
        self.con.execute("BEGIN")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self.con.execute(statement)
        self.pending: dict[str, list] = {t: [] for t in self.TABLES}
        self.n_pending = 0

    def _add(self, table: str, row: list | tuple) -> None:
        self.pending[table].append(row)
        self.n_pending += 1
        if self.n_pending >= BATCH:
            self.flush()

    def flush(self) -> None:
        for table, rows in self.pending.items():
            if rows:
                marks = ",".join("?" * self.TABLES[table])
                verb = "INSERT OR IGNORE" if table == "offers" else "INSERT"
                self.con.executemany(f"{verb} INTO {table} VALUES ({marks})", rows)
                rows.clear()
        self.n_pending = 0

    def add_document(self, doc_id: str, title: str | None) -> None:
        self._add("documents", (doc_id, title))

    def add_edition(self, doc_id: str, edition: str, lang: str, fragment: dict) -> None:
        key = (doc_id, edition, lang)
        self._add("editions", (*key, *fragment["edition_row"]))
        for table, rows in fragment["rows"].items():
            for row in rows:
                self._add(table, (*key, *row))

    def add_diff(self, doc_id: str, lang: str, old: str, new: str, fragment: dict) -> None:
        for row in fragment["rows"]:
            self._add("changes", (doc_id, lang, old, new, *row))

    def add_parity(self, doc_id: str, edition: str, langs: str, fragment: dict) -> None:
        src, _, tgt = langs.partition("-")
        for row in fragment["rows"]:
            self._add("parity_findings", (doc_id, edition, src, tgt, *row))

    def add_shard(self, data: bytes) -> None:
        """Append every row of a shard (a database this class wrote with ``indexes=False``), in order."""
        self.flush()
        fd, shard = tempfile.mkstemp(prefix=".shard.", suffix=".sqlite", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            self.con.execute("ATTACH DATABASE ? AS shard", (shard,))
            try:
                for table in self.TABLES:
                    self.con.execute(f"INSERT INTO main.{table} SELECT * FROM shard.{table} ORDER BY rowid")
            finally:
                self.con.execute("COMMIT")
                self.con.execute("DETACH DATABASE shard")
                self.con.execute("BEGIN")
        finally:
            Path(shard).unlink(missing_ok=True)

    def close(self, indexes: bool = True) -> None:
        try:
            self.flush()
            if indexes:
                for statement in INDEXES.split(";"):
                    if statement.strip():
                        self.con.execute(statement)
            self.con.execute("COMMIT")
        finally:
            self.con.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.con.close()
        Path(self.tmp).unlink(missing_ok=True)
