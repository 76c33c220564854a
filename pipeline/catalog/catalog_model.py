"""The catalog contract: every document, edition, language and offer of a build, in one model.

``schemas/catalog.schema.json`` and ``schemas/catalog.xsd`` are generated from it
(``python -m pipeline.catalog.catalog_model``); a test fails when the committed files drift.
Lists only (no maps) so the XML form is as plain as the JSON one. Paths are relative to OUT.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

CATALOG_SCHEMA_VERSION = "1.0"


class Count(BaseModel):
    name: str
    count: int


class CatalogPlanValue(BaseModel):
    plan_id: str
    plan: str
    availability: str
    text: str = ""


class CatalogOffer(BaseModel):
    id: str
    name: str
    availability: str
    availability_mark: str | None = None
    category: list[str] = Field(default_factory=list)
    plan_values: list[CatalogPlanValue] = Field(default_factory=list)
    conditions: int = Field(default=0, description="number of conditions / prerequisites listed")
    facts: int = Field(default=0, description="number of quantities attached to the offer")


class CatalogSla(BaseModel):
    """One SLA target: metric x severity (key) x scope (plan), value in minutes or percent."""

    table_id: str
    metric: str = "first_response"
    severity: str
    scope: str
    scope_id: str
    minutes: int | None = None
    percent: float | None = None
    business_hours: bool = False
    coverage: str | None = None
    text: str = ""


class CatalogLanguage(BaseModel):
    lang: str
    source: str = Field(description="input path, relative to the corpus")
    sha256: str
    format: str
    title: str | None = None
    pages: int | None = None
    edition_date: str | None = Field(default=None, description="the date the document states, if any")
    json_path: str = Field(description="the full ServiceDescription JSON, relative to OUT")
    offers: list[CatalogOffer] = Field(default_factory=list)
    sla: list[CatalogSla] = Field(default_factory=list)
    facts: list[Count] = Field(default_factory=list, description="facts per kind")
    findings: list[Count] = Field(default_factory=list, description="findings per severity")


class CatalogReport(BaseModel):
    """A diff (``old``..``new`` in ``lang``) or a parity report (``lang`` = 'en-fr', old = new = edition)."""

    kind: str
    lang: str
    old: str
    new: str
    counts: list[Count] = Field(default_factory=list, description="changes or findings per severity")
    files: list[str] = Field(default_factory=list, description="report files, relative to OUT")


class CatalogEdition(BaseModel):
    edition: str
    languages: list[CatalogLanguage] = Field(default_factory=list)


class CatalogDocument(BaseModel):
    id: str
    title: str | None = None
    editions: list[CatalogEdition] = Field(default_factory=list)
    diffs: list[CatalogReport] = Field(default_factory=list)
    parity: list[CatalogReport] = Field(default_factory=list)


class BuildProblem(BaseModel):
    path: str
    code: str
    message: str


class Catalog(BaseModel):
    schema_version: str = CATALOG_SCHEMA_VERSION
    tool_version: str
    build_date: str | None = Field(default=None, description="from SOURCE_DATE_EPOCH only; never the clock")
    documents: list[CatalogDocument] = Field(default_factory=list)
    problems: list[BuildProblem] = Field(default_factory=list, description="inputs that could not be built")
    unknown_files: list[str] = Field(default_factory=list, description="corpus files that fit no layout")


def catalog_json_schema() -> str:
    """JSON Schema of :class:`Catalog` through the shared generator."""
    from pipeline.normalize.schema import canonical_schema_text, json_schema_for

    return canonical_schema_text(json_schema_for(Catalog, name="catalog", title="svcdesc Catalog"))


def catalog_xsd() -> bytes:
    """XSD of :class:`Catalog` (root element ``catalog``) through the shared generator."""
    from pipeline.normalize.schema import xsd_for

    return xsd_for(Catalog, "catalog")


def write_schemas(folder: str = "schemas") -> None:
    """Regenerate the committed JSON Schema and XSD of the catalog."""
    from pathlib import Path

    from pipeline.fsutil import atomic_write_bytes, atomic_write_text

    atomic_write_text(Path(folder) / "catalog.schema.json", catalog_json_schema())
    atomic_write_bytes(Path(folder) / "catalog.xsd", catalog_xsd())


if __name__ == "__main__":  # pragma: no cover
    write_schemas()
