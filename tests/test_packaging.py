"""The install path the CI example uses: a wheel built from this repository, installed in a fresh
virtual environment (dependencies from the package index, nothing from the source tree), runs
``svcdesc build`` on the sample corpus. Catches data files left out of the wheel (lexicons,
templates) and dependencies that only arrived through another package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SKIP = {".keep"}


def _package_data() -> set[str]:
    """Every file of the ``pipeline`` package that is not Python source: all must ship."""
    return {
        p.relative_to(REPO).as_posix()
        for p in (REPO / "pipeline").rglob("*")
        if p.is_file()
        and p.suffix not in {".py", ".pyc"}
        and "__pycache__" not in p.parts
        and p.name not in SKIP
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    (whl,) = dist.glob("svcdesc-*.whl")
    return whl


def test_wheel_carries_every_data_file(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert _package_data(), "no data files found: the test looks in the wrong place"
    assert _package_data() - names == set()
    assert any(n.endswith("entry_points.txt") for n in names)


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_builds_the_sample_corpus(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    out = tmp_path / "out"
    build = subprocess.run(
        [str(venv / "bin" / "svcdesc"), "build", str(REPO / "corpus"), "--out", str(out), "--jobs", "1",
         "--progress", "plain", "--no-cache"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert build.returncode in (0, 1), build.stderr[-3000:]
    assert "FAILED" not in build.stderr and "[E9" not in build.stderr, build.stderr[-3000:]
    catalog = json.loads((out / "catalog.json").read_text())
    assert catalog["problems"] == [] and (out / "index.html").is_file()
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import pipeline; print(pipeline.__file__)"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert where.stdout.startswith(str(venv)), where.stdout  # the installed copy ran, not the source tree


def test_ci_example_installs_from_the_repository():
    """The example must not pin a release no package index has: it installs the repository's wheel
    from a checkout at a tag, the path the test above exercises."""
    import yaml

    text = (REPO / "examples" / "github-actions.yml").read_text()
    assert "svcdesc==" not in text
    steps = yaml.safe_load(text)["jobs"]["build"]["steps"]
    checkout = next(s for s in steps if s.get("with", {}).get("repository"))
    install = next(s for s in steps if s.get("name") == "Install svcdesc")
    assert f"pip install ./{checkout['with']['path']}" in install["run"]
    assert steps.index(checkout) < steps.index(install)
