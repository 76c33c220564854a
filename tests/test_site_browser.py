"""The built site in a real browser: headless Chromium loads it from a local HTTP server.

Checks that the pages load with no console error (CSP violations included), that the comparison
tables are in the rendered DOM, and saves a screenshot under ``tests/_artifacts/`` (gitignored).
Skips when Chromium is absent, except in CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "_artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
]  # fmt: skip

pytestmark = pytest.mark.browser


def chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    if os.environ.get("CI"):
        pytest.fail("CI is set but chromium is not installed (scripts/test.sh installs Debian's chromium)")
    pytest.skip("chromium not installed (apt-get install chromium); browser checks skipped")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The sample corpus's Markdown document built into OUT and served on 127.0.0.1."""
    from pipeline.catalog.pipeline import BuildOptions, build

    base = tmp_path_factory.mktemp("site")
    corpus = base / "corpus"
    shutil.copytree(REPO / "corpus" / "nordlys-support", corpus / "nordlys-support")
    shutil.copy(REPO / "corpus" / "glossary.tbx", corpus / "glossary.tbx")
    out = base / "out"
    build(BuildOptions(corpus=corpus, out=out, jobs=2, cache_dir=base / "cache", fail_on="never"))
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


def load(url: str, tmp_path: Path, *extra: str) -> tuple[str, list[str]]:
    """(stdout, console lines) of one headless Chromium run on ``url``."""
    profile = tmp_path / f"profile-{abs(hash((url, extra)))}"
    proc = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    console = [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln or "Refused to" in ln]
    return proc.stdout, console


def test_document_page_renders_the_comparison_tables(site, tmp_path):
    out, base = site
    dom, console = load(f"{base}/docs/nordlys-support.html", tmp_path, "--dump-dom")
    assert console == [], console
    assert 'class="matrix offers-editions"' in dom and 'class="matrix sla"' in dom
    assert 'class="matrix offers-languages"' in dom and 'class="history"' in dom
    # The planted severity A change is visible in the SLA matrix: 1 h in March, 30 min in September.
    row = re.search(r"<th scope=\"row\">A</th><td>Cloud services</td>(.*?)</tr>", dom, re.S)
    assert row, "severity A / Cloud services row missing from the SLA matrix"
    assert re.findall(r">([^<]+)</td>", row.group(1)) == ["1 h", "30 min"]
    # Availability matrix: the removed and the added service.
    assert "upgrade-planning" in dom and "security-posture-review" in dom


def visible_rows(dom: str) -> list[str]:
    """Document ids of the index rows the filter script left visible."""
    body = dom.split('id="documents-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r"<tr data-q=[^>]*?(hidden[^>]*)?>.*?<span class=\"muted ids\">([^<]+)</span>", body, re.S
    )
    return [doc for hidden, doc in rows if not hidden]


def test_index_search_and_filters_work_offline(site, tmp_path):
    """From file:// (no server, no network): the filters in the URL hide the rows that do not match."""
    out, _ = site
    index = (out / "index.html").as_uri()
    dom, console = load(index, tmp_path, "--dump-dom")
    assert console == [], console
    assert visible_rows(dom) == ["nordlys-support"] and "1 of 1 documents" in dom
    for query, expected in [
        ("#q=nordlys", ["nordlys-support"]),
        ("#q=no-such-document", []),
        ("#lang=fr", ["nordlys-support"]),
        ("#sev=breaking", ["nordlys-support"]),
        ("#since=2025-03-01", ["nordlys-support"]),
        ("#since=2025-09-01", []),
    ]:
        dom, console = load(index + query, tmp_path, "--dump-dom")
        assert console == [], (query, console)
        assert visible_rows(dom) == expected, query
    assert "No document matches these filters." in dom and 'id="none" hidden' not in dom


def test_report_pages_load_without_console_errors(site, tmp_path):
    out, base = site
    for page in [
        "diffs/nordlys-support/2025-03-01..2025-09-01.en.html",
        "parity/nordlys-support/2025-09-01.html",
    ]:
        assert (out / page).is_file(), page
        dom, console = load(f"{base}/{page}", tmp_path, "--dump-dom")
        assert console == [], (page, console)
        assert "<table" in dom, page


def test_screenshot_of_the_index(site, tmp_path):
    _, base = site
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "site-index.png"
    shot.unlink(missing_ok=True)
    _, console = load(f"{base}/index.html", tmp_path, f"--screenshot={shot}", "--window-size=1400,2000")
    assert console == [], console
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_console_capture_sees_a_script_error(tmp_path):
    """The harness itself: a page that throws must show up as a console line (else the checks above prove nothing)."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><script>throw new Error('boom-from-test')</script></body></html>"
    )
    _, console = load(page.as_uri(), tmp_path, "--dump-dom")
    assert any("boom-from-test" in ln for ln in console), console
