"""One reader per quantity (pipeline.quantities): what it reads and what it refuses, in French and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.quantities import (
    QuantityKind,
    clear_caches,
    parse_number,
    quantities_in,
    read_duration,
    values,
)

K = QuantityKind
MIN, HOUR, DAY = 1.0, 60.0, 1440.0


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("50 000", "fr", 50000),
        ("50\u202f000", "fr", 50000),
        ("1,600", "en", 1600),
        ("1,600", "fr", 1600),  # machine translation keeps English thousands in French
        ("99,9", "fr", 99.9),
        ("99.9", "en", 99.9),
        ("quatre", "fr", 4),
        ("vingt et un", "fr", 21),
        ("quatre-vingt-dix", "fr", 90),
        ("twenty-four", "en", 24),
        ("one hundred and five", "en", 105),
    ],
)
def test_numbers_pass(text: str, lang: str, expected: float) -> None:
    assert parse_number(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("une offre de support", "fr"),  # an article, not 1
        ("les deux offres", "fr"),  # "both"
        ("un nouveau service", "fr"),
        ("one of the services", "en"),
        ("once a day", "en"),  # a rate, not one day
        ("la 2ème édition", "fr"),  # ordinal
        ("the 3rd edition", "en"),
    ],
)
def test_numbers_fail(text: str, lang: str) -> None:
    assert values(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "minutes", "business"),
    [
        ("15 minutes", "en", 15 * MIN, False),
        ("15 minutes", "fr", 15 * MIN, False),
        ("1 h", "fr", HOUR, False),
        ("une heure", "fr", HOUR, False),
        ("within an hour", "en", HOUR, False),
        ("quatre (4) heures", "fr", 4 * HOUR, False),
        ("4 h ouvrées", "fr", 4 * HOUR, True),
        ("48 heures ouvrées", "fr", 48 * HOUR, True),
        ("2 jours ouvrés", "fr", 2 * DAY, True),
        ("4 business hours", "en", 4 * HOUR, True),
        ("two (2) business days", "en", 2 * DAY, True),
        ("J+1", "fr", DAY, True),
        ("NBD", "en", DAY, True),
        ("next business day", "en", DAY, True),
        ("le jour ouvré suivant", "fr", DAY, True),
        ("sous 7 jours calendaires", "fr", 7 * DAY, False),
    ],
)
def test_durations_pass(text: str, lang: str, minutes: float, business: bool) -> None:
    q = read_duration(text, lang)
    assert q is not None and q.kind is K.duration
    assert (q.value, q.business) == (minutes, business)


def test_duration_range_keeps_both_bounds() -> None:
    (q,) = quantities_in("10 – 14 business days", "en")
    assert (q.value, q.value_max, q.business) == (10 * DAY, 14 * DAY, True)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("de 9 h 00 à 17 h 30", "fr"),  # clock times, not durations
        ("9:00 AM", "en"),
        ("1 H", "fr"),  # a capital H is a name or a label, not an hour
        ("une demande", "fr"),
        ("Plan 2", "en"),
    ],
)
def test_durations_fail(text: str, lang: str) -> None:
    assert read_duration(text, lang) is None


def test_clock_time_is_a_time_of_day() -> None:
    kinds = [(q.kind, q.value) for q in quantities_in("de 9 h 00 à 17 h 30", "fr")]
    assert kinds == [(K.time_of_day, 540), (K.time_of_day, 1050)]


@pytest.mark.parametrize(
    ("text", "lang", "kind", "value", "unit"),
    [
        ("1 To", "fr", K.size, 1e12, "TB"),
        ("1 TB", "en", K.size, 1e12, "TB"),
        ("256 Ko", "fr", K.size, 256e3, "KB"),
        ("256kb", "en", K.size, 256e3, "KB"),
        ("0,5 Go", "fr", K.size, 0.5e9, "GB"),
        ("450 EUR", "fr", K.money, 450, "EUR"),
        ("450 €", "fr", K.money, 450, "EUR"),
        ("€450", "en", K.money, 450, "EUR"),
        ("1 600 € HT", "fr", K.money, 1600, "EUR"),
        ("USD 1,600", "en", K.money, 1600, "USD"),
        ("$60,000,000", "en", K.money, 60e6, "USD"),
        ("99,9 %", "fr", K.percent, 99.9, "percent"),
        ("99.9%", "en", K.percent, 99.9, "percent"),
        ("20 pour cent", "fr", K.percent, 20, "percent"),
    ],
)
def test_sizes_money_percent_pass(text: str, lang: str, kind: QuantityKind, value: float, unit: str) -> None:
    (q,) = quantities_in(text, lang)
    assert (q.kind, q.value, q.unit) == (kind, value, unit)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("from 1 to 5", "en"),  # English "to" is no terabyte
        ("go 2 go", "en"),
        ("500 utilisateurs", "fr"),  # a count, no unit
    ],
)
def test_sizes_money_fail(text: str, lang: str) -> None:
    assert all(q.kind is K.number for q in quantities_in(text, lang))


def test_french_and_english_read_the_same_values() -> None:
    fr = quantities_in("Réponse en quatre (4) heures ouvrées, stockage de 1 To, 1 600 € HT", "fr")
    en = quantities_in("Response within four (4) business hours, 1 TB of storage, EUR 1,600", "en")
    key = [(q.kind, q.value, q.unit, q.business) for q in fr]
    assert key == [(q.kind, q.value, q.unit, q.business) for q in en]


def test_a_new_unit_alias_is_a_data_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a spelling to a user lexicon file (no code) makes the reader know it."""
    assert read_duration("3 hrz", "en") is None
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "units.yaml").write_text("duration:\n  hour: [hrz]\n", encoding="utf-8")
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "numbers.yaml").write_text("words: {septante: 70}\n", encoding="utf-8")
    monkeypatch.setenv("SVCDESC_LEXICON_PATH", str(tmp_path))
    clear_caches()
    try:
        q = read_duration("3 hrz", "en")
        assert q is not None and q.value == 3 * HOUR
        assert values("septante jours", "fr") == [70]
    finally:
        monkeypatch.delenv("SVCDESC_LEXICON_PATH")
        clear_caches()
    assert read_duration("3 hrz", "en") is None
