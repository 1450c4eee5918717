"""The search index: Pagefind run over the rendered site, in shards, in the folder about to go live.

Takes a folder holding a rendered site (the write stage's temporary folder, before the swap), the
site's language and, when there is one, the previous site's folder; gives the same folder with a
``pagefind/`` bundle that the theme's search page loads with no server-side code:

    pagefind/shards.json          {"shards": ["<name>", ...]}: the first is the primary bundle
    pagefind/pages.tsv            each page's path, key (empty: not indexed) and content hash,
                                  for the next build
    pagefind/<name>/...           one Pagefind bundle per shard (its entry, meta, wasm, index,
                                  fragments, and pagefind.js, which the page imports from the first)

Pagefind indexes only elements marked ``data-pagefind-body``, which the themes put on the article
pages' ``<article>``, so every hit is an article. Pagefind has no incremental mode, but its JS API
merges bundles at query time (``mergeIndex``), so the index is kept in shards: the indexed pages
are dealt into a power of two of buckets by a hash of their path (``SHARD_PAGES`` at most on
average, so a bucket holds about the same share whatever the dates), and each shard's folder is
named by a hash of everything its bundle is made from (Pagefind's version, the language, and for
each page its path and the part of it Pagefind reads; ``page_key``). A shard whose folder the
previous site already holds is hard-linked from it; only the others are indexed, one Pagefind run
each, two at a time, over a stage of what Pagefind reads of their pages (``search_stage.py``). An edit to one article so re-indexes
one shard; a change outside the indexed part of pages (a neighbour's title in the story nav, the
header) re-indexes nothing. When the count of buckets doubles, every shard is made again once.

Only what Pagefind's JS API loads is kept (``KEEP``): the themes search with their own small
script, not Pagefind's bundled UIs. All pages are indexed as the site's language
(``--force-language``), so every shard answers every search, whatever language an article is in.
Which pages match a query does not depend on the sharding; the order of the hits follows
Pagefind's scores, which it computes within each bundle (BM25 with that bundle's page count,
word frequencies and mean page length), so hits from different shards may come in another order
than from one index: little with shards of hundreds of pages, much with shards of a few.

The binary ships in the ``pagefind_bin`` package. Without it the build warns once and writes the
site without an index (the search page then says search is unavailable). A Pagefind that runs and
fails is a ``SearchError``: the build fails and the previous site stays.

Determinism: Pagefind names its files by content hash and, on the same pages, writes the same
bytes; shard names are hashes of their inputs and the manifest lists them in bucket order (checked
by ``tests/test_search.py``); every other file of the build is untouched by it.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .cache import file_hash
from .progress import Timings
from .search_stage import ATTRIBUTES, FIRST_H1, FIRST_IMG, link_or_copy, stage_kind, stage_page, stage_root

BUNDLE = "pagefind"
MANIFEST = "shards.json"
PAGES = "pages.tsv"  # each page, its key and content hash, so the next build need not read it again
# What pagefind.js's JS API loads. Pagefind also writes its ready-made UIs (pagefind-ui.js,
# the modular and component UIs, the highlighter); the themes do not use them, so they go.
KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "pagefind.*.pf_meta",
        "wasm.*.pagefind", "index", "fragment", "filter")
SHARD_PAGES = 500  # pages per shard on average, at most: one edit re-indexes about this many
TIMEOUT_SECONDS = 300
STAGE = ".pagefind-stage"  # inside the new site while shards are indexed, removed after
MISSING = ("warning: pagefind_bin is not installed, so the site is built without a search index "
           "(python -m pip install pagefind_bin)")
BODY = b"data-pagefind-body"


class SearchError(Exception):
    """Pagefind ran and failed; the message says how."""


@dataclass(frozen=True)
class Shard:
    name: str  # the hash of its inputs; its folder under pagefind/
    pages: tuple[str, ...]  # output-relative POSIX paths, sorted


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


def pagefind_version() -> str:
    """The installed ``pagefind_bin``'s version: part of every shard's name."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "unknown"


def page_key(page: bytes) -> str:
    """A hash of what Pagefind reads of a page: from ``data-pagefind-body`` to the last
    ``</article>`` (the whole page if there is none after it), its ``data-pagefind-*``
    attributes, its first heading and image."""
    start, end = page.find(BODY), page.rfind(b"</article>")
    region = page[start:end] if 0 <= start < end else page
    h1, img = FIRST_H1.search(page), FIRST_IMG.search(page)
    parts = [region, b"\n".join(ATTRIBUTES.findall(page)), h1.group() if h1 else b"", img.group() if img else b""]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def indexed_pages(folder: Path, previous: Path | None = None, files: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every HTML page of the site that Pagefind indexes (it holds ``data-pagefind-body``), by
    output-relative path, with its ``page_key``. What the previous site's ``pagefind/pages.tsv``
    says of a page is taken without reading it again when the page is that very page: ``files``
    (each staged file's content hash, as the write stage knows them) gives the same hash, or,
    without ``files``, the page is the previous site's file itself (the write stage hard-links
    unchanged pages from it, and never writes into its files)."""
    return {path: key for path, (key, _) in _page_keys(folder, previous, files).items() if key}


def _page_keys(folder: Path, previous: Path | None, files: Mapping[str, str] | None) -> dict[str, tuple[str, str]]:
    """Each HTML page's key ("" when Pagefind does not index it) and content hash, by path."""
    known = _known_keys(previous)
    if files is not None:
        found = {}
        for relative in sorted(files):
            if relative.endswith(".html") and relative.split("/", 1)[0] not in (BUNDLE, STAGE):
                digest = files[relative]
                entry = known.get(relative) if known else None
                if entry is None or entry[1] != digest:
                    with open(folder.joinpath(*relative.split("/")), "rb") as handle:
                        entry = (_key_if_indexed(handle.read()), digest)
                found[relative] = entry
        return found
    found: dict[str, tuple[str, str]] = {}
    pending = [("", str(folder))]
    while pending:
        prefix, where = pending.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if not (prefix == "" and entry.name in (BUNDLE, STAGE)):
                        pending.append((relative + "/", entry.path))
                elif entry.name.endswith(".html") and entry.is_file(follow_symlinks=False):
                    if known is not None and relative in known and _same_file(entry, previous, relative):
                        found[relative] = known[relative]
                        continue
                    with open(entry.path, "rb") as handle:
                        data = handle.read()
                    found[relative] = (_key_if_indexed(data), file_hash(data))
    return dict(sorted(found.items()))


def _key_if_indexed(page: bytes) -> str:
    return page_key(page) if BODY in page else ""


def _known_keys(previous: Path | None) -> dict[str, tuple[str, str]] | None:
    """The previous site's pages, each with its key ("": not indexed) and content hash; None
    when it has no such list (or one in an older form, which named the indexed pages only)."""
    try:
        text = (previous / BUNDLE / PAGES).read_text(encoding="utf-8") if previous else None
    except (OSError, UnicodeDecodeError):
        return None
    if text is None:
        return None
    found = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            return None
        found[parts[0]] = (parts[1], parts[2])
    return found


def _same_file(entry: os.DirEntry, previous: Path, relative: str) -> bool:
    try:
        return os.path.samestat(entry.stat(follow_symlinks=False),
                                os.stat(previous.joinpath(*relative.split("/")), follow_symlinks=False))
    except OSError:
        return False


def bucket_count(pages: int, per_shard: int) -> int:
    """The smallest power of two of buckets holding ``per_shard`` pages or fewer on average."""
    count = 1
    while pages > count * per_shard:
        count *= 2
    return count


def plan_shards(pages: dict[str, str], *, language: str, version: str, per_shard: int = SHARD_PAGES,
                stage: str = "") -> list[Shard]:
    """The shards of these pages, in bucket order (empty buckets have none). ``stage``: the kind
    of folder Pagefind reads them from (``search_stage.stage_kind``), which orders its index."""
    count = bucket_count(len(pages), per_shard)
    buckets: list[list[str]] = [[] for _ in range(count)]
    for path in sorted(pages):
        buckets[int(hashlib.sha256(path.encode()).hexdigest()[:8], 16) % count].append(path)
    shards = []
    for number, paths in enumerate(buckets):
        if paths:
            digest = hashlib.sha256(repr((version, language, KEEP, count, number, stage)).encode())
            for path in paths:
                digest.update(f"\n{path}\t{pages[path]}".encode())
            shards.append(Shard(digest.hexdigest()[:20], tuple(paths)))
    return shards


def index_site(folder: Path, *, language: str, executable: Path, previous: Path | None = None,
               per_shard: int = SHARD_PAGES, files: Mapping[str, str] | None = None) -> str:
    """Write ``<folder>/pagefind/``: the sharded search index of the site in ``folder``, reusing
    the finished shards the folder already holds (a spare's index, brought along by the write
    stage) and those ``previous`` (the site it replaces) holds; gives what it did, in words.
    ``files``: each file's content hash, if known (``_page_keys``)."""
    keyed = _page_keys(folder, previous, files)
    pages = {path: key for path, (key, _) in keyed.items() if key}  # none: an empty manifest
    # a shard Pagefind read from another kind of stage holds the same pages in another order: not reused
    shards = plan_shards(pages, language=language, version=pagefind_version(), per_shard=per_shard,
                         stage=stage_kind())
    bundle = folder / BUNDLE
    bundle.mkdir(exist_ok=True)
    stale = _clear_bundle(bundle, {shard.name for shard in shards})
    old = previous / BUNDLE if previous is not None else None
    todo = [shard for shard in shards
            if not (_finished(bundle / shard.name) or old and _reuse(old / shard.name, bundle / shard.name))]
    stage = stage_root(folder, STAGE) if todo else folder / STAGE
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(len(todo), os.cpu_count() or 1)) + bool(stale)) as pool:
            # the shards no longer planned go while Pagefind runs (an edit's one shard in the spare)
            removing = pool.submit(_remove_all, stale) if stale else None
            for _ in pool.map(partial(_index_shard, folder, stage, language=language, executable=executable), todo):
                pass
            if removing is not None:
                removing.result()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(folder / STAGE, ignore_errors=True)  # a killed build's, or this one's
    manifest = json.dumps({"shards": [shard.name for shard in shards]}, indent=1) + "\n"
    _replace(bundle / MANIFEST, manifest)
    _replace(bundle / PAGES, "".join(f"{path}\t{key}\t{digest}\n" for path, (key, digest) in keyed.items()))
    return f"{len(pages)} pages in {len(shards)} shards, {len(todo)} indexed, {len(shards) - len(todo)} reused"


def _finished(shard: Path) -> bool:
    return (shard / "pagefind-entry.json").is_file()


def _clear_bundle(bundle: Path, planned: set[str]) -> list[str]:
    """Remove from a bundle folder all but the finished shards of the plan (a shard's folder is
    named by a hash of all it is made from, so one of the same name holds the same files); gives
    the folders of shards no longer planned, left for the caller to remove (``_remove_all``):
    nothing is made where they are, so they may go while the planned shards are made."""
    unplanned = []
    for entry in os.scandir(bundle):
        if entry.name in planned and (_finished(Path(entry.path)) or not entry.is_dir(follow_symlinks=False)):
            continue  # a file in a shard's place is left for Pagefind to fail on
        if entry.is_dir(follow_symlinks=False):
            if entry.name in planned:
                shutil.rmtree(entry.path)  # an unfinished shard of the plan: made again in its place
            else:
                unplanned.append(entry.path)
        else:
            os.unlink(entry.path)
    return sorted(unplanned)


def _remove_all(folders: list[str]) -> None:
    for path in folders:
        shutil.rmtree(path)


def _replace(path: Path, text: str) -> None:
    """Write a file as a new one renamed into place: the old one may be a hard link that another
    site shares, and is never written into."""
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def _reuse(source: Path, target: Path) -> bool:
    """Hard-link a finished shard of the previous site into the new one; False if it has none."""
    if not _finished(source):
        return False
    try:
        shutil.copytree(source, target, copy_function=link_or_copy)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def _index_shard(folder: Path, root: Path, shard: Shard, *, language: str, executable: Path) -> None:
    """One Pagefind run over a folder (under ``root``) of the shard's pages, what Pagefind reads
    of each, into ``pagefind/<name>/``."""
    stage = root / shard.name
    made = set()
    for page in shard.pages:
        target = stage.joinpath(*page.split("/"))
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        stage_page(str(folder.joinpath(*page.split("/"))), str(target))
    output = folder / BUNDLE / shard.name
    command = [str(executable), "--site", str(stage), "--output-path", str(output),
               "--force-language", language, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"search index: could not run pagefind: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SearchError(f"search index: pagefind exited {result.returncode}"
                          + (f": {detail[-1]}" if detail else ""))
    _prune(output)
    shutil.rmtree(stage, ignore_errors=True)


def _prune(bundle: Path) -> None:
    """Remove what the JS API never loads from Pagefind's output."""
    for path in bundle.iterdir():
        if not any(fnmatch.fnmatchcase(path.name, pattern) for pattern in KEEP):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def search_step(language: str, warn: Callable[[str], None], previous: Path | None = None,
                timings: Timings | None = None) -> Callable[[Path], None] | None:
    """What the write stage runs on the new site to index it, reusing the shards of the site in
    ``previous`` (the output folder it replaces), timed as the "search" part of the write in
    ``timings``; None (after one warning) without Pagefind."""
    executable = pagefind_executable()
    if executable is None:
        warn(MISSING)
        return None
    timings = timings or Timings()

    def step(folder: Path, files: Mapping[str, str] | None = None) -> None:
        with timings.stage("search", inside=True) as note:
            note(index_site(folder, language=language, executable=executable, previous=previous, files=files))
    step.takes_files = True  # the write stage gives it each staged file's content hash
    return step
