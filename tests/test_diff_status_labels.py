"""A status step shows the status words as printed, not only the availability codes read from them.

Documents written here (fictional vendor Larkspur). "Rolling out -> In development" is a step down
(breaking); the summary says it in the document's words so a reader sees what changed. The French
"Sur le carnet de commandes de l'ingénierie" (a translation of "on the engineering backlog") is a
planned status, read as not available like its English source.
"""

from __future__ import annotations

from pathlib import Path

from helpers import diff_texts

from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S


def _page(rows: list[tuple[str, str]], head: tuple[str, str]) -> str:
    table = [f"| {head[0]} | {head[1]} |", "|:--|:--|", *(f"| {a} | {b} |" for a, b in rows)]
    return "\n".join(["# Larkspur Records roadmap", "", "## Features", "", *table, ""])


def _steps(tmp_path: Path, old: list[tuple[str, str]], new: list[tuple[str, str]], head: tuple[str, str]):
    d = diff_texts(tmp_path, _page(old, head), _page(new, head))
    return [(c.severity, c.summary) for c in d.changes if c.kind is K.availability_changed]


def test_status_step_down_summary_shows_the_status_words(tmp_path: Path):
    got = _steps(
        tmp_path,
        [("Legal hold for chat", "Rolling out"), ("Export", "Available")],
        [("Legal hold for chat", "In development"), ("Export", "Available")],
        ("Feature", "Status"),
    )
    assert got == [
        (
            S.breaking,
            "Legal hold for chat: included_conditional → not_available (Rolling out → In development)",
        )
    ]


def test_french_engineering_backlog_status_is_read_as_planned(tmp_path: Path):
    got = _steps(
        tmp_path,
        [("Ingestion externe", "En cours de déploiement"), ("Exportation", "Disponible")],
        [("Ingestion externe", "Sur le carnet de commandes de l’ingénierie"), ("Exportation", "Disponible")],
        ("Fonctionnalité", "État"),
    )
    assert [s for s, _ in got] == [S.breaking]
    assert "→ not_available" in got[0][1]
