"""SLA vocabulary readers: severity labels, metric names, coverage, durations, credits (FR and EN)."""

from __future__ import annotations

import pytest

from pipeline.extract.model import Block, BlockKind
from pipeline.normalize.model import SlaMetric as M
from pipeline.normalize.sla import is_severity_label, parse_duration
from pipeline.normalize.sla.prose import availability_in, credit_in, targets_in
from pipeline.normalize.sla.vocab import coverage_of, metric_of, parse_severity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sev 1", True), ("P2", True), ("Priorité haute", True), ("Critique – arrêt de production", True),
        ("Sév 3 – Normale", True), ("Niveau de gravité B (Haute)", True), ("Low", True), ("Élevée", True),
        ("Critical Situation Support", False), ("High availability", False), ("Standard", False),
        ("Daily backup", False), ("Business", False), ("Premium", False),
    ],
)  # fmt: skip
def test_is_severity_label(text: str, expected: bool) -> None:
    assert is_severity_label(text, "en") is expected


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("P1 – Panne critique", "1"),
        ("Critique", "critical"),
        ("Basse", "low"),
        ("Sev B", "B"),
        ("Priority 3", "3"),
    ],
)
def test_levels_are_language_neutral(text: str, level: str) -> None:
    assert parse_severity(text)[0] == level


@pytest.mark.parametrize(
    ("title", "metric"),
    [
        ("GTI", M.first_response), ("GTR", M.restoration), ("Temps de réponse", M.first_response),
        ("Délai de prise en charge", M.first_response), ("Initial response", M.first_response),
        ("Target resolution", M.resolution), ("Update frequency", M.update_interval),
        ("Fréquence des mises à jour", M.update_interval), ("Disponibilité garantie", M.availability),
        ("Délai de rétablissement", M.restoration), ("Monthly uptime", M.availability), ("Channels", None),
    ],
)  # fmt: skip
def test_metric_names(title: str, metric: M | None) -> None:
    assert metric_of(title) is metric


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("J+1", (1440, True)), ("NBD", (1440, True)), ("4 h ouvrées", (240, True)), ("2 jours ouvrés", (2880, True)),
        ("Next business day", (1440, True)), ("toutes les heures", (60, False)), ("Daily", (1440, False)),
        ("Quotidienne", (1440, False)), ("Every 30 min", (30, False)), ("24 h/24", None), ("8x5", None),
    ],
)  # fmt: skip
def test_durations(text: str, expected: tuple[int, bool] | None) -> None:
    got = parse_duration(text)
    assert (got[:2] if got else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24 h/24, 7 j/7", "24x7"), ("Support 24/7", "24x7"), ("8x5", "8x5"),
        ("les jours ouvrés de 9 h à 18 h (heure de Paris)", "business hours 09:00-18:00"),
        ("Business hours are 9 am to 6 pm, Monday to Friday", "business hours 09:00-18:00"),
        ("de 8 h 30 à 17 h 30", "business hours 08:30-17:30"), ("Heures ouvrées", "business hours"),
        ("A monthly report", None),
    ],
)  # fmt: skip
def test_coverage(text: str, expected: str | None) -> None:
    assert coverage_of(text) == expected


def test_availability_commitment_and_credit_in_prose() -> None:
    target = availability_in("Disponibilité de 99,9 % par mois calendaire, hors maintenance planifiée.")
    assert (target.percent, target.period, target.exclusions) == (
        99.9,
        "month",
        ["hors maintenance planifiée"],
    )
    block = Block(kind=BlockKind.paragraph, text="")
    credit = credit_in(
        "The customer receives a service credit of 5% of the monthly fee per hour of unavailability, "
        "capped at 30% of the monthly fee.",
        block,
    )
    assert (credit.percent, credit.per_minutes, credit.cap_percent) == (5.0, 60, 30.0)
    assert credit_in("Up to 20% of your allocation may be applied to prepaid credits.", block) is None


def test_priority_sentence_targets() -> None:
    found = targets_in("Response time: 30 minutes. Workaround within 4 hours. Status updates every hour.")
    assert [(t.metric, t.minutes) for t in found] == [
        (M.first_response, 30), (M.restoration, 240), (M.update_interval, 60)
    ]  # fmt: skip
    assert targets_in("resolution, followed by a final report within five business days", reach=45) == []


def test_a_time_without_a_number_is_a_data_change(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """ "half an hour", "dans l'heure" are metrics.yaml ``spans``: a new one needs no code."""
    from pipeline import lexicon
    from pipeline.normalize.sla import durations

    def clear() -> None:
        lexicon.load.cache_clear()
        durations._spans.cache_clear()
        durations._frequencies.cache_clear()

    assert parse_duration("dans l'heure") == (60, False, "dans l'heure")
    assert parse_duration("within a quarter of an hour") is None
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "metrics.yaml").write_text("spans:\n  15: [a quarter of an hour]\n", encoding="utf-8")
    monkeypatch.setenv("SVCDESC_LEXICON_PATH", str(tmp_path))
    clear()
    try:
        assert parse_duration("within a quarter of an hour") == (15, False, "a quarter of an hour")
    finally:
        monkeypatch.delenv("SVCDESC_LEXICON_PATH")
        clear()
