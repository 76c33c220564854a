"""JSON Schema (2020-12) and XSD generated from pydantic models: the models stay the one source of truth.

Generic, so any model (ServiceDescription, a Catalog …) gets both schemas::

    json_schema_for(ServiceDescription)          # dict, with $schema, $id, title
    xsd_for(ServiceDescription, "service_description")   # bytes

XML mapping (shared with :mod:`pipeline.render.xml`, which writes exactly what the XSD says):
one ``xs:complexType`` per model, one element per field in declaration order; a list is a wrapper
element holding repeated children named after the item model (``<offers><offer>…``) or ``item``;
an enum is an ``xs:simpleType`` restriction; a field that may be None has ``minOccurs="0"`` and is
left out when None; a dict (``front_matter``, ``pdf_metadata``) is a list of
``<entry key="…">value</entry>``, non-string values as canonical JSON with ``json="true"``.

``python -m pipeline.normalize.schema`` (re)writes ``schemas/service-description.*``;
``--check`` exits 1 when the committed files differ from what the models generate.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import types
import typing
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import BaseModel

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
XS = "http://www.w3.org/2001/XMLSchema"
SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"

_XS_SCALARS: dict[type, str] = {str: "xs:string", bool: "xs:boolean", int: "xs:integer", float: "xs:double"}


# ---------------------------------------------------------------------------------------------
# The field shapes both the XSD and the XML writer follow


@dataclass(frozen=True)
class Shape:
    """What a field (or list item) is in XML terms. ``kind``: scalar | enum | model | list | dict."""

    kind: str
    optional: bool = False
    xs_type: str = "xs:string"
    cls: type | None = None
    item: Shape | None = None


def snake(name: str) -> str:
    """``SlaTable`` -> ``sla_table``: element names for list items."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def shape_of(annotation: Any) -> Shape:
    """Classify a type annotation; ``X | None`` becomes optional X."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        inner = shape_of(args[0]) if len(args) == 1 else Shape("scalar")
        return Shape(inner.kind, optional or inner.optional, inner.xs_type, inner.cls, inner.item)
    if origin in (list, tuple, set, frozenset):
        args = typing.get_args(annotation)
        return Shape("list", item=shape_of(args[0]) if args else Shape("scalar"))
    if origin is dict or annotation is dict:
        return Shape("dict")
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return Shape("model", cls=annotation)
        if issubclass(annotation, Enum):
            return Shape("enum", cls=annotation)
        for py, xs in _XS_SCALARS.items():
            if issubclass(annotation, py):
                return Shape("scalar", xs_type=xs)
    return Shape("scalar")  # Any and anything else: text


def item_name(shape: Shape) -> str:
    """Element name of one list item."""
    if shape.kind in ("model", "enum") and shape.cls is not None:
        return snake(shape.cls.__name__)
    return "entries" if shape.kind == "dict" else "item"


def model_fields(cls: type[BaseModel]) -> list[tuple[str, Shape]]:
    return [(name, shape_of(info.annotation)) for name, info in cls.model_fields.items()]


# ---------------------------------------------------------------------------------------------
# JSON Schema


def schema_id(name: str) -> str:
    return f"urn:svcdesc:schema:{name}"


def json_schema_for(model_cls: type[BaseModel], *, name: str | None = None, title: str | None = None) -> dict:
    """JSON Schema 2020-12 of a model, with ``$schema``, ``$id`` and ``title`` set."""
    schema = model_cls.model_json_schema()
    name = name or snake(model_cls.__name__).replace("_", "-")
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = schema_id(name)
    schema["title"] = title or model_cls.__name__
    return schema


def canonical_schema_text(schema: dict) -> str:
    return json.dumps(schema, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# XSD


def _xs(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    el = (
        etree.Element(f"{{{XS}}}{tag}", nsmap={"xs": XS})
        if parent is None
        else etree.SubElement(parent, f"{{{XS}}}{tag}")
    )
    for k, v in attrs.items():
        el.set(k, v)
    return el


class _XsdBuilder:
    def __init__(self) -> None:
        self.root = _xs("schema", elementFormDefault="qualified")
        self.models: dict[str, etree._Element] = {}
        self.enums: dict[str, etree._Element] = {}
        self.need_entries = False

    def type_name(self, shape: Shape) -> str | None:
        if shape.kind == "model":
            assert shape.cls is not None
            self.add_model(shape.cls)
            return shape.cls.__name__
        if shape.kind == "enum":
            assert shape.cls is not None
            self.add_enum(shape.cls)
            return shape.cls.__name__
        if shape.kind == "dict":
            self.need_entries = True
            return "Entries"
        if shape.kind == "scalar":
            return shape.xs_type
        return None  # list: anonymous wrapper type

    def element(
        self, parent: etree._Element, name: str, shape: Shape, *, min_occurs: str, max_occurs: str = "1"
    ) -> None:
        attrs = {"name": name}
        if min_occurs != "1":
            attrs["minOccurs"] = min_occurs
        if max_occurs != "1":
            attrs["maxOccurs"] = max_occurs
        type_name = self.type_name(shape)
        if type_name is not None:
            _xs("element", parent, **attrs, type=type_name)
            return
        assert shape.item is not None
        el = _xs("element", parent, **attrs)
        seq = _xs("sequence", _xs("complexType", el))
        self.element(seq, item_name(shape.item), shape.item, min_occurs="0", max_occurs="unbounded")

    def add_model(self, cls: type[BaseModel]) -> None:
        if cls.__name__ in self.models:
            return
        ct = etree.Element(f"{{{XS}}}complexType", name=cls.__name__)
        self.models[cls.__name__] = ct  # registered before recursing: recursive models terminate
        seq = _xs("sequence", ct)
        for name, shape in model_fields(cls):
            self.element(seq, name, shape, min_occurs="0" if shape.optional or shape.kind == "list" else "1")

    def add_enum(self, cls: type[Enum]) -> None:
        if cls.__name__ in self.enums:
            return
        st = etree.Element(f"{{{XS}}}simpleType", name=cls.__name__)
        restriction = _xs("restriction", st, base="xs:string")
        for member in cls:
            _xs("enumeration", restriction, value=str(member.value))
        self.enums[cls.__name__] = st

    def entries_type(self) -> etree._Element:
        ct = etree.Element(f"{{{XS}}}complexType", name="Entries")
        entry = _xs("element", _xs("sequence", ct), name="entry", minOccurs="0", maxOccurs="unbounded")
        ext = _xs("extension", _xs("simpleContent", _xs("complexType", entry)), base="xs:string")
        _xs("attribute", ext, name="key", type="xs:string", use="required")
        _xs("attribute", ext, name="json", type="xs:boolean", use="optional")
        return ct


def xsd_for(model_cls: type[BaseModel], root_name: str) -> bytes:
    """An XSD whose global element ``root_name`` has the model's type; types sorted by name."""
    b = _XsdBuilder()
    b.add_model(model_cls)
    _xs("element", b.root, name=root_name, type=model_cls.__name__)
    types_ = dict(b.models) | dict(b.enums)
    if b.need_entries:
        types_["Entries"] = b.entries_type()
    for name in sorted(types_):
        b.root.append(types_[name])
    return etree.tostring(b.root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


# ---------------------------------------------------------------------------------------------
# The ServiceDescription files and the command


def service_description_files() -> dict[str, bytes]:
    from pipeline.normalize.model import ServiceDescription

    schema = json_schema_for(
        ServiceDescription, name="service-description", title="svcdesc ServiceDescription"
    )
    return {
        "service-description.schema.json": canonical_schema_text(schema).encode("utf-8"),
        "service-description.xsd": xsd_for(ServiceDescription, "service_description"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.normalize.schema", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed files differ")
    parser.add_argument(
        "--dir", type=Path, default=SCHEMAS_DIR, help=f"schema folder (default {SCHEMAS_DIR})"
    )
    args = parser.parse_args(argv)
    from pipeline.fsutil import atomic_write_bytes

    stale = []
    for name, data in service_description_files().items():
        path = args.dir / name
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(name)
        else:
            atomic_write_bytes(path, data)
            print(f"wrote {path}")
    if stale:
        print(
            f"schemas out of date: {', '.join(stale)} (run: python -m pipeline.normalize.schema)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
