"""What Pagefind is given to read when the search index is made (search.py): the stage.

Takes an indexed page's bytes, or a rendered page's path and where it goes in the stage; gives
``pagefind_view``, the part of the page Pagefind reads as a page of its own, which Pagefind indexes
to the same bytes as the whole page (``tests/test_search.py`` checks it), and the stage's folder,
in memory where the system has one. Pagefind's time goes with the bytes it parses: an article
page's head, navigation and story lists are most of it and none of the index.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

RAM_FOLDER = "/dev/shm"  # a memory-backed folder for the stage, where the system has one (stage_root)
RAM_NEEDED = 64 << 20  # free bytes it must have: two shards' views are well under a megabyte
PREFIX = "digest-pagefind-"
STALE = re.compile(rf"{PREFIX}(\d+)-\w+")
# What Pagefind reads outside the body: its attributes anywhere, and its default title and
# image (the first <h1> and <img> of the page); the same patterns as search.page_key's.
ATTRIBUTES = re.compile(rb'data-pagefind-[a-z-]+(?:="[^"]*")?')
FIRST_H1 = re.compile(rb"<h1[\s>].*?</h1>", re.S | re.I)
FIRST_IMG = re.compile(rb"<img[\s][^>]*>", re.I)
# The opening tag of the element Pagefind indexes (the themes put it on the article pages' <article>).
BODY_TAG = re.compile(rb"<article\b[^<>]*\bdata-pagefind-body\b[^<>]*>", re.I)


def pagefind_view(page: bytes) -> bytes | None:
    """The part of a page Pagefind reads, as a page of its own that Pagefind indexes to the same
    bytes: the element marked ``data-pagefind-body`` (to the last ``</article>``) in an empty
    document; None when Pagefind would read something outside it (an attribute of its own, the
    first heading or image), so the page is indexed whole. The view is a fraction of the page (the
    head, navigation and story lists go), and Pagefind's time goes with the bytes it parses."""
    opening = BODY_TAG.search(page)
    end = page.rfind(b"</article>")
    if opening is None or end < opening.end():
        return None
    start, end = opening.start(), end + len(b"</article>")
    if any(not start <= found.start() < end for found in ATTRIBUTES.finditer(page)):
        return None
    for pattern in (FIRST_H1, FIRST_IMG):
        found = pattern.search(page)
        if found is not None and not start <= found.start() < end:
            return None
    return b"<!doctype html><html><head></head><body>" + page[start:end] + b"</body></html>"


def stage_page(source: str, target: str) -> None:
    """Put the view of a page Pagefind reads (``pagefind_view``) in the stage, else the page."""
    with open(source, "rb") as handle:
        view = pagefind_view(handle.read())
    if view is None:
        link_or_copy(source, target)
        return
    with open(target, "xb") as handle:
        handle.write(view)


def stage_kind() -> str:
    """Which kind of folder ``stage_root`` gives now: "memory" or "disk" (part of a shard's name)."""
    try:
        return "memory" if os.access(RAM_FOLDER, os.W_OK | os.X_OK) and _room(RAM_FOLDER) >= RAM_NEEDED else "disk"
    except OSError:
        return "disk"


def stage_root(folder: Path, inside: str) -> Path:
    """Where the shards' pages are put for Pagefind: a new folder in memory (``RAM_FOLDER``) when
    the system has one, else ``inside`` the site. Each page there is a small file made and
    removed within its shard's run: on a disk, making and removing ten thousand folders and files
    for a clean build cost seconds of system time; in memory, a fraction. Pagefind's index depends
    on the pages' paths below the stage and on the order the folder lists them in (each shard's
    pages are made in path order), not on where the stage is: on one system, the same bytes from
    build to build."""
    try:
        if stage_kind() == "memory":
            _clear_stale(RAM_FOLDER)
            return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=RAM_FOLDER))
    except OSError:
        pass
    return folder / inside


def _room(folder: str) -> int:
    found = os.statvfs(folder)
    return found.f_bavail * found.f_frsize


def _clear_stale(folder: str) -> None:
    """Remove the stages that builds killed while indexing left in the shared memory folder
    (named by their process, so one still running is left alone)."""
    for entry in os.scandir(folder):
        match = STALE.fullmatch(entry.name)
        if match and entry.is_dir(follow_symlinks=False) and not _running(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's: not ours to judge
    return True


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
