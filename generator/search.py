"""The search index: Pagefind run over the rendered site, in the folder that is about to go live.

Takes a folder holding a rendered site (the write stage's temporary folder, before the swap) and
the site's language; gives the same folder with a ``pagefind/`` bundle (the index, its fragments,
``pagefind.js`` and its WebAssembly) that the theme's search page loads with no server-side code.
Pagefind indexes only elements marked ``data-pagefind-body``, which the themes put on the article
pages' ``<article>``, so every hit is an article. Only what Pagefind's JS API loads is kept (see
``KEEP``): the themes search with their own small script, not Pagefind's bundled UIs. All pages are indexed as the site's language
(``--force-language``) so one index answers every search, whatever language an article is in.

The binary ships in the ``pagefind_bin`` package. Without it the build warns once and writes the
site without an index (the search page then says search is unavailable). A Pagefind that runs and
fails is a ``SearchError``: the build fails and the previous site stays.

Determinism: Pagefind names its files by content hash and, on the same pages, writes the same
bytes (checked by ``tests/test_search.py``); every other file of the build is untouched by it.
"""
from __future__ import annotations

import fnmatch
import shutil
import subprocess
from collections.abc import Callable
from functools import partial
from pathlib import Path

BUNDLE = "pagefind"
# What pagefind.js's JS API loads. Pagefind also writes its ready-made UIs (pagefind-ui.js,
# the modular and component UIs, the highlighter); the themes do not use them, so they go.
KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "pagefind.*.pf_meta",
        "wasm.*.pagefind", "index", "fragment")
TIMEOUT_SECONDS = 300
MISSING = ("warning: pagefind_bin is not installed, so the site is built without a search index "
           "(python -m pip install pagefind_bin)")


class SearchError(Exception):
    """Pagefind ran and failed; the message says how."""


def pagefind_executable() -> Path | None:
    """The Pagefind binary shipped by ``pagefind_bin``, or None when the package is missing."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except (FileNotFoundError, OSError):
        return None


def index_site(folder: Path, *, language: str, executable: Path) -> None:
    """Write ``<folder>/pagefind/``: the search index of the site in ``folder``."""
    command = [str(executable), "--site", str(folder), "--output-subdir", BUNDLE,
               "--force-language", language, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"search index: could not run pagefind: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SearchError(f"search index: pagefind exited {result.returncode}"
                          + (f": {detail[-1]}" if detail else ""))
    _prune(folder / BUNDLE)


def _prune(bundle: Path) -> None:
    """Remove what the JS API never loads from Pagefind's output."""
    for path in bundle.iterdir():
        if not any(fnmatch.fnmatchcase(path.name, pattern) for pattern in KEEP):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def search_step(language: str, warn: Callable[[str], None]) -> Callable[[Path], None] | None:
    """What the write stage runs on the new site to index it; None (after one warning) without
    Pagefind."""
    executable = pagefind_executable()
    if executable is None:
        warn(MISSING)
        return None
    return partial(index_site, language=language, executable=executable)
