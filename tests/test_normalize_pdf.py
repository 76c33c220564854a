"""normalize() on the real PDFs: the French USSD (availability + severity tables) and the English vendor PDF."""

from __future__ import annotations

import pytest

from pipeline.normalize.model import Availability, ServiceDescription


@pytest.fixture(scope="module")
def ussd(described, ussd_pdf) -> ServiceDescription:  # noqa: ANN001
    return described(ussd_pdf)


@pytest.fixture(scope="module")
def vendor(described, vendor_pdf) -> ServiceDescription:  # noqa: ANN001
    return described(vendor_pdf)


def _by_name(sd: ServiceDescription) -> dict:
    return {o.name: o for o in sd.offers}


def test_ussd_availability_rows_are_offers(ussd: ServiceDescription) -> None:
    offers = _by_name(ussd)
    assert offers["Évaluation à la Demande"].availability is Availability.included
    assert offers["Programme d’Évaluation"].availability is Availability.additional
    assert offers["Webcasts"].availability is Availability.included
    assert offers["Support Conseil"].availability is Availability.included
    assert offers["Analyse des Causes"].availability is Availability.additional
    # "✓1": the legend under the SDM table says "may be provided by Microsoft"
    architects = next(o for n, o in offers.items() if n.startswith("Défenseur des Développeurs"))
    assert (
        architects.availability is Availability.included_conditional and architects.availability_mark == "✓1"
    )
    # "+1" under the enhanced services table: bought within set quantity limits
    assert offers["Support pour Développeurs"].availability is Availability.additional_limited
    assert offers["Support Stratégique Vital"].availability is Availability.additional
    from_tables = [o for o in ussd.offers if o.table_id]
    assert len(from_tables) == 45
    assert all(o.availability is not Availability.unknown for o in from_tables)


def test_ussd_category_paths(ussd: ServiceDescription) -> None:
    offers = _by_name(ussd)
    assert offers["Évaluation à la Demande"].category == ["Services proactifs", "Services de maintenance"]
    assert offers["Ateliers"].category == ["Services proactifs", "Services de formation"]
    assert offers["Support Conseil"].category == ["Services réactifs"]
    assert offers["GitHub Engineering Direct"].category == ["Services et Solutions Améliorés"]


def test_ussd_definitions_attach_with_acronyms_and_terms(ussd: ServiceDescription) -> None:
    offers = _by_name(ussd)
    assert offers["Évaluation à la Demande"].description.startswith("accès à une plateforme en ligne")
    # the definition says "Programmes d’opérations proactives (POP)" (lower case) and still attaches
    assert offers["Programmes d’Opérations Proactives (POP)"].acronym == "POP"
    acronyms = {o.acronym for o in ussd.offers if o.acronym}
    assert {"STA", "DE", "EDE", "REDE", "UER", "AEM", "AED", "SfMC", "MSCIR", "SDM"} <= acronyms
    # SDM is a service of its own: a heading whose first paragraph says it is included
    sdm = next(o for o in ussd.offers if o.acronym == "SDM")
    assert sdm.availability is Availability.included and sdm.table_id is None
    rede = next(o for o in ussd.offers if o.acronym == "REDE")
    assert (len(rede.conditions), len(rede.responsibilities)) == (6, 4)
    # "Conditions générales supplémentaires du Support Pays multiples" is not STA's conditions list
    assert next(o for o in ussd.offers if o.acronym == "STA").conditions == []
    de = offers["Ingénierie Désignée"]
    assert de.acronym == "DE" and len(de.conditions) == 5
    assert de.hours == "09:00-17:30, local, business days"
    # "Gestion des événements Azure" (table) is defined as "Microsoft Azure Event Management (« AEM »)"
    assert offers["Gestion des événements Azure"].acronym == "AEM"
    assert offers["Gestion des événements Azure"].languages == ["en"]
    # the table says "Réponse rapide", the text "Rapid Response : la solution … (réponse rapide) …"
    assert offers["Réponse rapide"].description.startswith("la solution Rapide Response")
    assert "Rapid Response" not in offers
    assert offers["Évaluation à la Demande"].delivery == ["remote", "onsite"]
    assert {f.normalized for f in offers["Évaluation à la Demande"].facts} >= {"2 d", "1 d"}


def test_ussd_glossary_merges_table_and_text_names(extracted, ussd_pdf) -> None:  # noqa: ANN001
    """The USSD table says "Réponse rapide", its section "Rapid Response": one offer through the glossary."""
    from pipeline.normalize import normalize
    from pipeline.normalize.glossary import Glossary
    from pipeline.normalize.model import IdSource

    glossary = Glossary.from_pairs(
        [("Rapid Response", "Réponse rapide"), ("On-Demand Assessment", "Évaluation à la Demande")]
    )
    sd = normalize(extracted(ussd_pdf), glossary)
    rapid = [o for o in sd.offers if o.id.startswith("rapid-response")]
    assert len(rapid) == 1 and rapid[0].id_source is IdSource.glossary
    assert rapid[0].availability is Availability.additional and rapid[0].description
    assert sd.offer("on-demand-assessment").availability is Availability.included
    fallback = [f for f in sd.findings if f.code == "N101"]
    assert fallback and all(f.offer_id.startswith("fr:") for f in fallback)


def test_ussd_severity_tables_with_minutes(ussd: ServiceDescription) -> None:
    assert len(ussd.sla_tables) == 4
    base = {r.severity: r for r in ussd.sla_tables[0].rows}
    assert list(base) == ["1", "A", "B", "C"]
    assert {(r.scope_id, r.minutes) for r in base["1"].first_response} == {
        ("fr:composants-azure", 15),
        ("other", 60),
    }
    assert [(r.minutes, r.business_hours) for r in base["A"].first_response] == [(60, False)]
    assert [(r.minutes, r.business_hours) for r in base["B"].first_response] == [(120, True)]
    assert [(r.minutes, r.business_hours) for r in base["C"].first_response] == [(240, True)]
    assert base["B"].our_response.startswith("Première réponse par téléphone")
    assert base["1"].your_response
    uer = {r.severity: r for r in ussd.sla_tables[1].rows}
    assert {(r.scope_id, r.minutes) for r in uer["1"].first_response} == {
        ("fr:composants-azure", 15),
        ("other", 30),
    }
    assert [r.minutes for r in ussd.sla_tables[2].rows[0].first_response] == [15]
    # Rapid Response: severities 1 and A share one merged response cell
    assert [r.severity for r in ussd.sla_tables[2].rows] == ["1", "A"]
    assert [r.minutes for r in ussd.sla_tables[2].rows[1].first_response] == [15]


def test_ussd_footnotes_and_sections(ussd: ServiceDescription) -> None:
    numbered = [s.number for s in ussd.sections if s.number]
    assert numbered[:8] == ["1", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"] or set(numbered) >= {
        "2.1",
        "2.6",
    }
    sev_notes = [f for f in ussd.footnotes if f.table_id == ussd.sla_tables[0].id]
    assert [f.marker for f in sev_notes if f.marker.isdigit()] == ["1", "2", "3", "4"]
    legends = {f.marker for f in ussd.footnotes if not f.marker.isdigit()}
    assert {"✓", "+", "✓1", "+1"} <= legends


def test_vendor_pdf_five_enhanced_services(vendor: ServiceDescription) -> None:
    ids = [o.id for o in vendor.offers]
    assert ids == [
        "prioritized-service-engineering-engagement-for-critical-incidents",
        "advanced-monitoring-notification",
        "business-project-awareness",
        "tenant-specific-post-incident-review",
        "customer-advisory-input",
    ]
    assert all(o.description for o in vendor.offers)
    # the title block's "Service Description Supplement" subtitle is not a category
    assert vendor.offers[0].category == ["Overview", "Office 365 Engineering Direct Summary"]
    pir = vendor.offer("tenant-specific-post-incident-review")
    durations = {(f.value, f.business) for f in pir.facts if f.kind.value == "duration"}
    assert {(48 * 60, False), (30 * 1440, False), (10 * 1440, True)} <= durations
    # the durations belong to that offer only
    others = [f for o in vendor.offers if o.id != pir.id for f in o.facts if f.kind.value == "duration"]
    assert not any(f.value in {48 * 60, 30 * 1440} for f in others)
    assert vendor.document.edition_date == "2019-03-25" and vendor.document.edition_date_source == "text"


@pytest.mark.parametrize(
    ("slug", "date"),
    [("sharepoint-online-limits", "2021-07-09"), ("teams-service-description", "2021-07-14")],
)
def test_bilingual_pdf_editions_same_offers_plan_values_and_facts(
    shared_corpus, extracted, slug, date
) -> None:  # noqa: ANN001
    from collections import Counter
    from pathlib import Path

    from pipeline.normalize import normalize
    from pipeline.normalize.glossary import Glossary

    glossary = Glossary.load(Path(__file__).parent / "data" / "o365-glossary.tbx")
    folder = shared_corpus / "bilingual-pdf" / slug / date
    en, fr = (normalize(extracted(folder / f"{lang}.pdf"), glossary) for lang in ("en", "fr"))
    assert en.offers and [o.id for o in en.offers] == [o.id for o in fr.offers]
    for a, b in zip(en.offers, fr.offers, strict=True):
        assert [(v.plan_id, v.availability) for v in a.plan_values] == [
            (v.plan_id, v.availability) for v in b.plan_values
        ]
    facts = [Counter((f.offer_id, f.kind, f.value) for f in sd.facts if f.offer_id) for sd in (en, fr)]
    assert facts[0] == facts[1]
    # "Edition: 4 June 2021" / "Édition : 4 juin 2021" on the title block
    assert en.document.edition_date == fr.document.edition_date == date
    assert en.document.edition_date_source == "text"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_support_2018_pdf_footnote_line_with_four_markers_gives_four_footnotes(
    described,
    shared_corpus,
    lang: str,  # noqa: ANN001
) -> None:
    """Regression: the PDF sets footnotes 1-4 in one block; each marker starts its own footnote."""
    sd = described(shared_corpus / "bilingual-pdf" / "support" / "2018-09-23" / f"{lang}.pdf")
    assert [f.marker for f in sd.footnotes] == ["1", "2", "3", "4"]
    assert all(len(f.text) > 40 for f in sd.footnotes)
