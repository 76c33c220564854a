"""Generated schemas: committed files equal the models' output; real descriptions validate (JSON + XML)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import jsonschema
import pytest
from lxml import etree
from pydantic import BaseModel, Field

from pipeline.normalize.model import ServiceDescription
from pipeline.normalize.schema import (
    JSON_SCHEMA_DIALECT,
    SCHEMAS_DIR,
    json_schema_for,
    main,
    service_description_files,
    xsd_for,
)
from pipeline.render.xml import description_to_xml, model_to_xml


def test_committed_schemas_equal_generated() -> None:
    """Fails on drift: regenerate only with `python -m pipeline.normalize.schema`."""
    for name, data in service_description_files().items():
        assert (SCHEMAS_DIR / name).read_bytes() == data, f"{name} is stale"
    assert main(["--check"]) == 0


def test_check_reports_drift(tmp_path: Path) -> None:
    assert main(["--dir", str(tmp_path)]) == 0
    (tmp_path / "service-description.xsd").write_text("<x/>", encoding="utf-8")
    assert main(["--check", "--dir", str(tmp_path)]) == 1


def test_json_schema_header() -> None:
    schema = json.loads((SCHEMAS_DIR / "service-description.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == JSON_SCHEMA_DIALECT
    assert schema["$id"] == "urn:svcdesc:schema:service-description"
    assert {"document", "offers", "sla_tables", "facts", "segments", "findings"} <= set(schema["properties"])
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.fixture(scope="module")
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS_DIR / "service-description.xsd")))


@pytest.fixture(scope="module")
def json_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS_DIR / "service-description.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _assert_valid(sd: ServiceDescription, xsd: etree.XMLSchema, json_validator) -> bytes:
    json_validator.validate(sd.model_dump(mode="json"))
    xml = description_to_xml(sd)
    doc = etree.fromstring(xml)
    assert xsd.validate(doc), xsd.error_log.last_error
    return xml


def test_sharepoint_limits_md_validates_json_and_xml(
    shared_corpus: Path, described, xsd, json_validator
) -> None:
    path = shared_corpus / "bilingual-md" / "sharepoint-online-limits" / "2018-09-23" / "fr.md"
    sd = described(path)
    xml = _assert_valid(sd, xsd, json_validator)
    root = etree.fromstring(xml)
    assert root.tag == "service_description"
    assert root.findtext("document/language") == "fr"
    # dict fields are entry lists; the storage facts survive with their canonical unit
    assert root.find("document/front_matter/entry[@key='ms.contentlocale']").text == "fr-FR"
    units = {f.findtext("normalized") for f in root.iterfind("facts/fact")}
    assert "1 TB" in units
    assert description_to_xml(sd) == xml  # same model, same bytes


def test_ussd_pdf_validates_json_and_xml(ussd_pdf: Path, described, xsd, json_validator) -> None:
    if not hasattr(pytest.importorskip("pipeline.extract.pdf"), "extract_pdf"):
        pytest.skip("PDF reader (pipeline.extract.pdf.extract_pdf) not landed yet")
    sd = described(ussd_pdf)
    xml = _assert_valid(sd, xsd, json_validator)
    root = etree.fromstring(xml)
    assert root.findtext("document/format") == "pdf"
    assert len(root.findall("segments/segment")) == len(sd.segments) > 100
    bbox = root.find("segments/segment/prov/provenance/bbox")
    assert bbox is not None and float(bbox.findtext("x0")) >= 0


# --- the generator is generic: any model -----------------------------------------------------


class Colour(str, Enum):  # noqa: UP042 (house style: (str, Enum) labels)
    red = "red"
    blue = "blue"


class Leaf(BaseModel):
    name: str
    score: float | None = None


class Tree(BaseModel):
    title: str
    colour: Colour = Colour.red
    leaves: list[Leaf] = Field(default_factory=list)
    grid: list[list[int]] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    meta: dict[str, object] = Field(default_factory=dict)
    child: Tree | None = None


def test_generic_model_roundtrip_is_valid() -> None:
    schema = etree.XMLSchema(etree.fromstring(xsd_for(Tree, "tree")))
    tree = Tree(
        title="a\x01b <&>",
        colour=Colour.blue,
        leaves=[Leaf(name="x", score=1.5), Leaf(name="y")],
        grid=[[1, 2], [3]],
        tags=["t"],
        meta={"k": "v", "n": [1, 2]},
        child=Tree(title="c"),
    )
    xml = model_to_xml(tree, "tree")
    root = etree.fromstring(xml)
    assert schema.validate(root), schema.error_log.last_error
    assert root.findtext("title") == "ab <&>"  # control character dropped, markup escaped
    assert [e.findtext("name") for e in root.iterfind("leaves/leaf")] == ["x", "y"]
    assert root.find("leaves/leaf[2]/score") is None  # None left out (minOccurs=0)
    assert [[i.text for i in row] for row in root.iterfind("grid/item")] == [["1", "2"], ["3"]]
    assert root.find("meta/entry[@key='n']").get("json") == "true"
    assert root.findtext("child/title") == "c"


def test_xsd_rejects_a_bad_enum_value() -> None:
    schema = etree.XMLSchema(etree.fromstring(xsd_for(Tree, "tree")))
    bad = etree.fromstring(
        b"<tree><title>t</title><colour>green</colour><leaves/><grid/><tags/><meta/></tree>"
    )
    assert not schema.validate(bad)


def test_json_schema_for_any_model() -> None:
    schema = json_schema_for(Tree)
    assert schema["$id"] == "urn:svcdesc:schema:tree" and schema["title"] == "Tree"
    jsonschema.Draft202012Validator(schema).validate(Tree(title="t").model_dump(mode="json"))


def test_cli_extract_xml_is_valid(shared_corpus: Path, tmp_path: Path, xsd) -> None:
    """`svcdesc extract --format xml` writes the same bytes as description_to_xml, valid against the XSD."""
    from pipeline.cli import main

    src = (
        shared_corpus
        / "bilingual-md"
        / "office-365-engineering-direct-service-description"
        / "2021-06-04"
        / "en.md"
    )
    out = tmp_path / "sd.xml"
    assert main(["extract", str(src), "--format", "xml", "-o", str(out)]) == 0
    root = etree.fromstring(out.read_bytes())
    assert xsd.validate(root), xsd.error_log.last_error
    assert root.findtext("document/format") == "markdown"
    assert root.find("segments/segment/id") is not None


def test_vendor_pdf_validates(vendor_pdf: Path, described, xsd, json_validator) -> None:
    """O365 Engineering Direct PDF: its duration facts survive into XML with minute values."""
    if not hasattr(pytest.importorskip("pipeline.extract.pdf"), "extract_pdf"):
        pytest.skip("PDF reader not landed yet")
    root = etree.fromstring(_assert_valid(described(vendor_pdf), xsd, json_validator))
    facts = {f.findtext("normalized"): float(f.findtext("value")) for f in root.iterfind("facts/fact")}
    assert facts.get("48 h") == 2880 and facts.get("10 d business") == 14400
