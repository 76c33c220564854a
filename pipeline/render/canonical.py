"""Canonical JSON: sorted keys, UTF-8, two-space indent, trailing newline. Same input, same bytes.

:func:`dumps` writes exactly what ``json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=2)``
writes (``tests/test_canonical_json.py`` holds it to that), several times faster: with an indent the
standard library falls back to its pure-Python, generator-based encoder, and every description,
report and catalog chunk of a build goes through here.
"""

from __future__ import annotations

import json.encoder
from typing import Any

from pydantic import BaseModel

_escape = json.encoder.encode_basestring  # the C version when available; ensure_ascii=False
_int = int.__repr__
_float = float.__repr__
_INF = float("inf")


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, list | tuple):
        return [to_jsonable(o) for o in obj]
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    return obj


def canonical_json(obj: Any) -> str:
    return dumps(to_jsonable(obj)) + "\n"


def _floatstr(o: float) -> str:
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return _float(o)


def _key(key: Any) -> str:
    """A dict key as ``json`` writes it (same order of tests, same errors)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _floatstr(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return _int(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def dumps(obj: Any, indent: str = "") -> str:
    """``json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=2)``, byte for byte; every line
    prefixed with ``indent`` (a chunk of a streamed file, placed at its depth)."""
    out: list[str] = []
    put = out.append

    def enc(o: Any, nl: str) -> None:  # nl: a newline and the indent of the current level
        if isinstance(o, str):
            put(_escape(o))
        elif o is None:
            put("null")
        elif o is True:
            put("true")
        elif o is False:
            put("false")
        elif isinstance(o, int):
            put(_int(o))
        elif isinstance(o, float):
            put(_floatstr(o))
        elif isinstance(o, list | tuple):
            if not o:
                put("[]")
                return
            inner = nl + "  "
            sep = "[" + inner
            for v in o:
                put(sep)
                enc(v, inner)
                sep = "," + inner
            put(nl + "]")
        elif isinstance(o, dict):
            if not o:
                put("{}")
                return
            inner = nl + "  "
            sep = "{" + inner
            for k, v in sorted(o.items()):
                put(sep)
                put(_escape(_key(k)))
                put(": ")
                enc(v, inner)
                sep = "," + inner
            put(nl + "}")
        else:
            raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    enc(obj, "\n" + indent)
    return indent + "".join(out)
