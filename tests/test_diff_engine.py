"""diff_descriptions on small hand-built ServiceDescriptions: each rule, one edit at a time."""

from __future__ import annotations

import copy

from pipeline.diff.compare import diff_descriptions
from pipeline.diff.model import ChangeKind as K
from pipeline.diff.model import ChangeSeverity as S
from pipeline.extract.model import Provenance, SourceFormat
from pipeline.normalize.model import (
    Availability,
    DocumentInfo,
    Fact,
    FactKind,
    Offer,
    PlanValue,
    Section,
    Segment,
    SegmentKind,
    ServiceDescription,
    SlaRow,
    SlaTable,
    SlaTarget,
)


def seg(i: int, text: str, section: str = "intro", kind: SegmentKind = SegmentKind.paragraph) -> Segment:
    return Segment(
        id=f"s-{section}-{i}",
        text=text,
        kind=kind,
        section_id=section,
        block_index=i,
        prov=[Provenance(page=1 + i // 10, line_start=i)],
    )


def make_sd() -> ServiceDescription:
    pv = lambda plan, av, text: PlanValue(plan=plan, plan_id=plan.lower(), text=text, availability=av)  # noqa: E731
    offers = [
        Offer(
            id="chat",
            name="Chat",
            category=["Features"],
            plan_values=[pv("Basic", Availability.included, "Yes"), pv("Pro", Availability.included, "Yes")],
        ),
        Offer(
            id="webinars",
            name="Webinars",
            category=["Features"],
            plan_values=[
                pv("Basic", Availability.not_available, "No"),
                pv("Pro", Availability.included, "Yes"),
            ],
        ),
        Offer(
            id="live-events",
            name="Live Events",
            category=["Features"],
            plan_values=[
                pv("Basic", Availability.not_available, "No"),
                pv("Pro", Availability.included, "Yes"),
            ],
        ),
        Offer(
            id="onsite-review",
            name="Onsite Review",
            category=["Proactive"],
            availability=Availability.included,
            description="An engineer visits your site to review the health of your deployment and reports findings.",
            conditions=["Available only for customers with at least 500 seats."],
        ),
    ]
    facts = [
        Fact(
            id="f1",
            kind=FactKind.duration,
            value=14 * 1440,
            unit="minute",
            text="14 days",
            normalized="14 d",
            segment_id="s-intro-1",
        ),
        Fact(
            id="f2",
            kind=FactKind.percent,
            value=99.9,
            unit="percent",
            text="99.9%",
            normalized="99.9 %",
            segment_id="s-intro-2",
        ),
    ]
    sla = SlaTable(
        id="t9",
        title="Response times",
        rows=[
            SlaRow(
                severity="A",
                targets=[SlaTarget(scope="All", scope_id="all", minutes=60, text="one hour")],
            ),
            SlaRow(
                severity="B",
                targets=[SlaTarget(scope="All", scope_id="all", minutes=120, text="2 hours")],
            ),
        ],
    )
    return ServiceDescription(
        document=DocumentInfo(
            title="Demo",
            source="demo.md",
            sha256="0" * 64,
            format=SourceFormat.markdown,
            edition_date="2020-01-01",
        ),
        sections=[Section(id="intro", title="Intro", level=1), Section(id="more", title="More", level=1)],
        offers=offers,
        sla_tables=[sla],
        facts=facts,
        segments=[
            seg(0, "Intro", kind=SegmentKind.heading),
            seg(1, "Service requests can be reopened for up to 14 days after closing."),
            seg(2, "The service has a 99.9% uptime commitment each quarter."),
            seg(3, "Support is available online and by telephone for paid subscriptions."),
            seg(4, "More", section="more", kind=SegmentKind.heading),
            seg(5, "Additional text lives here in a second section.", section="more"),
        ],
    )


def kinds(diff):
    return [(c.kind, c.severity) for c in diff.changes]


def material(diff):
    return [(c.kind, c.severity, c.offer_id, c.old, c.new) for c in diff.material()]


def test_self_diff_is_empty():
    sd = make_sd()
    d = diff_descriptions(sd, copy.deepcopy(sd))
    assert d.changes == []
    assert d.counts == {"breaking": 0, "major": 0, "minor": 0, "cosmetic": 0}


def test_provenance_only_changes_are_ignored():
    a, b = make_sd(), make_sd()
    for s in b.segments:
        s.prov = [Provenance(page=9, line_start=999)]
    for s in b.segments:
        s.id = s.id + "x"
    b.sla_tables[0].id = "t42"
    assert diff_descriptions(a, b).changes == []


def test_plan_availability_flip_is_breaking_and_reverse_major():
    a, b = make_sd(), make_sd()
    b.offers[0].plan_values[1].availability = Availability.not_available
    b.offers[0].plan_values[1].text = "No"
    b.offers[1].plan_values[0].availability = Availability.included
    b.offers[1].plan_values[0].text = "Yes"
    d = diff_descriptions(a, b)
    assert material(d) == [
        (K.availability_changed, S.breaking, "chat", "included", "not_available"),
        (K.availability_changed, S.major, "webinars", "not_available", "included"),
    ]
    assert len(d.changes) == 2


def test_offer_availability_included_to_additional_is_breaking():
    a, b = make_sd(), make_sd()
    b.offers[3].availability = Availability.additional
    d = diff_descriptions(a, b)
    assert kinds(d) == [(K.availability_changed, S.breaking)]


def test_sla_longer_is_breaking_shorter_major():
    a, b = make_sd(), make_sd()
    b.sla_tables[0].rows[0].first_response[0].minutes = 120
    b.sla_tables[0].rows[1].first_response[0].minutes = 60
    d = diff_descriptions(a, b)
    got = [(c.kind, c.severity, c.subject, c.old, c.new) for c in d.changes]
    assert got == [
        (K.sla_changed, S.breaking, "A/all", "1 h", "2 h"),
        (K.sla_changed, S.major, "B/all", "2 h", "1 h"),
    ]


def test_offer_removed_added_and_renamed():
    a, b = make_sd(), make_sd()
    del b.offers[2]  # live events removed
    b.offers[2].id, b.offers[2].name = "onsite-health-review", "Onsite Health Review"  # renamed
    b.offers.append(
        Offer(id="town-halls", name="Town halls", category=["Other"], availability=Availability.included)
    )
    d = diff_descriptions(a, b)
    assert material(d) == [
        (K.offer_removed, S.breaking, "live-events", "Live Events", None),
        (K.offer_added, S.major, "town-halls", None, "Town halls"),
        (K.offer_renamed, S.major, "onsite-health-review", "Onsite Review", "Onsite Health Review"),
    ]


def test_table_row_rename_needs_same_place():
    a, b = make_sd(), make_sd()
    b.offers[1].id, b.offers[1].name = "web-seminars", "Web seminars"
    d = diff_descriptions(a, b)
    assert material(d) == [(K.offer_renamed, S.major, "web-seminars", "Webinars", "Web seminars")]


def test_fact_direction_by_context():
    a, b = make_sd(), make_sd()
    b.facts[0] = b.facts[0].model_copy(update={"value": 7 * 1440, "normalized": "7 d", "text": "7 days"})
    b.segments[1].text = "Service requests can be reopened for up to 7 days after closing."
    b.facts[1] = b.facts[1].model_copy(update={"value": 99.95, "normalized": "99.95 %"})
    b.segments[2].text = "The service has a 99.95% uptime commitment each quarter."
    d = diff_descriptions(a, b)
    facts = [(c.severity, c.subject, c.old, c.new) for c in d.changes if c.kind is K.fact_changed]
    assert facts == [(S.breaking, "duration", "14 d", "7 d"), (S.major, "percent", "99.9 %", "99.95 %")]
    # one entry per edit: the sentence's redline hangs on the fact change, no text_changed twice
    assert {c.kind for c in d.changes} == {K.fact_changed}
    assert all(c.redline for c in d.changes)


def test_condition_added_removed_tightened():
    a, b = make_sd(), make_sd()
    b.offers[3].conditions = ["Available only for customers with at least 500 seats and must be booked."]
    d = diff_descriptions(a, b)
    assert kinds(d) == [(K.condition_added, S.breaking)]
    b.offers[3].conditions = []
    assert kinds(diff_descriptions(a, b)) == [(K.condition_removed, S.major)]


def test_condition_sentence_added_in_text():
    a, b = make_sd(), make_sd()
    b.segments.insert(4, seg(31, "Telephone support requires a paid subscription."))
    d = diff_descriptions(a, b)
    assert kinds(d) == [(K.condition_added, S.breaking)]
    assert d.changes[0].new_text == "Telephone support requires a paid subscription."
    assert d.changes[0].old_text is None


def test_rewording_without_meaning_is_cosmetic():
    a, b = make_sd(), make_sd()
    b.segments[3].text = "Support is available by telephone and online, for paid subscriptions!"
    d = diff_descriptions(a, b)
    assert kinds(d) == [(K.text_changed, S.cosmetic)]
    assert any(s.op.value == "delete" for s in d.changes[0].redline)


def test_meaningful_rewording_is_minor_with_redline():
    a, b = make_sd(), make_sd()
    b.segments[3].text = "Support is available online and by telephone for all subscriptions."
    d = diff_descriptions(a, b)
    assert kinds(d) == [(K.text_changed, S.minor)]
    ops = [(s.op.value, s.text) for s in d.changes[0].redline]
    assert ("delete", " paid") in ops and ("insert", " all") in ops


def test_pdf_noise_is_no_change():
    a, b = make_sd(), make_sd()
    b.segments[3].text = "Sup- port is available on\u00adline and by tele- phone for paid sub- scriptions."
    b.segments[1].text = "Service requests can be reopened for up to 14 days after clos-\ning."
    assert diff_descriptions(a, b).changes == []
    c = make_sd()
    c.segments[3].text = "Support is available online"
    c.segments.insert(4, seg(8, "and by telephone for paid subscriptions."))
    assert diff_descriptions(a, c).changes == []  # sentence split differently


def test_section_added_removed_and_metadata():
    a, b = make_sd(), make_sd()
    b.sections = [s for s in b.sections if s.id != "more"] + [Section(id="new", title="Brand new", level=1)]
    b.segments = [s for s in b.segments if s.section_id != "more"] + [
        seg(7, "Brand new", "new", SegmentKind.heading)
    ]
    b.document.edition_date = "2021-01-01"
    d = diff_descriptions(a, b)
    assert sorted((c.kind.value, c.severity.value) for c in d.changes) == [
        ("metadata_changed", "cosmetic"),
        ("section_added", "minor"),
        ("section_removed", "minor"),
    ]


def test_changes_sorted_material_first_and_fail_on():
    a, b = make_sd(), make_sd()
    b.segments[3].text = "Support is available online and by telephone for all subscriptions."
    b.offers[0].plan_values[0].availability = Availability.not_available
    b.document.edition_date = "2021-01-01"
    d = diff_descriptions(a, b)
    assert [c.severity for c in d.changes] == [S.breaking, S.minor, S.cosmetic]
    assert d.reaches("breaking") and d.reaches("minor") and not d.reaches("never")
    assert d.counts == {"breaking": 1, "major": 0, "minor": 1, "cosmetic": 1}


def _fact(fid: str, kind: FactKind, value: float, unit: str, text: str, seg_id: str) -> Fact:
    return Fact(id=fid, kind=kind, value=value, unit=unit, text=text, normalized=text, segment_id=seg_id)


def test_money_higher_fee_breaking_and_minimum_seats_higher_breaking():
    a, b = make_sd(), make_sd()
    for sd, fee, seats in ((a, 100, 500), (b, 150, 1000)):
        sd.segments.append(seg(20, f"An onsite visit costs a fee of {fee} USD per day.", "more"))
        sd.segments.append(seg(21, f"Customers need a minimum of {seats} seats.", "more"))
        sd.facts.append(_fact("m", FactKind.money, fee, "USD", f"{fee} USD", "s-more-20"))
        sd.facts.append(_fact("c", FactKind.count, seats, "seat", f"{seats} seats", "s-more-21"))
    d = diff_descriptions(a, b)
    got = [(c.severity, c.subject, c.old, c.new) for c in d.changes if c.kind is K.fact_changed]
    assert got == [
        (S.breaking, "count", "500 seats", "1000 seats"),
        (S.breaking, "money", "100 USD", "150 USD"),
    ]


def test_storage_limit_larger_is_major():
    a, b = make_sd(), make_sd()
    for sd, size in ((a, 1e12), (b, 5e12)):
        sd.segments.append(seg(20, f"Each user gets {size / 1e12:.0f} TB of storage.", "more"))
        sd.facts.append(_fact("s", FactKind.storage, size, "byte", f"{size / 1e12:.0f} TB", "s-more-20"))
    d = diff_descriptions(a, b)
    assert [(c.severity, c.old, c.new) for c in d.changes if c.kind is K.fact_changed] == [
        (S.major, "1 TB", "5 TB")
    ]


def test_number_only_rewording_without_fact_is_reported_as_fact_change():
    a, b = make_sd(), make_sd()
    a.segments[5].text = "Each site holds up to 300 lists."
    b.segments[5].text = "Each site holds up to 150 lists."
    d = diff_descriptions(a, b)
    got = [(c.kind, c.severity, c.old, c.new) for c in d.changes]
    assert got == [(K.fact_changed, S.breaking, "300", "150")]  # one entry per edit
    assert d.changes[0].redline and d.changes[0].old_text == "Each site holds up to 300 lists."


def test_condition_threshold_raised_is_breaking():
    a, b = make_sd(), make_sd()
    b.offers[3].conditions = ["Available only for customers with at least 1000 seats."]
    d = diff_descriptions(a, b)
    assert [(c.kind, c.severity, c.old, c.new) for c in d.material()] == [
        (K.fact_changed, S.breaking, "500", "1000")
    ]
    b.offers[3].conditions = ["Available only for customers with at least 100 seats."]
    d = diff_descriptions(a, b)
    assert [(c.kind, c.severity) for c in d.material()] == [(K.fact_changed, S.major)]


def test_copyright_year_and_typography_are_not_changes():
    a, b = make_sd(), make_sd()
    a.segments[5].text = "© 2019 Microsoft Corporation. All rights reserved – see “terms”."
    b.segments[5].text = '© 2021 Microsoft Corporation. All rights reserved - see "terms".'
    assert diff_descriptions(a, b).changes == []


def test_condition_reworded_in_meaning_is_major_eligibility():
    a, b = make_sd(), make_sd()
    b.offers[3].conditions = ["Available only for partners with at least 500 seats."]
    d = diff_descriptions(a, b)
    assert [(c.kind, c.severity, c.summary) for c in d.changes] == [
        (K.text_changed, S.major, "Onsite Review: condition changed (eligibility)")
    ]
