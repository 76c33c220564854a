"""Intra-document checks (V1xx): one family per block, passes()/fails() on hand-built models, then real data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.checks.document import REGISTRY, validate_description
from pipeline.extract.model import (
    Block,
    BlockKind,
    Document,
    DocumentMeta,
    Provenance,
    SourceFormat,
    Table,
    TableCell,
)
from pipeline.normalize.model import (
    Availability,
    DocumentInfo,
    Finding,
    FindingSeverity,
    Footnote,
    Offer,
    Segment,
    SegmentKind,
    ServiceDescription,
    TablePosition,
)


def doc(**kw) -> ServiceDescription:  # noqa: ANN003
    info = DocumentInfo(title="T", language="fr", source="t.pdf", sha256="0" * 64, format=SourceFormat.pdf)
    kw.setdefault("offers", [Offer(id="x", name="X")])
    return ServiceDescription(document=info, **kw)


def seg(
    sid: str,
    text: str,
    *,
    kind: SegmentKind = SegmentKind.paragraph,
    cell=None,
    refs=(),
    block: int = 0,
    section="s1",
    raw=None,
) -> Segment:  # noqa: ANN001, E501
    table = (
        TablePosition(table_id=cell[0], row=cell[1], col=cell[2], is_header=cell[1] == 0) if cell else None
    )
    return Segment(
        id=sid,
        text=text,
        kind=SegmentKind.table_cell if cell else kind,
        section_id=section,
        block_index=block,
        table=table,
        footnote_refs=list(refs),
        raw=raw,
        prov=[Provenance(page=3)],
    )


def run(code: str, sd: ServiceDescription) -> list[Finding]:
    return validate_description(sd, [code])


def passes(code: str, sd: ServiceDescription) -> None:
    found = run(code, sd)
    assert not found, [f.message for f in found]


def fails(code: str, sd: ServiceDescription, n: int = 1) -> list[Finding]:
    found = run(code, sd)
    assert len(found) == n, [f.message for f in found]
    assert all(f.code == code and f.severity == REGISTRY[code].severity for f in found)
    return found


def test_registry_codes_are_stable_and_documented() -> None:
    assert sorted(REGISTRY) == [f"V{n}" for n in range(101, 111)]
    assert all(c.doc and c.name for c in REGISTRY.values())


# --- footnotes --------------------------------------------------------------------------------


def test_footnote_marker_without_text() -> None:
    note = Footnote(marker="1", text="Le temps de réponse…", table_id="t1", section_id="s1")
    cell = seg("a", "Composants Azure", cell=("t1", 1, 0), refs=["1"])
    passes("V101", doc(segments=[cell], footnotes=[note]))
    found = fails(
        "V101", doc(segments=[cell, seg("b", "7 j/7", cell=("t1", 1, 1), refs=["3"])], footnotes=[note])
    )
    assert found[0].segment_id == "b" and "'3'" in found[0].message and found[0].prov[0].page == 3


def test_footnote_numbering_restarts_per_table() -> None:
    """A "2" in table t2 is not explained by the "2" under table t1 when t2 has footnotes of its own."""
    notes = [
        Footnote(marker="1", text="a", table_id="t1", section_id="s1"),
        Footnote(marker="2", text="b", table_id="t1", section_id="s1"),
        Footnote(marker="1", text="c", table_id="t2", section_id="s2"),
    ]
    segs = [
        seg("a", "x", cell=("t1", 1, 0), refs=["1", "2"]),
        seg("b", "y", cell=("t2", 1, 0), refs=["1", "2"], section="s2"),
    ]
    found = fails("V101", doc(segments=segs, footnotes=notes))
    assert found[0].segment_id == "b"


def test_inline_markdown_footnote_line_defines_its_marker() -> None:
    note_seg = seg(
        "n",
        "Users must be licensed",
        kind=SegmentKind.note,
        refs=["*"],
        raw="x<sup>\\*</sup>\n\n<sup>\\*</sup> For …",
    )
    passes("V101", doc(segments=[note_seg]))


def test_footnote_without_marker() -> None:
    notes = [
        Footnote(marker="1", text="a", table_id="t1", section_id="s1"),
        Footnote(marker="2", text="Enterprise…", table_id="t1", section_id="s1"),
    ]
    found = fails("V102", doc(segments=[seg("a", "x", cell=("t1", 1, 0), refs=["1"])], footnotes=notes))
    assert "'2'" in found[0].message
    passes("V102", doc(segments=[seg("a", "x", cell=("t1", 1, 0), refs=["1", "2"])], footnotes=notes))


def test_glued_asterisk_and_legends_count() -> None:
    notes = [
        Footnote(marker="*", text="L’Allocation…", section_id="s1"),
        Footnote(marker="✓", text="Inclus", section_id="s1"),
    ]
    passes("V102", doc(segments=[seg("a", "votre Allocation Flexible* à utiliser")], footnotes=notes))


# --- numbers ----------------------------------------------------------------------------------


def test_number_word_disagreeing_with_digits() -> None:
    passes("V103", doc(segments=[seg("a", "en quatre (4) heures ou deux (2) heures ouvrées")]))
    found = fails("V103", doc(segments=[seg("a", "Première réponse en deux (3) heures")]))
    assert "deux (3)" in found[0].message and found[0].severity == FindingSeverity.error
    passes("V103", doc(segments=[seg("a", "Microsoft 365 (2) plans")]))  # not a number word


# --- offers -----------------------------------------------------------------------------------


def test_offer_in_table_never_described() -> None:
    tabled = Offer(
        id="sta", name="STA", table_id="t1", availability_mark="✓", availability=Availability.included
    )
    fails("V104", doc(offers=[tabled]))
    passes("V104", doc(offers=[tabled.model_copy(update={"description": "Conseil technique."})]))
    passes("V104", doc(offers=[Offer(id="q", name="Stockage", table_id="t1")]))  # feature table: no mark


def test_offer_described_but_in_no_table() -> None:
    tabled = Offer(id="a", name="A", table_id="t1", availability_mark="✓", description="d")
    loose = Offer(id="b", name="B", description="Assistance au développement.")
    found = fails("V105", doc(offers=[tabled, loose]))
    assert found[0].offer_id == "b"
    passes("V105", doc(offers=[loose]))  # no availability table at all: nothing to be missing from


def test_offer_with_two_availabilities() -> None:
    a = Offer(id="ede", name="Ingénierie Désignée", table_id="t1", availability=Availability.included)
    b = Offer(id="ede-2", name="Ingénierie désignée", table_id="t2", availability=Availability.additional)
    found = fails("V106", doc(offers=[a, b]))
    assert "included in t1" in found[0].message and "additional in t2" in found[0].message
    passes("V106", doc(offers=[a, b.model_copy(update={"availability": Availability.included})]))


def test_no_offers_is_info() -> None:
    assert fails("V109", doc(offers=[]))[0].severity == FindingSeverity.info
    passes("V109", doc())


# --- consistency ------------------------------------------------------------------------------


def _sla(texts: list[str]) -> list[Segment]:
    head = seg("h", "Notre réponse prévue", cell=("t1", 0, 1))
    return [head, *(seg(f"c{i}", t, cell=("t1", i + 1, 1)) for i, t in enumerate(texts))]


def test_parallel_cells_bound_word() -> None:
    ok = [
        "Première réponse en 15 minutes ou moins",
        "en une (1) heure ou moins",
        "en deux (2) heures ou moins",
    ]
    passes("V107", doc(segments=_sla(ok)))
    bad = [*ok[:2], "Première réponse en 30 minutes au moins"]
    found = fails("V107", doc(segments=_sla(bad)))
    assert (
        found[0].segment_id == "c2" and "'au moins'" in found[0].message and "'ou moins'" in found[0].message
    )
    found = fails(
        "V107", doc(segments=_sla(["within 1 hour or less", "2 hours or less", "at least 4 hours"]))
    )
    assert "'at least'" in found[0].message


def test_bound_word_in_one_cell_among_others_is_found() -> None:
    """One cell can say "15 minutes ou moins … 30 minutes au moins": each bound counts."""
    texts = ["Azure : 15 minutes ou moins. Autres : 30 minutes au moins", "en trente (30) minutes ou moins"]
    assert fails("V107", doc(segments=_sla(texts)))[0].segment_id == "c0"


def test_duplicate_definitions() -> None:
    first = seg("a", "Conseiller Technologique (STA) : aide à planifier vos services.", block=1)
    same = seg("b", "Conseiller Technologique (STA) : aide à planifier vos services.", block=5)
    other = seg("c", "Conseiller Technologique (STA) : un ingénieur désigné pour votre compte.", block=9)
    passes("V108", doc(segments=[first, same]))
    found = fails("V108", doc(segments=[first, other]))
    assert found[0].segment_id == "c" and len(found[0].prov) == 2
    passes(
        "V108",
        doc(
            segments=[
                seg("a", "Remarque : ceci et cela encore.", block=1),
                seg("b", "Remarque : autre chose ici.", block=2),
            ]
        ),
    )


def test_findings_come_in_code_order() -> None:
    sd = doc(offers=[], segments=[seg("a", "deux (3) heures")])
    assert [f.code for f in validate_description(sd)] == ["V103", "V109"]


# --- real data --------------------------------------------------------------------------------


def _needs_pdf() -> None:
    if not hasattr(pytest.importorskip("pipeline.extract.pdf"), "extract_pdf"):
        pytest.skip("PDF reader not landed yet")


def test_ussd_30_minutes_au_moins(ussd_pdf: Path, described) -> None:
    """USSD: "30 minutes au moins" where the parallel cells of the severity tables say "ou moins"."""
    _needs_pdf()
    found = validate_description(described(ussd_pdf), ["V107"])
    assert len(found) == 1, [f.message for f in found]
    assert "30 minutes au moins" in found[0].message and found[0].prov[0].page == 16


def test_ussd_sta_defined_twice(ussd_pdf: Path, described) -> None:
    _needs_pdf()
    found = validate_description(described(ussd_pdf), ["V108"])
    assert any("STA" in f.message for f in found)


def test_ussd_footnotes_resolve_per_table(ussd_pdf: Path, described) -> None:
    """Footnotes 1-4 restart under each severity table; all are referenced and all markers explained."""
    _needs_pdf()
    assert validate_description(described(ussd_pdf), ["V101"]) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_support_2021_footnote_2_referred_nowhere(shared_corpus: Path, described, lang: str) -> None:
    """support 2021-06-04: footnote 2 ("Enterprise plans include…") has no marker in the table."""
    sd = described(shared_corpus / "bilingual-md" / "support" / "2021-06-04" / f"{lang}.md")
    found = validate_description(sd, ["V102"])
    assert [f.message.split(":")[0] for f in found] == ["footnote '2' is referred to nowhere"]
    assert found[0].prov[0].line_start is not None


def test_planted_number_word_mismatch_in_copy(shared_corpus: Path, tmp_path: Path) -> None:
    """A planted "deux (3)" in a copy of a real Markdown file is an error finding with its line."""
    from pipeline.catalog.loader import load_description

    src = shared_corpus / "bilingual-md" / "support" / "2021-06-04" / "fr.md"
    text = src.read_text(encoding="utf-8").replace(
        "Temps de réponse : une heure", "Temps de réponse : deux (3) heures", 1
    )
    planted = tmp_path / "fr.md"
    planted.write_text(text, encoding="utf-8")
    found = validate_description(load_description(planted), ["V103"])
    assert len(found) == 1 and found[0].prov and found[0].prov[0].line_start is not None


# --- CLI --------------------------------------------------------------------------------------


def _cli(argv: list[str]) -> int:
    from pipeline.cli import main

    return main(argv)


def test_cli_exit_codes_and_json(shared_corpus: Path, tmp_path: Path, capsys) -> None:
    md = shared_corpus / "bilingual-md" / "support" / "2021-06-04" / "en.md"
    out = tmp_path / "r.json"
    assert _cli(["validate", str(md), "--format", "json", "-o", str(out)]) == 0  # warnings only
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["warning"] >= 1
    assert "V102" in {f["code"] for f in report["inputs"][0]["findings"]}
    assert _cli(["validate", str(md), "--fail-on", "warning", "--format", "md"]) == 1
    assert "| warning | V102 |" in capsys.readouterr().out
    assert _cli(["validate", str(md), "--fail-on", "never"]) == 0


def test_cli_batch_with_a_bad_input(shared_corpus: Path, tmp_path: Path, capsys) -> None:
    md = tmp_path / "en.md"
    shutil.copy(shared_corpus / "bilingual-md" / "support" / "2021-06-04" / "en.md", md)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"<html>not a pdf</html>")
    assert _cli(["validate", str(bad), str(md), "--format", "text"]) == 2
    captured = capsys.readouterr()
    assert "bad.pdf" in captured.err and "V102" in captured.out
    assert _cli(["validate", str(bad)]) == 2  # single input: the typed error itself
    assert "[E101]" in capsys.readouterr().err


def test_ussd_rapid_response_text_attaches_to_the_reponse_rapide_row(ussd_pdf: Path, described) -> None:
    """USSD: the table says "Réponse rapide", the text defines "Rapid Response (réponse rapide)".

    normalize joins them through the name in parentheses, so neither V104 (in a table, never
    described) nor V105 (described, in no table) fires for it; services described only in the
    text still get V105.
    """
    _needs_pdf()
    sd = described(ussd_pdf)
    found = validate_description(sd, ["V104", "V105"])
    by_code = {(f.code, f.offer_id) for f in found}
    assert not {("V104", "fr:reponse-rapide"), ("V105", "fr:rapid-response")} & by_code
    assert "Rapid" in (sd.offer("fr:reponse-rapide").description or "")
    assert ("V105", "fr:assistance-au-developpement") in by_code


def test_cli_validates_a_saved_description(shared_corpus: Path, tmp_path: Path, capsys) -> None:
    """A saved ServiceDescription JSON gives the same findings as its source file."""
    md = shared_corpus / "bilingual-md" / "support" / "2021-06-04" / "fr.md"
    saved = tmp_path / "sd.json"
    assert _cli(["extract", str(md), "-o", str(saved)]) == 0
    capsys.readouterr()
    assert _cli(["validate", str(md), "--format", "json", "-o", str(tmp_path / "a.json")]) == 0
    assert _cli(["validate", str(saved), "--format", "json", "-o", str(tmp_path / "b.json")]) == 0
    a = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["inputs"][0]["findings"]
    b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["inputs"][0]["findings"]
    assert a == b and {f["code"] for f in a} >= {"V102"}


def test_undefined_mark_is_unknown_with_a_finding() -> None:
    """V110: a sign no legend or vocabulary defines stays unknown and is reported; a legend silences it."""
    from pipeline.normalize import normalize as run_normalize

    def table_doc(extra: list[Block]) -> Document:
        rows = [["Service", "Basic", "Pro"], ["Backup", "◆", "✔"], ["Audit", "—", "◆"]]
        cells = [[TableCell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
        table = Block(kind=BlockKind.table, text="", table=Table(rows=cells, header_rows=1))
        return Document(
            meta=DocumentMeta(source="x.md", sha256="0" * 64, format=SourceFormat.markdown, language="en"),
            blocks=[Block(kind=BlockKind.heading, text="Plans", level=1), table, *extra],
        )

    sd = run_normalize(table_doc([]))
    backup = next(o for o in sd.offers if o.name == "Backup")
    assert [v.availability.value for v in backup.plan_values] == ["unknown", "included"]
    found = fails("V110", sd)
    assert "◆" in found[0].message and "Backup / Basic" in found[0].message
    legend = Block(kind=BlockKind.paragraph, text="◆ : available on quote")
    sd = run_normalize(table_doc([legend]))
    backup = next(o for o in sd.offers if o.name == "Backup")
    assert backup.plan_values[0].availability.value == "additional"
    passes("V110", sd)
