"""Real translation defects the corpus already holds are reported by ``check_parity``.

One test per document and defect (see ../shared/corpus/README.md, "Real defects").
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from pipeline.parity.compare import check_parity
from pipeline.parity.model import Parity

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def parity_of(shared_corpus: Path, described):
    @functools.cache
    def run(edition: str) -> Parity:
        ed = shared_corpus / "bilingual-md" / edition
        return check_parity(described(ed / "en.md"), described(ed / "fr.md"))

    return run


def _kinds(parity: Parity, kind: str):
    return [f for f in parity.findings if f.kind.value == kind]


def test_sharepoint_online_limits_2021_07_09_sup_swallowed_words(parity_of) -> None:
    sups = {
        f.detail.get("sup")
        for f in _kinds(parity_of("sharepoint-online-limits/2021-07-09"), "footnote_mismatch")
    }
    assert {"4 Il", "6 Sans"} <= sups


def test_sharepoint_online_limits_2020_04_22_units_in_wrong_case(parity_of) -> None:
    written = {
        f.detail.get("written")
        for f in _kinds(parity_of("sharepoint-online-limits/2020-04-22"), "unit_mismatch")
    }
    assert {"1 to", "25 TO", "15 GO"} <= written
    # correct French units ("1 To", "10 Go") are never flagged
    assert not any("Go" in (w or "").split() for w in written)


def test_engineering_direct_2021_06_04_gcc_high_paraphrased(parity_of) -> None:
    names = _kinds(parity_of("office-365-engineering-direct-service-description/2021-06-04"), "name_mismatch")
    assert any("GCC" in f.message and f.severity.value == "warning" for f in names)


def test_teams_2020_03_13_h1_microsoft_teams_lowercased(parity_of) -> None:
    parity = parity_of("teams-service-description/2020-03-13")
    h1 = parity.alignment[0]
    hits = [f for f in _kinds(parity, "name_mismatch") if f.source_ids == h1.source]
    assert hits and "Microsoft Teams -> Microsoft teams" in hits[0].message and hits[0].count > 1
    # "No" rendered as "N °" (numéro) in the feature grid: a flipped availability mark
    assert any(f.target_text.startswith("N °") for f in _kinds(parity, "availability_mismatch"))


def test_service_health_2020_02_12_untranslated_h1(parity_of) -> None:
    """An English heading left as is: a warning (less harm than a word swallowed by a footnote marker)."""
    parity = parity_of("service-health-and-continuity/2020-02-12")
    h1 = parity.alignment[0]
    assert any(
        f.source_ids == h1.source and f.severity.value == "warning" for f in _kinds(parity, "untranslated")
    )


def test_support_2021_06_04_next_day_became_one_day(parity_of) -> None:
    parity = parity_of("support/2021-06-04")
    assert any("un jour" in f.target_text for f in _kinds(parity, "number_mismatch"))
    sla = _kinds(parity, "sla_mismatch")
    assert sla and "1440" in sla[0].message
    assert any(f.detail.get("sup") == "élevées 3" for f in _kinds(parity, "footnote_mismatch"))


def test_clean_edition_has_only_its_swallowed_markers_as_errors(parity_of) -> None:
    """sharepoint-online-limits 2021-07-09: its two swallowed words are the only errors and warnings."""
    parity = parity_of("sharepoint-online-limits/2021-07-09")
    bad = [f for f in parity.findings if f.severity.value != "info"]
    assert sorted(f.detail.get("sup", "") for f in bad) == ["4 Il", "6 Sans"]
    assert all(f.severity.value == "error" for f in bad)
    # French typography is info, in its own category, and does not fail CI by default
    typo = _kinds(parity, "typography")
    assert typo and {(f.severity.value, f.category.value) for f in typo} == {("info", "typography")}
    assert parity.summary.by_alignment == {"1-1": parity.summary.pairs}
