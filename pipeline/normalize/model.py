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

SCHEMA_VERSION = "1.0"


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


class SlaResponse(BaseModel):
    scope: str = Field(description="what the time applies to: 'Azure components', a plan name, or 'all'")
    scope_id: str
    minutes: int | None = None
    business_hours: bool = False
    text: str


class SlaRow(BaseModel):
    severity: str = Field(description="'1', 'A', 'B', 'C', 'Critical' …")
    situation: str = ""
    our_response: str = ""
    your_response: str = ""
    first_response: list[SlaResponse] = Field(default_factory=list)
    footnotes: list[str] = Field(default_factory=list)
    prov: list[Provenance] = Field(default_factory=list)


class SlaTable(BaseModel):
    id: str
    title: str | None = None
    section_id: str | None = None
    columns: list[str] = Field(default_factory=list)
    rows: list[SlaRow] = Field(default_factory=list)
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
