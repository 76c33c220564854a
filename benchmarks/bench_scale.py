"""``svcdesc build`` at growing library size: cold build, no-change rebuild, one-document edit, memory.

Corpora are made at run time in a temp folder (nothing from ``../shared`` is copied into the repo):

* by default, up to 64 editions: whole documents of ``../shared/library`` (16 documents x 4 dated editions, EN+FR),
  in the library's own order, so every subset has real diffs and parity checks;
* beyond that: the whole library plus a **synthetic library** made from its small-to-medium pages
  (the 6 smallest documents), one copy per synthetic document, each edition with controlled edits
  that give the diff and parity real work: a number changed in one table row, a sentence added to
  one paragraph, a list item dropped, and, in every third edition, a number changed in the French
  only (a translation slip the parity check must find). ``--synthetic`` builds corpora of synthetic
  documents only: the same kind of content at every size, so time and memory compare across sizes.

For each size: a cold build (empty cache), a no-change rebuild, then one edited document (a number in
the newest English edition of one document) rebuilt; each is ``svcdesc build`` in a child process
whose whole process tree (the build and its workers) is sampled from ``/proc`` for its peak
RSS. Reported: times, peak RSS, output sizes, the number of HTML pages and the largest one; with
``--verify``, a cold build of the edited corpus is compared byte for byte with the incremental one.

    nice -n 10 .venv/bin/python benchmarks/bench_scale.py --sizes 16,32,64,128,256 --jobs 2
    .venv/bin/python benchmarks/bench_scale.py --sizes 2000 --jobs 8     # the issue's largest size

Writes ``benchmarks/results/bench_scale.json`` and ``bench_scale.md`` (rows are merged by size, so
sizes can be measured in separate runs). Times depend on the machine and its load: compare ratios.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
CHILD = "import sys; from pipeline.cli import main; sys.exit(main(sys.argv[1:]))"
SYNTHETIC_SOURCES = 6  # the smallest documents of the library feed the synthetic one


# ------------------------------------------------------------------------------------ corpora


def library_documents(library: Path) -> list[Path]:
    return sorted(p for p in library.iterdir() if p.is_dir() and any(p.glob("*/en.md")))


def _editions(doc: Path) -> list[Path]:
    return sorted(
        p for p in doc.iterdir() if p.is_dir() and (p / "en.md").is_file() and (p / "fr.md").is_file()
    )


def _doc_size(doc: Path) -> int:
    return sum(f.stat().st_size for e in _editions(doc) for f in e.glob("*.md"))


_NUMBER = re.compile(r"(?<![\w.])(\d{1,4})(?![\w.])")


def _edit(text: str, seed: int, french_slip: bool = False) -> str:
    """Controlled edits of one page: a number in a table row, a sentence added, a list item dropped."""
    lines = text.split("\n")
    rows = [i for i, ln in enumerate(lines) if ln.startswith("|") and _NUMBER.search(ln) and "---" not in ln]
    paras = [i for i, ln in enumerate(lines) if len(ln) > 80 and not ln.startswith(("|", "#", "-", "*", ">"))]
    items = [i for i, ln in enumerate(lines) if ln.startswith(("- ", "* "))]
    if rows:
        i = rows[seed % len(rows)]
        lines[i] = _NUMBER.sub(lambda m: str(int(m.group(1)) + 1 + seed % 7), lines[i], count=1)
    if paras and not french_slip:
        i = paras[(seed * 7) % len(paras)]
        lines[i] += f" Revision {seed} applies to this paragraph."
    if len(items) > 3 and not french_slip:
        del lines[items[(seed * 3) % len(items)]]
    return "\n".join(lines)


def make_corpus(library: Path, root: Path, editions: int, synthetic_only: bool = False) -> tuple[Path, int]:
    """A corpus of about ``editions`` editions (EN+FR each); returns (root, editions made)."""
    docs = library_documents(library)
    made = 0
    for doc in [] if synthetic_only else docs:
        if made >= editions:
            break
        for ed in _editions(doc):
            for lang in ("en", "fr"):
                dst = root / doc.name / ed.name / f"{lang}.md"
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ed / f"{lang}.md", dst)
            made += 1
    sources = sorted(docs, key=_doc_size)[:SYNTHETIC_SOURCES]
    k = 0
    while made < editions:
        src = sources[k % len(sources)]
        name = f"synthetic-{k:04d}-{src.name}"
        for j, ed in enumerate(_editions(src)):
            seed = k * 11 + j
            date = ed.name
            for lang in ("en", "fr"):
                text = (ed / f"{lang}.md").read_text(encoding="utf-8")
                if j:  # the first edition is the copy itself; later ones are edited
                    text = _edit(text, seed)
                    if lang == "fr" and j % 3 == 0:
                        text = _edit(text, seed + 1, french_slip=True)
                dst = root / name / date / f"{lang}.md"
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_text(text, encoding="utf-8")
            made += 1
        k += 1
    return root, made


def edit_one_document(corpus: Path) -> Path:
    """Change one number in the newest English edition of the first document; return the file."""
    doc = sorted(p for p in corpus.iterdir() if p.is_dir())[0]
    newest = _editions(doc)[-1] / "en.md"
    text = newest.read_text(encoding="utf-8")
    edited = _NUMBER.sub(lambda m: str(int(m.group(1)) + 1), text, count=1)
    if edited == text:
        edited = text + "\nOne more sentence for the benchmark.\n"
    newest.write_text(edited, encoding="utf-8")
    return newest


# ------------------------------------------------------------------------------- measuring


def _tree_rss(root: int, cpu: dict[int, int] | None = None) -> tuple[int, int]:
    """(summed RSS of ``root`` and all its descendants, RSS of ``root`` alone), bytes, from /proc;
    ``cpu`` (pid -> user+system clock ticks) is updated for every process of the tree."""
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    total, main, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        if cpu is not None and pid in ticks:
            cpu[pid] = max(cpu.get(pid, 0), ticks[pid])
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                rss = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
        total += rss
        main = rss if pid == root else main
    return total, main


class PeakRss:
    """Peak of the summed RSS of a process and all its descendants, sampled every 0.2 s; and the CPU
    seconds (user + system) of that process tree, as last seen of each process (the machine is
    shared: CPU seconds compare across runs where wall time does not)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = self.peak_main = 0
        self.cpu: dict[int, int] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            tree, main = _tree_rss(self.pid, self.cpu)
            self.peak, self.peak_main = max(self.peak, tree), max(self.peak_main, main)
            self.stop.wait(0.2)

    def close(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.peak

    def cpu_seconds(self) -> float:
        return sum(self.cpu.values()) / os.sysconf("SC_CLK_TCK")


def run_build(corpus: Path, out: Path, cache: Path | None, jobs: int, executor: str, log: Path) -> dict:
    cmd = [sys.executable, "-c", CHILD, "build", str(corpus), "--out", str(out), "--jobs", str(jobs),
           "--executor", executor, "--fail-on", "never", "--progress", "plain"]  # fmt: skip
    cmd += ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    began = time.monotonic()
    with open(log, "ab") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=fh)
        meter = PeakRss(proc.pid)
        rc = proc.wait()
        peak = meter.close()
    seconds = time.monotonic() - began
    main_peak = meter.peak_main
    if rc not in (0, 1, 2):
        raise SystemExit(f"build failed (exit {rc}); see {log}")
    tail = log.read_text(errors="replace").splitlines()[-2:]
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 2**20, 1),
        "peak_rss_main_mb": round(main_peak / 2**20, 1),
        "cpu_s": round(meter.cpu_seconds(), 1),
        "exit": rc,
        "last": tail,
    }


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def output_sizes(out: Path) -> dict:
    sizes = {name: (out / name).stat().st_size for name in (
        "catalog.json", "catalog.xml", "catalog.sqlite", "findings.junit.xml", "findings.sarif", "index.html",
    ) if (out / name).is_file()}  # fmt: skip
    pages = [(p.stat().st_size, p.relative_to(out).as_posix()) for p in out.rglob("*.html")]
    largest = max(pages) if pages else (0, "")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "files_bytes": sizes,
        "out_bytes": total,
        "html_pages": len(pages),
        "largest_html_bytes": largest[0],
        "largest_html": largest[1],
    }


CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0",
    "--virtual-time-budget=5000", "--dump-dom",
]  # fmt: skip


def check_site(out: Path, work: Path) -> dict:
    """The built site in headless Chromium from file://: load time of the index and of the largest
    document page, console errors, and a search (by URL) that must leave exactly one row visible."""
    chromium = next(
        (c for c in ("/usr/bin/chromium", shutil.which("chromium") or "") if c and Path(c).exists()), None
    )
    if chromium is None:
        return {"skipped": "chromium not installed"}
    index = out / "index.html"
    first = re.search(r'<span class="muted ids">([^<]+)</span>', index.read_text(encoding="utf-8"))
    doc = first.group(1) if first else ""
    pages = sorted((p for p in (out / "docs").rglob("*.html")), key=lambda p: p.stat().st_size)
    result: dict = {}
    for name, url in [
        ("index", index.as_uri()),
        ("search", index.as_uri() + f"#q={doc}"),
        ("largest_document_page", pages[-1].as_uri() if pages else index.as_uri()),
    ]:
        began = time.monotonic()
        proc = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={work / ('chromium-' + name)}", url],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        seconds = round(time.monotonic() - began, 2)
        console = [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln or "Refused to" in ln]
        entry = {"seconds": seconds, "console_errors": len(console), "dom_bytes": len(proc.stdout)}
        if name == "search":
            body = proc.stdout.split('id="documents-table"', 1)[-1]
            rows = re.findall(r"<tr data-q=([^>]*)>", body)
            visible = [r for r in rows if "hidden" not in r]
            matching = [r for r in rows if doc.lower() in r.lower()]
            entry.update({"rows": len(rows), "visible": len(visible), "expected_visible": len(matching)})
            entry["works"] = len(visible) == len(matching) >= 1 and len(rows) > len(visible) or len(rows) == 1
        result[name] = entry
    return result


def measure(
    library: Path, size: int, base: Path, jobs: int, executor: str, verify: bool, synthetic: bool
) -> dict:
    kind = "synthetic" if synthetic else "library"
    corpus, made = make_corpus(library, base / f"corpus-{kind}-{size}", size, synthetic_only=synthetic)
    out, cache = base / f"out-{kind}-{size}", base / f"cache-{kind}-{size}"
    log = base / f"build-{kind}-{size}.log"
    files = sum(1 for _ in corpus.rglob("*.md"))
    print(f"size {size}: {made} editions, {files} files; log {log}", flush=True)
    cold = run_build(corpus, out, cache, jobs, executor, log)
    print(f"  cold {cold}", flush=True)
    site = check_site(out, base)
    print(f"  site in chromium {site}", flush=True)
    nochange = run_build(corpus, out, cache, jobs, executor, log)
    print(f"  no-change {nochange}", flush=True)
    edited = edit_one_document(corpus)
    edit = run_build(corpus, out, cache, jobs, executor, log)
    print(f"  one edit ({edited.relative_to(corpus)}) {edit}", flush=True)
    row = {
        "corpus": kind,
        "size": size,
        "editions": made,
        "files": files,
        "documents": sum(1 for p in corpus.iterdir() if p.is_dir()),
        "jobs": jobs,
        "executor": executor,
        "cold_s": cold["seconds"],
        "no_change_s": nochange["seconds"],
        "one_edit_s": edit["seconds"],
        "no_change_ratio": round(nochange["seconds"] / cold["seconds"], 4),
        "one_edit_ratio": round(edit["seconds"] / cold["seconds"], 4),
        "cold_s_per_edition": round(cold["seconds"] / made, 3),
        "cpu_s": {"cold": cold["cpu_s"], "no_change": nochange["cpu_s"], "one_edit": edit["cpu_s"]},
        "cold_cpu_s_per_edition": round(cold["cpu_s"] / made, 3),
        "peak_rss_mb": {"cold": cold["peak_rss_mb"], "no_change": nochange["peak_rss_mb"], "one_edit": edit["peak_rss_mb"]},
        "peak_rss_main_process_mb": cold.get("peak_rss_main_mb"),
        "summaries": {"cold": cold["last"], "no_change": nochange["last"], "one_edit": edit["last"]},
        "site_in_chromium": site,
        **output_sizes(out),
    }  # fmt: skip
    if verify:
        ref = base / f"ref-{size}"
        run_build(corpus, ref, None, jobs, executor, log)
        row["incremental_equals_cold"] = tree_digest(ref) == tree_digest(out)
        print(f"  incremental == cold: {row['incremental_equals_cold']}", flush=True)
        shutil.rmtree(ref, ignore_errors=True)
    return row


def write_results(rows: list[dict], args) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "bench_scale.json"
    old = json.loads(path.read_text()) if path.is_file() else {"rows": []}
    by_size = {(r.get("corpus", "library"), r["size"]): r for r in old.get("rows", [])}
    by_size.update({(r["corpus"], r["size"]): r for r in rows})
    merged = [by_size[k] for k in sorted(by_size)]
    result = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
        },  # fmt: skip
        "rows": merged,
    }
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    lines = [
        "| corpus | editions | files | jobs | cold (s) | s/edition | CPU s cold / per edition | no-change (s) | ratio | one edit (s) | ratio "
        "| peak RSS cold / no-change / edit (MB) | catalog.json / .xml / .sqlite (MB) | HTML pages | largest page (KB) |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for r in merged:
        fb = r["files_bytes"]
        mb = " / ".join(
            f"{fb.get(n, 0) / 2**20:.1f}" for n in ("catalog.json", "catalog.xml", "catalog.sqlite")
        )
        rss = r["peak_rss_mb"]
        cpu = f"{r['cpu_s']['cold']} / {r['cold_cpu_s_per_edition']}" if "cpu_s" in r else "-"
        lines.append(
            f"| {r.get('corpus', 'library')} | {r['editions']} | {r['files']} | {r['jobs']} | {r['cold_s']} | {r['cold_s_per_edition']} | {cpu} | "
            f"{r['no_change_s']} | {r['no_change_ratio']:.3f} | {r['one_edit_s']} | {r['one_edit_ratio']:.3f} | "
            f"{rss['cold']} / {rss['no_change']} / {rss['one_edit']} | {mb} | {r['html_pages']} | "
            f"{r['largest_html_bytes'] / 1024:.0f} ({r['largest_html']}) |"
        )
    (RESULTS / "bench_scale.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, default=REPO.parent / "shared" / "library")
    parser.add_argument("--sizes", default="16,32,64,128", help="editions per corpus (comma-separated)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--executor", choices=["local", "ray"], default="local")
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="synthetic documents only (small-to-medium pages: same content at every size, so time and memory "
        "can be compared across sizes)",
    )
    parser.add_argument(
        "--ray-cluster",
        action="store_true",
        help="with --executor ray: start a local Ray cluster (a head and a worker node, --jobs CPUs in all; "
        "see bench_executors.py) for the run, stop it after",
    )
    parser.add_argument(
        "--verify", action="store_true", help="also compare with a cold build of the edited corpus"
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    args = parser.parse_args()
    if not args.library.is_dir():
        raise SystemExit(f"library not found at {args.library} (--library)")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    if not args.ray_cluster:
        return _run(args, sizes, rows)
    # a cluster of our own (free ports, own token), stopped by its pids: never `ray stop`, which
    # would stop every Ray on the machine
    from bench_executors import RayCluster

    with (
        tempfile.TemporaryDirectory(prefix="bench-scale-ray-", dir="/tmp") as work,
        RayCluster(Path(work), cpus_per_node=max(1, args.jobs // 2)) as cluster,
    ):
        os.environ.update(cluster.env, RAY_ADDRESS=cluster.address)  # the builds join it
        return _run(args, sizes, rows)


def _run(args, sizes: list[int], rows: list[dict]) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            rows.append(
                measure(args.library, size, base, args.jobs, args.executor, args.verify, args.synthetic)
            )
            write_results(rows, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
