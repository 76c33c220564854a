"""Safe rendering: hostile document text is inert in every HTML page, Markdown table and CSV cell.

Service names, cells, headings, footnotes and links carry ``<script>``, attribute break-outs,
``javascript:`` URLs and ``</table>``. Every HTML output (diff report, parity report, site) must keep
them as text: checked statically (lxml: no injected element, no ``on*`` attribute, no unsafe link
scheme) and in headless Chromium (the payloads would set ``document.title``; it must not change and
no console message may appear). Outputs not written yet are skipped with the name of what is missing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import CLI
from lxml import html as lxml_html

from pipeline.extract.model import Link, Provenance, SourceFormat
from pipeline.normalize.model import (
    Availability,
    DocumentInfo,
    Finding,
    FindingSeverity,
    Footnote,
    Offer,
    PlanValue,
    Section,
    Segment,
    SegmentKind,
    ServiceDescription,
    SlaRow,
    SlaTable,
    SlaTarget,
)
from pipeline.render.escape import csv_cell, md_cell, md_text

CHROMIUM = "/usr/bin/chromium"
MARK = "PWNED"
SCRIPT = f'<script>document.title="{MARK}"</script>'
IMG = f'"><img src=x onerror="document.title=\'{MARK}\'">'
ATTR = f"' onerror='document.title=\"{MARK}\"' x='"
TABLE = f"</td></tr></table><script>document.title='{MARK}'</script><table><tr><td>"
SVG = f"<svg onload=\"document.title='{MARK}'\"></svg>"
JS_URLS = [
    f"javascript:document.title='{MARK}'",
    f" JaVaScRiPt:document.title='{MARK}'",
    f"java\tscript:document.title='{MARK}'",
    f"data:text/html,<script>document.title='{MARK}'</script>",
    "vbscript:msgbox(1)",
]
PAYLOADS = [SCRIPT, IMG, ATTR, TABLE, SVG]
PIPE = "a | b || c \\| d"


def _prov() -> list[Provenance]:
    return [Provenance(line_start=1, line_end=1)]


def hostile_description(lang: str = "en", variant: int = 0) -> ServiceDescription:
    """A ServiceDescription whose every user-visible string is a payload."""
    p = PAYLOADS
    offers = [
        Offer(
            id=f"offer-{i}",
            name=f"{payload} offer {i}",
            availability=Availability.included if (i + variant) % 2 else Availability.additional,
            availability_mark=IMG,
            description=f'{TABLE} {PIPE} =HYPERLINK("http://x") v{variant}',
            conditions=[SCRIPT, f"@SUM(A1) {variant}"],
            category=[TABLE, ATTR],
            plan_values=[
                PlanValue(
                    plan=SVG, plan_id="plan-1", text=f"{IMG} {variant}", availability=Availability.included
                )
            ],
            footnotes=[ATTR],
            section_id="s-1",
            prov=_prov(),
        )
        for i, payload in enumerate(p)
    ]
    segments = [
        Segment(
            id=f"s-1-{i}",
            text=f"{payload} text {i} {PIPE} v{variant}",
            kind=SegmentKind.paragraph,
            section_id="s-1",
            block_index=i,
            links=[Link(text=f"link {j}", url=u) for j, u in enumerate(JS_URLS)],
            raw=f"[x]({JS_URLS[0]}) {payload}",
            lang=lang,
            prov=_prov(),
        )  # fmt: skip
        for i, payload in enumerate(p)
    ]
    segments.append(
        Segment(
            id="s-1-h",
            text=f"{SCRIPT} heading",
            kind=SegmentKind.heading,
            section_id="s-1",
            block_index=99,
            lang=lang,
        )
    )
    sla = SlaTable(
        id="sla-1",
        title=TABLE,
        section_id="s-1",
        columns=[SCRIPT, IMG, PIPE],
        rows=[
            SlaRow(
                severity=f"A{SCRIPT}",
                situation=TABLE,
                our_response=IMG,
                your_response=PIPE,
                targets=[SlaTarget(scope=SVG, scope_id="all", minutes=60 * (variant + 1), text=ATTR)],
            )
        ],  # fmt: skip
    )
    return ServiceDescription(
        document=DocumentInfo(
            title=f"{SCRIPT} title",
            language=lang,
            edition_date=f"2021-0{variant + 1}-01",
            source=f"{IMG}.md",
            sha256="0" * 64,
            format=SourceFormat.markdown,
            front_matter={"title": SCRIPT, "x": IMG},
        ),  # fmt: skip
        sections=[Section(id="s-1", number="1", title=f"{TABLE} section", level=1)],
        offers=offers,
        sla_tables=[sla],
        footnotes=[Footnote(marker=SCRIPT, text=f"{IMG} {JS_URLS[0]}", section_id="s-1")],
        segments=segments,
        findings=[
            Finding(
                code="V999", severity=FindingSeverity.warning, message=f"{SCRIPT} {TABLE}", offer_id="offer-0"
            )
        ],
    )


def hostile_catalog():
    from pipeline.catalog.catalog_model import (
        BuildProblem,
        Catalog,
        CatalogDocument,
        CatalogEdition,
        CatalogLanguage,
        CatalogOffer,
        CatalogPlanValue,
        CatalogReport,
        CatalogSla,
        Count,
    )

    def lang_view(lang: str, n: int) -> CatalogLanguage:
        return CatalogLanguage(
            lang=lang, source=f"{IMG}/{lang}.md", sha256="0" * 64, format="markdown", title=f"{SCRIPT} t",
            edition_date="2021-01-01", json_path=f"{ATTR}.json",
            offers=[CatalogOffer(id=f"o{i}", name=f"{p} {i}", availability="included" if (i + n) % 2 else "additional",
                                 availability_mark=IMG, category=[TABLE],
                                 plan_values=[CatalogPlanValue(plan_id="p", plan=SVG, availability="included", text=IMG)])
                    for i, p in enumerate(PAYLOADS)],
            sla=[CatalogSla(table_id="t", severity=SCRIPT, scope=TABLE, scope_id="all", minutes=60 * n, text=IMG)],
            facts=[Count(name=SCRIPT, count=1)], findings=[Count(name=IMG, count=2)],
        )  # fmt: skip

    return Catalog(
        tool_version="0.1.0",
        documents=[
            CatalogDocument(
                id="hostile",
                title=f"{SCRIPT} doc",
                editions=[
                    CatalogEdition(edition=e, languages=[lang_view("en", n), lang_view("fr", n)])
                    for n, e in enumerate(["2020-01-01", "2021-01-01"], 1)
                ],
                diffs=[
                    CatalogReport(
                        kind="diff",
                        lang="en",
                        old="2020-01-01",
                        new="2021-01-01",
                        counts=[Count(name="major", count=1)],
                        files=[JS_URLS[0], f"{ATTR}.html"],
                    )
                ],
                parity=[
                    CatalogReport(
                        kind="parity",
                        lang="fr",
                        old="en",
                        new="fr",
                        counts=[Count(name="warning", count=1)],
                        files=[JS_URLS[3]],
                    )
                ],
            )  # fmt: skip
        ],
        problems=[BuildProblem(path=f"{IMG}.pdf", code="E101", message=f"{SCRIPT} not a PDF")],
        unknown_files=[TABLE, SCRIPT],
    )


# --- producers of every HTML / Markdown output ------------------------------------------------------


def diff_output(fmt: str) -> str:
    from pipeline.diff.compare import diff_descriptions
    from pipeline.render.diff_report import render_diff

    out = render_diff(diff_descriptions(hostile_description("en", 0), hostile_description("en", 1)), fmt)
    return out.decode("utf-8") if isinstance(out, bytes) else out


def parity_output(fmt: str) -> str:
    from pipeline.parity.compare import check_parity
    from pipeline.render.parity_report import render_parity

    out = render_parity(check_parity(hostile_description("en", 0), hostile_description("fr", 1)), fmt)
    return out.decode("utf-8") if isinstance(out, bytes) else out


def site_output(fmt: str) -> str:
    assert fmt == "html"
    from pipeline.render.site import render_site_index

    return render_site_index(hostile_catalog(), formats={"json", "xml", "sqlite", "junit", "sarif"})


def base_template_output(fmt: str) -> str:
    """The shared base template with payloads in every slot it offers (title, content, link)."""
    from pipeline.render.html import environment

    template = environment().from_string(
        '{% extends "base.html.j2" %}{% block content %}<h1>{{ name }}</h1>'
        '<table><tr><td title="{{ name }}">{{ name }}</td></tr></table>'
        '{% for u in urls %}<a href="{{ u | safe_url }}">{{ u }}</a>{% endfor %}{% endblock %}'
    )
    return template.render(title=SCRIPT, lang=ATTR, name=" ".join(PAYLOADS), urls=JS_URLS)


def site_document_output(fmt: str) -> str:
    from pipeline.render.site import render_document_page

    return render_document_page(hostile_catalog().documents[0], root="../")


HTML_OUTPUTS = {
    "base": base_template_output,
    "diff": diff_output,
    "parity": parity_output,
    "site": site_output,
    "site_document": site_document_output,
}
MD_OUTPUTS = {"diff": diff_output, "parity": parity_output}


# --- checks -----------------------------------------------------------------------------------------

SAFE_SCHEMES = {"http", "https", "mailto"}


def assert_inert_static(page: str) -> None:
    """No payload became markup: no injected element, no event-handler attribute, no unsafe link."""
    assert MARK in page, "the hostile text must be rendered (as text), else this test proves nothing"
    assert "<script>document.title" not in page
    assert "<svg onload" not in page and "<img src=x" not in page
    tree = lxml_html.document_fromstring(page)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in {"script", "svg", "img", "iframe", "object", "embed"} or MARK not in (
            el.text or ""
        ), el.tag
        assert el.tag not in {"svg", "img", "iframe", "object", "embed"}, f"injected <{el.tag}>"
        if el.tag == "script":
            assert MARK not in (el.text or "")
        for attr, value in el.attrib.items():
            assert not attr.lower().startswith("on"), f"<{el.tag} {attr}={value!r}>"
            if attr in {"href", "src", "action", "formaction", "xlink:href"}:
                cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = cleaned.split(":", 1)[0] if ":" in cleaned.split("/", 1)[0] else ""
                assert scheme in SAFE_SCHEMES | {""}, f"unsafe link {value!r}"
    assert all((t.text or "").strip() != MARK for t in tree.findall(".//title"))


def run_chromium(path: Path) -> tuple[str, str]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("headless Chromium not installed")
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=90,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr


def assert_no_script_runs(page: str, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    before = lxml_html.document_fromstring(page).findtext(".//title") or ""
    dom, log = run_chromium(path)
    after = lxml_html.document_fromstring(dom).findtext(".//title") or ""
    assert after == before, f"a script ran: title {before!r} -> {after!r}"
    console = [ln for ln in log.splitlines() if ":CONSOLE" in ln]
    assert console == [], console


# --- tests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("output", sorted(HTML_OUTPUTS))
def test_html_output_is_inert_static(output: str):
    assert_inert_static(HTML_OUTPUTS[output]("html"))


@pytest.mark.browser
@pytest.mark.parametrize("output", sorted(HTML_OUTPUTS))
def test_html_output_no_script_runs_in_chromium(output: str, tmp_path: Path):
    assert_no_script_runs(HTML_OUTPUTS[output]("html"), tmp_path, output)


@pytest.mark.browser
def test_chromium_harness_detects_a_running_script(tmp_path: Path):
    """The check above can fail: the same payload left unescaped does change the title."""
    page = f"<!DOCTYPE html><html><head><title>t</title></head><body>{IMG}</body></html>"
    with pytest.raises(AssertionError, match="a script ran"):
        assert_no_script_runs(page, tmp_path, "control")


def _md_table_rows(md: str) -> list[list[str]]:
    """Split Markdown table lines into cells the way GFM does (an escaped pipe does not split)."""
    rows = []
    for line in md.splitlines():
        if line.lstrip().startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
            rows.append(cells)
    return rows


@pytest.mark.parametrize("output", sorted(MD_OUTPUTS))
def test_markdown_output_escapes_pipes_and_markup(output: str):
    md = MD_OUTPUTS[output]("md")
    assert MARK in md, "hostile text must appear (escaped)"
    assert "<script>document.title" not in md
    assert "<img src=x" not in md and "<svg onload" not in md
    # tables keep their shape: within each table every row has as many cells as its header
    tables, current = [], []
    for line in md.splitlines() + [""]:
        if line.lstrip().startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    for table in tables:
        widths = {len(r) for r in _md_table_rows("\n".join(table))}
        assert len(widths) == 1, f"a cell split its row: {table[:4]}"
    # rendered as HTML by a CommonMark renderer with raw HTML on, still inert
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<script>" not in page and "<img" not in page and "<svg" not in page
    assert 'href="javascript' not in page.lower()


def test_md_cell_escapes():
    assert md_cell("a | b") == "a \\| b"
    assert md_cell("x\\") == "x\\\\"  # a trailing backslash cannot escape the next delimiter
    assert md_cell("line1\nline2\r\nline3") == "line1<br>line2<br>line3"
    assert md_cell(SCRIPT).startswith("&lt;script&gt;")
    assert md_cell(None) == "" and md_cell("") == ""
    row = "| " + " | ".join(md_cell(c) for c in [PIPE, TABLE, "ok"]) + " |"
    from markdown_it import MarkdownIt

    page = (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .render(f"| a | b | c |\n|---|---|---|\n{row}\n")
    )
    assert page.count("<td>") == 3 and "<script" not in page
    assert md_text("# <b>x</b>\nnext") == "# &lt;b&gt;x&lt;/b&gt; next"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-5", "-5"),
        ("+33 %", "+33 %"),
        ("-1,5", "-1,5"),
        ("99.9 %", "99.9 %"),
        ("Premier", "Premier"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_csv_cell_neutralises_formulas(value, expected):
    assert csv_cell(value) == expected


def test_csv_round_trip_keeps_text():
    buf = io.StringIO()
    csv.writer(buf).writerow([csv_cell(v) for v in ["=1+1", 'say "hi", ok', "-5"]])
    assert next(csv.reader(io.StringIO(buf.getvalue()))) == ["'=1+1", 'say "hi", ok', "-5"]


# --- end to end: hostile Markdown through a real build, every HTML page it writes -----------------------

HOSTILE_MD = """---
title: Support &lt;script&gt;document.title="PWNED"&lt;/script&gt;
description: "\\"><img src=x onerror=\\"document.title='PWNED'\\">"
---
# Support &lt;script&gt;document.title="PWNED"&lt;/script&gt;

<script>document.title="PWNED"</script>

## 1. Plans &lt;/table&gt;&lt;img src=x onerror="document.title='PWNED'"&gt;

| Service | Premier | Unified |
|---|---|---|
| &lt;script&gt;document.title="PWNED"&lt;/script&gt; Workshop | Yes | No |
| Health check \\| "onerror=document.title='PWNED' | {cell} | Yes |
| <img src=x onerror="document.title='PWNED'"> Review | Yes | Yes |

See [the portal](javascript:document.title='PWNED') and <a href="javascript:document.title='PWNED'">this</a>.

- Response within {hours} hours &lt;svg onload="document.title='PWNED'"&gt;
"""


@pytest.mark.slow
@pytest.mark.browser
def test_built_site_is_inert(tmp_path: Path):

    corpus = tmp_path / "corpus"
    for date, lang, cell, hours in [("2020-01-01", "en", "No", 8), ("2021-06-04", "en", "Yes", 4),
                                    ("2021-06-04", "fr", "Oui", 4)]:  # fmt: skip
        p = corpus / "support" / date / f"{lang}.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(HOSTILE_MD.replace("{cell}", cell).replace("{hours}", str(hours)))
    out = tmp_path / "out"
    proc = subprocess.run(
        [*CLI,
         "build", str(corpus), "--out", str(out), "--progress", "none", "--no-cache"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    pages = sorted(out.rglob("*.html"))
    assert (out / "index.html") in pages and len(pages) >= 2, pages
    assert MARK in (out / "index.html").read_text()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if MARK in text:
            assert_inert_static(text)
        assert "<script>document.title" not in text and "<img src=x" not in text, page
    for page in pages[:4]:
        dom, log = run_chromium(page)
        before = lxml_html.document_fromstring(page.read_text(encoding="utf-8")).findtext(".//title") or ""
        assert (lxml_html.document_fromstring(dom).findtext(".//title") or "") == before, page
        assert [ln for ln in log.splitlines() if ":CONSOLE" in ln] == [], page
