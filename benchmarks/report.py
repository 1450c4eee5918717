"""The benchmark's Markdown report: the table for the README, the search index's share, the targets.

Takes what run.py measured (per N: the generator's runs, one Pagefind over its site, serve's
latencies; Hugo + Pagefind's runs and ``hugo server``'s) and the machine line; gives Markdown.
Anything not measured (a tool missing, a part that failed) is shown as "n/a", never guessed.
"""
from __future__ import annotations

import json
import statistics

from measure import Run

GIB = 1024
TARGETS = "issue 15, at 10,000 raw files"


def seconds(run_: Run | None) -> str:
    if run_ is None:
        return "n/a"
    if run_.returncode is None:
        return f"> {run_.seconds:.0f} s (stopped during {run_.current_stage()})"
    return f"{run_.seconds:.2f} s" if run_.ok else f"failed ({run_.returncode})"


def _ok(run_: Run | None) -> float | None:
    return run_.seconds if run_ is not None and run_.ok else None


def _median(serve) -> float | None:
    return statistics.median(serve[0]) if serve and serve[0] else None


def _peak(runs: dict[str, Run]) -> float | None:
    peaks = [x.peak_pss_mib for x in runs.values() if x is not None]
    return max(peaks) if peaks else None


def _cell(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f} MiB" if unit == "MiB" else f"{value:.2f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a is not None and b else "n/a"


def table(results: dict) -> list[str]:
    out = ["| N | | clean build | no-change rebuild | one edit, search updated (CLI) | serve: edit → page "
           "| peak memory, all processes (PSS) |", "|---|---|---|---|---|---|---|"]
    for n, r in results.items():
        runs, hugo = r.get("runs") or {}, r.get("hugo") or {}
        ours = [_ok(runs.get(k)) for k in ("clean", "no change", "one edit")] + [_median(r.get("serve"))]
        ours_peak = _peak(runs)
        theirs = [_ok(hugo.get(k)) for k in ("clean", "no change", "one edit")] + [_median(r.get("hugo serve"))]
        theirs_peak = _peak({k: v for k, v in hugo.items() if k != "hugo"})
        out.append(f"| {n:,} | digest | " + " | ".join(seconds(runs.get(k)) for k in ("clean", "no change", "one edit"))
                   + f" | {_cell(ours[3])} | {_cell(ours_peak, 'MiB')} |")
        out.append(f"| {n:,} | Hugo + Pagefind | " + " | ".join(_cell(x) for x in theirs[:3])
                   + f" | {_cell(theirs[3])} (page only) | {_cell(theirs_peak, 'MiB')} |")
        out.append(f"| {n:,} | digest ÷ (Hugo + Pagefind) | "
                   + " | ".join(_ratio(a, b) for a, b in zip(ours, theirs)) + f" | {_ratio(ours_peak, theirs_peak)} |")
    return out


def search_lines(results: dict) -> list[str]:
    out = []
    for n, r in results.items():
        runs = r.get("runs") or {}
        parts = []
        for name in ("clean", "no change", "one edit"):
            run_ = runs.get(name)
            index = run_.stage("search") if run_ is not None and run_.ok else None
            if index is not None:
                note = next((line.split(" s ", 1)[1].split("[")[0].strip() for line in run_.stderr.splitlines()
                             if line.split()[:1] == ["search"]), "")
                parts.append(f"{name} {index:.2f} s of {run_.seconds:.2f} s ({100 * index / run_.seconds:.0f}%; {note})")
            elif run_ is not None and run_.ok:
                parts.append(f"{name}: not re-indexed")
        one, clean = _ok(r.get("one index")), _ok(runs.get("clean"))
        if one is not None and clean:
            parts.append(f"one Pagefind over the whole site (the index before shards, redone after every edit): "
                         f"{one:.2f} s, {100 * one / clean:.0f}% of the clean build")
        hugo = r.get("hugo") or {}
        if _ok(hugo.get("clean")) and _ok(hugo.get("hugo")):
            parts.append(f"Hugo alone {hugo['hugo'].seconds:.2f} s (best of 3), so Pagefind on its output "
                         f"≈ {hugo['clean'].seconds - hugo['hugo'].seconds:.2f} s")
        if parts:
            out.append(f"- N={n:,}, search index: " + "; ".join(parts))
    return out


def stage_lines(results: dict) -> list[str]:
    out = []
    for n, r in results.items():
        for who, runs in (("digest", r.get("runs") or {}), ("Hugo + Pagefind", r.get("hugo") or {})):
            cpu = [f"{name} {x.cpu_seconds:.2f} s" for name, x in runs.items() if x is not None and x.ok]
            if cpu:
                out.append(f"- N={n:,}, {who}, CPU time (user + system): " + ", ".join(cpu))
        for name, run_ in (r.get("runs") or {}).items():
            stages = [line.strip() for line in run_.stderr.splitlines() if line.startswith("  ")]
            out.append(f"- N={n:,}, {name}: " + (" · ".join(" ".join(s.split()[:3]) for s in stages) or "no stage lines"))
        for what in ("serve", "hugo serve"):
            if r.get(what):
                latencies, peak = r[what]
                out.append(f"- N={n:,}, {what}: edit → page " + ", ".join(f"{x:.2f}" for x in latencies)
                           + f" s; its peak memory {peak:,.0f} MiB")
        for key in ("clean", "pairs", "render"):
            if isinstance(r.get(key), dict):
                out.append(f"- N={n:,}, stages.py {key}: {json.dumps(r[key])}")
    return out


def target_lines(results: dict) -> list[str]:
    """Each of the issue's targets, met or not, where the run measured it (at its largest N)."""
    if not results:
        return []
    first, last = min(results), max(results)
    r = results[last]
    runs, hugo = r.get("runs") or {}, r.get("hugo") or {}
    clean, peak = _ok(runs.get("clean")), _peak(runs)
    checks = [("peak memory of all processes ≤ 1 GiB", peak if clean else None, lambda v: v <= GIB, "MiB"),
              ("clean build ≤ 3× Hugo + Pagefind",
               clean / _ok(hugo.get("clean")) if clean and _ok(hugo.get("clean")) else None, lambda v: v <= 3, "×"),
              ("no-change rebuild ≤ 1 s", _ok(runs.get("no change")), lambda v: v <= 1, "s"),
              ("one edit by the CLI, search updated, ≤ 3 s", _ok(runs.get("one edit")), lambda v: v <= 3, "s"),
              ("serve shows the edited page ≤ 1 s after the save", _median(r.get("serve")), lambda v: v <= 1, "s")]
    if first != last:
        a, b = results[first].get("runs") or {}, runs
        if _ok(a.get("clean")) and clean:
            checks.append((f"clean build grows ≤ 11× from {first:,} to {last:,}", clean / a["clean"].seconds,
                           lambda v: v <= 11, "×"))
            checks.append((f"peak memory grows ≤ 3× from {first:,} to {last:,}", peak / _peak(a),
                           lambda v: v <= 3, "×"))
    out = [f"Targets ({TARGETS}; measured here at N = {last:,}):"]
    for name, value, test, unit in checks:
        shown = "not measured" if value is None else (f"{value:,.0f} MiB" if unit == "MiB" else
                                                      f"{value:.2f} {unit}" if unit == "s" else f"{value:.1f}×")
        verdict = "" if value is None else (" — **met**" if test(value) else " — **not met**")
        out.append(f"- {name}: {shown}{verdict}")
    return out


def report(results: dict, info: str, seeds_serve, errors: list[str]) -> str:
    out = [f"Machine: {info}", "", *table(results), "", *search_lines(results), *stage_lines(results)]
    if seeds_serve:
        out.append(f"- serve, edit to served page (the five seeds): median {statistics.median(seeds_serve[0]):.2f} s, "
                   f"max {max(seeds_serve[0]):.2f} s")
    out += ["", *target_lines(results)]
    if errors:
        out += ["", "Parts that failed (see the log):", *(f"- {e}" for e in errors)]
    return "\n".join(out)
