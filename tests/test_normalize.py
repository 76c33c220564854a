"""normalize() on hand-built Documents: each component's rule, independent of the extractors."""

from __future__ import annotations

from pipeline.extract.model import (
    Block,
    BlockKind,
    Document,
    DocumentMeta,
    FootnoteRef,
    Provenance,
    SourceFormat,
    Table,
    TableCell,
)
from pipeline.normalize import normalize
from pipeline.normalize.edition import find_edition, parse_date
from pipeline.normalize.glossary import Glossary
from pipeline.normalize.model import Availability, IdSource, SegmentKind
from pipeline.normalize.segments import split_sentences
from pipeline.normalize.sla import parse_duration, responses_in
from pipeline.normalize.tables import TableKind, classify


def _doc(blocks: list[Block], lang: str = "fr", source: str = "/x/2021-06-04/fr.pdf") -> Document:
    meta = DocumentMeta(source=source, sha256="0" * 64, format=SourceFormat.pdf, language=lang)
    return Document(meta=meta, blocks=blocks)


def _h(text: str, level: int, number: str | None = None) -> Block:
    return Block(
        kind=BlockKind.heading, text=text, level=level, section_number=number, prov=[Provenance(page=1)]
    )


def _p(text: str, **kw) -> Block:  # noqa: ANN003
    return Block(kind=BlockKind.paragraph, text=text, prov=[Provenance(page=2)], **kw)


def _li(text: str) -> Block:
    return Block(kind=BlockKind.list_item, text=text, level=0, marker="•")


def _table(rows: list[list[str]], header_rows: int = 1, refs: dict | None = None) -> Block:
    cells = []
    for r, row in enumerate(rows):
        cells.append(
            [
                TableCell(
                    text=t,
                    row=r,
                    col=c,
                    is_header=r < header_rows,
                    footnote_refs=[
                        FootnoteRef(marker=m, offset=len(t)) for m in (refs or {}).get((r, c), [])
                    ],
                )
                for c, t in enumerate(row)
            ]
        )
    return Block(kind=BlockKind.table, table=Table(rows=cells, header_rows=header_rows, n_cols=len(rows[0])))


def _ussd_like() -> Document:
    return _doc(
        [
            _h("2 Services de support", 1, "2"),
            _h("2.2 Description des services", 2, "2.2"),
            _h("Services proactifs", 3),
            _h("Services de maintenance", 4),
            _table(
                [
                    ["Types de services de maintenance", "Planification"],
                    ["Évaluation à la Demande", "✓"],
                    ["Programme d’Évaluation", "\uf0c8"],
                    ["Défenseur des Développeurs Architectes", "✓"],
                ],
                refs={(3, 1): ["1"]},
            ),
            _p("✓ - Inclus dans votre Package de Base."),
            _p("+ - Service supplémentaire pouvant être acheté."),
            _p("✓1 – Services supplémentaires pouvant être fournis par Microsoft."),
            _p(
                "Évaluation à la Demande : accès à une plateforme en ligne d’évaluation, à distance ou sur site "
                "(jusqu’à deux (2) jours maximum)."
            ),
            _p("Programmes d’Évaluation : évaluation de la conception de vos technologies, en anglais."),
            _p("Ingénierie Désignée (DE) : solution adaptée fournie par un expert technique."),
            _h("Conditions préalables et limitations spécifiques au service", 5),
            _li(
                "Les services DE sont disponibles pendant les heures de bureau (de 9 h à 17 h 30, heure locale)."
            ),
            _li("Les services DE sont fournis à distance, sauf accord écrit préalable."),
            _h("Services réactifs", 3),
            _table(
                [
                    ["Sévérité et situation", "Notre réponse prévue", "Votre réponse prévue"],
                    [
                        "Sévérité 1\nArrêt des systèmes de gestion critiques",
                        "Composants Azure - Première réponse par téléphone en 15 minutes ou moins\n"
                        "Tous les autres produits et services - Première réponse par téléphone en une heure ou moins",
                        "Notification de vos cadres seniors",
                    ],
                    [
                        "Sévérité B\nImpact modéré : nécessite une prise en charge dans un délai de deux (2) heures ouvrées",
                        "Première réponse par téléphone en deux (2) heures ou moins",
                        "Accès et réponse rapides",
                    ],
                ]
            ),
            Block(kind=BlockKind.footnote, text="Les heures ouvrées sont de 9 h 00 à 17 h 30.", marker="4"),
        ]
    )


def test_availability_table_rows_become_offers_with_legend_meanings() -> None:
    sd = normalize(_ussd_like())
    by_name = {o.name: o for o in sd.offers}
    assert by_name["Évaluation à la Demande"].availability is Availability.included
    assert by_name["Programme d’Évaluation"].availability is Availability.additional
    assert by_name["Programme d’Évaluation"].availability_mark == "+"
    # "✓1": the legend says "may be provided by Microsoft" -> included, conditionally
    assert by_name["Défenseur des Développeurs Architectes"].availability is Availability.included_conditional
    assert by_name["Défenseur des Développeurs Architectes"].availability_mark == "✓1"
    assert by_name["Évaluation à la Demande"].category == ["Services proactifs", "Services de maintenance"]


def test_definitions_attach_by_fuzzy_name_and_carry_terms() -> None:
    sd = normalize(_ussd_like())
    by_name = {o.name: o for o in sd.offers}
    eval_demand = by_name["Évaluation à la Demande"]
    assert eval_demand.description and eval_demand.description.startswith("accès à une plateforme")
    assert eval_demand.delivery == ["remote", "onsite"]
    # plural in the definition ("Programmes") still attaches to the table row
    assert "en anglais" in (by_name["Programme d’Évaluation"].description or "")
    assert by_name["Programme d’Évaluation"].languages == ["en"]
    # a definition with no table row becomes an offer; acronym from "(DE)"; the conditions list follows it
    de = by_name["Ingénierie Désignée"]
    assert de.acronym == "DE"
    assert len(de.conditions) == 2
    assert de.hours == "09:00-17:30, local"
    assert "remote" in de.delivery


def test_french_names_without_glossary_get_fallback_ids_and_a_finding() -> None:
    sd = normalize(_ussd_like())
    offer = next(o for o in sd.offers if o.name == "Évaluation à la Demande")
    assert offer.id == "fr:evaluation-a-la-demande" and offer.id_source is IdSource.fallback
    assert any(f.code == "N101" and f.offer_id == offer.id for f in sd.findings)
    g = Glossary.from_pairs([("On-Demand Assessment", "Évaluation à la Demande")])
    sd2 = normalize(_ussd_like(), g)
    assert sd2.offers[0].id == "on-demand-assessment" and sd2.offers[0].id_source is IdSource.glossary
    assert len({o.id for o in sd2.offers}) == len(sd2.offers)


def test_severity_table_rows_with_minutes_per_scope() -> None:
    sd = normalize(_ussd_like())
    assert len(sd.sla_tables) == 1
    rows = {r.severity: r for r in sd.sla_tables[0].rows}
    assert set(rows) == {"1", "B"}
    scopes = {r.scope_id: r.minutes for r in rows["1"].first_response}
    assert scopes == {
        "fr:composants-azure": 15,
        "other": 60,
    }  # a scope id is its plan id: no vendor word in code
    (b,) = rows["B"].first_response
    assert b.minutes == 120 and b.business_hours


def test_sections_tree_and_segment_ids() -> None:
    sd = normalize(_ussd_like())
    sec = {s.title: s for s in sd.sections}
    assert sec["Description des services"].number == "2.2" and sec["Description des services"].id == "2-2"
    assert sec["Services de maintenance"].parent == sec["Services proactifs"].id
    ids = [s.id for s in sd.segments]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("s-") for i in ids)
    cells = [s for s in sd.segments if s.kind is SegmentKind.table_cell]
    assert any(s.text == "✓" and s.footnote_refs == ["1"] for s in cells)
    # normalising twice gives the same ids (stable within an edition)
    assert ids == [s.id for s in normalize(_ussd_like()).segments]


def test_footnotes_and_legends_are_collected() -> None:
    sd = normalize(_ussd_like())
    markers = {f.marker for f in sd.footnotes}
    assert {"✓", "+", "✓1", "4"} <= markers


def test_document_with_no_offers_is_valid_output() -> None:
    sd = normalize(_doc([_h("Titre", 1), _p("Un texte sans offre. Une deuxième phrase.")]))
    assert sd.offers == [] and len(sd.segments) == 3
    odd = _doc(
        [Block(kind=BlockKind.table, table=Table(rows=[[]], header_rows=0)), _table([["", ""], ["", ""]])]
    )
    assert normalize(odd).offers == []


def test_split_sentences_keeps_abbreviations_times_urls_decimals() -> None:
    text = (
        "Le support est ouvert de 9 h 00 à 17 h 30, p. ex. le lundi. Voir https://example.com/a.b?x=1. "
        "Le taux est de 99.9 % (2) ans. Use e.g. Teams. Done!"
    )
    assert split_sentences(text) == [
        "Le support est ouvert de 9 h 00 à 17 h 30, p. ex. le lundi.",
        "Voir https://example.com/a.b?x=1.",
        "Le taux est de 99.9 % (2) ans.",
        "Use e.g. Teams.",
        "Done!",
    ]
    assert split_sentences("Une valeur de 1,5 To. Deux.") == ["Une valeur de 1,5 To.", "Deux."]


def test_durations_and_response_scopes() -> None:
    assert parse_duration("en quatre (4) heures ouvrées")[:2] == (240, True)
    assert parse_duration("in one hour or less")[:2] == (60, False)
    assert parse_duration("trente (30) minutes")[:2] == (30, False)
    (resp,) = responses_in("Response time: 2 hours")
    assert resp.minutes == 120 and resp.scope_id == "all"


def test_table_classification() -> None:
    assert classify(
        _table([["Feature", "Plan 1", "Plan 2"], ["Chat", "Yes", "No"], ["Storage", "25 TB", "1 TB"]]).table
    ) is (TableKind.feature_plan)
    assert classify(
        _table([["Élément", "Description"], ["Package de Base", "Combinaison de services"]]).table
    ) is (TableKind.definition)
    assert classify(_table([["Q1", "Q2"], ["99.97%", "99.98%"]]).table) is TableKind.other


def test_edition_date_sources() -> None:
    assert parse_date("Édition : 4 juin 2021") == "2021-06-04"
    assert parse_date("Edition: 4 June 2021") == "2021-06-04"
    assert parse_date("Svc Desc (25mar2019).pdf") is None or parse_date("x") is None
    in_text = _doc([_p("Édition : 4 juin 2021")], source="/c/doc/2020-01-01/fr.pdf")
    assert find_edition(in_text) == ("2021-06-04", "text")
    from_path = _doc([_p("Rien")], source="/c/doc/2020-01-09/fr.md")
    assert find_edition(from_path) == ("2020-01-09", "file_name")
    vendor = _doc([_p("Rien")], source="/c/Office 365 Engineering Direct - Svc Desc (25mar2019).pdf")
    assert find_edition(vendor) == ("2019-03-25", "file_name")


def test_normalize_never_crashes_on_odd_tables_and_blocks() -> None:
    """Ragged rows, header-only tables, marks everywhere, empty texts: output is valid, never an exception."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(
        ["", "✓", "+", "✓1", "Yes", "Non", "N °", "Sévérité 1", "Sev A", "25 TB", "Nom : texte ici"]
    )
    rows = st.lists(st.lists(words, min_size=0, max_size=5), min_size=0, max_size=6)
    kinds = st.sampled_from(
        [BlockKind.heading, BlockKind.paragraph, BlockKind.list_item, BlockKind.footnote, BlockKind.note]
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.one_of(rows, st.tuples(kinds, words)), max_size=8), st.integers(0, 3))
    def check(items, header_rows) -> None:  # noqa: ANN001
        blocks = []
        for item in items:
            if isinstance(item, tuple):
                blocks.append(
                    Block(kind=item[0], text=item[1], level=1 if item[0] is BlockKind.heading else None)
                )
            else:
                cells = [
                    [TableCell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(item)
                ]
                blocks.append(Block(kind=BlockKind.table, table=Table(rows=cells, header_rows=header_rows)))
        sd = normalize(_doc(blocks))
        assert len({s.id for s in sd.segments}) == len(sd.segments)
        assert len({o.id for o in sd.offers}) == len(sd.offers)

    check()
