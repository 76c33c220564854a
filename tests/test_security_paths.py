"""Safe paths: no document name, id, manifest entry or symlink can make us write outside ``--out``.

``safe_join`` is tested directly; corpus discovery is tested with hostile manifests and symlinks; the
real ``svcdesc build`` is run on a hostile corpus and the whole temp tree is checked afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CLI

from pipeline.errors import UnsafePath
from pipeline.fsutil import safe_join

HOSTILE_PARTS = [
    ["../escape.json"],
    ["a", "..", "..", "escape.json"],
    ["/etc/passwd"],
    ["/tmp/escape.json"],
    [".."],
    ["ok", "../../escape"],
    ["nul\x00byte.json"],
    ["CON"],
    ["con.html"],
    ["docs", "AUX.json"],
    ["lpt1"],
]


@pytest.mark.parametrize("parts", HOSTILE_PARTS, ids=lambda p: repr("/".join(p)))
def test_safe_join_refuses(tmp_path: Path, parts: list[str]):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(UnsafePath) as info:
        safe_join(out, *parts)
    assert info.value.code == "E303"
    assert "\n" not in info.value.message and "\x00" not in info.value.message


def test_safe_join_accepts_plain_names(tmp_path: Path):
    assert safe_join(tmp_path, "docs", "support", "en.json") == tmp_path.resolve() / "docs/support/en.json"
    assert safe_join(tmp_path, "console.html") == tmp_path.resolve() / "console.html"  # "con" prefix is fine
    assert safe_join(tmp_path, "a/./b/../c.json") == tmp_path.resolve() / "a/c.json"  # stays inside


def test_safe_join_refuses_symlink_leaving_out(tmp_path: Path):
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "docs").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath):
        safe_join(out, "docs", "x.json")
    (out / "file.json").symlink_to(tmp_path / "victim.txt")
    with pytest.raises(UnsafePath):
        safe_join(out, "file.json")


# --- corpus discovery ------------------------------------------------------------------------------


def _write(path: Path, text: str = "# Service\n\nText.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_manifest_hostile_entries_refused_and_good_kept(tmp_path: Path):
    from pipeline.catalog.corpus import discover

    root = tmp_path / "corpus"
    _write(root / "docs/good.md")
    _write(tmp_path / "secret.md", "# secret\n")
    (root / "docs/link.md").symlink_to(tmp_path / "secret.md")
    (root / "corpus.yaml").write_text(
        "documents:\n"
        "  - {document: good, edition: '2021-01-01', lang: en, path: docs/good.md}\n"
        "  - {document: up, lang: en, path: ../secret.md}\n"
        "  - {document: abs, lang: en, path: " + str(tmp_path / "secret.md") + "}\n"
        "  - {document: link, lang: en, path: docs/link.md}\n"
        "  - {document: ../evil, lang: en, path: docs/good.md}\n"
        "  - {document: /abs/evil, lang: en, path: docs/good.md}\n"
        "  - {document: CON, lang: en, path: docs/good.md}\n"
        "  - {document: good, edition: ../../x, lang: en, path: docs/good.md}\n"
        "  - {document: good, edition: '2022-01-01', lang: ../en, path: docs/good.md}\n"
        '  - {document: "a\\0b", lang: en, path: docs/good.md}\n'
    )
    corpus = discover(root)
    assert [e.document for e in corpus.entries] == ["good"]
    assert len(corpus.problems) == 9
    assert all(p.code in {"E302", "E303"} for p in corpus.problems), [p.message for p in corpus.problems]
    assert all(str(tmp_path / "secret.md") != str(e.path) for e in corpus.entries)


def test_walk_refuses_symlinks_leaving_the_corpus(tmp_path: Path):
    from pipeline.catalog.corpus import discover

    root = tmp_path / "corpus"
    _write(root / "support/2021-06-04/en.md")
    _write(tmp_path / "outside/2021-06-04/en.md", "# outside\n")
    (root / "support/2021-06-04/fr.md").symlink_to(tmp_path / "outside/2021-06-04/en.md")
    (root / "stolen").symlink_to(tmp_path / "outside", target_is_directory=True)
    corpus = discover(root)
    assert [(e.document, e.lang) for e in corpus.entries] == [("support", "en")]
    assert sorted(p.path for p in corpus.problems) == ["stolen", "support/2021-06-04/fr.md"]
    assert all(p.code == "E303" for p in corpus.problems)


def test_walk_survives_symlink_loop(tmp_path: Path):
    """A symlink to an ancestor inside the corpus must not make discovery recurse forever."""
    from pipeline.catalog.corpus import discover

    root = tmp_path / "corpus"
    _write(root / "support/2021-06-04/en.md")
    (root / "support/loop").symlink_to(root, target_is_directory=True)
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from pipeline.catalog.corpus import discover; "
         "c = discover(sys.argv[1]); print(len(c.entries))", str(root)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert proc.stdout.strip() == "1"
    assert discover(root).entries[0].document == "support"


# --- the real build ---------------------------------------------------------------------------------


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_build_never_writes_outside_out(tmp_path: Path):
    root = tmp_path / "corpus"
    text = (
        "---\ntitle: Support\n---\n# Support\n\n## 1. Plans\n\n| Plan | Included |\n|---|---|\n| A | Yes |\n"
    )
    _write(root / "support/2021-06-04/en.md", text)
    _write(root / "con/2021-06-04/en.md", text)
    _write(tmp_path / "victim/2021-06-04/en.md", text)
    (root / "escape").symlink_to(tmp_path / "victim", target_is_directory=True)
    out = tmp_path / "out"
    before = _tree(tmp_path)
    proc = subprocess.run(
        [*CLI,
         "build", str(root), "--out", str(out)],
        capture_output=True, text=True, timeout=300, env=dict(os.environ, SVCDESC_DEBUG=""),
    )  # fmt: skip
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]
    after = _tree(tmp_path)
    # the only thing allowed beside OUT is the documented default cache folder (OUT/../.svcdesc-cache)
    new_outside = {p for p in after - before if not p.startswith(("out", ".svcdesc-cache"))}
    assert new_outside == set(), new_outside
    written = _tree(out)
    assert any("support" in p for p in written), sorted(written)[:20]
    assert not any(Path(p).name.split(".")[0].lower() == "con" for p in written), sorted(written)
    assert not any("victim" in p or "escape" in p for p in written), sorted(written)
    assert "[E303]" in proc.stderr or "E303" in (out / "catalog.json").read_text(), proc.stderr[-2000:]
