"""Diff/history rendering (JSON, Markdown, HTML) and the ``svcdesc diff``/``history`` commands."""

from __future__ import annotations

import json
import re

import pytest
from test_diff_engine import make_sd

from pipeline.diff.compare import diff_descriptions
from pipeline.diff.history import history
from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import Diff
from pipeline.extract.model import Provenance
from pipeline.normalize.model import Availability
from pipeline.render.diff_report import md_cell, render_diff, render_history


def edited_pair():
    a, b = make_sd(), make_sd()
    b.offers[0].plan_values[1].availability = Availability.not_available
    b.offers[0].plan_values[1].text = "No"
    b.sla_tables[0].rows[0].first_response[0].minutes = 240
    b.segments[
        3
    ].text = "Support is available online and by telephone for all | =HYPERLINK(x) <script>x</script>."
    b.segments[3].prov = [Provenance(page=3)]
    b.document.edition_date = "2021-01-01"
    b.document.source = "new.pdf"
    return a, b


def test_json_is_canonical_and_round_trips():
    d = diff_descriptions(*edited_pair())
    out = render_diff(d, "json")
    assert out == render_diff(diff_descriptions(*edited_pair()), "json")
    data = json.loads(out)
    assert list(data) == sorted(data)
    assert data["counts"] == {"breaking": 2, "major": 0, "minor": 1, "cosmetic": 1}
    assert Diff.model_validate_json(out) == d
    first = data["changes"][0]
    for key in (
        "kind",
        "severity",
        "offer_id",
        "old",
        "new",
        "old_text",
        "new_text",
        "redline",
        "old_prov",
        "new_prov",
    ):
        assert key in first


def test_markdown_counts_table_and_escaping():
    md = render_diff(diff_descriptions(*edited_pair()), "md")
    assert "| breaking | major | minor | cosmetic |" in md
    assert "| 2 | 0 | 1 | 1 |" in md
    assert "| breaking | availability_changed | chat | pro | included | not_available |" in md
    assert "| breaking | sla_changed |   | A/all | 1 h | 4 h |" in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "\\| \\=HYPERLINK" not in md  # only a *leading* formula char is escaped
    assert "all \\| =HYPERLINK" in md


def test_md_cell_escapes_formula_lead_and_pipes():
    assert md_cell("=SUM(A1)") == "\\=SUM(A1)"
    assert md_cell("+33 1") == "\\+33 1"
    assert md_cell("a|b\nc") == "a\\|b c"


def test_html_self_contained_with_redline_and_anchors():
    html = render_diff(diff_descriptions(*edited_pair()), "html")
    assert "for<del> paid subscriptions</del>." in html and "for<ins> all |" in html
    assert "&lt;script&gt;" in html and "<script>x" not in html
    assert 'href="new.pdf#page=3"' in html
    assert re.search(r'id="c1"', html) and 'href="#c1"' in html
    assert not re.search(r'<(link|script|img)[^>]+(src|href)="https?:', html)
    assert 'id="offer-chat"' in html


def test_empty_diff_renders_no_changes():
    sd = make_sd()
    d = diff_descriptions(sd, sd)
    assert "No changes." in render_diff(d, "md")
    assert "No changes." in render_diff(d, "html")


def test_history_timeline_per_offer():
    e1, e2, e3 = make_sd(), make_sd(), make_sd()
    e2.document.edition_date, e3.document.edition_date = "2021-01-01", "2022-01-01"
    e2.offers[0].plan_values[1].availability = Availability.not_available
    del e3.offers[2]
    e3.offers[0].plan_values[1].availability = Availability.not_available
    h = history([e3, e1, e2])  # any order: sorted by edition date
    assert [e.edition_date for e in h.editions] == ["2020-01-01", "2021-01-01", "2022-01-01"]
    chat = next(t for t in h.offers if t.offer_id == "chat")
    assert [(e.edition, e.kind, e.subject) for e in chat.events] == [
        ("2021-01-01", K.availability_changed, "pro")
    ]
    live = next(t for t in h.offers if t.offer_id == "live-events")
    assert live.introduced_in == "2020-01-01" and live.removed_in == "2022-01-01"
    assert live.states["2022-01-01"] is None
    md = render_history(h, "md")
    assert "| Chat | unknown | unknown | unknown | 2021-01-01: Chat / Pro: included → not_available |" in md
    html = render_history(h, "html")
    assert 'id="offer-live-events"' in html
    assert json.loads(render_history(h, "json"))["offers"][0]["offer_id"] == "chat"


@pytest.fixture()
def saved_pair(tmp_path):
    a, b = edited_pair()
    pa, pb = tmp_path / "old.json", tmp_path / "new.json"
    pa.write_text(a.model_dump_json(), encoding="utf-8")
    pb.write_text(b.model_dump_json(), encoding="utf-8")
    return pa, pb


def test_cli_diff_exit_codes_and_output(saved_pair, tmp_path, capsys):
    from pipeline.cli import main

    pa, pb = saved_pair
    assert main(["diff", str(pa), str(pb)]) == 0  # default --fail-on never
    assert json.loads(capsys.readouterr().out)["counts"]["breaking"] == 2
    assert main(["diff", str(pa), str(pb), "--fail-on", "breaking", "--format", "md"]) == 1
    assert "svcdesc diff" in capsys.readouterr().out
    assert main(["diff", str(pa), str(pa), "--fail-on", "cosmetic"]) == 0
    out = tmp_path / "r.html"
    assert main(["diff", str(pa), str(pb), "--format", "html", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_diff_bad_input_exit_2(tmp_path, capsys):
    from pipeline.cli import main

    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["diff", str(bad), str(bad)]) == 2
    assert "[E109]" in capsys.readouterr().err
    assert main(["diff", str(tmp_path / "missing.md"), str(bad)]) == 2


def test_cli_history(saved_pair, capsys):
    from pipeline.cli import main

    pa, pb = saved_pair
    assert main(["history", str(pb), str(pa), "--format", "md"]) == 0
    assert "| Chat |" in capsys.readouterr().out


def test_markdown_source_lines_are_linked():
    a, b = edited_pair()
    b.document.source = "new.md"
    b.segments[3].prov = [Provenance(line_start=12, line_end=12)]
    html = render_diff(diff_descriptions(a, b), "html")
    assert 'href="new.md#L12"' in html


def test_history_keeps_one_row_across_a_rename():
    e1, e2 = make_sd(), make_sd()
    e2.document.edition_date = "2021-01-01"
    e2.offers[3].id, e2.offers[3].name = "onsite-health-review", "Onsite Health Review"
    h = history([e1, e2])
    ids = [t.offer_id for t in h.offers]
    assert "onsite-review" not in ids and "onsite-health-review" in ids
    tl = next(t for t in h.offers if t.offer_id == "onsite-health-review")
    assert tl.introduced_in == "2020-01-01" and tl.removed_in is None
    assert [e.kind for e in tl.events] == [K.offer_renamed]
