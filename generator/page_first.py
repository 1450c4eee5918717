"""serve's build after a change: the page first, from memory; the folder and the search index after.

Takes what ``build.build`` has once the stories are grouped, and serve's ``build.PageFirst``;
gives a ``build.Built`` whose ``later`` does the rest. In order:

1. The render records its files (``overlay.Recorder``) instead of staging a folder. The changed
   ones, as an ``overlay.Overlay``, are put in front of the served folder (``show``: one
   reference, so a request sees the last build or this one whole) and open pages reload
   (``shown``).
2. The link check, in the build's thread: a broken link fails the build as it fails ``build``
   (the message says the pages are served and the search index is not updated).
3. ``later`` (``live.py`` runs it in a thread of its own while serve waits for the next change):
   the record is replayed into a real ``write.Staging``, the search index runs on it and it is
   swapped in, the same write ``build`` does, so the folder ends byte for byte what ``build``
   writes; then the overlay is taken away. A newer change cancels it (``Cancel``): it stops
   between files, or after Pagefind, and never swaps once cancelled, so the next build always
   renders against a folder that stays put; its overlay holds every change since that folder.

When the changed files' bytes pass the overlay's budget (a template edit re-renders every page),
the render goes on into a real staging, and serve falls back on two swaps in the build's thread:
the new pages with the last search index first (the reload), then the link check and a second
staging with the new index (``_show``, ``_then_index``).
"""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from .build import Built, _check_links, _check_strict, _tell_problems
from .incremental import make_report
from .overlay import BUDGET, Recorder
from .write import Staging, remove_site


class Superseded(Exception):
    """A newer change wants the folder: this build's folder is not swapped in."""


class Cancel:
    """Set by the next build before it starts; the swap happens only while holding it, and only
    when it is not set, so once ``cancel()`` returns the folder stays as it is."""

    def __init__(self):
        self._lock = threading.Lock()
        self._set = False

    def cancel(self) -> None:
        with self._lock:  # waits for a swap under way to end (it is short: no Pagefind inside)
            self._set = True

    def is_set(self) -> bool:
        return self._set

    def hold(self) -> None:
        """Take the folder for the swap; ``Superseded`` if a newer build asked for it first."""
        self._lock.acquire()
        if self._set:
            self._lock.release()
            raise Superseded

    def release(self) -> None:
        self._lock.release()


def build_page_first(config, request, builder, scanned, grouped, tell, page_first, index) -> Built:
    """Steps 1 and 2 above; gives the report with ``later`` (step 3), or None as ``later`` when a
    newer change already waits (its build does step 3)."""
    articles, rejections, stories = grouped
    out = request.out
    listing = scanned.manifest.files if scanned.manifest else {}

    def make_staging() -> Staging:
        page_first.settle()  # the last build's step 3 ends first: one staging folder at a time
        return builder.stage(out, scanned, force=request.force)

    budget = BUDGET if page_first.budget is None else page_first.budget
    with Recorder(out, listing, make_staging, 0 if scanned.manifest is None else budget) as recorder:
        rendered = builder.render(config, stories, recorder, scanned.manifest)
        report = make_report(config, articles, rejections, stories, rendered.files)
        del articles, stories
        _tell_problems(report, tell)
        _check_strict(report, request)
        if recorder.spilled is not None:
            page_first.show(None)  # the folder is about to hold more than the overlay's build
            _show(builder, recorder.spilled)
    if recorder.spilled is not None:
        page_first.shown()
        _then_index(builder, scanned, report, rendered, recorder.spilled, page_first, index, request.force)
        return Built(report, written=True)
    with builder.timings.stage("show") as note:
        overlay = recorder.overlay()
        page_first.show(overlay)
        note(f"{len(overlay.files)} files changed, {len(overlay.gone)} gone")
    page_first.shown()
    if page_first.superseded():
        return Built(report, written=True)
    _check_links(builder, rendered, out, served=True)
    return Built(report, written=True, later=lambda cancel: _later(builder, scanned, report, rendered, recorder,
                                                                    page_first, index, request.force, cancel))


def _later(builder, scanned, report, rendered, recorder: Recorder, page_first, index: Callable, force: bool,
           cancel: Cancel) -> bool:
    """Step 3: stage the recorded files, index them, swap them in unless cancelled; gives whether
    the folder was swapped (or found to hold this build already)."""
    from .search import SearchError
    from .build import BuildFailed

    held = []
    post = index()

    def indexed(folder: Path) -> None:
        if post is not None:
            post(folder)
        cancel.hold()
        held.append(True)

    try:
        with builder.stage(recorder.out, scanned, force=force) as staging:
            if not recorder.replay(staging, cancel.is_set):
                raise Superseded
            builder.write(scanned, report, rendered, staging, post_process=indexed)
            if not held:  # nothing changed: no swap, so nothing took the folder
                cancel.hold()
                held.append(True)
            page_first.show(None)  # the folder holds this build: the overlay has nothing more
        return True
    except Superseded:
        return False
    except (ValueError, OSError, SearchError) as exc:
        raise BuildFailed(f"{recorder.out}: not written: {exc}") from None
    finally:
        if held:
            cancel.release()


def _show(builder, staging: Staging) -> None:
    """The first of two swaps: the staged pages with the served folder's search index, if any,
    linked in whole; the old site is left for ``_then_index`` to remove after the page is shown."""
    from .search import BUNDLE, PAGES

    def last_index(folder: Path) -> None:
        served = staging.out / BUNDLE
        if served.is_dir():
            # pages.tsv says which bytes each page had when indexed: left out, the second step
            # reads the pages instead of trusting keys the new pages no longer have
            shutil.copytree(served, folder / BUNDLE, copy_function=os.link, ignore=lambda _, names:
                            [PAGES] if PAGES in names else [])

    staging.leave_old = True
    with builder.timings.stage("show") as note:
        written = staging.finish(last_index, derived=BUNDLE)
        note(f"{written.written} written, {written.linked} linked" if written.written or written.linked
             else "nothing changed")


def _then_index(builder, scanned, report, rendered, first: Staging, page_first, index: Callable, force: bool) -> None:
    """The second swap: remove the old site, check the links, then stage the served folder's
    files again (hard links) with the new search index and swap that in, as ``build`` leaves it."""
    from .search import BUNDLE

    remover = threading.Thread(target=remove_site, args=(first.left,), name="remove-old-site")
    remover.start()
    try:
        if page_first.superseded():
            return
        _check_links(builder, rendered, first.out, served=True)
    finally:
        remover.join()
    if page_first.superseded():
        return
    with Staging(first.out, force=force, remake_derived=True) as again:
        for path, digest in sorted(first.hashes.items()):
            if path.split("/", 1)[0] != BUNDLE:
                again.keep(path, path, digest)
        builder.write(scanned, report, rendered, again, post_process=index())
