"""The marks and status vocabularies (lexicon data) and their one reader, pipeline/normalize/marks.py."""

from __future__ import annotations

import pytest

from pipeline.lexicon import load
from pipeline.normalize.marks import (
    parse_legends,
    rank_of,
    read_cell,
    section_availability,
    split_footnote,
    status_of,
    status_rank,
)
from pipeline.normalize.model import Availability as A
from pipeline.normalize.offer_tables import value_availability


def _strings(node, where: str) -> None:  # noqa: ANN001 - any YAML node
    if isinstance(node, dict):
        for k, v in node.items():
            _strings(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _strings(v, f"{where}[{i}]")
    else:
        # YAML 1.1 reads bare yes/no/on/off as booleans: a word that silently stops matching
        assert isinstance(node, str | int), f"{where}: {node!r} is not a string (quote it)"


@pytest.mark.parametrize(
    ("name", "lang"),
    [(n, lang) for n in ("marks", "status", "conditions") for lang in ("en", "fr")] + [("marks", "common")],
)
def test_vocabulary_entries_are_strings(name: str, lang: str) -> None:
    _strings(load(name, lang), f"{lang}/{name}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("✔", A.included),
        ("☑", A.included),
        ("■", A.included),
        ("—", A.not_available),
        ("--", A.not_available),
        ("✗", A.not_available),
        ("☐", A.not_available),
        ("Sur devis", A.additional),
        ("On quote", A.additional),
        ("Nous consulter", A.additional),
        ("En supplément", A.additional),
        ("◐", A.included_conditional),
        ("✔ (limited)", A.included_conditional),
        ("Oui, limité à 3 sites", A.included_conditional),
        ("Yes, with limits", A.included_conditional),
        ("+ on quote", A.additional),
        ("◆", A.unknown),  # a sign nobody defines: unknown (V110), never not_available
        ("★", A.unknown),
        ("Rolling out", A.included_conditional),
        ("En cours de déploiement", A.included_conditional),
        ("On engineering backlog", A.not_available),
    ],
)
def test_cell_vocabulary(text: str, expected: A) -> None:
    assert value_availability(text) is expected


def test_footnote_markers_on_marks() -> None:
    assert split_footnote("✓1") == ("✓", "1")
    assert split_footnote("+†") == ("+", "†")
    assert split_footnote("✓*") == ("✓", "*")
    assert split_footnote("✔¹") == ("✓", "1")  # clean_text prints every check as ✓
    assert split_footnote("Yes²") == ("Yes", "2")
    reading = read_cell("✔²")
    assert reading is not None and reading.availability is A.included and reading.printed == "✓2"


def test_status_scale_is_ordered_in_both_languages() -> None:
    en = [
        "Available",
        "Rolling out",
        "In preview",
        "In development",
        "On engineering backlog",
        "Not available",
    ]
    fr = [
        "Disponible",
        "En cours de déploiement",
        "En préversion",
        "En développement",
        "Prévu",
        "Non disponible",
    ]
    for words, lang in ((en, "en"), (fr, "fr")):
        ranks = [status_rank(w, lang) for w in words]
        assert None not in ranks and ranks == sorted(ranks, reverse=True) and len(set(ranks)) == len(ranks)
    assert status_rank("Rolling out", "en") == status_rank("En cours de déploiement", "fr")
    assert status_rank("On engineering backlog", "fr") == status_rank("Prévu", "fr")  # English left in French
    assert status_rank("25 TB", "en") is None and status_rank("Yes", "en") is None
    assert rank_of(status_of("In preview").key) == status_rank("Aperçu", "fr")  # type: ignore[union-attr]


def test_legends_in_every_separator_form() -> None:
    found = parse_legends("✔ : inclus ; + : en option, avec supplément ; — : non disponible.")
    assert [(g, d) for g, d, _, _ in found] == [("✔", ""), ("+", ""), ("—", "")]
    found = parse_legends("Legend: ● included, ○ not included")
    assert [g for g, _, _, _ in found] == ["●", "○"]
    found = parse_legends("GA = generally available; PV = public preview")
    assert [g for g, _, _, _ in found] == ["GA", "PV"]
    assert parse_legends("- Cross-region replication for every plan") == []  # a dash bullet, no legend
    assert parse_legends("✓1 – Services supplémentaires pouvant être fournis")[0][:2] == ("✓", "1")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2. Services inclus", A.included),
        ("Included services", A.included),
        ("Services inclus dans l'offre Pro", A.included),
        ("Optional services", A.additional),
        ("3. Services en option", A.additional),
        ("Exclusions", A.not_available),
        ("Security options", None),
        ("Service descriptions", None),
    ],
)
def test_section_titles(title: str, expected: A | None) -> None:
    assert section_availability(title) is expected
