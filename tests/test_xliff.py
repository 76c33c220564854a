"""Exchange formats of a real parity run: XLIFF 2.1 valid against the vendored OASIS core XSD (lxml,
no network), XLIFF 1.2 read by translate-toolkit and checked by its real ``pofilter`` console
script, TMX 1.4, Markdown and HTML reports, deterministic bytes, and the ``svcdesc parity`` CLI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from pipeline.parity.compare import check_parity
from pipeline.render.parity_report import md_cell, render_parity

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
EDITION = "bilingual-md/support/2021-06-04"

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def parity(shared_corpus: Path, described):
    ed = shared_corpus / EDITION
    return check_parity(described(ed / "en.md"), described(ed / "fr.md"))


def test_xliff21_is_valid_against_oasis_core_schema(parity) -> None:
    schema = etree.XMLSchema(etree.parse(str(REPO / "schemas" / "xliff" / "xliff_core_2.0.xsd")))
    doc = etree.fromstring(render_parity(parity, "xliff"))
    assert schema.validate(doc), schema.error_log
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    assert doc.get("version") == "2.1" and doc.get("srcLang") == "en" and doc.get("trgLang") == "fr"
    units = doc.findall(".//x:unit", ns)
    assert len(units) == len(parity.alignment)
    # the SLA defect ("next day" -> "un jour") travels as a note on its unit
    notes = [n.text for n in doc.findall(".//x:note", ns) if n.get("category") == "number_mismatch"]
    assert any("only in target: 1" in (t or "") for t in notes)


def test_xliff21_schema_rejects_a_broken_file() -> None:
    schema = etree.XMLSchema(etree.parse(str(REPO / "schemas" / "xliff" / "xliff_core_2.0.xsd")))
    bad = etree.fromstring(
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en"><file id="f"/></xliff>'
    )
    assert not schema.validate(bad)


def test_xliff12_opens_in_translate_toolkit_and_pofilter_runs(parity, tmp_path: Path) -> None:
    from translate.storage import xliff

    path = tmp_path / "support.xlf"
    path.write_bytes(render_parity(parity, "xliff12"))
    store = xliff.xlifffile.parsefile(str(path))
    units = [u for u in store.units if u.source]
    assert len(units) == sum(1 for p in parity.alignment if p.source)
    assert (
        units[0].source == parity.alignment[0].source_text
        and units[0].target == parity.alignment[0].target_text
    )
    out = tmp_path / "numbers.xlf"
    subprocess.run(
        [str(VENV_BIN / "pofilter"), "-t", "numbers", "--progress=none", str(path), str(out)], check=True
    )
    flagged = [u for u in xliff.xlifffile.parsefile(str(out)).units if u.source]
    # pofilter's digit check flags the round-the-clock idioms ("24/7" vs "24 h/24 et 7 j/7") ...
    assert any("24/7" in u.source for u in flagged)
    # ... which svcdesc accepts: none of them is a number_mismatch in the parity report
    ours = {f.source_text for f in parity.findings if f.kind.value == "number_mismatch"}
    assert not any("24/7" in s for s in ours)


def test_tmx_and_determinism(parity) -> None:
    tmx = render_parity(parity, "tmx")
    root = etree.fromstring(tmx)
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert header.get("creationdate") == "20210604T000000Z" and header.get("srclang") == "en"
    tus = root.findall("body/tu")
    assert tus and all(len(tu.findall("tuv")) == 2 for tu in tus)
    for fmt in ("json", "md", "html", "xliff", "xliff12", "tmx"):
        assert render_parity(parity, fmt) == render_parity(parity, fmt)


def test_markdown_escapes_pipes_and_html_has_filters_and_marks(parity) -> None:
    assert md_cell("a | b") == "a \\| b"
    md = render_parity(parity, "md")
    assert "| sla_mismatch | 1 |" in md
    html = render_parity(parity, "html")
    assert '<input type="radio" name="f" value="footnote_mismatch">' in html
    assert "<mark>élevées</mark>" in html or "<mark>élevées 3</mark>" in html
    assert "<script>" in html and "src=" not in html  # inline only, no external assets


def test_cli_parity_formats_and_fail_on(shared_corpus: Path, tmp_path: Path) -> None:
    from pipeline.cli import main

    ed = shared_corpus / "bilingual-md" / "sharepoint-online-limits" / "2021-07-09"
    cache = str(tmp_path / "cache")
    out = tmp_path / "p.json"

    def parity(*extra: str) -> int:
        return main(["parity", str(ed / "en.md"), str(ed / "fr.md"), "--cache-dir", cache, *extra])

    # two swallowed footnote words (errors): exit 1 by default, 0 with never
    assert parity("-o", str(out)) == 1
    assert '"footnote_mismatch"' in out.read_text(encoding="utf-8")
    assert parity("-o", str(out), "--fail-on", "warning") == 1
    assert parity("-o", str(out), "--fail-on", "never") == 0
    xlf = tmp_path / "p.xlf"
    assert parity("--format", "xliff", "-o", str(xlf), "--fail-on", "never") == 0
    assert xlf.read_bytes().startswith(b"<?xml")
    assert main(["parity", str(ed / "en.md"), str(tmp_path / "missing.md")]) == 2


def test_cli_glossary_suggest_tbx_loads_as_glossary(shared_corpus: Path, tmp_path: Path) -> None:
    from pipeline.cli import main
    from pipeline.normalize.glossary import Glossary

    ed = shared_corpus / "bilingual-md" / "sharepoint-online-limits" / "2021-07-09"
    out = tmp_path / "g.tbx"
    assert (
        main(
            [
                "glossary",
                "suggest",
                str(ed / "en.md"),
                str(ed / "fr.md"),
                "-o",
                str(out),
                "--cache-dir",
                str(tmp_path / "c"),
            ]
        )
        == 0
    )
    g = Glossary.load(out)
    pairs = {(t.en[0], t.fr[0]) for t in g.terms}
    assert ("Limits by plan", "Limites par plan") in pairs
    assert g.canonical_en("Fonctionnalité", "fr") == "Feature"


def test_grouped_finding_once_in_json_with_count_and_at_each_place_in_xliff_and_html(
    shared_corpus: Path, described
) -> None:
    """teams 2020-03-13: "Microsoft Teams" lowercased in many sentences is one finding with its places."""
    import json

    ed = shared_corpus / "bilingual-md" / "teams-service-description" / "2020-03-13"
    p = check_parity(described(ed / "en.md"), described(ed / "fr.md"))
    data = json.loads(render_parity(p, "json"))
    grouped = [f for f in data["findings"] if "Microsoft Teams -> Microsoft teams" in f["message"]]
    assert len(grouped) == 1 and grouped[0]["count"] == len(grouped[0]["occurrences"]) + 1 > 5
    doc = etree.fromstring(render_parity(p, "xliff"))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    notes = [
        n.text for n in doc.findall(".//x:note", ns) if "Microsoft Teams -> Microsoft teams" in (n.text or "")
    ]
    assert len(notes) == grouped[0]["count"] and all(f"×{grouped[0]['count']}: line " in n for n in notes)
    assert f"×{grouped[0]['count']}" in render_parity(p, "html")
