"""Broken and hostile input through the real CLI: one clear error line or a valid output, bounded cost.

The corpus comes from ``scripts/make_bad_corpus.py`` (generated into a temp folder, derived from the
smallest real shared PDF when present). Every case runs ``svcdesc`` in its own subprocess under an
address-space and CPU limit; its wall time and peak RSS are measured with ``os.wait4``. Per class we
assert: exit 0 with a valid JSON output, or exit 2 with exactly one stderr line
``svcdesc: [Exxx] <file>: <reason>`` whose code is one the class allows — never a traceback, never
the internal-error code, never a hang. Set ``SVCDESC_BAD_REPORT=FILE`` to get the measurements as JSON.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import CLI_CHILD as CHILD
from helpers import TIME_SCALE, no_hang

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from make_bad_corpus import Case, make_bad_corpus  # noqa: E402

ERROR_LINE = re.compile(r"^svcdesc: \[(E\d{3})\] (.+?): (\S.*)$")
MEM_LIMIT = 3 * 1024**3  # address space per child
HARD_KILL_S = 120.0
TIME_BUDGET_S = {"long_line_markdown": 60.0, "many_pages_pdf_allowed": 60.0, "nested_markdown": 30.0}
RSS_BUDGET_MB = {"long_line_markdown": 2000.0}
DEFAULT_TIME_S = 20.0
DEFAULT_RSS_MB = 700.0

CLASSES = [
    "good_pdf", "good_md", "truncated_pdf", "flipped_pdf", "encrypted_pdf", "encrypted_pdf_open",
    "no_text_layer_pdf", "empty_file", "html_named_pdf", "zip_named_pdf", "many_pages_pdf",
    "many_pages_pdf_allowed", "nested_markdown", "long_line_markdown", "long_line_text", "invalid_utf8",
    "binary_named_text", "bom", "crlf", "lone_cr", "broken_front_matter", "deflate_bomb_pdf", "page_tree_pdf",
]  # fmt: skip


@dataclass
class Run:
    args: list[str]
    rc: int
    stderr: str
    seconds: float  # wall time (reported)
    peak_rss_mb: float
    output: Path | None
    cpu_seconds: float = 0.0  # user + system time of the child: what the budgets hold (steady under load)


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEM_LIMIT, MEM_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_cli(args: list[str], workdir: Path, output: Path | None = None, **env_extra: str) -> Run:
    """Run ``svcdesc args`` in a limited subprocess; measure wall time and this child's peak RSS."""
    err_path = workdir / f".stderr-{os.getpid()}-{time.monotonic_ns()}"
    full = list(args) + (["-o", str(output)] if output is not None else [])
    env = dict(os.environ, PYTHONHASHSEED="0", **env_extra)
    env.pop("SVCDESC_DEBUG", None)
    start = time.perf_counter()
    with open(err_path, "wb") as err, open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, *full], stdout=devnull, stderr=err, preexec_fn=_limit_child, env=env
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > HARD_KILL_S * TIME_SCALE:  # a hang guard, not a budget
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    stderr = err_path.read_text("utf-8", "replace")
    err_path.unlink()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(full, proc.returncode, stderr, seconds, usage.ru_maxrss / 1024, output, cpu)


@pytest.fixture(scope="session")
def bad_corpus(tmp_path_factory) -> tuple[Path, list[Case]]:
    out = tmp_path_factory.mktemp("bad-corpus")
    return out, make_bad_corpus(out, truncations=8, flips=4)  # the script defaults are larger


REPORT: list[dict] = []


@pytest.fixture(scope="session", autouse=True)
def _write_report():
    yield
    target = os.environ.get("SVCDESC_BAD_REPORT")
    if target and REPORT:
        Path(target).write_text(json.dumps(REPORT, indent=1, sort_keys=True))


def check_outcome(case: Case, run: Run) -> str:
    """Assert the contract for one run; return the outcome ("ok" or the error code)."""
    what = f"{case.name} {case.args}: rc={run.rc} stderr={run.stderr[-2000:]!r}"
    assert "Traceback" not in run.stderr, what
    assert run.rc in (0, 2), what
    if run.rc == 0:
        outcome = "ok"
        assert run.output is not None and run.output.is_file(), what
        json.loads(run.output.read_bytes())  # a valid output, not a half-written one
    else:
        lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1, what
        m = ERROR_LINE.match(lines[0])
        assert m, what
        outcome = m.group(1)
        assert m.group(2) == Path(case.name).name, what  # names the file
        assert run.output is None or not run.output.exists(), what  # no partial output left behind
    assert outcome in case.expect, f"unexpected outcome {outcome}: {what}"
    return outcome


@pytest.mark.slow
@pytest.mark.parametrize("klass", CLASSES)
def test_bad_input_class(klass: str, bad_corpus, tmp_path: Path):
    folder, cases = bad_corpus
    mine = [c for c in cases if c.klass == klass]
    assert mine, f"no case generated for class {klass}"
    for i, case in enumerate(mine):
        out = tmp_path / f"out-{i}.json"
        run = run_cli(["extract", "--stage", "document", str(folder / case.name), *case.args], tmp_path, out)
        outcome = check_outcome(case, run)
        budget_s = TIME_BUDGET_S.get(klass, DEFAULT_TIME_S)
        budget_mb = RSS_BUDGET_MB.get(klass, DEFAULT_RSS_MB)
        REPORT.append({"class": klass, "case": case.name, "args": case.args, "rc": run.rc, "outcome": outcome,
                       "seconds": round(run.seconds, 2), "cpu_seconds": round(run.cpu_seconds, 2), "peak_rss_mb": round(run.peak_rss_mb, 1)})  # fmt: skip
        budget_s *= TIME_SCALE
        assert run.cpu_seconds < budget_s, f"{case.name}: {run.cpu_seconds:.1f} s of CPU over {budget_s:g} s"
        assert run.peak_rss_mb < budget_mb, f"{case.name}: {run.peak_rss_mb:.0f} MB over {budget_mb} MB"


def test_scanned_pdf_is_reported_not_emptied(bad_corpus, tmp_path: Path):
    folder, _ = bad_corpus
    run = run_cli(["extract", "--stage", "document", str(folder / "no-text.pdf")], tmp_path)
    assert run.rc == 2 and "[E104] no-text.pdf:" in run.stderr, run.stderr


def test_missing_path_is_one_line(tmp_path: Path):
    run = run_cli(["extract", "--stage", "document", str(tmp_path / "nope.pdf")], tmp_path)
    assert run.rc == 2
    assert run.stderr.strip() == "svcdesc: [E100] nope.pdf: no such file"


def test_directory_named_pdf(tmp_path: Path):
    (tmp_path / "dir.pdf").mkdir()
    run = run_cli(["extract", "--stage", "document", str(tmp_path / "dir.pdf")], tmp_path)
    assert run.rc == 2 and run.stderr.startswith("svcdesc: [E100] dir.pdf:"), run.stderr


# --- limits are enforced and configurable ------------------------------------------------------------


def test_max_bytes_enforced(bad_corpus, tmp_path: Path):
    folder, _ = bad_corpus
    size = (folder / "good.pdf").stat().st_size
    run = run_cli(
        ["extract", "--stage", "document", "--max-bytes", str(size - 1), str(folder / "good.pdf")], tmp_path
    )
    assert run.rc == 2 and "[E201] good.pdf:" in run.stderr and "--max-bytes" in run.stderr, run.stderr
    ok = run_cli(["extract", "--stage", "document", "--max-bytes", str(size), str(folder / "good.pdf")], tmp_path,
                 tmp_path / "ok.json")  # fmt: skip
    assert ok.rc == 0, ok.stderr


def test_max_pages_enforced(bad_corpus, tmp_path: Path):
    folder, _ = bad_corpus
    run = run_cli(["extract", "--stage", "document", "--max-pages", "1", str(folder / "good.pdf")], tmp_path)
    assert run.rc == 2 and "[E202] good.pdf:" in run.stderr, run.stderr
    # the 5,000-page PDF is refused before its pages are read: fast and small
    big = run_cli(["extract", "--stage", "document", str(folder / "many-empty-pages.pdf")], tmp_path)
    assert big.rc == 2 and "[E202]" in big.stderr, big.stderr
    assert big.cpu_seconds < 10 * TIME_SCALE and big.peak_rss_mb < 400


def test_timeout_enforced(bad_corpus, tmp_path: Path):
    """The extraction step is made to block (test hook), so the limit fires on any machine."""
    folder, _ = bad_corpus
    marker = tmp_path / "reached"
    args = ["extract", "--stage", "document", "--timeout", "0.5", str(folder / "good.pdf")]
    run = run_cli(args, tmp_path, SVCDESC_TEST_STALL=f"extract:{marker}")
    assert marker.is_file(), run.stderr  # the blocking step was reached, so only the alarm ended it
    assert run.rc == 2 and "[E203] good.pdf: extraction took over 0.5 s (--timeout)" in run.stderr, run.stderr


# --- batches: one bad file does not stop the others --------------------------------------------------


def test_validate_batch_mixes_good_and_bad(bad_corpus, tmp_path: Path):
    folder, _ = bad_corpus
    files = [folder / n for n in ("good.md", "truncated-0000512.pdf", "empty.pdf", "page.pdf", "good.pdf")]
    report = tmp_path / "validate.json"
    run = run_cli(["validate", "--format", "json", *map(str, files)], tmp_path, report)
    assert "Traceback" not in run.stderr
    assert run.rc == 2, run.stderr  # an input error among them
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    errors = {m.group(2): m.group(1) for ln in lines if (m := ERROR_LINE.match(ln))}
    assert errors == {"truncated-0000512.pdf": "E102", "empty.pdf": "E105", "page.pdf": "E101"}, run.stderr
    validated = [Path(i["path"]).name for i in json.loads(report.read_bytes())["inputs"]]
    assert validated == ["good.md", "good.pdf"]  # the good ones went through, in order


# --- regressions found by the bad-input corpus and the fuzzers (in-process, fast) ----------------------


def test_regression_front_matter_yaml_alias_bomb(tmp_path: Path):
    """markdown.py expanded YAML aliases while copying front matter: 9^9 leaves, a hang. Now refused."""
    from pipeline.errors import BadFrontMatter
    from pipeline.extract import extract

    levels = "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    path = tmp_path / "bomb.md"
    path.write_text("---\na: &a [x,x,x,x,x,x,x,x,x]\n" + levels + "title: *i\n---\n# Service\n")
    with no_hang(), pytest.raises(BadFrontMatter, match="aliases"):
        extract(path)


def test_build_batch_mixes_good_and_bad(bad_corpus, tmp_path: Path):
    """``svcdesc build`` on a corpus where most files are broken: the good ones are still built."""
    import shutil

    folder, _ = bad_corpus
    layout = {
        "alpha/2021-01-01/en.md": ("good.md", None),
        "alpha/2021-01-01/fr.pdf": ("truncated-0000512.pdf", "E102"),
        "beta/2021-01-01/en.pdf": ("good.pdf", None),
        "gamma/2021-01-01/en.pdf": ("page.pdf", "E101"),
        "delta/2021-01-01/en.md": ("front-matter-yaml-bomb.md", "E107"),
        "epsilon/2021-01-01/en.pdf": ("encrypted.pdf", "E103"),
        "zeta/2021-01-01/en.md": ("invalid-utf8.md", "E108"),
        "eta/2021-01-01/en.pdf": ("no-text.pdf", "E104"),
        "theta/2021-01-01/en.txt": ("empty.txt", "E105"),
    }
    corpus = tmp_path / "corpus"
    for rel, (name, _) in layout.items():
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / name, corpus / rel)
    out = tmp_path / "out"
    run = run_cli(["build", str(corpus), "--out", str(out), "--progress", "none", "--no-cache"], tmp_path)
    assert "Traceback" not in run.stderr and "[E900]" not in run.stderr, run.stderr[-3000:]
    assert run.rc == 2, run.stderr[-3000:]
    catalog = json.loads((out / "catalog.json").read_bytes())
    problems = {p["path"]: p["code"] for p in catalog["problems"]}
    expected = {rel: code for rel, (_, code) in layout.items() if code}
    assert problems == expected, problems
    built = {(d["id"], e["edition"], lang["lang"]) for d in catalog["documents"] for e in d["editions"]
             for lang in e["languages"]}  # fmt: skip
    assert {("alpha", "2021-01-01", "en"), ("beta", "2021-01-01", "en")} <= built, built
    assert run.cpu_seconds < 120 * TIME_SCALE, run.cpu_seconds
    REPORT.append({"class": "build_batch", "case": "9 files, 7 bad", "rc": run.rc, "outcome": "E3xx/E1xx per file",
                   "seconds": round(run.seconds, 2), "cpu_seconds": round(run.cpu_seconds, 2), "peak_rss_mb": round(run.peak_rss_mb, 1)})  # fmt: skip


def test_regression_svcdesc_error_pickles_across_worker_processes():
    """A typed error raised in a build worker could not be unpickled in the parent (missing 'reason'):
    the pool broke and every file of the batch became "[E900] worker process died". Found by
    test_build_batch_mixes_good_and_bad."""
    import pickle

    from pipeline import errors

    for cls in [
        c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.SvcdescError)
    ]:
        err = pickle.loads(pickle.dumps(cls("dir/x.pdf", "a reason")))
        assert type(err) is cls and err.path == "dir/x.pdf" and err.message == f"[{cls.code}] x.pdf: a reason"


def test_regression_pdf_deflate_bomb_capped(tmp_path: Path):
    """pdfminer inflated a 100 KB FlateDecode stream whole: 300 MB inflated cost 660 MB RSS and 20 s.
    Now streams are capped (pipeline/extract/pdf/inflate_cap.py) and the file fails with E201."""
    from make_bad_corpus import deflate_bomb_pdf

    from pipeline.errors import TooLarge
    from pipeline.extract import extract

    path = tmp_path / "bomb.pdf"
    path.write_bytes(deflate_bomb_pdf(80))
    with no_hang(), pytest.raises(TooLarge, match="inflates past"):
        extract(path)


def test_regression_pdf_corrupt_stream_fallback_is_linear():
    """pdfminer's fallback for a stream with a bad checksum did ``bytes +=`` per input byte (quadratic)."""
    import zlib

    from pipeline.extract.pdf.inflate_cap import capped_decompress_corrupted

    data = zlib.compress(b"q 1 0 0 1 0 0 cm Q\n" * 200_000)[:-2]  # checksum cut off
    with no_hang():
        out = capped_decompress_corrupted(data)
    assert out.startswith(b"q 1 0 0 1 0 0 cm Q\n") and len(out) > 3_000_000
