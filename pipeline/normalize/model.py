"""The offer schema: the versioned contract between normalize and everything after it.

These models are the source of truth: ``schemas/service-description.schema.json`` and
``schemas/service-description.xsd`` are generated from them (``python -m pipeline.normalize.schema``)
and a test fails when the committed files drift.

Ids: an offer's ``id`` is the slug of its canonical English name (through the glossary), the
same across editions and languages; a name with no glossary entry gets ``<lang>:<slug>`` and a
finding. Segment ids (``s-<section>-<n>``) are stable within one edition.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, Field

from pipeline.extract.model import Link, Provenance, SourceFormat

#: 2.0: typed SLA targets (metric, scope, minutes or percent, coverage) replace first responses.
SCHEMA_VERSION = "2.0"


class Availability(str, Enum):
    included = "included"
    additional = "additional"
    included_conditional = "included_conditional"
    additional_limited = "additional_limited"
    unknown = "unknown"
    # Feature x plan tables: the feature is not available in that plan ("No", "Non").
    not_available = "not_available"


class FindingSeverity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class FactKind(str, Enum):
    duration = "duration"
    money = "money"
    percent = "percent"
    count = "count"
    storage = "storage"
    time_of_day = "time_of_day"
    time_range = "time_range"
    number = "number"


class SegmentKind(str, Enum):
    heading = "heading"
    paragraph = "paragraph"
    list_item = "list_item"
    table_cell = "table_cell"
    note = "note"
    footnote = "footnote"
    front_matter = "front_matter"


class IdSource(str, Enum):
    glossary = "glossary"
    english = "english"  # the name is English already (source language en)
    fallback = "fallback"  # no glossary entry: language-tagged id, with a finding


class Finding(BaseModel):
    code: str = Field(description="stable code, e.g. V101")
    severity: FindingSeverity
    message: str
    offer_id: str | None = None
    segment_id: str | None = None
    prov: list[Provenance] = Field(default_factory=list)


class DocumentInfo(BaseModel):
    title: str | None = None
    language: str | None = None
    edition_date: str | None = Field(default=None, description="ISO date YYYY-MM-DD")
    edition_date_source: str | None = Field(
        default=None, description="text | front_matter | pdf_metadata | file_name"
    )
    front_matter: dict[str, Any] = Field(default_factory=dict)
    pdf_metadata: dict[str, str] = Field(default_factory=dict)
    source: str
    sha256: str
    format: SourceFormat
    pages: int | None = None


class Section(BaseModel):
    id: str = Field(description="slug of number or title, unique within the edition")
    number: str | None = None
    title: str
    level: int
    parent: str | None = None
    prov: list[Provenance] = Field(default_factory=list)


class Fact(BaseModel):
    """A quantity found in the text, normalised: value + canonical unit.

    Canonical units: duration -> ``minute`` (with ``business`` for business hours/days);
    money -> ISO currency (``USD``, ``EUR``); percent -> ``percent``; storage -> ``byte``
    (decimal: 1 TB = 1e12); count -> ``item`` or the counted noun lemma; time_of_day -> ``minute``
    since midnight; time_range -> ``value``/``value_max`` in minutes since midnight.
    """

    id: str
    kind: FactKind
    value: float
    value_max: float | None = Field(
        default=None, description="upper bound of a range ('10 – 14 business days')"
    )
    unit: str
    business: bool = False
    text: str = Field(description="surface form as written")
    normalized: str = Field(description="language-neutral rendering, e.g. '48 h', '50000 USD', '1 TB'")
    offer_id: str | None = None
    segment_id: str | None = None
    prov: list[Provenance] = Field(default_factory=list)


class TermKind(str, Enum):  # noqa: UP042 - house style
    """What a typed condition of an offer restricts or prices."""

    minimum = "minimum"  # included from a quantity on ("à partir de 50 postes", "from 50 seats")
    maximum = "maximum"  # up to a quantity ("up to 3 per year", "jusqu'à 10 utilisateurs")
    plans = "plans"  # only in some plans ("only for the Business and Enterprise levels")
    regions = "regions"  # only in some regions ("available to customers in the EU only")
    price = "price"  # a price applies ("450 EUR par revue", below a threshold or always)


class OfferTerm(BaseModel):
    """One typed condition or price of an offer, read from its paragraph (the sentence stays in ``text``)."""

    kind: TermKind
    text: str = Field(description="the clause as written")
    value: float | None = Field(default=None, description="the quantity or the amount")
    unit: str | None = Field(default=None, description="counted noun ('postes', 'seats') or ISO currency")
    per: str | None = Field(default=None, description="what a price is paid per ('revue', 'review', 'month')")
    names: list[str] = Field(default_factory=list, description="plans or regions the offer is restricted to")
    availability: Availability | None = Field(
        default=None,
        description="what holds under this term (included above a minimum, additional at a price)",
    )


class PlanValue(BaseModel):
    """One cell of a feature x plan table: the plan, what the cell says, what it means."""

    plan: str
    plan_id: str
    text: str
    availability: Availability = Availability.unknown
    status: str | None = Field(
        default=None, description="status-scale level when the cell is a status word ('rolling_out' …)"
    )
    facts: list[Fact] = Field(default_factory=list)
    footnotes: list[str] = Field(default_factory=list)
    table_id: str | None = Field(
        default=None, description="the table the cell is in (a row label can recur in several tables)"
    )
    row: int | None = Field(default=None, description="row of the cell in that table")
    col: int | None = Field(default=None, description="column of the cell in that table")


class Offer(BaseModel):
    id: str
    name: str
    id_source: IdSource = IdSource.fallback
    acronym: str | None = None
    category: list[str] = Field(
        default_factory=list, description="path, e.g. ['Services proactifs', 'Services de maintenance']"
    )
    availability: Availability = Availability.unknown
    availability_mark: str | None = Field(default=None, description="the mark as printed: ✓, +, ✓1 …")
    status: str | None = Field(
        default=None, description="status-scale level when availability is a status word ('in_preview' …)"
    )
    description: str | None = None
    conditions: list[str] = Field(default_factory=list)
    terms: list[OfferTerm] = Field(
        default_factory=list, description="typed conditions and prices: thresholds, plans, regions, prices"
    )
    responsibilities: list[str] = Field(default_factory=list)
    delivery: list[str] = Field(default_factory=list, description="remote | onsite")
    hours: str | None = None
    languages: list[str] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    plan_values: list[PlanValue] = Field(default_factory=list)
    footnotes: list[str] = Field(default_factory=list)
    table_id: str | None = None
    section_id: str | None = None
    segment_ids: list[str] = Field(default_factory=list)
    prov: list[Provenance] = Field(default_factory=list)


class SlaMetric(str, Enum):
    """What an SLA target measures (names and their synonyms: ``lexicon/data/<lang>/metrics.yaml``)."""

    first_response = "first_response"  # first response, acknowledgement, GTI, prise en charge
    restoration = "restoration"  # service restored or worked around, GTR
    resolution = "resolution"  # permanent fix
    update_interval = "update_interval"  # status updates every …
    availability = "availability"  # uptime percentage over a period
    other = "other"


class SlaSource(str, Enum):
    """The layout a group of SLA targets was read from."""

    table = "table"  # severity rows x time columns (one column per metric)
    grid = "grid"  # severity rows x plan columns (one metric)
    matrix = "matrix"  # commitment rows x plan columns (one metric per row)
    prose = "prose"  # priority definitions in list items or paragraphs, availability sentences


class SlaTarget(BaseModel):
    """One commitment: a metric for a row's severity (or for all) and a scope, with its value.

    ``minutes`` for times (business minutes when ``business_hours``: "4 h ouvrées", "NBD" = 1440
    business minutes), ``percent`` for availability.
    """

    metric: SlaMetric = SlaMetric.first_response
    scope: str = Field(default="all", description="plan or scope the value applies to, as printed, or 'all'")
    scope_id: str = "all"
    minutes: int | None = None
    percent: float | None = None
    business_hours: bool = False
    coverage: str | None = Field(
        default=None, description="hours the clock runs: '24x7', '8x5', 'business hours 09:00-18:00' …"
    )
    period: str | None = Field(default=None, description="availability measured per: month | quarter | year")
    exclusions: list[str] = Field(default_factory=list, description="what an availability figure leaves out")
    text: str


class ServiceCredit(BaseModel):
    """A service credit owed when a target is missed: a share of the fee, per period of downtime, capped."""

    percent: float | None = Field(default=None, description="share of the fee credited")
    per_minutes: int | None = Field(default=None, description="per this much downtime ('per hour' -> 60)")
    below_percent: float | None = Field(default=None, description="availability under which it applies")
    cap_percent: float | None = None
    text: str
    prov: list[Provenance] = Field(default_factory=list)


class SlaRow(BaseModel):
    severity: str = Field(
        description="row key: level as '1', 'A', 'critical' …; '' for a row that holds for every level"
    )
    label: str = Field(default="", description="the row title as printed")
    situation: str = ""
    our_response: str = ""
    your_response: str = ""
    targets: list[SlaTarget] = Field(default_factory=list)
    footnotes: list[str] = Field(default_factory=list)
    prov: list[Provenance] = Field(default_factory=list)

    @property
    def first_response(self) -> list[SlaTarget]:
        return [t for t in self.targets if t.metric is SlaMetric.first_response]


class SlaTable(BaseModel):
    """A group of SLA targets from one table or one run of prose (``source``)."""

    id: str
    title: str | None = None
    section_id: str | None = None
    source: SlaSource = SlaSource.table
    columns: list[str] = Field(default_factory=list)
    coverage: str | None = Field(default=None, description="the hours the document's clock runs, when said")
    rows: list[SlaRow] = Field(default_factory=list)
    credits: list[ServiceCredit] = Field(default_factory=list)
    prov: list[Provenance] = Field(default_factory=list)


class Footnote(BaseModel):
    marker: str
    text: str
    table_id: str | None = None
    section_id: str | None = None
    prov: list[Provenance] = Field(default_factory=list)


class TablePosition(BaseModel):
    table_id: str
    row: int
    col: int
    is_header: bool = False


class Segment(BaseModel):
    """A sentence, heading, list item, note or table cell: the unit the parity checker aligns."""

    id: str
    text: str
    kind: SegmentKind
    section_id: str | None = None
    block_index: int = Field(description="index of the source block in Document.blocks")
    list_level: int | None = None
    table: TablePosition | None = None
    footnote_refs: list[str] = Field(default_factory=list, description="markers glued to this text")
    links: list[Link] = Field(default_factory=list)
    raw: str | None = Field(default=None, description="inline markup where the source had it")
    lang: str | None = None
    prov: list[Provenance] = Field(default_factory=list)


class ServiceDescription(BaseModel):
    schema_version: str = SCHEMA_VERSION
    document: DocumentInfo
    sections: list[Section] = Field(default_factory=list)
    offers: list[Offer] = Field(default_factory=list)
    sla_tables: list[SlaTable] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    def offer(self, offer_id: str) -> Offer | None:
        return next((o for o in self.offers if o.id == offer_id), None)

    def sla_targets(self) -> list[tuple[SlaTable, SlaRow, SlaTarget]]:
        """Every SLA target with its table and row, in document order: the flat view catalogs use."""
        return [(t, r, x) for t in self.sla_tables for r in t.rows for x in r.targets]
