"""normalize() on the real bilingual Markdown editions (shared corpus), with the O365 test glossary."""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.normalize import normalize
from pipeline.normalize.glossary import Glossary
from pipeline.normalize.model import Availability, IdSource, ServiceDescription

GLOSSARY = Path(__file__).parent / "data" / "o365-glossary.tbx"


@functools.cache
def _glossary() -> Glossary:
    return Glossary.load(GLOSSARY)


@pytest.fixture(scope="module")
def pair(shared_corpus: Path, extracted):  # noqa: ANN001, ANN201
    """``pair(slug, date) -> (en, fr)`` ServiceDescriptions normalised with the test glossary."""

    @functools.cache
    def load(slug: str, date: str) -> tuple[ServiceDescription, ServiceDescription]:
        folder = shared_corpus / "bilingual-md" / slug / date
        return tuple(normalize(extracted(folder / f"{lang}.md"), _glossary()) for lang in ("en", "fr"))  # type: ignore[return-value]

    return load


def _facts(sd: ServiceDescription) -> Counter:
    return Counter((f.offer_id, f.kind.value, f.value, f.unit) for f in sd.facts if f.offer_id)


@pytest.mark.parametrize(
    ("slug", "date"),
    [
        ("teams-service-description", "2021-07-14"),
        ("sharepoint-online-limits", "2021-07-09"),
        ("office-365-advanced-threat-protection-service-description", "2021-06-30"),
        ("exchange-online-archiving-service-description", "2021-06-04"),
        ("onedrive-for-business-service-description", "2021-06-30"),
    ],
)
def test_bilingual_edition_same_offer_ids_and_plan_values(pair, slug: str, date: str) -> None:  # noqa: ANN001
    en, fr = pair(slug, date)
    assert en.offers, "feature x plan table rows must give offers"
    assert [o.id for o in en.offers] == [o.id for o in fr.offers]
    assert all(o.id_source in {IdSource.english, IdSource.glossary} for o in en.offers)
    assert all(o.id_source is IdSource.glossary for o in fr.offers), [
        o.name for o in fr.offers if o.id_source is not IdSource.glossary
    ]
    for a, b in zip(en.offers, fr.offers, strict=True):
        assert [(v.plan_id, v.availability) for v in a.plan_values] == [
            (v.plan_id, v.availability) for v in b.plan_values
        ]
    assert _facts(en) == _facts(fr)


def test_teams_2021_plan_values(pair) -> None:  # noqa: ANN001
    en, fr = pair("teams-service-description", "2021-07-14")
    webinars = en.offer("webinars")
    values = {v.plan_id: v.availability for v in webinars.plan_values}
    assert values["small-business"] is Availability.included
    assert values["gcc"] is Availability.not_available
    assert fr.offer("webinars").name == "Webinaires"
    teams = en.offer("teams")
    assert [v.footnotes for v in teams.plan_values if v.plan_id == "gcc-high"] == [["1"]]
    assert len([f for f in en.footnotes if f.table_id]) == 6


def test_sharepoint_limits_storage_facts_on_plan_values(pair) -> None:  # noqa: ANN001
    en, fr = pair("sharepoint-online-limits", "2021-07-09")
    total = en.offer("total-storage-per-organization")
    first = total.plan_values[0]
    assert first.text.startswith("1 TB plus 10 GB")
    assert first.availability is Availability.included
    assert sorted(f.value for f in first.facts) == [1e10, 1e12]
    fr_first = fr.offer("total-storage-per-organization").plan_values[0]
    assert fr_first.text.startswith("1 To plus 10 Go")
    assert sorted(f.value for f in fr_first.facts) == [1e10, 1e12]
    assert en.offer("max-storage-per-site-site-collection").plan_values[0].facts[0].normalized == "25 TB"


def test_teams_2020_mistranslated_no_is_not_read_as_included(pair) -> None:  # noqa: ANN001
    """teams 2020-03-13: the French table has "N °" where English has "No" (an MT defect)."""
    en, fr = pair("teams-service-description", "2020-03-13")
    en_v = {v.plan_id: v for v in en.offer("channels-private").plan_values}
    fr_v = {v.plan_id: v for v in fr.offer("channels-private").plan_values}
    assert en_v["gcc"].availability is Availability.not_available
    assert fr_v["gcc"].text == "N °" and fr_v["gcc"].availability is Availability.unknown


def test_support_severity_by_plan_table(pair) -> None:  # noqa: ANN001
    en, fr = pair("support", "2021-06-04")
    table = next(t for t in en.sla_tables if any(r.first_response for r in t.rows))
    rows = {r.severity: r for r in table.rows}
    assert set(rows) == {"A", "B", "C"}
    assert [r.minutes for r in rows["A"].first_response] == [60, 60, 60]
    assert [r.minutes for r in rows["B"].first_response] == [None, None, 120]
    assert [r.minutes for r in rows["C"].first_response] == [None, None, 240]
    assert rows["B"].first_response[2].scope_id == "elevated-support-options"
    fr_table = next(t for t in fr.sla_tables if any(r.first_response for r in t.rows))
    fr_rows = {r.severity: r for r in fr_table.rows}
    # same scopes through the glossary; the French "un jour" for "next day" is a real MT defect
    assert [r.scope_id for r in fr_rows["B"].first_response] == [r.scope_id for r in rows["B"].first_response]
    assert fr_rows["B"].first_response[1].minutes == 1440
    assert [r.minutes for r in fr_rows["C"].first_response] == [None, None, 240]


def test_engineering_direct_markdown_has_no_table_offers_and_is_valid(pair) -> None:  # noqa: ANN001
    en, _fr = pair("office-365-engineering-direct-service-description", "2019-01-03")
    assert en.offers == []
    # the corpus folder date (the edition) wins over ms.date (text > path > front matter > PDF metadata)
    assert en.segments and (en.document.edition_date, en.document.edition_date_source) == (
        "2019-01-03",
        "file_name",
    )


def test_segments_close_to_gold_alignment(shared_corpus: Path, pair) -> None:  # noqa: ANN001
    """Segments start on the same lines as the gold units for >= 95 % of gold units (en and fr)."""
    for slug, date in [
        ("teams-service-description", "2021-07-14"),
        ("sharepoint-online-limits", "2021-07-09"),
    ]:
        gold = [
            json.loads(line)
            for line in (shared_corpus / "bilingual-md" / slug / date / "segments.jsonl").open()
        ]
        for lang, sd in zip(("en", "fr"), pair(slug, date), strict=True):
            mine = Counter(s.prov[0].line_start for s in sd.segments if s.prov)
            want = Counter(g["line"] for g in gold if g[lang].strip())
            matched = sum(min(mine[k], n) for k, n in want.items())
            assert matched >= 0.9 * sum(want.values()), (slug, lang, matched, sum(want.values()))
            assert abs(len(sd.segments) - sum(want.values())) <= 0.1 * sum(want.values())
        en, fr = pair(slug, date)
        assert len(en.segments) == len(fr.segments)


def test_support_2021_cell_br_lines_are_units(pair) -> None:  # noqa: ANN001
    """support 2021-06-04: "Available: 24/7<sup>4</sup> <br/> Response time: one hour" is two gold units."""
    en, fr = pair("support", "2021-06-04")
    texts = [s.text for s in en.segments if s.table]
    assert texts.count("Response time: one hour") == 3
    assert "Available: 24/7" in texts
    assert [s.footnote_refs for s in en.segments if s.text == "Available: 24/7"][0] == ["4"]
    assert "Temps de réponse : une heure" in [s.text for s in fr.segments if s.table]
