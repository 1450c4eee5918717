"""``python -m generator serve``: build, serve, watch, rebuild what changed, reload open pages.

Takes the CLI arguments; serves on 127.0.0.1 until interrupted (Ctrl-C or SIGTERM: the watcher,
the finishing thread and the server end with it, and the folder is left whole). The pieces:

- the preview server (``live_handler.py``): the output folder with the live-reload script in
  every page, the event stream, and the last build's changed pages served from memory before
  the folder (the hub's ``overlay``).
- ``watch``: watchfiles on the seeds, the config, ``content/``, ``templates/``, ``static/`` and
  the themes, in a thread of its own that queues each batch of changes; each batch runs one
  incremental build with the same ``Builder``, whose store keeps every result in memory for the
  session (the scan, the manifest, the cleaned files, the grouping's cache): they are written to
  ``.digest-cache/`` only once serve has been idle ``FLUSH_IDLE`` seconds, never per edit.
- the preview thread (``LiveSite.preview``, ``live_preview.py``): each batch of changes to seed
  files is first answered with the edited stories' article pages alone, rendered from what the
  last build cleaned and grouped (its ``Index``, made in this thread while no change waits),
  and served on top of everything (``Hub.preview``) until a build holding that change is
  shown. It runs beside the build, so an edit made while the last one's build still runs is
  shown as soon. Meanwhile a user sees the edited article's pages new and the rest of the site
  (topic pages, home, feeds, search) as the last build left it.
- ``LiveSite.rebuild``: the build in ``page_first.py``'s order. Its changed pages go into the
  overlay and open pages reload as soon as the render ends; the link check follows; then a
  thread of its own stages the folder, runs the search index and swaps it in (``later``), so it
  ends byte for byte what ``build`` writes. The next change cancels that step (it never swaps
  once cancelled) and its build renders against the folder as it is; a build that fails before
  its pages are shown lets the last good build finish its folder instead.
"""
from __future__ import annotations

import gc
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from .build import BuildFailed, BuildRequest, PageFirst, build, check_folders, make_builder
from .cache import CACHE_DIR, THEMES
from .config import ConfigError, load_config
from .live_handler import EVENTS_PATH, SCRIPT_PATH, Hub, LiveHandler, make_live_server, with_script  # noqa: F401
from .live_preview import Index, LiveBuilder, index_steps, preview, warm as warm_preview
from .page_first import Cancel
from .progress import Timings

WATCH_TICK = 300  # milliseconds: the watcher reports "no change" this often, the first time once it is set up
# watchfiles yields a batch once ``step`` ms pass with no new change (its documented default, 50),
# and groups a stream of changes for at most ``debounce`` ms (default 1,600: an editor's save is a
# few events within microseconds, so only a stream of writes ever waits that long). The poll
# delay counts only where watchfiles polls (WSL, WATCHFILES_FORCE_POLLING): its default of 300 ms
# would add up to that to every edit, 100 ms keeps a 10,000-file seeds folder's polling cheap.
WATCH_STEP, WATCH_DEBOUNCE, WATCH_POLL = 50, 1_600, 100
# The store's pickles (the grouping's cache is seconds of them at 10,000 articles) are written
# only once serve has been idle this long: never between a save and its page, nor per edit.
FLUSH_IDLE = 3.0


class LiveSite:
    """One serve session: the config as of the last build, the builder and its hub, and the
    thread that finishes the last build (its folder and search index) after its page is shown."""

    def __init__(self, args, hub: Hub, base_url: str):
        self.args, self.hub, self.base_url = args, hub, base_url
        self.builder = self.config = None  # set by the first build
        self._later: Callable[[Cancel], bool] | None = None  # the last good build's unfinished step 3
        self._finishing: tuple[threading.Thread, Cancel] | None = None
        self._index: Index | None = None  # the newest build's, for previews (live_preview.py)
        self.building = False  # a build runs (in the build loop's thread)

    def build(self, tell=lambda line: None, page_first: PageFirst | None = None):
        """One build into the output folder, the same pipeline ``build`` runs; gives it built.
        Raises what the build raises."""
        config = load_config(self.args.config).with_overrides(base_url=self.base_url, theme=self.args.theme)
        if self.builder is None:
            self.builder = LiveBuilder(make_builder(config, remember=True).store)
        self.builder.timings = Timings()
        built = build(config, BuildRequest(self.args.seeds, self.args.out), self.builder, tell, page_first)
        self.config = config
        return built

    def prime(self) -> None:
        """What a preview starts from when the first build found the folder up to date (and so
        neither cleaned nor grouped): the stored cleaning and grouping, loaded now."""
        builder = self.builder
        if builder is None or builder.last is not None or self.config is None:
            return
        seeds, out = check_folders(self.args.seeds, self.args.out)
        scanned = builder.scan(self.config, seeds, out)
        articles, _, file_keys = builder.clean(self.config, seeds, scanned.hashes)
        builder.group(self.config, articles, file_keys)
        builder.remember_slugs(out)

    def index(self, pause=lambda: False) -> None:
        """Index the newest build's stories for previews, unless that is done or a build runs;
        it stops between its parts when ``pause()`` says a change waits (the last index, of an
        older build, serves that change's preview: it is cleaned afresh all the same)."""
        last = self.builder.last if self.builder is not None else None
        if last is None or self.building or (self._index is not None and self._index.last is last):
            return
        for made in index_steps(last, self._index):
            if made is not None:
                self._index = made
            elif pause() or self.building:
                return

    def warm_preview(self) -> None:
        """A preview's first use of the cleaning models and the templates, made now (result
        unused), not on the first edit's path."""
        if self._index is not None:
            warm_preview(self._index, Path(self.args.seeds))

    def preview(self, change: int, paths: set[str], seen: float) -> None:
        """The edited articles' pages from memory, before the build that regroups everything
        (live_preview.py); nothing when the change is not one a preview can show."""
        found = self._index
        if found is None or self.hub.error is not None:
            return
        laps: dict[str, float] = {}
        try:
            pages = preview(found, Path(self.args.seeds), paths, laps)
        except Exception as exc:  # the build that follows shows the error, if it is one
            print(f"no preview: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return
        if self.hub.preview(change, pages):
            steps = ", ".join(f"{name} {seconds:.2f}" for name, seconds in laps.items())
            print(f"preview shown {time.perf_counter() - seen:.3f} s after the change was seen "
                  f"({len(pages)} pages; {steps})", file=sys.stderr, flush=True)
            self.hub.built()

    def rebuild(self, superseded=lambda: False, quiet_if_unchanged: bool = False, covers: int = 0) -> None:
        """A build after a change (every change up to number ``covers``): the pages reload as
        soon as they are served (from memory), or show why the build failed; the folder and
        search index follow in a thread (``later``)."""
        start = time.perf_counter()
        self._cancel()  # the last build's folder is not swapped in now: this build's pages supersede it
        served: list[bool] = []

        def shown() -> None:
            served.append(True)
            self.hub.cover(covers)
            stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds, _ in self.builder.timings.stages)
            print(f"page shown {time.perf_counter() - start:.3f} s after the change was seen ({stages})",
                  file=sys.stderr, flush=True)
            self.hub.built()
        page_first = PageFirst(self.hub.show, shown, superseded, settle=self.settle)
        self.building = True
        try:
            built = self.build(page_first=page_first)
        except Exception as exc:  # any failure is shown in the page; the server keeps going
            message = str(exc) if _expected(exc) else f"{type(exc).__name__}: {exc}"
            print(f"error: {message}", file=sys.stderr, flush=True)
            self.hub.failed(message)
            if served:  # its pages are served (a broken link found after): the last build's are not
                self._later = None
            elif self._later is not None:
                self._finish(self._later)  # the last good build's folder, which this one cancelled
            return
        finally:
            self.building = False
        if not built.written:  # the folder already is this build: the last good one, after an error, say
            self.hub.show(None)
            self.hub.cover(covers)
            self._later = None
            if not quiet_if_unchanged:
                shown()
            return
        self._later = built.later
        if built.later is not None:
            self._finish(built.later)

    def _finish(self, later: Callable[[Cancel], bool]) -> None:
        """Run a build's step 3 in a thread of its own, once the last one has ended."""
        self.settle()
        cancel = Cancel()
        thread = threading.Thread(target=self._run_later, args=(later, cancel), name="finish-build")
        with _signals_held():  # a Ctrl-C or SIGTERM inside start() would leave a thread close() cannot join
            thread.start()
            self._finishing = thread, cancel

    def _run_later(self, later: Callable[[Cancel], bool], cancel: Cancel) -> None:
        start = time.perf_counter()
        try:
            swapped = later(cancel)
        except Exception as exc:  # shown in the page, as a failed build is, unless a newer build took over
            if not cancel.is_set():
                message = str(exc) if _expected(exc) else f"{type(exc).__name__}: {exc}"
                print(f"error: {message}", file=sys.stderr, flush=True)
                self.hub.failed(message)
            return
        if swapped:
            if self._later is later:
                self._later = None
            print(f"folder and search index written in {time.perf_counter() - start:.2f} s", file=sys.stderr,
                  flush=True)

    def _cancel(self) -> None:
        if self._finishing is not None:
            self._finishing[1].cancel()

    def settle(self) -> None:
        """Wait for the thread finishing the last build, if any, to end."""
        if self._finishing is not None:
            self._finishing[0].join()
            self._finishing = None

    def finishing(self) -> bool:
        return self._finishing is not None and self._finishing[0].is_alive()

    def close(self) -> None:
        """Stop the finishing thread at its next step and wait for it (serve is ending)."""
        self._cancel()
        self.settle()

    def flush(self, pause=lambda: False) -> None:
        """Write what the builder's store held back, until ``pause()`` says a change waits (never
        while a build's folder is being finished: that would slow it, and it adds to the store)."""
        if self.builder is not None and self.builder.store is not None and not self.finishing():
            self.builder.store.flush(pause)

    def watched(self) -> list[Path]:
        root = self.config.root
        places = [Path(self.args.seeds), self.config.path, root / "content", root / "templates", root / "static",
                  root / "themes", THEMES]
        unique = {p.resolve() for p in places if p.exists()}
        return sorted(unique)

    def ignored(self, path: str) -> bool:
        target = Path(path).resolve()
        return any(target.is_relative_to(p) for p in (Path(self.args.out).resolve(), self.config.root.resolve() / CACHE_DIR))


def _expected(exc: Exception) -> bool:
    return isinstance(exc, (BuildFailed, ConfigError))


def watch(site: LiveSite, stop: threading.Event, ready) -> None:
    """Rebuild after each batch of changes until ``stop`` is set (or Ctrl-C). Once the watcher is
    in place, one build catches up with anything changed since the first build, then ``ready()``
    is called: an edit made after that is always seen."""
    batches: queue.Queue = queue.Queue()
    previews: queue.Queue = queue.Queue()
    failure: list[BaseException] = []
    watcher = threading.Thread(target=_watch_changes, args=(site, stop, (batches, previews), failure),
                               name="watcher", daemon=True)
    previewer = threading.Thread(target=_preview_changes, args=(site, stop, previews), name="preview")
    watcher.start()
    previewer.start()
    waiting = lambda: not batches.empty()  # noqa: E731
    last = time.monotonic()
    try:
        while not stop.is_set():
            try:
                change, batch = batches.get(timeout=WATCH_TICK / 1000)
            except queue.Empty:
                if failure:
                    raise failure[0]
                if time.monotonic() - last >= FLUSH_IDLE:
                    site.flush(pause=waiting)
                continue
            while not batches.empty():  # every change saved meanwhile goes into this one build
                change = batches.get()[0]
            site.rebuild(superseded=waiting, quiet_if_unchanged=batch is READY, covers=change)
            if batch is READY:
                ready()
            last = time.monotonic()
    finally:
        stop.set()
        site.close()
        previewer.join()
        watcher.join(timeout=2 * WATCH_TICK / 1000 + 1)


READY = None  # the watcher's first word: it is in place


def _watch_changes(site: LiveSite, stop: threading.Event, queues: tuple[queue.Queue, queue.Queue],
                   failure: list) -> None:
    """The watcher thread: READY once watchfiles is set up, then each batch of changes that
    matters (not the output folder's, not the cache's), numbered from 1, to the build loop
    and (with the paths and when they were seen) to the preview thread."""
    import watchfiles

    batches, previews = queues
    watching, number = False, 0
    try:
        for changes in watchfiles.watch(*site.watched(), stop_event=stop, step=WATCH_STEP, debounce=WATCH_DEBOUNCE,
                                        poll_delay_ms=WATCH_POLL, rust_timeout=WATCH_TICK, yield_on_timeout=True,
                                        raise_interrupt=False):
            if not watching:
                watching = True
                batches.put((number, READY))
                continue
            paths = {path for _, path in changes if not site.ignored(path)}
            if paths:
                number += 1
                previews.put((number, paths, time.perf_counter()))
                batches.put((number, changes))
    except BaseException as exc:  # the watched folders went away, say: serve stops with the reason
        failure.append(exc)


def _preview_changes(site: LiveSite, stop: threading.Event, previews: queue.Queue) -> None:
    """The preview thread: each change's preview (the newest of those waiting, with all their
    paths), and while none waits the index of the newest build."""
    while not stop.is_set():
        try:
            change, paths, seen = previews.get(timeout=WATCH_TICK / 1000)
        except queue.Empty:
            try:
                site.index(pause=lambda: not previews.empty())
            except Exception as exc:  # no previews then; the builds go on
                print(f"no preview index: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            continue
        while not previews.empty():
            change, more, seen = previews.get()
            paths = paths | more
        site.preview(change, paths, seen)


def run_serve(args) -> int:
    hub = Hub()
    server = make_live_server(Path(args.out), hub, args.bind, args.port)
    host, port = server.server_address[:2]
    site = LiveSite(args, hub, base_url=f"http://{host}:{port}/")
    # as ``build`` does: collecting every 700 new objects walks the live ones again and again
    gc.set_threshold(50_000, 20, 20)
    previous = _stop_on_sigterm()
    try:
        site.build(tell=lambda line: print(line, file=sys.stderr))
        site.flush()
        if site.builder is not None and site.builder.store is not None:
            warm(site.builder.store)
        site.prime()
        site.index()  # so that the first edit already has its preview
        site.warm_preview()
    except BaseException:
        server.server_close()
        signal.signal(signal.SIGTERM, previous)
        raise
    # What the first build leaves and the warm-up loads (the store's results, kept for the
    # session) is never garbage a cycle holds: the collector need not walk it in every build.
    gc.freeze()
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    thread.start()
    stop = threading.Event()
    try:
        watch(site, stop, lambda: print(f"serving {args.out} at {site.base_url} (live reload; Ctrl-C to stop)", flush=True))
    finally:
        stop.set()
        hub.close()
        server.shutdown()
        server.server_close()
        thread.join()
        signal.signal(signal.SIGTERM, previous)
    return 0


# Kinds a build after an edit does not read back: other seeds folders' per-file results, and whole
# groupings (an edit is a new grouping key; its fingerprints and pair scores are in "pairs").
WARM_SKIP = frozenset({"files", "groups"})


def warm(store) -> int:
    """Load into the store's memory what the first edit's build would otherwise read from disk
    (an up-to-date first build reads almost nothing): the cleaned files' shelf, the grouping's
    cache, the links, the furniture outcomes; gives how many entries were loaded."""
    if not store.root.is_dir():
        return 0
    loaded = 0
    for folder in sorted(p for p in store.root.iterdir() if p.is_dir() and p.name not in WARM_SKIP):
        for entry in sorted(folder.rglob("*.pickle")):
            loaded += store.get(folder.name, entry.stem) is not None
    return loaded


@contextmanager
def _signals_held():
    """Ctrl-C and SIGTERM wait until the block is done (they are delivered at its end)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _stop_on_sigterm():
    """SIGTERM stops serve as Ctrl-C does (its threads and Pagefind end, its folders are left
    whole); gives the handler it replaces."""
    def stop(signum, frame):
        raise KeyboardInterrupt
    return signal.signal(signal.SIGTERM, stop)
