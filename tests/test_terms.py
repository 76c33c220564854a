"""Typed conditions and prices read from an offer's paragraph (pipeline/normalize/terms.py), FR and EN."""

from __future__ import annotations

import pytest

from pipeline.normalize.model import Availability as A
from pipeline.normalize.terms import prose_availability, read_terms


def _terms(text: str, lang: str) -> list[tuple]:
    return [(t.kind.value, t.value, t.unit, t.per, t.names) for t in read_terms(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Reviews are included from 50 seats; below that, 450 EUR per review.",
            "en",
            [("minimum", 50, "seats", None, []), ("price", 450, "EUR", "review", [])],
        ),
        (
            "Les revues sont incluses à partir de 50 postes ; en dessous, 450 EUR par revue.",
            "fr",
            [("minimum", 50, "postes", None, []), ("price", 450, "EUR", "revue", [])],
        ),
        ("A technician visits. 290 EUR excl. VAT per visit.", "en", [("price", 290, "EUR", "visit", [])]),
        ("Un technicien se déplace. 290 EUR HT par visite.", "fr", [("price", 290, "EUR", "visite", [])]),
        ("Included for contracts above 100,000 EUR.", "en", [("minimum", 100000, "EUR", None, [])]),
        ("Inclus pour 50 postes ou plus.", "fr", [("minimum", 50, "postes", None, [])]),
        ("Up to 3 upgrades per year.", "en", [("maximum", 3, "upgrades", "year", [])]),
        ("Jusqu'à 3 mises à niveau par an.", "fr", [("maximum", 3, "mises à niveau", "an", [])]),
        (
            "Only for the Business and Enterprise levels.",
            "en",
            [("plans", None, None, None, ["Business", "Enterprise"])],
        ),
        (
            "Uniquement pour les offres Pro et Premium.",
            "fr",
            [("plans", None, None, None, ["Pro", "Premium"])],
        ),
        (
            "Available to customers in the European Union only.",
            "en",
            [("regions", None, None, None, ["European Union"])],
        ),
        (
            "Réservé aux clients de l'Union européenne.",
            "fr",
            [("regions", None, None, None, ["Union européenne"])],
        ),
        ("Available since 2019 in 40 countries, with 24/7 support.", "en", []),  # no cue: no term
    ],
)
def test_terms(text: str, lang: str, expected: list[tuple]) -> None:
    assert _terms(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Reviews are included from 50 seats; below that, 450 EUR per review.", "en", A.included_conditional),
        ("Disponible en option à 1 200 EUR par bilan.", "fr", A.additional),
        ("Help to upgrade, included in every level.", "en", A.included),
        ("Une ligne dédiée. Uniquement pour les niveaux Business et Enterprise.", "fr", None),
        ("Not included in the Start plan.", "en", A.not_available),
    ],
)
def test_prose_availability(text: str, lang: str, expected: A | None) -> None:
    assert prose_availability(text, lang, read_terms(text, lang)) is expected
