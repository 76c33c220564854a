"""The same corpus built by the local executor, again cold, and on a local Ray cluster: same bytes?

For one corpus (default ``../shared/corpus``; ``--documents N`` or ``START:END`` takes some of its
documents, copied to a temp folder at run time):

1. ``svcdesc build --executor local`` into ``out-local`` with its own empty cache;
2. a local Ray cluster is started (``ray start --head --block`` on free ports plus one worker node,
   ``--num-cpus`` 1 each, a small object store, token authentication with a token made for the run,
   this repository first on the workers' ``PYTHONPATH``), and ``svcdesc build --executor ray`` with
   ``--ray-address`` set to it builds into ``out-ray`` with its own empty cache; the cluster is stopped
   (SIGTERM to the two ``ray start`` processes, which stop what they started) in a ``finally``;
3. ``--executor local`` again, cold, into ``out-local2`` with another empty cache.

Every output file of 2. and 3. is compared byte for byte with 1.; differing files are listed. Each
build runs in a child process whose tree is sampled from ``/proc`` for its peak RSS; for the Ray
build the two ``ray start`` trees (GCS, raylets, Ray's workers) are summed with it.

    nice -n 10 .venv/bin/python benchmarks/bench_executors.py --corpus ../shared/corpus --jobs 2
    nice -n 10 .venv/bin/python benchmarks/bench_executors.py --corpus ../shared/library --label library

Writes ``benchmarks/results/bench_executors.json`` and ``.md`` (rows merged by ``--label``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import CHILD, _tree_rss, tree_digest  # noqa: E402

OBJECT_STORE_BYTES = 100 * 2**20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TreePeak:
    """Peak of the summed RSS of the process trees rooted at ``pids`` (sampled every 0.2 s)."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak = self.peak_first = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            sizes = [_tree_rss(pid)[0] for pid in self.pids]
            self.peak = max(self.peak, sum(sizes))
            self.peak_first = max(self.peak_first, sizes[0])
            self.stop.wait(0.2)

    def close(self) -> tuple[int, int]:
        self.stop.set()
        self.thread.join()
        return self.peak, self.peak_first


class RayCluster:
    """A head and one worker node on this machine, started for the run and stopped by their pids."""

    def __init__(self, work: Path, cpus_per_node: int = 1) -> None:
        self.work = work
        self.cpus = cpus_per_node
        self.procs: list[subprocess.Popen] = []
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        # a token of our own: nothing read from or written to ~/.ray, no other cluster joined
        self.env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
            RAY_AUTH_MODE="token",
            RAY_AUTH_TOKEN=secrets.token_hex(32),
            RAY_USAGE_STATS_ENABLED="0",
        )

    def _start(self, args: list[str], log: Path) -> None:
        ray = str(Path(sys.executable).with_name("ray"))
        cmd = [ray, "start", "--block", f"--num-cpus={self.cpus}", "--num-gpus=0",
               f"--object-store-memory={OBJECT_STORE_BYTES}", "--disable-usage-stats",
               f"--dashboard-agent-listen-port={free_port()}", f"--temp-dir={self.work / 'ray'}", *args]  # fmt: skip
        fh = open(log, "ab")  # noqa: SIM115 - closed with the process
        self.procs.append(subprocess.Popen(cmd, stdout=fh, stderr=fh, env=self.env, start_new_session=True))

    def __enter__(self) -> RayCluster:
        self.work.mkdir(parents=True, exist_ok=True)
        self._start(
            [
                "--head",
                f"--port={self.port}",
                "--node-ip-address=127.0.0.1",
                "--include-dashboard=false",
                f"--dashboard-port={free_port()}",
            ],  # fmt: skip
            self.work / "ray-head.log",
        )
        self._wait_nodes(1)
        self._start(
            [f"--address={self.address}", "--node-ip-address=127.0.0.1"], self.work / "ray-worker.log"
        )
        self._wait_nodes(2)
        return self

    def _wait_nodes(self, n: int, limit: float = 300.0) -> None:
        """Until ``n`` nodes are alive (asked through the public state API in a child process)."""
        probe = (
            "import ray, sys; ray.init(address=sys.argv[1], log_to_driver=False); "
            "print(sum(1 for x in ray.nodes() if x['Alive']))"
        )
        began = time.monotonic()
        while time.monotonic() - began < limit:
            if any(p.poll() is not None for p in self.procs):
                raise SystemExit(f"ray start exited; see {self.work}/ray-*.log")
            got = subprocess.run(
                [sys.executable, "-c", probe, self.address], capture_output=True, text=True, env=self.env
            )
            if got.returncode == 0 and got.stdout.strip().splitlines()[-1:] == [str(n)]:
                return
            time.sleep(2)
        raise SystemExit(f"the Ray cluster did not reach {n} nodes in {limit:g} s; see {self.work}/ray-*.log")

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def __exit__(self, *exc) -> None:
        for p in reversed(self.procs):  # SIGTERM: `ray start --block` drains and stops its processes
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in reversed(self.procs):
            try:
                p.wait(timeout=90)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def run_build(
    corpus: Path, out: Path, cache: Path, jobs: int, timeout: float, log: Path, cluster: RayCluster | None
) -> dict:
    executor = "ray" if cluster else "local"
    cmd = [sys.executable, "-c", CHILD, "build", str(corpus), "--out", str(out), "--jobs", str(jobs),
           "--executor", executor, "--cache-dir", str(cache), "--fail-on", "never", "--progress", "plain",
           "--timeout", f"{timeout:g}"]  # fmt: skip
    env = dict(os.environ)
    if cluster is not None:
        cmd += ["--ray-address", cluster.address]
        env = dict(cluster.env)  # its token
    began = time.monotonic()
    with open(log, "ab") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=fh, env=env)
        meter = TreePeak([proc.pid, *(cluster.pids() if cluster else [])])
        rc = proc.wait()
        peak, peak_build = meter.close()
    seconds = time.monotonic() - began
    if rc not in (0, 1, 2):
        raise SystemExit(f"{executor} build failed (exit {rc}); see {log}")
    return {
        "executor": executor,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak / 2**20, 1),
        "peak_rss_build_tree_mb": round(peak_build / 2**20, 1),
        "exit": rc,
        "summary": log.read_text(errors="replace").splitlines()[-1:],
    }


def compare(a: Path, b: Path) -> dict:
    """Byte-for-byte comparison of two output trees: counts and the differing files."""
    da, db = tree_digest(a), tree_digest(b)
    differ = sorted(k for k in da.keys() & db.keys() if da[k] != db[k])
    return {
        "files": len(da),
        "identical": da == db,
        "differ": differ,
        "only_first": sorted(da.keys() - db.keys()),
        "only_second": sorted(db.keys() - da.keys()),
    }


def subset(corpus: Path, which: str, root: Path) -> Path:
    """Documents of ``corpus`` (top-level folders, sorted) copied under ``root``: the first N
    (``which`` = "N") or a slice ("START:END", from 0)."""
    start, _, end = which.rpartition(":")
    docs = sorted(p for p in corpus.iterdir() if p.is_dir())[int(start or 0) : int(end)]
    for doc in docs:
        shutil.copytree(doc, root / doc.name, dirs_exist_ok=True)
    if (corpus / "glossary.tbx").is_file():
        shutil.copy(corpus / "glossary.tbx", root / "glossary.tbx")
    return root


def code_version() -> str | None:
    """The commit of the code measured: ``git rev-parse`` here, or a ``SNAPSHOT`` file (a tree
    exported with ``git archive`` so that edits made while a long run goes on cannot reach it)."""
    if (REPO / "SNAPSHOT").is_file():
        return (REPO / "SNAPSHOT").read_text().strip()
    got = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return got.stdout.strip() or None


def load_row(label: str) -> dict:
    path = RESULTS / "bench_executors.json"
    rows = json.loads(path.read_text()).get("rows", []) if path.is_file() else []
    return next((r for r in rows if r.get("label") == label), {})


def write_results(row: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "bench_executors.json"
    old = json.loads(path.read_text()) if path.is_file() else {"rows": []}
    rows = {r["label"]: r for r in old.get("rows", [])}
    rows[row["label"]] = row
    result = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "rows": [rows[k] for k in sorted(rows)],
    }
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    lines = [
        "| corpus | code | files | jobs | build | time (s) | peak RSS, process tree (MB) | identical to local |",
        "|---|---|---:|---:|---|---:|---:|---|",
    ]
    for r in result["rows"]:
        for name, b in sorted(r["builds"].items()):
            c = r["compare"].get(name)
            same = "—" if c is None else ("yes" if c["identical"] else "**no**")
            rss = f"{b['peak_rss_mb']}"
            if b["executor"] == "ray":
                rss += f" (build {b['peak_rss_build_tree_mb']} + Ray cluster)"
            lines.append(
                f"| {r['label']} | {r.get('code') or '?'} | {r['inputs']} | {r['jobs']} | {name} ({b['executor']}) "
                f"| {b['seconds']} | {rss} | {same} |"
            )
    for r in result["rows"]:
        for name, c in r["compare"].items():
            if not c["identical"]:
                lines.append(f"\n{r['label']}: {name} differs from local in {len(c['differ'])} files "
                             f"(+{len(c['only_second'])} / -{len(c['only_first'])}): "
                             + ", ".join((c["differ"] + c["only_first"] + c["only_second"])[:20]))  # fmt: skip
    for r in result["rows"]:
        if r.get("note"):
            lines.append(f"\n{r['label']}: {r['note']}")
    (RESULTS / "bench_executors.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument(
        "--documents",
        help="only some documents (top-level folders, sorted): the first N, or START:END (from 0)",
    )
    parser.add_argument("--label", help="row name in the results (default: the corpus folder's name)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600,
        help="--timeout of every build (default 3600 s: a task timed out on a loaded machine in one build "
        "and not in another would make their outputs differ for a reason that is not the executor)",
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    parser.add_argument(
        "--builds",
        default="local,ray,local2",
        help="which builds, in order (default local,ray,local2); builds of the same --label made by another "
        "run (e.g. at the same time) are kept and compared too; '' only compares",
    )
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        raise SystemExit(f"corpus not found at {corpus} (--corpus)")
    label = args.label or corpus.name + (f"-docs{args.documents}" if args.documents else "")
    with tempfile.TemporaryDirectory(prefix="bench-exec-", dir="/tmp") as tmp:
        base = (args.keep or Path(tmp)).resolve()
        base.mkdir(parents=True, exist_ok=True)
        if args.documents:
            corpus = subset(corpus, args.documents, base / "corpus")
        inputs = sum(
            1 for p in corpus.rglob("*")
            if p.suffix in {".md", ".pdf", ".txt", ".docx"} and p.parent != corpus
        )  # fmt: skip
        log = base / "builds.log"
        print(f"{label}: {inputs} input files; work in {base}; log {log}", flush=True)
        row = {
            "label": label,
            "code": code_version(),
            "corpus": str(args.corpus),
            "documents": args.documents,
            "inputs": inputs,
            "jobs": args.jobs,
            "timeout_s": args.timeout,
            "builds": {},
            "compare": {},
        }
        earlier = load_row(label)  # builds of this corpus made by another run (--builds)
        for key in ("builds", "compare"):
            row[key] = {**earlier.get(key, {}), **row[key]}
        wanted = [b for b in args.builds.split(",") if b]
        if not wanted:  # only comparing: what was measured is what the earlier runs measured
            row.update({k: earlier[k] for k in ("code", "note") if k in earlier})

        def out_of(name: str) -> Path:
            return Path(row["builds"].get(name, {}).get("out") or base / f"out-{name}")

        def record(name: str | None = None, result: dict | None = None) -> None:
            """Results are written after every build, so a run stopped half way still reports."""
            if name is not None and result is not None:
                print(f"  {name}: {result}", flush=True)
                row["builds"][name] = {**result, "out": str(base / f"out-{name}")}
            for other in sorted(row["builds"]):
                if other != "local" and out_of("local").is_dir() and out_of(other).is_dir():
                    row["compare"][other] = compare(out_of("local"), out_of(other))
            row["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
            write_results(row)

        def build(name: str, cluster: RayCluster | None = None) -> dict:
            out, cache = base / f"out-{name}", base / f"cache-{name}"
            return run_build(corpus, out, cache, args.jobs, args.timeout, log, cluster)

        for name in wanted:
            if name == "ray":
                with RayCluster(base / "cluster") as cluster:
                    print(f"  Ray cluster at {cluster.address} (2 nodes)", flush=True)
                    record(name, build(name, cluster))
            else:
                record(name, build(name))
        if not wanted:
            record()
        same = all(c["identical"] for c in row["compare"].values())
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
