"""The build: the one function that orders the stages. ``build``, ``serve`` and the tests call it.

Takes the config, a ``BuildRequest`` (seeds and output folders, ``--strict``, ``--force``) and a
``Builder`` (``incremental.py``: the stages with their caches); gives a ``Built`` (the report and
whether anything was written), or raises ``BuildFailed`` with the one line to show. The stages:

    scan → read + clean → group → render → link check → search index → write

The render puts each file in a new folder beside the output as it is made (``write.Staging``),
so no more than one page is held; nothing visible changes before the last step, which swaps the
new folder in atomically with its search index already inside (``write.py``, ``search.py``), and
a build that fails or is killed at any point leaves the previous site whole (the new folder is
removed, or cleared by the next build). ``serve`` keeps one ``Builder`` and calls ``build``
after each change; ``build`` makes a fresh one per run. Progress and messages go through
``tell`` (one line each), so this module prints nothing itself.

``serve`` asks for its page first (``PageFirst``, ``page_first.py``): the changed pages are
served from memory and the page reloads as soon as the render ends; the folder, the link check
and the search index follow, off the path to the page, and leave what ``build`` writes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .config import SiteConfig
from .incremental import Builder, Report, make_report, release_memory
from .progress import Timings


class BuildFailed(Exception):
    """A build that cannot produce a site; the message is the one line to show."""


@dataclass(frozen=True)
class BuildRequest:
    seeds: Path
    out: Path
    strict: bool = False  # any rejected file fails the build
    force: bool = False  # replace an output folder this tool did not write


@dataclass(frozen=True)
class PageFirst:
    """serve's order (page_first.py): ``show(overlay)`` puts the changed pages in front of the
    served folder (None: takes them away), ``shown()`` once they are served (the reload);
    ``superseded()`` is asked between the later steps whether a newer change waits."""

    show: Callable[[object], None]
    shown: Callable[[], None]
    superseded: Callable[[], bool] = lambda: False
    settle: Callable[[], None] = lambda: None  # waits for the last build's ``later`` to end
    budget: int | None = None  # bytes of changed pages held in memory (None: overlay.BUDGET)


@dataclass(frozen=True)
class Built:
    report: Report
    written: bool  # False: the output folder already held this very build
    # serve: what is left once the page is shown (the folder, the search index), for a thread of
    # its own; called with a ``page_first.Cancel``, it gives whether it swapped the folder in
    later: Callable[[object], bool] | None = None


def build(config: SiteConfig, request: BuildRequest, builder: Builder,
          tell: Callable[[str], None] = lambda line: None, page_first: PageFirst | None = None) -> Built:
    """Run every stage in order; ``tell`` gets each rejected file's and unpublished story's line;
    with ``page_first``, the page is served before the link check and the search index."""
    seeds, out = check_folders(request.seeds, request.out)
    scanned = builder.scan(config, seeds, out)
    if scanned.up_to_date:
        _tell_problems(scanned.manifest.report, tell)
        _check_strict(scanned.manifest.report, request)
        return Built(scanned.manifest.report, written=False)
    # Imported only now: a build with nothing to do stops above without loading them.
    from .render.theme import RenderError
    from .search import SearchError, search_step

    articles, rejections, file_keys = builder.clean(config, seeds, scanned.hashes)
    stories = builder.group(config, articles, file_keys)
    if scanned.manifest is None:
        # Built from nothing: the grouping's state (fingerprints, weights, candidate index, some
        # 160 MiB at 10,000 articles) is garbage now, much of it in reference cycles, and glibc
        # keeps what is freed. Handed back before the render, it is not held beside the pages;
        # an edit's group stage leaves little, so it does not pay the full collection.
        release_memory()
    index = partial(search_step, config.language, warn=tell, previous=out, timings=builder.timings)
    try:
        if page_first is not None:
            from .page_first import build_page_first
            return build_page_first(config, request, builder, scanned, (articles, rejections, stories),
                                    tell, page_first, index)
        with builder.stage(out, scanned, force=request.force) as staging:
            rendered = builder.render(config, stories, staging, scanned.manifest)
            report = make_report(config, articles, rejections, stories, rendered.files)
            del articles, stories  # the most this process holds: let it go before the search index runs
            _tell_problems(report, tell)
            _check_strict(report, request)
            _check_links(builder, rendered, out)
            builder.write(scanned, report, rendered, staging, post_process=index())  # shards reused from out
    except RenderError as exc:
        raise BuildFailed(f"template error: {exc}") from None
    except (ValueError, OSError, SearchError) as exc:
        raise BuildFailed(f"{out}: not written: {exc}") from None
    return Built(report, written=True)


def make_builder(config: SiteConfig, timings: Timings | None = None, use_cache: bool = True,
                 remember: bool = False) -> Builder:
    """A ``Builder`` with its cache in ``.digest-cache/`` beside the config (none: build all);
    ``remember`` keeps what it loads and stores in memory, for a long-running serve, which writes
    it to disk when no change waits (``builder.store.flush()``)."""
    from .cache import CACHE_DIR, Store

    return Builder(Store(config.root / CACHE_DIR, remember, defer=remember) if use_cache else None, timings)


def check_folders(seeds: Path, out: Path) -> tuple[Path, Path]:
    if not seeds.is_dir():
        raise BuildFailed(f"{seeds}: seeds folder not found")
    seeds_abs, out_abs = seeds.resolve(), out.resolve()
    if out_abs == seeds_abs or seeds_abs.is_relative_to(out_abs) or out_abs.is_relative_to(seeds_abs):
        raise BuildFailed(f"{out}: the output folder must not contain or be inside the seeds folder")
    return seeds, out


def _tell_problems(report: Report, tell: Callable[[str], None]) -> None:
    for rejection in report.rejections:
        tell(str(rejection))
    for line in report.unpublished:
        tell(line)


def _check_strict(report: Report, request: BuildRequest) -> None:
    if request.strict and report.rejections:
        raise BuildFailed(f"--strict: {len(report.rejections)} file(s) rejected; {request.out} left untouched")


def _check_links(builder: Builder, rendered, out: Path, served: bool = False) -> None:
    """Every internal link and anchor of the new pages resolves, before anything is swapped in
    (``served``: serve's second step, after the pages were)."""
    broken = builder.links(rendered)
    if broken:
        where = "the pages are served, the search index is not updated" if served else f"{out} left untouched"
        raise BuildFailed(f"{len(broken)} broken internal link(s); {where}:\n  " + "\n  ".join(broken))
