"""What a Hugo user does for the same site: Hugo builds N Markdown articles, Pagefind indexes them.

Takes N, a work folder, the hugo binary and Pagefind's (from ``pagefind_bin``); gives ``Run``s
(measure.py) of one shell process running ``hugo --quiet && pagefind --site public``, so the time
and the peak memory (PSS of the whole process tree) count both tools, for a clean build, a rebuild
with no change and a rebuild after one article is edited (Pagefind has no incremental mode: a Hugo
user runs it again), plus Hugo alone; and ``hugo server``'s seconds from saving an edit to the
served page showing it (the page only: ``hugo server`` does not run Pagefind).
"""
from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

from hugo_site import write_hugo_site
from measure import Run, run
from serve_timing import get, sampled, seconds_until_shown

EDIT = " A spokesperson confirmed the figures on Tuesday."


def pagefind_binary() -> str | None:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    return str(get_executable())


def hugo_runs(n: int, work: Path, hugo: str, pagefind: str | None, limit: float) -> dict[str, Run]:
    """Hugo (best of 3 clean builds) and Hugo + Pagefind: clean, no change, one edit."""
    site = work / f"hugo-{n}"
    write_hugo_site(n, site)
    both = f"{shlex.quote(hugo)} --quiet" + (
        f" && {shlex.quote(pagefind)} --site public --silent" if pagefind else "")
    runs: dict[str, Run] = {}
    for _ in range(3):
        _clear(site)
        alone = run([hugo, "--quiet"], site, limit)
        if "hugo" not in runs or alone.seconds < runs["hugo"].seconds:
            runs["hugo"] = alone
    _clear(site)
    runs["clean"] = run(["sh", "-c", both], site, limit)
    runs["no change"] = run(["sh", "-c", both], site, limit)
    article = sorted((site / "content" / "articles").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8").rstrip("\n") + EDIT + "\n", encoding="utf-8")
    runs["one edit"] = run(["sh", "-c", both], site, limit)
    return runs


def _clear(site: Path) -> None:
    for name in ("public", "resources"):
        shutil.rmtree(site / name, ignore_errors=True)


def hugo_serve_latency(n: int, work: Path, hugo: str, edits: int = 3, timeout: float = 300) -> tuple[list[float], float]:
    """``hugo server``'s seconds from saving an edit to an article to its page showing it, and the
    server's peak memory (process tree PSS, MiB)."""
    site = work / f"hugo-{n}"
    article = sorted((site / "content" / "articles").glob("*.md"))[1]
    port = _free_port()
    process = subprocess.Popen([hugo, "server", "--bind", "127.0.0.1", "--port", str(port), "--disableLiveReload"],
                               cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    page = "/articles/" + article.stem + "/"
    with sampled(process.pid) as peak:
        try:
            start = time.perf_counter()
            while b"<article" not in get(port, page):
                if process.poll() is not None or time.perf_counter() - start > timeout:
                    raise RuntimeError("hugo server did not start")
                time.sleep(0.05)
            latencies = []
            for number in range(edits):
                time.sleep(0.5)
                marker = f"hugomarker{number}x"
                text = article.read_text(encoding="utf-8").rstrip("\n") + f" {marker}\n"
                latencies.append(seconds_until_shown(article, text, marker, port, page, timeout))
        finally:
            process.terminate()
            process.wait(timeout=10)
    return latencies, peak[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
