"""The diff contract: what changed between two editions, with a severity for the customer.

Severity is always judged from the customer's side: ``breaking`` = the customer gets less (an
offer removed, included -> add-on, a longer response time, a condition added, a higher fee or
threshold, a smaller limit); ``major`` = material but not worse (new offer, shorter time,
condition removed); ``minor`` = meaning-bearing wording; ``cosmetic`` = punctuation, case, word
order, synonyms, no fact changed.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field

from pipeline.extract.model import Provenance

DIFF_SCHEMA_VERSION = "1.0"


class ChangeKind(str, Enum):  # noqa: UP042 (house style)
    offer_added = "offer_added"
    offer_removed = "offer_removed"
    offer_renamed = "offer_renamed"
    offer_moved = "offer_moved"
    availability_changed = "availability_changed"
    sla_changed = "sla_changed"
    fact_changed = "fact_changed"
    condition_added = "condition_added"
    condition_removed = "condition_removed"
    text_changed = "text_changed"
    section_added = "section_added"
    section_removed = "section_removed"
    metadata_changed = "metadata_changed"
    #: a translation changed where its source language did not (machine-translation churn)
    translation_changed = "translation_changed"


class ChangeSeverity(str, Enum):  # noqa: UP042 (house style)
    breaking = "breaking"
    major = "major"
    minor = "minor"
    cosmetic = "cosmetic"


#: Most severe first; the order of reports and of ``--fail-on`` thresholds.
SEVERITY_ORDER: tuple[ChangeSeverity, ...] = (
    ChangeSeverity.breaking,
    ChangeSeverity.major,
    ChangeSeverity.minor,
    ChangeSeverity.cosmetic,
)
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}
MATERIAL = frozenset({ChangeSeverity.breaking, ChangeSeverity.major})
KIND_RANK = {k: i for i, k in enumerate(ChangeKind)}


class RedlineOp(str, Enum):  # noqa: UP042 (house style)
    equal = "equal"
    delete = "delete"
    insert = "insert"


class RedlineSpan(BaseModel):
    """One run of a word-level redline: kept, deleted (old only) or inserted (new only) text."""

    op: RedlineOp
    text: str


class EditionSummary(BaseModel):
    """The few facts about an edition a reader of the diff needs (no front matter dump)."""

    title: str | None = None
    language: str | None = None
    edition_date: str | None = None
    source: str = ""
    sha256: str = ""
    format: str = ""
    pages: int | None = None


class Change(BaseModel):
    kind: ChangeKind
    severity: ChangeSeverity
    offer_id: str | None = None
    section_id: str | None = None
    subject: str | None = Field(
        default=None,
        description="what inside the offer/table changed: a plan id, 'sev:A/scope', a fact kind, a field",
    )
    old: str | None = Field(default=None, description="old value, language-neutral ('included', '60 min')")
    new: str | None = None
    old_text: str | None = Field(default=None, description="the sentences or cells involved, old edition")
    new_text: str | None = None
    redline: list[RedlineSpan] = Field(default_factory=list)
    old_prov: list[Provenance] = Field(default_factory=list)
    new_prov: list[Provenance] = Field(default_factory=list)
    summary: str = ""

    def material(self) -> bool:
        return self.severity in MATERIAL

    def sort_key(self) -> tuple:
        return (
            SEVERITY_RANK[self.severity],
            KIND_RANK[self.kind],
            self.offer_id or "",
            self.section_id or "",
            self.subject or "",
            self.old or "",
            self.new or "",
            self.old_text or "",
            self.new_text or "",
        )


def severity_counts(changes: list[Change]) -> dict[str, int]:
    counts = {s.value: 0 for s in SEVERITY_ORDER}
    for c in changes:
        counts[c.severity.value] += 1
    return counts


class Diff(BaseModel):
    schema_version: str = DIFF_SCHEMA_VERSION
    old: EditionSummary
    new: EditionSummary
    changes: list[Change] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=lambda: severity_counts([]))

    def material(self) -> list[Change]:
        return [c for c in self.changes if c.material()]

    def worst(self) -> ChangeSeverity | None:
        return self.changes[0].severity if self.changes else None

    def reaches(self, threshold: str) -> bool:
        """True when some change is at least as severe as ``threshold`` ('never' never is)."""
        if threshold == "never":
            return False
        limit = SEVERITY_RANK[ChangeSeverity(threshold)]
        return any(SEVERITY_RANK[c.severity] <= limit for c in self.changes)


class TimelineEvent(BaseModel):
    """One change to an offer (or a document-level SLA/fact) introduced by an edition."""

    edition: str = Field(description="edition date (or source name when the date is unknown)")
    kind: ChangeKind
    severity: ChangeSeverity
    subject: str | None = None
    old: str | None = None
    new: str | None = None
    summary: str = ""


class OfferTimeline(BaseModel):
    offer_id: str
    name: str
    introduced_in: str | None = Field(default=None, description="first edition holding the offer")
    removed_in: str | None = Field(default=None, description="first edition without it, after it existed")
    states: dict[str, str | None] = Field(
        default_factory=dict, description="edition -> availability (None when absent)"
    )
    events: list[TimelineEvent] = Field(default_factory=list)


class History(BaseModel):
    schema_version: str = DIFF_SCHEMA_VERSION
    editions: list[EditionSummary] = Field(default_factory=list)
    offers: list[OfferTimeline] = Field(default_factory=list)
    document_events: list[TimelineEvent] = Field(
        default_factory=list, description="SLA and document-level fact changes, by edition"
    )
