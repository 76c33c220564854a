"""Alignment of two language editions: gold precision/recall on a fast subset, split sentences.

The full measurement (24 Markdown + 16 PDF editions) is ``benchmarks/bench_align.py``; this test runs
the same scoring on a few editions chosen for their difficulty (tables across pages, footnotes,
feature x plan grids).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from pipeline.normalize.model import Segment, SegmentKind, TablePosition
from pipeline.parity.align import align_segments
from pipeline.parity.model import AlignKind

REPO = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_align", REPO / "benchmarks" / "bench_align.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_align"] = mod
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def seg(i: str, text: str, block: int, kind: SegmentKind = SegmentKind.paragraph, table=None) -> Segment:
    return Segment(id=i, text=text, kind=kind, block_index=block, table=table)


def test_sentence_split_differently_gives_one_to_many() -> None:
    src = [
        seg("e1", "Storage limits", 0, SegmentKind.heading),
        seg(
            "e2",
            "Each user gets 1 TB of storage, and admins can raise it to 5 TB for users who need more.",
            1,
        ),
        seg("e3", "Contact support for more.", 2),
    ]
    tgt = [
        seg("f1", "Limites de stockage", 0, SegmentKind.heading),
        seg("f2", "Chaque utilisateur dispose de 1 To de stockage.", 1),
        seg(
            "f3", "Les administrateurs peuvent l’augmenter à 5 To pour les utilisateurs qui en ont besoin.", 1
        ),
        seg("f4", "Contactez le support pour en savoir plus.", 2),
    ]
    pairs = align_segments(src, tgt)
    assert [(p.source, p.target, p.kind) for p in pairs] == [
        (["e1"], ["f1"], AlignKind.one_one),
        (["e2"], ["f2", "f3"], AlignKind.one_many),
        (["e3"], ["f4"], AlignKind.one_one),
    ]


def test_dropped_table_row_stays_unmatched() -> None:
    def cell(i, text, row, col):
        return seg(i, text, 1, SegmentKind.table_cell, TablePosition(table_id="t1", row=row, col=col))

    src = [
        cell("a0", "Storage", 0, 0),
        cell("a1", "1 TB", 0, 1),
        cell("b0", "Users", 1, 0),
        cell("b1", "500,000", 1, 1),
    ]
    src += [cell("c0", "Sites", 2, 0), cell("c1", "2 million", 2, 1)]
    tgt = [
        cell("x0", "Stockage", 0, 0),
        cell("x1", "1 To", 0, 1),
        cell("z0", "Sites", 1, 0),
        cell("z1", "2 millions", 1, 1),
    ]
    pairs = align_segments(src, tgt)
    assert [p.source for p in pairs if p.kind == AlignKind.source_only] == [["b0"], ["b1"]]
    assert (["c1"], ["z1"]) in [(p.source, p.target) for p in pairs]


MD_SUBSET = [
    "sharepoint-online-limits/2021-07-09",
    "support/2021-06-04",
    "teams-service-description/2020-03-13",
]
PDF_SUBSET = [
    "sharepoint-online-limits/2018-09-23",
    "exchange-online-archiving-service-description/2021-06-04",
]


def _score(bench, described, root: Path, editions: list[str], ext: str) -> tuple[float, float]:
    scored = correct = gold = covered = 0
    for key in editions:
        ed = root / key
        res = bench.score_edition(
            described(ed / f"en.{ext}"),
            described(ed / f"fr.{ext}"),
            root.parent / "bilingual-md" / key / "segments.jsonl",
            by_line=ext == "md",
        )
        scored += res["scored"]
        correct += res["correct"]
        gold += res["gold"]
        covered += res["covered"]
    return correct / scored, covered / gold


@pytest.mark.shared
def test_markdown_alignment_precision_recall_subset(shared_corpus: Path, described) -> None:
    precision, recall = _score(_bench(), described, shared_corpus / "bilingual-md", MD_SUBSET, "md")
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


@pytest.mark.shared
@pytest.mark.slow
def test_pdf_alignment_precision_recall_subset(shared_corpus: Path, described) -> None:
    precision, recall = _score(_bench(), described, shared_corpus / "bilingual-pdf", PDF_SUBSET, "pdf")
    assert precision >= 0.90 and recall >= 0.90, (precision, recall)
