"""Typed offer terms and quantities read once: what the diff says when a minimum, a maximum, a price,
a restriction to plans, a 'no limit' cell or a quantity in a sentence changes (fictional Aurora Cloud)."""

from __future__ import annotations

import pytest

from pipeline.diff.compare import diff_descriptions
from pipeline.diff.facts import number_fallback
from pipeline.diff.model import Change
from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S
from pipeline.extract.model import Provenance, SourceFormat
from pipeline.normalize.model import Availability, DocumentInfo, Offer, PlanValue, ServiceDescription
from pipeline.normalize.terms import read_terms


def _sd(offers: list[Offer], lang: str = "en") -> ServiceDescription:
    return ServiceDescription(
        document=DocumentInfo(
            title="Aurora Cloud",
            source="aurora.md",
            sha256="0" * 64,
            format=SourceFormat.markdown,
            language=lang,
        ),
        offers=offers,
    )


def _offer(sentence: str, lang: str = "en") -> Offer:
    return Offer(
        id="code-review",
        name="Code review",
        availability=Availability.included,
        conditions=[sentence],
        terms=read_terms(sentence, lang),
        prov=[Provenance(line_start=12)],
    )


def _material(old: ServiceDescription, new: ServiceDescription) -> list[tuple]:
    return [(c.kind, c.severity, c.subject, c.old, c.new) for c in diff_descriptions(old, new).material()]


@pytest.mark.parametrize(
    ("old", "new", "lang", "want"),
    [
        (
            "Reviews are included from 50 seats; below that, 450 EUR per review.",
            "Reviews are included from 100 seats; below that, 450 EUR per review.",
            "en",
            [(K.fact_changed, S.breaking, "term:minimum", "50 seats", "100 seats")],
        ),
        (
            "Les revues sont incluses à partir de 50 postes ; en dessous, 450 EUR par revue.",
            "Les revues sont incluses à partir de 50 postes ; en dessous, 390 EUR par revue.",
            "fr",
            [(K.fact_changed, S.major, "term:price", "450 EUR", "390 EUR")],
        ),
        (
            "Up to 3 upgrades per year.",
            "Up to 5 upgrades per year.",
            "en",
            [(K.fact_changed, S.major, "term:maximum", "3 upgrades", "5 upgrades")],
        ),
        (
            "Only for the Business and Enterprise levels.",
            "Only for the Enterprise levels.",
            "en",
            [(K.fact_changed, S.breaking, "term:plans", "Business, Enterprise", "Enterprise")],
        ),
    ],
)
def test_offer_term_changes_have_a_direction_and_one_entry(old: str, new: str, lang: str, want: list[tuple]):
    assert _material(_sd([_offer(old, lang)], lang), _sd([_offer(new, lang)], lang)) == want


def _row(cell: str, lang: str) -> Offer:
    plans = [("Basic", "30 messages per minute"), ("Server", cell)]
    return Offer(
        id="message-rate-limit",
        name="Message rate limit",
        plan_values=[
            PlanValue(plan=p, plan_id=p.lower(), text=t, availability=Availability.included) for p, t in plans
        ],
    )


@pytest.mark.parametrize(
    ("lang", "unbounded"), [("en", "No limit"), ("fr", "Sans limite"), ("fr", "Illimité")]
)
def test_no_limit_cell_next_to_a_quantity_is_a_value_not_an_availability_word(lang: str, unbounded: str):
    old, new = _sd([_row("30 messages per minute", lang)], lang), _sd([_row(unbounded, lang)], lang)
    assert _material(old, new) == [
        (K.fact_changed, S.major, "server:value", "30 messages per minute", unbounded)
    ]
    # and back: a limit where there was none is breaking
    assert [c[:2] for c in _material(new, old)] == [(K.fact_changed, S.breaking)]


def _text(a: str, b: str) -> Change:
    return Change(
        kind=K.text_changed,
        severity=S.minor,
        old_text=a,
        new_text=b,
        old_prov=[Provenance(line_start=3)],
        new_prov=[Provenance(line_start=3)],
    )


@pytest.mark.parametrize(
    ("old", "new", "lang", "want"),
    [
        ("You must buy at least 50 seats.", "You must buy at least 150 seats.", "en", S.breaking),
        (
            "We answer within 4 hours.",
            "We answer within 2 business days.",
            "en",
            S.breaking,
        ),  # a unit, not only digits
        ("Up to 10 projects.", "Up to twenty projects.", "en", S.major),  # a number word
        ("Stockage de 1 To par utilisateur.", "Stockage de 5 To par utilisateur.", "fr", S.major),
        ("Copyright 2019 Aurora Cloud.", "Copyright 2020 Aurora Cloud.", "en", S.minor),  # a year alone
    ],
)
def test_number_fallback_reads_quantities_with_the_shared_reader(old: str, new: str, lang: str, want):
    got = number_fallback([_text(old, new)], lang)
    assert [(c.kind, c.severity) for c in got] == [(K.fact_changed, want)]


def test_number_fallback_leaves_other_rewording_alone():
    assert number_fallback([_text("Up to 10 projects.", "Up to 12 teams.")], "en") == []
