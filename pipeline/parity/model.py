"""The parity contract: an aligned pair of editions and what differs between them.

``Parity`` is what ``check_parity`` returns and every parity renderer (JSON, Markdown, HTML,
XLIFF 2.1 / 1.2, TMX) reads. Severities follow translate-toolkit's categories: a *critical*
check (a number, a mark, a missing row) is an ``error``, a *functional* one a ``warning``, a
*cosmetic* one ``info``.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field

from pipeline.extract.model import Provenance
from pipeline.normalize.model import FindingSeverity


class AlignKind(str, Enum):  # noqa: UP042
    one_one = "1-1"
    one_many = "1-n"
    many_one = "n-1"
    source_only = "1-0"
    target_only = "0-1"


class AlignedPair(BaseModel):
    source: list[str] = Field(default_factory=list, description="source segment ids")
    target: list[str] = Field(default_factory=list, description="target segment ids")
    source_text: str = ""
    target_text: str = ""
    score: float = Field(description="0..1: confidence that these segments translate each other")
    kind: AlignKind


class ParityKind(str, Enum):  # noqa: UP042
    missing_in_target = "missing_in_target"
    missing_in_source = "missing_in_source"
    number_mismatch = "number_mismatch"
    unit_mismatch = "unit_mismatch"
    availability_mismatch = "availability_mismatch"
    sla_mismatch = "sla_mismatch"
    footnote_mismatch = "footnote_mismatch"
    link_mismatch = "link_mismatch"
    untranslated = "untranslated"
    name_mismatch = "name_mismatch"
    terminology = "terminology"
    markup_mismatch = "markup_mismatch"
    repeated_word = "repeated_word"
    omission = "omission"
    inconsistency = "inconsistency"
    typography = "typography"


class CheckCategory(str, Enum):  # noqa: UP042
    critical = "critical"
    functional = "functional"
    cosmetic = "cosmetic"
    #: French typography (non-breaking spaces, apostrophes): its own category, never gated by CI by default.
    typography = "typography"


CATEGORY_SEVERITY = {
    CheckCategory.critical: FindingSeverity.error,
    CheckCategory.functional: FindingSeverity.warning,
    CheckCategory.cosmetic: FindingSeverity.info,
    CheckCategory.typography: FindingSeverity.info,
}


class Occurrence(BaseModel):
    """One place where a grouped finding occurs."""

    source_ids: list[str] = Field(default_factory=list)
    target_ids: list[str] = Field(default_factory=list)
    source_prov: list[Provenance] = Field(default_factory=list)
    target_prov: list[Provenance] = Field(default_factory=list)


class ParityFinding(BaseModel):
    """One issue; identical findings (same code, message and texts) are one finding with occurrences."""

    kind: ParityKind
    code: str = Field(default="", description="stable check code, e.g. P101")
    severity: FindingSeverity
    category: CheckCategory
    message: str
    source_text: str = ""
    target_text: str = ""
    source_ids: list[str] = Field(default_factory=list)
    target_ids: list[str] = Field(default_factory=list)
    source_prov: list[Provenance] = Field(default_factory=list)
    target_prov: list[Provenance] = Field(default_factory=list)
    detail: dict[str, str] = Field(
        default_factory=dict, description="check-specific values, e.g. numbers only on one side"
    )
    count: int = Field(default=1, description="how many times this issue occurs")
    occurrences: list[Occurrence] = Field(
        default_factory=list, description="every place after the first (ids/prov above) when count > 1"
    )


class EditionRef(BaseModel):
    source: str
    sha256: str
    language: str | None = None
    edition_date: str | None = None
    title: str | None = None
    format: str | None = None


class ParitySummary(BaseModel):
    source_segments: int = 0
    target_segments: int = 0
    pairs: int = 0
    by_alignment: dict[str, int] = Field(default_factory=dict)
    by_kind: dict[str, int] = Field(default_factory=dict)
    by_severity: dict[str, int] = Field(default_factory=dict)
    occurrences: int = Field(default=0, description="findings counted with their grouped occurrences")


class Parity(BaseModel):
    source: EditionRef
    target: EditionRef
    alignment: list[AlignedPair] = Field(default_factory=list)
    findings: list[ParityFinding] = Field(default_factory=list)
    summary: ParitySummary = Field(default_factory=ParitySummary)
