"""Locale-aware numbers: FR and EN formats parse to the same values; mentions compare by value."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.quantities import (
    fmt_number,
    number_word,
    numbers_in,
    parse_number,
    parse_number_phrase,
    values,
    word_digit_pairs,
)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("500 000", "fr", 500000),
        ("500\u202f000", "fr", 500000),
        ("500\u00a0000", "fr", 500000),
        ("500,000", "en", 500000),
        ("500,000", "fr", 500000),  # MT keeps English separators in French
        ("1,5", "fr", 1.5),
        ("1.5", "en", 1.5),
        ("0,5", "fr", 0.5),
        ("99,97", "fr", 99.97),
        ("$60,000,000", "en", 60_000_000),
        ("1 000", "fr", 1000),
        ("quinze", "fr", 15),
        ("twenty-four", "en", 24),
    ],
)
def test_parse_number(text: str, lang: str, expected: float) -> None:
    assert parse_number(text, lang) == expected


def test_parse_number_rejects_non_numbers() -> None:
    assert parse_number("Office", "en") is None
    assert parse_number("12 abc", "en") is None


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("deux", "fr", 2),
        ("quinze", "fr", 15),
        ("vingt-quatre", "fr", 24),
        ("vingt et un", "fr", 21),
        ("quatre-vingt-dix", "fr", 90),
        ("one", "en", 1),
        ("seven", "en", 7),
        ("twenty-four", "en", 24),
        ("one hundred and five", "en", 105),
        ("Office", "en", None),
    ],
)
def test_number_word(word: str, lang: str, expected: int | None) -> None:
    assert number_word(word, lang) == expected


def test_connector_joins_only_real_compounds() -> None:
    assert parse_number_phrase("deux et trois", "fr") is None  # two numbers, not five
    assert parse_number_phrase("two and three", "en") is None


def test_word_digit_pair_keeps_both_values_so_a_mismatch_shows() -> None:
    ok, bad = word_digit_pairs("quatre (4) heures ou deux (3) heures", "fr")
    assert (ok.word_value, ok.value) == (4, 4)
    assert (bad.word_value, bad.value) == (2, 3)


def test_une_heure_is_one_but_an_article_is_not() -> None:
    assert values("Temps de réponse : une heure", "fr") == [1]
    assert values("une offre de support", "fr") == []
    assert values("Response time: one hour", "en") == [1]
    assert values("one of the services", "en") == []
    assert values("les deux offres", "fr") == []  # "both"


@pytest.mark.parametrize(
    ("en", "fr"),
    [
        ("Available: 24/7", "Disponible : 24 h/24 et 7 j/7"),
        ("Available: 24/7", "Disponible : 24h/24 et 7j/7"),
        ("24 hours a day, seven days a week", "24 heures sur 24, 7 jours sur 7"),
        ("on a 24-hour basis", "24H/24"),
        ("99.97%", "99,97 %"),
        ("500,000 per organization", "500 000 par organisation"),
        ("1 TB plus 0.5 GB per license", "1 To plus 0,5 Go par licence"),
        ("2 million per site", "2 millions par site"),
        ("9:00 AM to 5:30 PM", "9 h 00 à 17 h 30"),
        ("**Q2**", "**2ème**"),  # ordinals are no quantities
    ],
)
def test_parallel_texts_carry_equal_values(en: str, fr: str) -> None:
    assert values(en, "en") == values(fr, "fr")


def test_clock_times_are_minutes_since_midnight() -> None:
    kinds = [(m.kind, m.value) for m in numbers_in("de 9 h 00 à 17 h 30", "fr")]
    assert kinds == [("time", 540), ("time", 1050)]
    assert [m.value for m in numbers_in("9:00 AM, 5 PM", "en")] == [540, 1020]


def test_product_codes_are_not_numbers() -> None:
    assert values("Office 365 E3, SP2, G5", "en") == [365]


def test_fmt_number() -> None:
    assert (fmt_number(1.0), fmt_number(0.5), fmt_number(1e12)) == ("1", "0.5", "1000000000000")


_ALPHABET = st.sampled_from(
    list("0123456789 ,.:/h%$€()-–aeiuTGoOjdx\u00a0\u202f") + ["deux", "une", "heure", "24/7", "To"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join), st.sampled_from(["fr", "en"]))
def test_mentions_are_ordered_disjoint_and_point_at_their_text(text: str, lang: str) -> None:
    from pipeline.normalize.facts import find_facts

    mentions = numbers_in(text, lang)
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.end <= b.start
    for m in mentions:
        assert text[m.start : m.end] == m.text
    for fact in find_facts(text, lang):
        assert fact.text in text and fact.value == fact.value  # never NaN


def test_currency_signs_are_the_units_lexicon(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """A number's currency sign or code is one of units.yaml ``money`` aliases: a new one needs no code."""
    from pipeline.quantities import clear_caches

    assert parse_number("US$ 1,600", "en") == 1600
    assert parse_number("12,5 EUR", "fr") == 12.5
    assert parse_number("CHF 100", "fr") == 100
    assert parse_number("1 500 FCFA", "fr") is None
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "units.yaml").write_text("money:\n  XOF: [fcfa]\n", encoding="utf-8")
    monkeypatch.setenv("SVCDESC_LEXICON_PATH", str(tmp_path))
    clear_caches()
    try:
        assert parse_number("1 500 FCFA", "fr") == 1500
    finally:
        monkeypatch.delenv("SVCDESC_LEXICON_PATH")
        clear_caches()
