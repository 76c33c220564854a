"""normalize() on fictional documents in styles the corpus lacks (held-out generalisation).

The documents are written for these tests (``normalize_general_docs``): an English Unified-Support-like
PDF (✓ / symbol-font ⊞ marks, English legends, "First call response within …" severity table,
numbered service families), its French equivalent, another vendor's plan comparison (words and
symbols, P1-P4 priorities, severity x plan response times) and two Markdown descriptions. Each
check is one fact, so a regression names exactly what stopped generalising.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.extract import extract
from pipeline.limits import Limits
from pipeline.normalize import normalize
from pipeline.normalize.model import Availability, Offer, ServiceDescription

sys.path.insert(0, str(Path(__file__).parent))
import normalize_general_docs as docs  # noqa: E402

A = Availability


@pytest.fixture(scope="session")
def general(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ServiceDescription]:
    """Each fictional document drawn/written once per session, extracted and normalised once."""
    d = tmp_path_factory.mktemp("general-docs")
    (d / "en-unified.md").write_text(docs.EN_UNIFIED_MD, encoding="utf-8")
    (d / "vendor.md").write_text(docs.VENDOR_MD, encoding="utf-8")
    (d / "words.md").write_text(docs.WORDS_MD, encoding="utf-8")
    (d / "fr-severity.md").write_text(docs.FR_SEVERITY_MD, encoding="utf-8")
    (d / "columns.md").write_text(docs.COLUMNS_MD, encoding="utf-8")
    (d / "plan-words.md").write_text(docs.PLAN_WORDS_MD, encoding="utf-8")
    (d / "dash.md").write_text(docs.DASH_MD, encoding="utf-8")
    (d / "symbols.md").write_text(docs.SYMBOLS_MD, encoding="utf-8")
    (d / "groups.md").write_text(docs.GROUPS_MD, encoding="utf-8")
    paths = {
        "en_pdf": docs.build_en_unified_pdf(d / "en-unified.pdf"),
        "fr_pdf": docs.build_fr_unified_pdf(d / "fr-unified.pdf"),
        "vendor_pdf": docs.build_vendor_pdf(d / "vendor.pdf"),
        "en_md": d / "en-unified.md",
        "vendor_md": d / "vendor.md",
        "words_md": d / "words.md",
        "fr_sev_md": d / "fr-severity.md",
        "columns_md": d / "columns.md",
        "plan_words_md": d / "plan-words.md",
        "dash_md": d / "dash.md",
        "symbols_md": d / "symbols.md",
        "groups_md": d / "groups.md",
    }
    return {key: normalize(extract(path, Limits())) for key, path in paths.items()}


def offer(sd: ServiceDescription, name: str) -> Offer:
    found = [o for o in sd.offers if o.name == name]
    assert found, f"no offer {name!r} in {[o.name for o in sd.offers]}"
    return found[0]


def plans(sd: ServiceDescription, name: str) -> dict[str, str]:
    return {v.plan: v.availability.value for v in offer(sd, name).plan_values}


def sla(sd: ServiceDescription, index: int = 0) -> list[tuple]:
    """(severity, [(scope id, minutes, business)]) per row of the index-th severity table."""
    table = sd.sla_tables[index]
    return [
        (r.severity, [(x.scope_id, x.minutes, x.business_hours) for x in r.first_response])
        for r in table.rows
    ]


def fact_values(o: Offer) -> set[tuple]:
    return {(f.kind.value, f.value, f.unit, f.business) for f in o.facts}


# (document, what, getter, expected)
CHECKS: list[tuple[str, str, Callable[[ServiceDescription], object], object]] = [
    # ------------------------------------------------------------------ English Unified-like PDF
    ("en_pdf", "edition date", lambda sd: sd.document.edition_date, "2025-03-03"),
    (
        "en_pdf",
        "table offers",
        lambda sd: sorted(o.name for o in sd.offers if o.table_id),
        sorted(
            [
                "Onboarding Services",
                "Roadmap Workshops",
                "Architecture Review",
                "Health Check Assessment",
                "Security Posture Program (SPP)",
                "Offline Risk Review",
                "Named Support Engineering",
                "Cloud Event Watch",
            ]
        ),  # fmt: skip
    ),
    ("en_pdf", "✓ included", lambda sd: offer(sd, "Onboarding Services").availability, A.included),
    (
        "en_pdf",
        "symbol-font add-on mark",
        lambda sd: offer(sd, "Roadmap Workshops").availability,
        A.additional,
    ),
    ("en_pdf", "add-on mark as printed", lambda sd: offer(sd, "Roadmap Workshops").availability_mark, "⊞"),
    (
        "en_pdf",
        "✓1 legend 'may be provided'",
        lambda sd: (
            offer(sd, "Architecture Review").availability,
            offer(sd, "Architecture Review").availability_mark,
        ),
        (A.included_conditional, "✓1"),
    ),
    (
        "en_pdf",
        "add-on SPP",
        lambda sd: offer(sd, "Security Posture Program (SPP)").availability,
        A.additional,
    ),
    (
        "en_pdf",
        "⊞2 within quantity limits",
        lambda sd: offer(sd, "Cloud Event Watch").availability,
        A.additional_limited,
    ),
    (
        "en_pdf",
        "category with numbered family",
        lambda sd: offer(sd, "Onboarding Services").category,
        ["Proactive Services", "Planning Services"],
    ),
    (
        "en_pdf",
        "category maintenance",
        lambda sd: offer(sd, "Health Check Assessment").category,
        ["Proactive Services", "Maintenance Services"],
    ),
    (
        "en_pdf",
        "category enhanced",
        lambda sd: offer(sd, "Named Support Engineering").category,
        ["Enhanced Services"],
    ),
    ("en_pdf", "acronym SPP", lambda sd: offer(sd, "Security Posture Program (SPP)").acronym, "SPP"),
    ("en_pdf", "acronym from section text", lambda sd: offer(sd, "Named Support Engineering").acronym, "NSE"),
    ("en_pdf", "acronym CEW", lambda sd: offer(sd, "Cloud Event Watch").acronym, "CEW"),
    (
        "en_pdf",
        "English definition attaches",
        lambda sd: offer(sd, "Onboarding Services").description.split(",")[0],
        "help to set up your account",
    ),
    (
        "en_pdf",
        "definition of an add-on",
        lambda sd: offer(sd, "Roadmap Workshops").description.startswith("guided sessions"),
        True,
    ),
    ("en_pdf", "delivery words", lambda sd: offer(sd, "Roadmap Workshops").delivery, ["remote", "onsite"]),
    (
        "en_pdf",
        "conditions and limitations",
        lambda sd: offer(sd, "Offline Risk Review").conditions,
        ["Assessments are limited to two (2) per contract year.", "Reports are delivered in English only."],
    ),
    (
        "en_pdf",
        "your responsibilities",
        lambda sd: len(offer(sd, "Offline Risk Review").responsibilities),
        2,
    ),
    (
        "en_pdf",
        "hours 9 AM - 5 PM local",
        lambda sd: offer(sd, "Offline Risk Review").hours,
        "09:00-17:00, local, business days",
    ),
    (
        "en_pdf",
        "prerequisites and limitations under a service heading",
        lambda sd: len(offer(sd, "Named Support Engineering").conditions),
        2,
    ),
    (
        "en_pdf",
        "responsibilities under a service heading",
        lambda sd: offer(sd, "Named Support Engineering").responsibilities,
        ["Keep the list of your authorised contacts up to date."],
    ),
    (
        "en_pdf",
        "hours 8 AM - 5 PM",
        lambda sd: offer(sd, "Named Support Engineering").hours,
        "08:00-17:00, business days",
    ),
    ("en_pdf", "languages", lambda sd: offer(sd, "Named Support Engineering").languages, ["en", "ja"]),
    (
        "en_pdf",
        "fact 10 business days on its offer",
        lambda sd: ("duration", 14400.0, "minute", True) in fact_values(offer(sd, "Architecture Review")),
        True,
    ),
    (
        "en_pdf",
        "fact 30 minutes on its offer",
        lambda sd: ("duration", 30.0, "minute", False) in fact_values(offer(sd, "Cloud Event Watch")),
        True,
    ),
    ("en_pdf", "one severity table", lambda sd: len(sd.sla_tables), 1),
    (
        "en_pdf",
        "severity rows with minutes per scope",
        lambda sd: sla(sd),
        [
            ("1", [("azure-components", 15, False), ("other", 60, False)]),
            ("A", [("all", 60, False)]),
            ("B", [("all", 120, True)]),
            ("C", [("all", 240, True)]),
        ],
    ),
    (
        "en_pdf",
        "your expected response column",
        lambda sd: sd.sla_tables[0].rows[3].your_response,
        "Accurate contact information",
    ),
    (
        "en_pdf",
        "English legends are footnotes",
        lambda sd: {f.marker for f in sd.footnotes} >= {"✓", "⊞", "✓1", "⊞2", "1"},
        True,
    ),
    # ------------------------------------------------------------------ French Unified-like PDF
    ("fr_pdf", "edition date", lambda sd: sd.document.edition_date, "2024-09-12"),
    ("fr_pdf", "✓ inclus", lambda sd: offer(sd, "Services d’intégration").availability, A.included),
    (
        "fr_pdf",
        "⊞ supplémentaire",
        lambda sd: offer(sd, "Ateliers de feuille de route").availability,
        A.additional,
    ),
    (
        "fr_pdf",
        "✓1 pouvant être fournis",
        lambda sd: offer(sd, "Revue d’architecture").availability,
        A.included_conditional,
    ),
    (
        "fr_pdf",
        "catégorie",
        lambda sd: offer(sd, "Bilan de santé").category,
        ["Services proactifs", "Services de maintenance"],
    ),
    ("fr_pdf", "acronyme", lambda sd: offer(sd, "Programme de sécurité (PDS)").acronym, "PDS"),
    (
        "fr_pdf",
        "définition",
        lambda sd: offer(sd, "Bilan de santé").description.startswith("revue automatisée"),
        True,
    ),
    (
        "fr_pdf",
        "conditions et limitations",
        lambda sd: offer(sd, "Programme de sécurité (PDS)").conditions,
        ["Les évaluations sont limitées à deux (2) par année de contrat."],
    ),
    (
        "fr_pdf",
        "vos responsabilités",
        lambda sd: len(offer(sd, "Programme de sécurité (PDS)").responsibilities),
        1,
    ),
    (
        "fr_pdf",
        "gravité 1/B/C en minutes",
        lambda sd: sla(sd),
        [
            ("1", [("fr:composants-azure", 15, False), ("other", 60, False)]),
            ("B", [("all", 120, True)]),
            ("C", [("all", 240, True)]),
        ],
    ),
    # ------------------------------------------------------------------ other vendor, PDF
    ("vendor_pdf", "edition date (Last updated)", lambda sd: sd.document.edition_date, "2025-01-15"),
    (
        "vendor_pdf",
        "feature rows are offers, no date label",
        lambda sd: sorted(o.name for o in sd.offers),
        sorted(
            [
                "Technical Account Manager",
                "Phone support",
                "Architecture guidance",
                "Training credits",
                "Proactive reviews",
            ]
        ),
    ),
    (
        "vendor_pdf",
        "words per plan",
        lambda sd: plans(sd, "Technical Account Manager"),
        {"Standard": "not_available", "Premium": "additional", "Enterprise": "included"},
    ),
    (
        "vendor_pdf",
        "✔/✘ per plan",
        lambda sd: plans(sd, "Phone support"),
        {"Standard": "not_available", "Premium": "included", "Enterprise": "included"},
    ),
    (
        "vendor_pdf",
        "●/○ per plan, ○ read from the legend under the table",
        lambda sd: plans(sd, "Architecture guidance"),
        {"Standard": "additional", "Premium": "included", "Enterprise": "included"},
    ),
    (
        "vendor_pdf",
        "bulleted legend line is two footnotes",
        lambda sd: sorted(f.marker for f in sd.footnotes),
        ["○", "●"],
    ),
    (
        "vendor_pdf",
        "No/Optional/Yes per plan",
        lambda sd: plans(sd, "Training credits"),
        {"Standard": "not_available", "Premium": "additional", "Enterprise": "included"},
    ),
    (
        "vendor_pdf",
        "-/x per plan",
        lambda sd: plans(sd, "Proactive reviews"),
        {"Standard": "not_available", "Premium": "included", "Enterprise": "included"},
    ),
    ("vendor_pdf", "feature category", lambda sd: offer(sd, "Phone support").category, ["Plan comparison"]),
    ("vendor_pdf", "two severity tables", lambda sd: len(sd.sla_tables), 2),
    (
        "vendor_pdf",
        "P1-P4 initial response column",
        lambda sd: sla(sd, 0),
        [
            ("1", [("all", 30, False)]),
            ("2", [("all", 60, False)]),
            ("3", [("all", 240, True)]),
            ("4", [("all", 1440, True)]),
        ],
    ),
    (
        "vendor_pdf",
        "P1 situation from the description column",
        lambda sd: sd.sla_tables[0].rows[0].situation,
        "Critical Production system down for all users",
    ),
    (
        "vendor_pdf",
        "Sev A/B response per plan",
        lambda sd: sla(sd, 1),
        [
            ("A", [("standard", 240, True), ("premium", 60, False), ("enterprise", 15, False)]),
            ("B", [("standard", 1440, True), ("premium", 240, False), ("enterprise", 120, False)]),
        ],
    ),
    # ------------------------------------------------------------------ English Unified-like Markdown
    ("en_md", "edition date", lambda sd: sd.document.edition_date, "2024-11-04"),
    ("en_md", "✓", lambda sd: offer(sd, "Onboarding Services").availability, A.included),
    ("en_md", "+", lambda sd: offer(sd, "Risk Assessment Program (RAP)").availability, A.additional),
    (
        "en_md",
        "✓<sup>1</sup> subject to",
        lambda sd: offer(sd, "Custom Workshops").availability,
        A.included_conditional,
    ),
    ("en_md", "acronym", lambda sd: offer(sd, "Risk Assessment Program (RAP)").acronym, "RAP"),
    ("en_md", "category", lambda sd: offer(sd, "Custom Workshops").category, ["Proactive Services"]),
    (
        "en_md",
        "conditions",
        lambda sd: offer(sd, "Custom Workshops").conditions,
        ["Workshops are limited to 20 attendees."],
    ),
    ("en_md", "responsibilities", lambda sd: len(offer(sd, "Custom Workshops").responsibilities), 1),
    (
        "en_md",
        "fact 30 days on its offer",
        lambda sd: ("duration", 43200.0, "minute", False) in fact_values(offer(sd, "Onboarding Services")),
        True,
    ),
    (
        "en_md",
        "first call response",
        lambda sd: sla(sd),
        [("1", [("all", 60, False)]), ("B", [("all", 120, True)]), ("C", [("all", 240, True)])],
    ),
    # ------------------------------------------------------------------ other vendor, Markdown
    ("vendor_md", "edition date", lambda sd: sd.document.edition_date, "2025-02-10"),
    (
        "vendor_md",
        "✔/✘ per plan",
        lambda sd: plans(sd, "Phone support"),
        {"Standard": "not_available", "Premium": "included", "Enterprise": "included"},
    ),
    (
        "vendor_md",
        "Not available/Add-on/Included",
        lambda sd: plans(sd, "Dedicated engineer"),
        {"Standard": "not_available", "Premium": "additional", "Enterprise": "included"},
    ),
    (
        "vendor_md",
        "storage limits are plan facts",
        lambda sd: [[f.normalized for f in v.facts] for v in offer(sd, "Storage for logs").plan_values],
        [["10 GB"], ["1 TB"], ["25 TB"]],
    ),
    (
        "vendor_md",
        "Critical/High/Medium/Low severities",
        lambda sd: sla(sd),
        [
            ("critical", [("all", 30, False)]),
            ("high", [("all", 60, False)]),
            ("medium", [("all", 240, True)]),
            ("low", [("all", 1440, True)]),
        ],
    ),
    # ------------------------------------------------------------------ availability in words, bare levels
    (
        "words_md",
        "availability words in a Service | Description | Availability table",
        lambda sd: [(o.name, o.availability) for o in sd.offers],
        [
            ("Incident handling", A.included),
            ("Quarterly business review", A.additional),
            ("Custom reporting", A.additional),
            ("Dedicated on-site engineer", A.not_available),
        ],
    ),
    (
        "words_md",
        "description column",
        lambda sd: offer(sd, "Quarterly business review").description,
        "A review of your cases with your account team",
    ),
    (
        "words_md",
        "category: the table's own heading",
        lambda sd: offer(sd, "Custom reporting").category,
        ["Services"],
    ),
    (
        "words_md",
        "'1 - Urgent' under a Priority column, 'within the hour', NBD",
        lambda sd: sla(sd),
        [("1", [("all", 60, False)]), ("2", [("all", 240, True)]), ("3", [("all", 1440, True)])],
    ),
    (
        "words_md",
        "situation joins the level word and the examples column",
        lambda sd: sd.sla_tables[0].rows[0].situation,
        "Urgent Production outage",
    ),
    (
        "fr_sev_md",
        "Critique/Élevée/Moyenne/Faible, délai de première réponse",
        lambda sd: sla(sd),
        [
            ("critical", [("all", 60, False)]),
            ("high", [("all", 240, True)]),
            ("medium", [("all", 1440, True)]),
            ("low", [("all", 30, False)]),
        ],
    ),
    # ------------------------------------------------------------------ "Service | Included | Add-on" columns
    (
        "columns_md",
        "the tick means what its column says",
        lambda sd: [(o.name, o.availability) for o in sd.offers],
        [
            ("Case management", A.included),
            ("Security Posture Program", A.additional),
            ("Assessments", A.included),
        ],
    ),
    (
        "columns_md",
        "bold-name definition",
        lambda sd: offer(sd, "Case management").description[:8],
        "we track",
    ),
    (
        "columns_md",
        "definition adds the acronym",
        lambda sd: offer(sd, "Security Posture Program").acronym,
        "SPP",
    ),
    (
        "columns_md",
        "singular list-item definition attaches to the plural row",
        lambda sd: ("duration", 7200.0, "minute", True) in fact_values(offer(sd, "Assessments")),
        True,
    ),
    (
        "columns_md",
        "bare durations per plan column",
        lambda sd: sla(sd),
        [
            ("1", [("standard", 240, True), ("premium", 60, False)]),
            ("2", [("standard", 1440, True), ("premium", 240, True)]),
        ],
    ),
    # ------------------------------------------------------------------ plan columns in words, EN and FR
    (
        "plan_words_md",
        "Service | Standard | Premium | Enterprise in words",
        lambda sd: plans(sd, "Account manager"),
        {"Standard": "not_available", "Premium": "additional", "Enterprise": "included"},
    ),
    (
        "plan_words_md",
        "Fonctionnalité | Essentiel | Avancé",
        lambda sd: plans(sd, "Revue trimestrielle"),
        {"Essentiel": "additional", "Avancé": "included"},
    ),
    ("plan_words_md", "five feature offers", lambda sd: len(sd.offers), 5),
    # ------------------------------------------------------------------ "Name – description" definitions
    (
        "dash_md",
        "dash definitions attach to table offers, other dashed lines make no offer",
        lambda sd: [(o.name, (o.description or "")[:12]) for o in sd.offers],
        [("Onboarding Services", "help to set "), ("Health Checks", "an automated")],
    ),
    # ------------------------------------------------------------------ ✓* / ❌ / ✅ marks
    (
        "symbols_md",
        "✓* has its own legend; ❌ is not available",
        lambda sd: [
            (o.name, o.availability, o.availability_mark)
            for o in sd.offers
            if o.table_id == sd.offers[0].table_id
        ],
        [
            ("Onboarding Services", A.included, "✓"),
            ("Health Checks", A.included_conditional, "✓*"),
            ("Migration help", A.not_available, "❌"),
        ],
    ),
    (
        "symbols_md",
        "two legends on consecutive lines are two footnotes",
        lambda sd: [f.marker for f in sd.footnotes],
        ["✓", "✓*"],
    ),
    (
        "symbols_md",
        "❌/✅ per plan",
        lambda sd: plans(sd, "Chat"),
        {"Basic": "not_available", "Pro": "included"},
    ),
    # ------------------------------------------------------------------ group rows inside an availability table
    (
        "groups_md",
        "a bold row with no mark is a category, not an offer",
        lambda sd: [(o.name, o.category) for o in sd.offers],
        [
            ("Onboarding Services", ["Proactive Services", "Planning Services"]),
            ("Roadmap Workshops", ["Proactive Services", "Planning Services"]),
            ("Health Checks", ["Proactive Services", "Maintenance Services"]),
        ],
    ),
]


@pytest.mark.parametrize(
    ("doc", "getter", "expected"),
    [pytest.param(doc, getter, expected, id=f"{doc}-{what}") for doc, what, getter, expected in CHECKS],
)
def test_general_document(general: dict[str, ServiceDescription], doc: str, getter, expected) -> None:  # noqa: ANN001
    assert getter(general[doc]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("within 1 hour", (60, False)),
        ("First call response within one hour or less", (60, False)),
        ("4 business hours", (240, True)),
        ("two (2) business hours", (120, True)),
        ("4 working hours", (240, True)),
        ("30 min", (30, False)),
        ("30 mins", (30, False)),
        ("Initial response: 15 min.", (15, False)),
        ("une (1) heure", (60, False)),
        ("4 h ouvrées", (240, True)),
        ("2 heures ouvrables", (120, True)),
        ("next business day", (1440, True)),
        ("Next Business Day (NBD)", (1440, True)),
        ("le jour ouvré suivant", (1440, True)),
        ("prochain jour ouvrable", (1440, True)),
        ("1 business day", (1440, True)),
        ("half an hour", (30, False)),
        ("une demi-heure", (30, False)),
        ("within the hour", (60, False)),
    ],
)
def test_response_durations_in_en_and_fr(text: str, expected: tuple[int, bool]) -> None:
    from pipeline.normalize.sla import parse_duration

    assert parse_duration(text)[:2] == expected


@pytest.mark.parametrize(
    ("text", "bare", "expected"),
    [
        ("Severity 1", False, "1"),
        ("Sev A (Critical)", False, "A"),
        ("P1 - Critical", False, "1"),
        ("Priority 2 (High)", False, "2"),
        ("S3", False, "3"),
        ("Sev2", False, "2"),
        ("Gravité B", False, "B"),
        ("Priorité 1", False, "1"),
        ("Niveau 2", False, "2"),
        ("Critical", False, "critical"),  # named levels: lexicon ids, same in FR and EN
        ("Élevée", False, "high"),
        ("Critical Situation Support", False, None),
        ("1 - Critical", True, "1"),
        ("A", True, "A"),
        ("1 - Critical", False, None),
        ("A workaround exists", True, None),
    ],
)
def test_severity_levels(text: str, bare: bool, expected: str | None) -> None:
    from pipeline.normalize.sla import parse_severity

    found = parse_severity(text, bare=bare)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes", A.included),
        ("Oui", A.included),
        ("Included", A.included),
        ("✔", A.included),
        ("●", A.included),
        ("x", A.included),
        ("⊞", A.additional),
        ("Add-on", A.additional),
        ("Optional", A.additional),
        ("En option", A.additional),
        ("Supplémentaire", A.additional),
        ("En supplément", A.additional),
        ("Payant", A.additional),
        ("At extra cost", A.additional),
        ("Base Package", A.included),
        ("No", A.not_available),
        ("Non", A.not_available),
        ("Not available", A.not_available),
        ("Non disponible", A.not_available),
        ("✘", A.not_available),
        ("○", A.not_available),
        ("-", A.not_available),
        ("Limited", A.included_conditional),
        ("25 TB", A.included),
    ],
)
def test_plan_cell_vocabulary(text: str, expected: Availability) -> None:
    from pipeline.normalize.offer_tables import value_availability

    assert value_availability(text) is expected


@pytest.mark.parametrize(
    ("mark", "legend", "expected"),
    [
        ("✓", "Included in your Base Package", A.included),
        ("+", "Additional service that can be purchased", A.additional),
        ("✓", "Services that may be provided if conditions are met", A.included_conditional),
        ("+", "Additional service that can be purchased within quantity limits", A.additional_limited),
        ("✓", "Inclus dans votre forfait de base", A.included),
        ("+", "Service supplémentaire pouvant être acheté", A.additional),
        ("✗", "Not included", A.not_available),
    ],
)
def test_legend_meanings_en_fr(mark: str, legend: str, expected: Availability) -> None:
    from pipeline.normalize.marks import legend_meaning

    assert legend_meaning(mark, legend) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Edition: 3 March 2025", "2025-03-03"),
        ("Édition : 12 septembre 2024", "2024-09-12"),
        ("Last updated: January 15, 2025", "2025-01-15"),
        ("Published: March 2025", "2025-03-01"),
        ("Version : juin 2024", "2024-06-01"),
        ("Effective date: 1st July 2024", "2024-07-01"),
        ("Revised: July 1st, 2024", "2024-07-01"),
        ("Mise à jour : 01.07.2024", "2024-07-01"),
        ("Updated 2024/07/01", "2024-07-01"),
        ("Version 3.2", None),
    ],
)
def test_edition_labels_en_fr(text: str, expected: str | None) -> None:
    from pipeline.extract.model import Block, BlockKind, Document, DocumentMeta, SourceFormat
    from pipeline.normalize.edition import find_edition

    doc = Document(
        meta=DocumentMeta(source="x/description.txt", sha256="0" * 64, format=SourceFormat.text),
        blocks=[Block(kind=BlockKind.paragraph, text=text)],
    )
    assert find_edition(doc)[0] == expected


def test_english_scopes_in_one_response_cell() -> None:
    from pipeline.normalize.sla import responses_in

    found = responses_in(
        "Microsoft Azure components – first call response within 15 minutes or less; "
        "all other products – first call response within one hour or less"
    )
    assert [(r.scope_id, r.minutes) for r in found] == [("microsoft-azure-components", 15), ("other", 60)]


def test_headerless_severity_table_by_its_first_column() -> None:
    """A table with no column titles whose first column names severities is a severity table."""
    from pipeline.extract.model import Block, BlockKind, Table, TableCell
    from pipeline.normalize.sla import build_sla_table
    from pipeline.normalize.tables import TableKind, classify

    rows = [
        ["Sev 1", "Critical: production down", "First response within 30 minutes"],
        ["Sev 2", "High: production impaired", "First response within 2 business hours"],
        ["Sev 3", "Normal: a question", "Next business day"],
    ]
    table = Table(
        rows=[[TableCell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)],
        header_rows=0,
        n_cols=3,
    )
    assert classify(table) is TableKind.severity
    sla_table = build_sla_table(Block(kind=BlockKind.table, table=table), "t0", None, None, lambda n: n)
    assert [
        (r.severity, [(x.scope_id, x.minutes, x.business_hours) for x in r.first_response])
        for r in sla_table.rows
    ] == [
        ("1", [("all", 30, False)]),
        ("2", [("all", 120, True)]),
        ("3", [("all", 1440, True)]),
    ]
    assert sla_table.rows[0].situation == "Critical: production down"
