"""Planted slips in our own fictional-vendor FR/EN documents (tests/data/parity_slips) are all found.

Each vendor's French file carries the slips a reviewing translator looks for: a brand or plan name
translated or given an accent, an availability mark altered in a plan column, a business-hours
qualifier lost, a feature name translated two ways. Names are learned from the pair itself (no
built-in list). Every warning or error must be one of the planted slips (nothing else is wrong).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalog.loader import load_description
from pipeline.parity.compare import check_parity

DATA = Path(__file__).resolve().parent / "data" / "parity_slips"

#: vendor -> (kind, code, a string of the finding's message or target text) per planted slip
PLANTED = {
    "korvalis": [
        ("name_mismatch", "P119", "Korvalis Pro -> Korvalis Professionnel"),  # plan name translated
        ("name_mismatch", "P119", "SkyDock -> SkyDöck"),  # brand given an accent
        ("availability_mismatch", "P106", "target not_available"),  # ✓ -> — in the Pro column
        ("sla_mismatch", "P105", "4 heures"),  # "4 business hours" -> "4 heures"
        ("inconsistency", "P128", "Vault Sync"),  # Synchronisation du coffre / Synchro du coffre
    ],
    "brennet": [
        ("name_mismatch", "P116", "Brennet Systems"),  # brand translated word for word
        ("name_mismatch", "P116", "Quillmail Starter"),  # plan name translated
        ("availability_mismatch", "P106", "target not_available"),  # Yes -> Non (Business column)
        ("sla_mismatch", "P105", "8 heures"),  # "8 business hours" -> "8 heures"
        ("inconsistency", "P128", "Message Trace"),  # Suivi des messages / Trace de message
    ],
}


@pytest.mark.parametrize("vendor", sorted(PLANTED))
def test_planted_slips_all_found_with_the_right_kind(vendor: str) -> None:
    folder = DATA / vendor
    parity = check_parity(load_description(folder / "en.md"), load_description(folder / "fr.md"))
    found = [f for f in parity.findings if f.severity.value != "info"]
    for kind, code, needle in PLANTED[vendor]:
        hits = [
            f
            for f in found
            if f.kind.value == kind and f.code == code and (needle in f.message or needle in f.target_text)
        ]
        assert hits, f"{vendor}: {kind} {code} {needle!r} not found in {[(f.code, f.message) for f in found]}"
    assert len(found) == len(PLANTED[vendor]), [(f.code, f.message) for f in found]
