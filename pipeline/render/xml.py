"""Models -> XML, following exactly the mapping of :mod:`pipeline.normalize.schema` (so the output is
valid against the generated XSD).

Canonical on purpose: elements in field-declaration order, no attributes but ``key``/``json`` on dict
entries, no namespaces, no comments, UTF-8, ``\\n`` line ends, floats in ``repr`` form; the same model
gives the same bytes, so XML outputs can be diffed and hashed like the JSON ones.
"""

from __future__ import annotations

import json
import re
from enum import Enum
from typing import Any

from lxml import etree
from pydantic import BaseModel

from pipeline.normalize.schema import Shape, item_name, model_fields

#: Characters XML 1.0 forbids even escaped: dropped (they never carry meaning in our texts).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    return _NOT_XML.sub("", str(value))


def _fill(el: etree._Element, value: Any, shape: Shape) -> None:
    if shape.kind == "model" and isinstance(value, BaseModel):
        _model_into(el, value)
    elif shape.kind == "list":
        assert shape.item is not None
        child_name = item_name(shape.item)
        for item in value:
            if item is None:
                continue
            _fill(etree.SubElement(el, child_name), item, shape.item)
    elif shape.kind == "dict":
        for key in sorted(value, key=str):
            entry = etree.SubElement(el, "entry", key=_text(key))
            v = value[key]
            if isinstance(v, str):
                entry.text = _text(v)
            else:
                entry.set("json", "true")
                entry.text = _text(json.dumps(v, sort_keys=True, ensure_ascii=False, default=str))
    else:
        el.text = _text(value)


def _model_into(el: etree._Element, model: BaseModel) -> None:
    for name, shape in model_fields(type(model)):
        value = getattr(model, name)
        if value is None:
            continue  # None fields are optional in the XSD and left out
        _fill(etree.SubElement(el, name), value, shape)


def model_to_element(model: BaseModel, root_name: str) -> etree._Element:
    root = etree.Element(root_name)
    _model_into(root, model)
    return root


def model_to_xml(model: BaseModel, root_name: str) -> bytes:
    """Canonical XML bytes of any pydantic model (see :func:`pipeline.normalize.schema.xsd_for`)."""
    root = model_to_element(model, root_name)
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return body


def description_to_xml(sd: BaseModel) -> bytes:
    """A ServiceDescription as XML, valid against ``schemas/service-description.xsd``."""
    return model_to_xml(sd, "service_description")


class StreamedModelXml:
    """Canonical XML of a model whose one list field is written item by item (the rest from ``values``).

    Used for catalogs too big to hold: ``add(item)`` appends one item of ``stream_field``; the
    output is valid against the same XSD as :func:`model_to_xml` of the whole model.
    """

    def __init__(self, fh, cls: type[BaseModel], root_name: str, values: dict, stream_field: str) -> None:
        self.fh, self.cls, self.values, self.stream_field = fh, cls, values, stream_field
        self.fields = model_fields(cls)
        self.item_shape = dict(self.fields)[stream_field].item
        self.root_name = root_name
        fh.write(b"<?xml version='1.0' encoding='UTF-8'?>\n" + f"<{root_name}>\n".encode())
        self._rest = self._write_until(stream_field)
        fh.write(f"  <{stream_field}>\n".encode())
        self.count = 0

    def _write_until(self, stop: str | None) -> list[tuple[str, Shape]]:
        """Write the fields before ``stop``; return the ones after it (written by :meth:`close`)."""
        names = [name for name, _ in self.fields]
        cut = names.index(stop) if stop in names else len(names)
        self._write_fields(self.fields[:cut])
        return self.fields[cut + 1 :]

    def _write_fields(self, fields: list[tuple[str, Shape]]) -> None:
        for name, shape in fields:
            value = self.values.get(name)
            if value is None:
                continue
            el = etree.Element(name)
            _fill(el, value, shape)
            self._write(el, 1)

    def _write(self, el: etree._Element, depth: int) -> None:
        etree.indent(el, space="  ", level=depth)
        self.fh.write(b"  " * depth + etree.tostring(el, encoding="UTF-8") + b"\n")

    def add(self, item: Any) -> None:
        self.add_chunk(self.chunk(item))

    def chunk(self, item: Any) -> bytes:
        """One item's XML, to :meth:`add_chunk` now or in a later build."""
        el = etree.Element(item_name(self.item_shape))
        _fill(el, item, self.item_shape)
        etree.indent(el, space="  ", level=2)
        return b"    " + etree.tostring(el, encoding="UTF-8") + b"\n"

    def add_chunk(self, data: bytes) -> None:
        self.fh.write(data)
        self.count += 1

    def close(self) -> None:
        self.fh.write(f"  </{self.stream_field}>\n".encode())
        self._write_fields(self._rest)
        self.fh.write(f"</{self.root_name}>\n".encode())
