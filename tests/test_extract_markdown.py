"""Markdown reader on the real bilingual corpus: structure checked against the gold segments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract.model import BlockKind as K
from pipeline.extract.model import Document
from pipeline.textutil import clean_text


def _editions(shared_corpus: Path) -> list[Path]:
    found = sorted(shared_corpus.glob("bilingual-md/*/*/segments.jsonl"))
    assert len(found) == 24, "the shared corpus has 24 Markdown editions"
    return [p.parent for p in found]


@pytest.fixture(scope="session")
def editions(shared_corpus: Path) -> list[Path]:
    return _editions(shared_corpus)


def _gold(edition: Path) -> list[dict]:
    return [
        json.loads(line) for line in (edition / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def _covering(doc: Document, line: int):
    return [b for b in doc.blocks if b.prov[0].line_start <= line <= b.prov[0].line_end]


def _edition(shared_corpus: Path, slug: str, date: str) -> Path:
    return shared_corpus / "bilingual-md" / slug / date


def test_gold_headings_start_heading_blocks(editions, extracted):
    checked = 0
    for edition in editions:
        for lang in ("en", "fr"):
            doc = extracted(edition / f"{lang}.md")
            starts = {b.prov[0].line_start for b in doc.headings()}
            for unit in _gold(edition):
                if unit["context"] == "heading" and unit[lang].strip():
                    assert unit["line"] in starts, (edition, lang, unit["id"])
                    checked += 1
    assert checked > 400


def test_gold_table_cells_sit_on_table_row_lines(editions, extracted):
    checked = 0
    for edition in editions:
        for lang in ("en", "fr"):
            doc = extracted(edition / f"{lang}.md")
            row_lines = {row[0].prov[0].line_start for t in doc.tables() for row in t.table.rows}
            for unit in _gold(edition):
                if unit["context"] == "table_cell":
                    assert unit["line"] in row_lines, (edition, lang, unit["id"])
                    checked += 1
    assert checked > 1500


def test_gold_contexts_match_block_kinds(editions, extracted):
    """Every gold paragraph/list/note unit lies inside a block of that kind (footnotes are paragraphs or notes)."""
    allowed = {
        "paragraph": {K.paragraph, K.footnote},
        "list_item": {K.list_item},
        "note": {K.note, K.footnote},
    }
    checked = 0
    for edition in editions:
        for lang in ("en", "fr"):
            doc = extracted(edition / f"{lang}.md")
            for unit in _gold(edition):
                kinds = allowed.get(unit["context"])
                text = unit[lang].strip()
                # French-only anchor units (<a name="x"> </a>) carry no text: nothing to place
                if kinds is None or not text or text.startswith("<a name="):
                    continue
                assert {b.kind for b in _covering(doc, unit["line"])} & kinds, (edition, lang, unit["id"])
                checked += 1
    assert checked > 1000


def test_table_count_per_edition_equals_meta(editions, extracted):
    for edition in editions:
        meta = json.loads((edition / "meta.json").read_text(encoding="utf-8"))
        for lang in ("en", "fr"):
            assert len(extracted(edition / f"{lang}.md").tables()) == meta["tables"], (edition, lang)


def test_h1_is_meta_title_and_front_matter_title_is_doc_title(editions, extracted):
    for edition in editions:
        meta = json.loads((edition / "meta.json").read_text(encoding="utf-8"))
        for lang in ("en", "fr"):
            doc = extracted(edition / f"{lang}.md")
            h1 = [b for b in doc.headings() if b.level == 1]
            assert h1[0].text == meta[f"title_{lang}"], (edition, lang)
            assert doc.meta.title == clean_text(doc.meta.front_matter["title"])


def test_fr_and_en_have_the_same_block_structure(editions, extracted):
    def shape(doc: Document):
        return [
            (
                b.kind,
                b.prov[0].line_start,
                b.prov[0].line_end,
                b.level,
                b.marker,
                b.note_label,
                (b.table.n_cols, b.table.header_rows, len(b.table.rows)) if b.table else None,
            )
            for b in doc.blocks
        ]

    for edition in editions:
        assert shape(extracted(edition / "en.md")) == shape(extracted(edition / "fr.md")), edition


def test_front_matter_locale_only_in_french(shared_corpus, extracted):
    edition = _edition(shared_corpus, "support", "2021-06-04")
    fr = extracted(edition / "fr.md").meta.front_matter
    en = extracted(edition / "en.md").meta.front_matter
    assert fr["ms.contentlocale"] == "fr-FR" and fr["ms.translationtype"] == "MT"
    assert "ms.contentlocale" not in en
    assert en["title"] == "Support" and en["ms.custom"] == ["Adm_ServiceDesc_top", "Adm_ServiceDesc"]


def test_teams_2020_03_13_empty_header_gets_bold_row_as_header(shared_corpus, extracted):
    doc = extracted(_edition(shared_corpus, "teams-service-description", "2020-03-13") / "en.md")
    plans, features = doc.tables()
    assert plans.table.header() == [
        "Small business plans",
        "Enterprise plans",
        "Education plans",
        "Developer plans",
    ]
    assert plans.table.header_rows == 1 and plans.table.n_cols == 4 and len(plans.table.body_rows()) == 5
    assert plans.table.rows[0][0].prov[0].line_start == 30  # the bold row, not the empty |||||
    # the 7-column table whose empty header has only 6 cells: padded, then the bold row promoted
    assert features.table.n_cols == 7 and features.table.header_rows == 1
    assert features.table.header()[:3] == ["", "Small business", "Enterprise plans"]
    assert all(c.is_header for c in features.table.rows[0]) and not any(
        c.is_header for c in features.table.rows[1]
    )
    assert [row[0].text for row in features.table.body_rows()][:3] == ["Chat", "Teams", "Channels - Standard"]


def test_sharepoint_limits_2018_09_23_short_header_tables(shared_corpus, extracted):
    doc = extracted(_edition(shared_corpus, "sharepoint-online-limits", "2018-09-23") / "en.md")
    first, second = doc.tables()
    assert first.table.n_cols == 7 and first.table.header()[0] == "Feature"
    storage = first.table.rows[1][0]
    assert storage.text == "Storage" and [r.marker for r in storage.footnote_refs] == ["1", "2"]
    assert storage.footnote_refs[0].offset == len("Storage")
    assert storage.raw.startswith("Storage<sup>1, 2</sup>")
    assert second.table.header() == ["Feature", "SharePoint Online Plan 1", "SharePoint Online Plan 2"]


def test_cells_clean_text_raw_markdown_and_markers(shared_corpus, extracted):
    doc = extracted(_edition(shared_corpus, "teams-service-description", "2020-03-13") / "fr.md")
    row = next(r for r in doc.tables()[1].table.rows if r[0].text == "Canaux-privés")
    assert [c.text for c in row] == ["Canaux-privés", "Oui", "Oui", "N °", "N °", "N °", "Oui"]
    assert row[2].raw.startswith("Oui<sup>2</sup>") and [r.marker for r in row[2].footnote_refs] == ["2"]
    assert row[2].footnote_refs[0].offset == 3


def test_teams_footnotes_under_table_one_block_per_marker(shared_corpus, extracted):
    doc = extracted(_edition(shared_corpus, "teams-service-description", "2020-03-13") / "en.md")
    notes = [b for b in doc.blocks if b.kind == K.footnote]
    assert [(b.marker, b.prov[0].line_start) for b in notes] == [
        ("1", 65),
        ("2", 66),
        ("3", 67),
        ("4", 68),
        ("5", 69),
    ]
    assert notes[0].text.startswith("Microsoft Teams in GCC-High") and "<sup>" not in notes[0].text
    assert notes[0].raw.startswith("<sup>1</sup>")


def test_support_2018_09_23_footnotes_run_together_in_a_note(shared_corpus, extracted):
    """Line 99 holds four footnotes separated by stray '>' inside one NOTE box."""
    doc = extracted(_edition(shared_corpus, "support", "2018-09-23") / "en.md")
    on_99 = [b for b in doc.blocks if b.prov[0].line_start == 99]
    assert [(b.kind, b.marker, b.note_label) for b in on_99] == [(K.footnote, m, "NOTE") for m in "1234"]
    assert on_99[1].text.startswith("Enterprise plans include") and ">" not in on_99[1].text
    assert on_99[2].links[0].url == "support.md#additional-support-options"


def test_french_marker_defects_keep_the_swallowed_words(shared_corpus, extracted):
    sp = extracted(_edition(shared_corpus, "sharepoint-online-limits", "2021-07-09") / "fr.md")
    four = next(b for b in sp.blocks if b.kind == K.footnote and b.marker == "4")
    assert four.text.startswith("Il s’agit de la limite")
    eoa = extracted(
        _edition(shared_corpus, "exchange-online-archiving-service-description", "2021-06-04") / "fr.md"
    )
    cell = next(
        c
        for t in eoa.tables()
        for row in t.table.rows
        for c in row
        if "<sup>suivants 1, 2</sup>" in (c.raw or "")
    )
    assert "plans suivants" in cell.text and [r.marker for r in cell.footnote_refs] == ["1", "2"]


def test_heading_anchors_and_levels(shared_corpus, extracted):
    doc = extracted(_edition(shared_corpus, "support", "2021-06-04") / "en.md")
    heads = {b.anchor: (b.level, b.text) for b in doc.headings()}
    assert heads["support"] == (1, "Support")
    assert heads["technical-support-initial-response-times"] == (
        3,
        "Technical support initial response times",
    )
    assert all(b.anchor for b in doc.headings())
    assert not any("<a" in b.text for b in doc.headings())


def test_nested_list_levels_service_health(shared_corpus, extracted):
    doc = extracted(_edition(shared_corpus, "service-health-and-continuity", "2021-06-04") / "en.md")
    items = [b for b in doc.blocks if b.kind == K.list_item]
    nested = [b for b in items if b.level == 1]
    assert nested and all(b.marker == "-" for b in items)
    databases = next(b for b in nested if b.text == "Databases")
    assert databases.prov[0].line_start == 141
    parent = max(
        (b for b in items if b.level == 0 and b.prov[0].line_start < 141), key=lambda b: b.prov[0].line_start
    )
    assert parent.text and parent.prov[0].line_end < 141


def test_notes_have_labels_and_text_without_markup(shared_corpus, extracted):
    doc = extracted(_edition(shared_corpus, "support", "2021-06-04") / "en.md")
    notes = [b for b in doc.blocks if b.kind == K.note]
    assert notes[0].note_label == "NOTE" and notes[0].text.startswith(
        "You can learn how to contact technical support"
    )
    assert (
        "[!NOTE]" not in notes[0].text
        and notes[0].links[0].text == "Contact Microsoft 365 for business support"
    )
    assert notes[0].prov[0].line_start == 67 and notes[0].prov[0].line_end == 70


def test_links_text_and_url(shared_corpus, extracted):
    doc = extracted(_edition(shared_corpus, "teams-service-description", "2020-03-13") / "en.md")
    last = doc.blocks[-1]
    assert last.prov[0].line_start == 73
    assert any(link.url == "https://aka.ms/SuccessWithTeams" for link in last.links)
    assert "](" not in last.text and "](" in last.raw


# --------------------------------------------------------------------------- synthetic sources


def _md(tmp_path: Path, text: str | bytes, name: str = "doc.md") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_section_numbers_and_brace_anchors(tmp_path):
    from pipeline.extract.markdown import extract_markdown

    doc = extract_markdown(
        _md(tmp_path, "# 2 Services\n\n## 2.1 Procédure d’achat {#achat}\n\n## 2019 Q1 results\n")
    )
    a, b, c = doc.headings()
    assert (a.section_number, b.section_number, b.anchor, b.text) == (
        "2",
        "2.1",
        "achat",
        "2.1 Procédure d’achat",
    )
    assert c.section_number is None  # a year is not a section number
    assert doc.meta.title == "2 Services"


def test_ordered_and_nested_markers(tmp_path):
    from pipeline.extract.markdown import extract_markdown

    doc = extract_markdown(_md(tmp_path, "1. one\n2. two\n   * sub\n     - subsub\n"))
    items = [(b.marker, b.level, b.text, b.prov[0].line_start) for b in doc.blocks]
    assert items == [("1.", 0, "one", 1), ("2.", 0, "two", 2), ("*", 1, "sub", 3), ("-", 2, "subsub", 4)]


# --------------------------------------------------------------------------- bad input


def test_broken_front_matter_unterminated(tmp_path, shared_corpus):
    from pipeline.errors import BadFrontMatter
    from pipeline.extract import extract

    src = (_edition(shared_corpus, "support", "2021-06-04") / "en.md").read_text(encoding="utf-8").split("\n")
    closing = src.index("---", 1)
    path = _md(tmp_path, "\n".join(src[:closing] + src[closing + 1 :]), "broken-fm.md")
    with pytest.raises(BadFrontMatter) as err:
        extract(path)
    assert (
        err.value.code == "E107"
        and "broken-fm.md" in err.value.message
        and "never closed" in err.value.message
    )


def test_broken_front_matter_invalid_yaml(tmp_path, shared_corpus):
    from pipeline.errors import BadFrontMatter
    from pipeline.extract import extract

    src = (_edition(shared_corpus, "support", "2021-06-04") / "fr.md").read_text(encoding="utf-8").split("\n")
    src[3] = 'manager: "unclosed'
    path = _md(tmp_path, "\n".join(src), "bad-yaml.md")
    with pytest.raises(BadFrontMatter) as err:
        extract(path)
    assert err.value.message.startswith("[E107] bad-yaml.md: invalid YAML in front matter")
    with pytest.raises(BadFrontMatter, match="not a mapping"):
        extract(_md(tmp_path, "---\n- a\n- b\n---\n# T\n", "list-fm.md"))


def test_invalid_utf8_names_byte_offset(tmp_path):
    from pipeline.errors import BadEncoding
    from pipeline.extract import extract

    path = _md(tmp_path, b"# Titre\n\nCaf" + b"\xe9 cr\xe8me\n", "latin1.md")
    with pytest.raises(BadEncoding) as err:
        extract(path)
    assert (
        err.value.code == "E108"
        and "latin1.md" in err.value.message
        and "byte offset 12" in err.value.message
    )


def _shape(doc: Document):
    return [(b.kind, b.text, b.prov[0].line_start, b.prov[0].line_end) for b in doc.blocks]


def test_bom_crlf_and_lone_cr_give_the_same_document(tmp_path, shared_corpus):
    from pipeline.extract.markdown import extract_markdown

    original = (_edition(shared_corpus, "teams-service-description", "2020-03-13") / "fr.md").read_bytes()
    base = extract_markdown(_md(tmp_path, original, "lf.md"))
    for name, data in {
        "bom.md": b"\xef\xbb\xbf" + original,
        "crlf.md": original.replace(b"\n", b"\r\n"),
        "cr.md": original.replace(b"\n", b"\r"),
    }.items():
        doc = extract_markdown(_md(tmp_path, data, name))
        assert _shape(doc) == _shape(base), name
        assert doc.meta.front_matter == base.meta.front_matter
        assert doc.tables()[1].table.model_dump() == base.tables()[1].table.model_dump()


def test_empty_markdown_file_is_refused(tmp_path):
    from pipeline.errors import EmptyInput
    from pipeline.extract import extract

    with pytest.raises(EmptyInput):
        extract(_md(tmp_path, b"", "empty.md"))


def test_deeply_nested_lists_and_quotes_do_not_blow_the_stack(tmp_path):
    from helpers import no_hang

    from pipeline.extract.markdown import extract_markdown
    from pipeline.limits import Limits

    lists = "".join("  " * i + f"- level {i}\n" for i in range(600))
    quotes = ">" * 5000 + " deep\n"
    with no_hang():
        doc = extract_markdown(_md(tmp_path, "# Deep\n\n" + lists + "\n" + quotes), Limits(max_nesting=20))
    items = [b for b in doc.blocks if b.kind == K.list_item]
    assert items[0].text == "level 0" and items[0].level == 0
    assert 5 <= max(b.level for b in items) <= 20
    assert any("max_nesting" in w for w in doc.warnings)


def test_long_lines_are_cut_with_a_warning(tmp_path):
    from pipeline.extract.markdown import extract_markdown
    from pipeline.limits import Limits

    doc = extract_markdown(_md(tmp_path, "# T\n\n" + "mot " * 500 + "\n"), Limits(max_line_chars=100))
    assert len(doc.blocks[1].text) <= 100 and any("line 3" in w for w in doc.warnings)


def test_support_2021_06_04_multiline_cells_read_as_one_line(shared_corpus, extracted):
    """Cells written with <br/> between lines read as one line of text, as the PDF prints them."""
    doc = extracted(_edition(shared_corpus, "support", "2021-06-04") / "en.md")
    response = doc.tables()[2].table
    sev_a = response.body_rows()[0]
    assert sev_a[0].text == "Sev A (Critical)"
    assert sev_a[1].text == "Available: 24/7 Response time: one hour"
    assert [(r.marker, r.offset) for r in sev_a[1].footnote_refs] == [("4", len("Available: 24/7"))]
    assert "<br/>" in sev_a[1].raw and "\n" not in sev_a[1].text
    assert doc.tables()[2].text.split("\n")[1].startswith("Sev A (Critical) | Available: 24/7")


def test_french_anchor_only_units_produce_no_block(shared_corpus, extracted):
    """support 2018-09-23 fr has <a name> anchors alone on a line (empty English unit): no empty blocks."""
    doc = extracted(_edition(shared_corpus, "support", "2018-09-23") / "fr.md")
    assert all(b.text or b.kind == K.table for b in doc.blocks)
    assert not _covering(doc, 45) and not _covering(doc, 64)


def test_footnote_raw_is_its_own_entry(editions, extracted):
    """Each footnote block's raw starts like the gold unit that opens with its <sup> marker, even when
    several footnotes share one line (sharepoint-online-limits 2018-09-23: seven on line 37)."""
    checked = 0
    for edition in editions:
        gold = _gold(edition)
        for lang in ("en", "fr"):
            for block in extracted(edition / f"{lang}.md").blocks:
                if block.kind != K.footnote:
                    continue
                opening = f"<sup>{block.marker}</sup>"
                line = block.prov[0].line_start
                units = [
                    u[lang].strip() for u in gold if u["line"] == line and u[lang].strip().startswith(opening)
                ]
                if units:
                    assert any(block.raw.startswith(u.split(" > ")[0]) for u in units), (
                        edition,
                        lang,
                        block.marker,
                    )
                    checked += 1
    assert checked > 100


def test_gold_units_are_verbatim_in_raw(editions, extracted):
    """raw keeps the inline Markdown as written: every gold unit is a substring of the raw of the block
    (or table cell) on its line. Only units that hold several footnotes, which we split, are exempt."""
    checked = 0
    for edition in editions:
        for lang in ("en", "fr"):
            doc = extracted(edition / f"{lang}.md")
            for unit in _gold(edition):
                text = unit[lang].strip()
                if (
                    not text
                    or text.startswith("<a name=")
                    or text.count("<sup>") > 1
                    and text.startswith("<sup>")
                ):
                    continue
                raws = []
                for block in _covering(doc, unit["line"]):
                    raws.append(block.raw or "")
                    if block.table:
                        raws += [
                            c.raw or ""
                            for r in block.table.rows
                            for c in r
                            if c.prov[0].line_start == unit["line"]
                        ]
                assert any(text in r for r in raws), (edition, lang, unit["id"])
                checked += 1
    assert checked > 4800


def test_plus_dash_legend_line_stays_text_not_a_nested_list(tmp_path: Path) -> None:
    """Regression: "+ - Additional service…" under a mark table was parsed as a '+' list holding a
    '-' list, and the '+' the legend defines was lost; real nested lists are unaffected."""
    md = tmp_path / "legend.md"
    md.write_text(
        "# Services\n\n| Service | Plan |\n|---|---|\n| Alpha | ✓ |\n| Beta | + |\n\n"
        "✓ - Included in the base package.\n+ - Additional service that can be purchased.\n\n"
        "- item\n  - nested\n",
        encoding="utf-8",
    )
    from pipeline.extract.markdown import extract_markdown

    blocks = extract_markdown(md).blocks
    legend = next(b for b in blocks if b.kind == K.paragraph)
    assert legend.text == "✓ - Included in the base package. + - Additional service that can be purchased."
    assert legend.raw.splitlines()[1] == "+ - Additional service that can be purchased."
    assert [(b.level, b.text) for b in blocks if b.kind == K.list_item] == [(0, "item"), (1, "nested")]
