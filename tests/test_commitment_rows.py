"""Which plan-table rows and "Name: text" definitions are SLA commitments (never offers), FR and EN.

The vendor gold (``not_offers`` in ``tests/data/vendors/*/gold.json``) checks whole documents; these
check the two deciders on the shapes one at a time, including the near misses that stay offers.
"""

from __future__ import annotations

import pytest

from pipeline.normalize.definitions import is_commitment_definition
from pipeline.normalize.sla.matrix import is_commitment_row, is_transposed

PLANS = ["Engagement", "Start", "Pro", "Premium"]
METRIC_COLS = ["Plan", "Support hours", "Response time", "Monthly uptime"]


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        (PLANS, ["Délai de prise en charge", "8 h ouvrées", "4 h ouvrées", "1 h"], True),
        (PLANS, ["Disponibilité garantie", "99,5 %", "99,8 %", "99,9 %"], True),
        (PLANS, ["Restoration time", "3 business days", "1 business day", "4 h"], True),
        (PLANS, ["Horaires du support", "8x5", "8x5", "24/7"], True),
        (PLANS, ["Rapport mensuel", "Non", "Oui", "Oui"], False),  # a feature with marks: an offer
        (PLANS, ["Channels", "Ticket", "Ticket, phone", "Ticket, phone, chat"], False),  # an attribute
        (PLANS, ["On-site intervention", "✓", "✓", "✓"], False),  # a metric word, but marks
        (PLANS, ["Response time", "—", "", ""], False),  # no value: nothing the SLA reader takes
        (METRIC_COLS, ["Team", "Business hours", "8 business hours", "99.5 %"], True),
        (METRIC_COLS, ["Enterprise", "24/7", "30 min", "99.95 %"], True),
        (["Feature", "Response time", "Notes"], ["Portal", "4 h", "web and mobile"], False),
    ],
)  # fmt: skip
def test_commitment_rows(header: list[str], row: list[str], expected: bool) -> None:
    assert is_commitment_row(header, row) is expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Target", "P1", "P2", "P3", "P4"], True),
        (["Objectif", "Priorité 1", "Priorité 2", "Priorité 3"], True),
        (["Engagement", "Start", "Pro", "Premium"], False),
        (["Feature", "Standard", "Premium"], False),
    ],
)
def test_levels_as_columns(header: list[str], expected: bool) -> None:
    assert is_transposed(header) is expected


@pytest.mark.parametrize(
    ("name", "desc", "expected"),
    [
        ("P1 – Critical failure", "the software is unusable in production. Response time: 30 minutes.", True),
        ("Priorité 2 (Haute)", "une fonction clé est en panne. Nous répondons sous 4 heures ouvrées.", True),
        ("Restoration time (GTR)", "4 business hours.", True),
        ("Disponibilité", "99,7 % par an, hors maintenance planifiée.", True),
        ("Monthly uptime commitment", "99.9% for Professional and 99.99% for Enterprise.", True),
        ("On-site intervention", "a technician comes to your site within 4 hours when needed.", False),
        ("Intervention sur site", "un technicien se déplace dans les 4 heures si nécessaire.", False),
        ("Daily backup", "your data is copied every 24 hours to a second site.", False),
    ],
)  # fmt: skip
def test_commitment_definitions(name: str, desc: str, expected: bool) -> None:
    assert is_commitment_definition(name, desc) is expected
