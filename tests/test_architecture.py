"""The house rules that keep the pipeline one-way: stage import direction, no vendor names in code."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "pipeline"

#: Stage -> rank. A module may import stages of lower or equal rank only (cli -> catalog -> render ->
#: checks/diff/parity -> normalize -> extract). Shared plumbing (rank 0) imports no stage.
RANK = {
    "extract": 1,
    "normalize": 2,
    "checks": 3,
    "diff": 3,
    "parity": 3,
    "render": 4,
    "catalog": 5,
    "cli": 6,
}
#: Siblings of one rank that must not import each other (checks, diff and parity are independent).
INDEPENDENT = {"checks", "diff", "parity"}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "pipeline" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in RANK else "plumbing"


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return [m for m in out if m.startswith("pipeline.") or m == "pipeline"]


def _modules() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if p.name != "__main__.py")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PKG).as_posix())
def test_imports_run_one_way(path: Path) -> None:
    own = _stage("pipeline." + ".".join(path.relative_to(PKG).with_suffix("").parts))
    if own is None:  # pipeline/__init__.py
        return
    for target in _imports(path):
        other = _stage(target)
        if other is None or other == own:
            continue
        if own == "plumbing":
            assert other == "plumbing", f"{path.name}: shared plumbing imports the {other} stage ({target})"
            continue
        if other == "plumbing":
            continue
        assert RANK[other] <= RANK[own], f"{path}: {own} imports {target} (a later stage)"
        assert not (own in INDEPENDENT and other in INDEPENDENT), f"{path}: {own} imports {target}"


VENDOR = re.compile(
    r"\b(Microsoft|Office ?365|O365|SharePoint|OneDrive|Azure|Yammer|Exchange Online|Unified Support|"
    r"GCC High|Nordlys|Teams|Dynamics|Intune|Defender|Outlook|Bookings)\b",
    re.IGNORECASE,
)


def _literals(path: Path) -> list[tuple[int, str]]:
    """String literals that are not docstrings (comments and docstrings may name what they explain)."""
    toks = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    out, prev = [], None
    for t in toks:
        if t.type == tokenize.STRING:
            doc = prev is None or prev.type in (
                tokenize.INDENT,
                tokenize.NEWLINE,
                tokenize.NL,
                tokenize.DEDENT,
            )
            if not doc:
                out.append((t.start[0], t.string))
        if t.type not in (tokenize.COMMENT, tokenize.NL):
            prev = t
    return out


def test_no_vendor_or_product_names_in_code() -> None:
    """Knowledge lives in data files (lexicons, profiles, glossaries), never in string literals of code."""
    hits = [
        f"{p.relative_to(PKG)}:{line}: {s[:60]}"
        for p in _modules()
        for line, s in _literals(p)
        if VENDOR.search(s)
    ]
    assert not hits, "vendor/product names in code:\n" + "\n".join(hits)
