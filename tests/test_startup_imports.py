"""``svcdesc extract`` loads only what extraction needs: start-up dominates small documents (issue 16).

Not a timing test: a fresh process runs the command (or imports a CLI module) and reports the
modules it loaded; the heavy libraries and the stages of other commands must not be among them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PDF = REPO / "corpus" / "nordlys-support-pdf" / "2025-03-01" / "en.pdf"
MARKDOWN = REPO / "tests" / "data" / "vendors" / "meridel-software" / "en.md"

#: libraries no extraction uses (rendering, XML, terminals, arrays, other PDF stacks, NLP)
HEAVY = ("spacy", "numpy", "jinja2", "lxml", "rich", "pypdf", "docx", "translate", "thinc")
#: stages of other commands
OTHER_STAGES = ("pipeline.diff", "pipeline.parity", "pipeline.checks")
#: from these packages extraction needs one module only
ALLOWED_IN = {
    "pipeline.catalog": {"pipeline.catalog", "pipeline.catalog.loader"},
    "pipeline.render": {"pipeline.render", "pipeline.render.canonical"},
}

SCRIPT = """
import json, sys
{body}
print(json.dumps(sorted(sys.modules)))
"""


def _modules(body: str) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(body=body)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _unwanted(modules: list[str]) -> list[str]:
    bad = []
    for m in modules:
        root = m.split(".")[0]
        if root in HEAVY or any(m == s or m.startswith(s + ".") for s in OTHER_STAGES):
            bad.append(m)
        for pkg, allowed in ALLOWED_IN.items():
            if (m == pkg or m.startswith(pkg + ".")) and m not in allowed:
                bad.append(m)
    return bad


@pytest.mark.parametrize(
    "module", ["pipeline.cli", "pipeline.cli.extract", "pipeline.extract", "pipeline.normalize"]
)
def test_import_pulls_in_nothing_heavy(module: str) -> None:
    assert _unwanted(_modules(f"import {module}")) == []


@pytest.mark.parametrize("source", [PDF, MARKDOWN], ids=["pdf", "markdown"])
def test_extract_command_loads_only_extraction(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    body = (
        f"from pipeline.cli import main\nassert main(['extract', {str(source)!r}, '-o', {str(out)!r}]) == 0"
    )
    modules = _modules(body)
    assert out.stat().st_size > 0
    assert "pipeline.normalize" in modules  # the command did run the whole description
    assert _unwanted(modules) == []


def test_parser_loads_no_stage() -> None:
    """``svcdesc --help`` / ``--version`` and argument parsing import no stage: each command imports
    its own when it runs."""
    modules = _modules("import pipeline.cli\npipeline.cli.make_parser()")
    stages = ("pipeline.extract", "pipeline.normalize", "pipeline.catalog", "pipeline.render")
    assert [m for m in modules if any(m == s or m.startswith(s + ".") for s in stages)] == []
    assert "pdfplumber" not in modules
