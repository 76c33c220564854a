"""Every code of the README's error table, produced for real through the CLI, one case each.

Each case writes the input that causes it, runs ``svcdesc`` in-process and checks the one stderr
line: ``svcdesc: [CODE] <file>: <reason>`` naming the file (usage and internal errors have none),
with the page for a damaged PDF page (W104). The README's code list and the error classes must
match this table, so a new code cannot ship without a case that produces it.
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from make_bad_corpus import fpdf_encrypted_pdf, fpdf_no_text_pdf, fpdf_text_pdf, page_tree_loop_pdf  # noqa: E402

from pipeline import errors  # noqa: E402
from pipeline.cli import main  # noqa: E402

GOOD_MD = "---\ntitle: Good\n---\n# Service\n\n| Plan | Included |\n|---|---|\n| A | Yes |\n"


def _file(tmp: Path, name: str, data: bytes | str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _damaged_pdf(tmp: Path) -> Path:
    pytest.importorskip("pikepdf", reason="pikepdf (dev dependency) makes the damaged copy")
    from pdf_damage import truncate_stream

    return _file(tmp, "cut.pdf", truncate_stream(fpdf_text_pdf(), 0))


def _unsafe_docx(tmp: Path) -> Path:
    path = tmp / "escape.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("../../evil.xml", "<x/>")
    return path


def _manifest_corpus(tmp: Path, text: str) -> Path:
    _file(tmp / "corpus" / "docs", "good.md", GOOD_MD)
    _file(tmp / "corpus", "corpus.yaml", text)
    return tmp / "corpus"


#: code -> (argv builder, file the line must name or None, extra text the line must hold)
Case = tuple[Callable[[Path], list[str]], str | None, str]
CASES: dict[str, Case] = {
    "E100": (lambda t: ["extract", str(t / "missing.pdf")], "missing.pdf", "no such file"),
    "E101": (lambda t: ["extract", str(_file(t, "page.pdf", "<html>x</html>"))], "page.pdf", "not a PDF"),
    "E102": (lambda t: ["extract", str(_file(t, "loop.pdf", page_tree_loop_pdf()))], "loop.pdf", ""),
    "E103": (lambda t: ["extract", str(_file(t, "locked.pdf", fpdf_encrypted_pdf()))], "locked.pdf", "encrypted"),
    "E104": (lambda t: ["extract", str(_file(t, "scan.pdf", fpdf_no_text_pdf()))], "scan.pdf", "no text layer"),
    "E105": (lambda t: ["extract", str(_file(t, "empty.md", b""))], "empty.md", "empty"),
    "E106": (lambda t: ["extract", str(_file(t, "notes.rtf", "x"))], "notes.rtf", "unsupported"),
    "E107": (lambda t: ["extract", str(_file(t, "fm.md", "---\ntitle: [x\n---\n# T\n"))], "fm.md", "front matter"),
    "E108": (lambda t: ["extract", str(_file(t, "latin1.md", b"# Titre\n\nCaf\xe9\n"))], "latin1.md", "byte offset"),
    "E109": (lambda t: ["diff", *[str(_file(t, "old.json", '{"x":'))] * 2], "old.json", "saved ServiceDescription"),
    "E201": (lambda t: ["extract", "--max-bytes", "10", str(_file(t, "big.md", GOOD_MD))], "big.md", "--max-bytes"),
    "E202": (lambda t: ["extract", "--max-pages", "1", str(_file(t, "two.pdf", fpdf_text_pdf(2)))], "two.pdf", "--max-pages"),
    "E203": (lambda t: ["extract", "--timeout", "0.5", str(_file(t, "slow.md", GOOD_MD))], "slow.md", "--timeout"),
    "E301": (lambda t: ["build", str(t / "no-corpus"), "--out", str(t / "out")], "no-corpus", "corpus folder not found"),
    "E302": (lambda t: ["build", str(_manifest_corpus(t, "documents: [\n")), "--out", str(t / "out")], "corpus.yaml", "manifest"),
    "E303": (lambda t: ["extract", str(_unsafe_docx(t))], "escape.docx", ""),
    "E401": (lambda t: ["extract", str(_file(t, "a.md", GOOD_MD)), "--glossary", str(_file(t, "bad.tbx", "<martif><x>"))], "bad.tbx", "malformed XML"),
    "E402": (lambda t: ["extract", str(_file(t, "a.md", GOOD_MD)), "--glossary", str(_file(t, "evil.tbx", '<!DOCTYPE m [<!ENTITY x "y">]><m/>'))], "evil.tbx", ""),
    "E403": (lambda t: ["extract", str(_file(t, "a.md", GOOD_MD)), "--glossary", str(_file(t, "empty.tbx", "<martif><text><body/></text></martif>"))], "empty.tbx", "termEntry"),
    "E501": (lambda t: ["extract", "--stage", "document", "--format", "xml", str(_file(t, "a.md", GOOD_MD))], None, "--format xml"),
    "E900": (lambda t: ["extract", str(_file(t, "a.md", GOOD_MD))], None, "internal error"),
    "W104": (lambda t: ["extract", str(_damaged_pdf(t)), "-o", str(t / "out.json")], "cut.pdf", "page 1: unreadable text layer"),
}  # fmt: skip

LINE = re.compile(r"^svcdesc: \[(?P<code>[EW]\d{3})\] (?:(?P<file>[^:\s][^:]*): )?(?P<reason>.+)$")


@pytest.fixture
def prepared(monkeypatch):
    """Per-code preparation that is not an input file: a blocking step, a crashing one."""

    def prepare(code: str) -> None:
        if code == "E203":
            monkeypatch.setenv("SVCDESC_TEST_STALL", "extract:")
        if code == "E900":

            def boom(*_a, **_k):
                raise RuntimeError("boom")

            monkeypatch.setattr("pipeline.catalog.loader.load_description", boom)

    return prepare


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_is_produced_and_names_the_file(code: str, tmp_path: Path, prepared, capsys):
    make, name, text = CASES[code]
    argv = make(tmp_path)
    prepared(code)
    rc = main(argv)
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("svcdesc: [")]
    mine = [m for ln in lines if (m := LINE.match(ln)) and m["code"] == code]
    assert mine, (code, lines)
    line = mine[0]
    if name is not None:
        assert line["file"] == name, (code, line.group(0))
    assert text in line.group(0), (code, line.group(0))
    assert rc == (0 if code.startswith("W") else 3 if code == "E900" else 2), (code, rc, lines)


def test_debug_adds_the_traceback(tmp_path: Path, capsys):
    path = _file(tmp_path, "page.pdf", "<html>x</html>")
    assert main(["extract", str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert main(["--debug", "extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("svcdesc: [E101] page.pdf: not a PDF") and "Traceback (most recent call last)" in err
    )


def test_readme_table_and_error_classes_match_the_cases():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("Errors are one line on stderr")
    para = readme[start : readme.index("\n\n", readme.index("Warnings have the same shape", start))]
    listed: set[str] = set()
    for a, b in re.findall(r"\b([EW]\d{3})(?:–([EW]\d{3}))?", para):
        lo = int(a[1:])
        hi = int(b[1:]) if b else lo
        listed |= {f"{a[0]}{n}" for n in range(lo, hi + 1)}
    classes = {
        c.code for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.SvcdescError)
    } - {"E000"}
    assert classes <= listed, sorted(classes - listed)
    assert listed == set(CASES), (sorted(listed - set(CASES)), sorted(set(CASES) - listed))
