"""The fast canonical JSON writer writes exactly what ``json.dumps(sort_keys, ensure_ascii=False,
indent=2)`` writes: on edge values (escapes, floats, empty containers, non-string keys, enums) and on
real descriptions of the test documents."""

from __future__ import annotations

import json
import random
from enum import Enum, IntEnum
from pathlib import Path

import pytest

from pipeline.render.canonical import canonical_json, dumps

DATA = Path(__file__).parent / "data"


def _std(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=2)


class Colour(str, Enum):
    red = "red"


class Level(IntEnum):
    high = 3


EDGES = [
    None, True, False, 0, -7, 10**30, 0.0, -0.0, 1e-05, 1e16, 1.5e300, 0.1 + 0.2, float("nan"), float("inf"),
    float("-inf"), "", "plain", 'quote " back \\ slash', "tab\tnew\nline\rcr\x00\x1f\x7f\b\f", "é ✓ ² 中 \u2028 \ud83d",
    [], {}, [[]], {"a": {}}, [{}, [], None], (1, 2), {"b": 1, "a": [1, {"d": [], "c": ""}]},
    {1: "int key", 10: 0}, {2.5: "float key"}, {True: 1}, {False: 0}, {None: 1}, {"k": Colour.red},
    {"level": Level.high}, [Colour.red, Level.high], {"nested": [[[{"deep": [1.0, 2, "3"]}]]]},
]  # fmt: skip


@pytest.mark.parametrize("obj", EDGES, ids=range(len(EDGES)))
def test_edge_values_are_written_as_json_writes_them(obj) -> None:
    assert dumps(obj) == _std(obj)


def test_random_documents_are_written_as_json_writes_them() -> None:
    rng = random.Random(7)
    atoms = [None, True, False, 0, 1, -3, 2.5, 1e-9, "", "x", 'é\n"', "\u00a0", float("nan")]

    def make(depth: int):
        if depth == 0 or rng.random() < 0.3:
            return rng.choice(atoms)
        if rng.random() < 0.5:
            return [make(depth - 1) for _ in range(rng.randint(0, 4))]
        return {
            rng.choice(["a", "b", "é", "Z", "a b", "10", "2"]): make(depth - 1)
            for _ in range(rng.randint(0, 4))
        }

    for _ in range(300):
        obj = make(5)
        assert dumps(obj) == _std(obj)


def test_unserialisable_values_fail_as_json_fails() -> None:
    for bad in ({"a": object()}, [set()], {(1, 2): 1}, {1: "mixed", "a": "keys"}):
        with pytest.raises(TypeError):
            _std(bad)
        with pytest.raises(TypeError):
            dumps(bad)


def test_descriptions_of_the_test_documents_are_byte_identical() -> None:
    from pipeline.extract import extract
    from pipeline.normalize import normalize
    from pipeline.render.canonical import to_jsonable

    files = sorted(p for p in DATA.rglob("*") if p.suffix in {".md", ".txt"})[:12]
    assert files, "no test documents found under tests/data"
    for path in files:
        sd = normalize(extract(path))
        assert canonical_json(sd) == _std(to_jsonable(sd)) + "\n", path


@pytest.mark.parametrize("indent", ["", "  ", "      "])
def test_an_indented_chunk_is_json_dumps_with_every_line_indented(indent: str) -> None:
    for obj in EDGES:
        assert dumps(obj, indent) == "\n".join(indent + line for line in _std(obj).split("\n"))
