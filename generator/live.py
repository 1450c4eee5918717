"""``python -m generator serve``: build, serve, watch, rebuild what changed, reload open pages.

Takes the CLI arguments; serves on 127.0.0.1 until interrupted. The pieces:

- ``LiveHandler`` (a ``server.SiteHandler``: same files, same path checks) adds
  ``<script src="/__livereload.js" defer>`` before ``</head>`` of every HTML page as it sends
  it. The files on disk, which are what ships, never hold it; and the site's policy forbids
  inline scripts, so the script is an external file from the same origin. ``/__livereload.js``
  is that script (``data/livereload.js``), ``/__livereload`` a stream of server-sent events.
- ``Hub``: the open streams. After a good rebuild it sends ``reload``; after a failed one
  ``build-error`` with the message, which the script shows over the page as text while the last
  good site stays served (as Zola does). A page opened while the last build is failed gets the
  error at once.
- ``watch``: watchfiles on the seeds, the config, ``content/``, ``templates/``, ``static/`` and
  the themes, in a thread of its own that queues each batch of changes; each batch runs one
  incremental build with the same ``Builder``, whose store keeps results in memory (and writes
  them to disk only once no change waits), so only what changed is read, cleaned, rendered and
  written. The build swaps the changed pages in and sends ``reload`` before it checks the links
  and updates the search index, which follow in a second swap (``build.PageFirst``); a newer
  change waiting skips that second step, which the build for that change does.
"""
from __future__ import annotations

import http.server
import json
import queue
import sys
import threading
import time
from pathlib import Path

from .build import BuildFailed, BuildRequest, PageFirst, build, make_builder
from .cache import CACHE_DIR, PACKAGE, THEMES
from .config import ConfigError, load_config
from .progress import Timings
from .server import SiteHandler, make_server

SCRIPT_PATH = "/__livereload.js"
EVENTS_PATH = "/__livereload"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()
SCRIPT = (PACKAGE / "data" / "livereload.js").read_bytes()
KEEPALIVE = 15.0  # seconds between comments on an idle stream, so dead clients are noticed
WATCH_TICK = 300  # milliseconds: the watcher reports "no change" this often, the first time once it is set up
# watchfiles yields a batch once ``step`` ms pass with no new change (its documented default, 50),
# and groups a stream of changes for at most ``debounce`` ms (default 1,600: an editor's save is a
# few events within microseconds, so only a stream of writes ever waits that long). The poll
# delay counts only where watchfiles polls (WSL, WATCHFILES_FORCE_POLLING): its default of 300 ms
# would add up to that to every edit, 100 ms keeps a 10,000-file seeds folder's polling cheap.
WATCH_STEP, WATCH_DEBOUNCE, WATCH_POLL = 50, 1_600, 100


class Hub:
    """The open event streams, and whether the last build failed (and why)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._streams: set[queue.Queue] = set()
        self.error: str | None = None

    def subscribe(self, stream: queue.Queue | None = None) -> queue.Queue:
        """A new stream (or ``stream``) that gets every event from now on."""
        stream = queue.Queue() if stream is None else stream
        with self._lock:
            self._streams.add(stream)
            if self.error is not None:
                stream.put(_error_event(self.error))
        return stream

    def unsubscribe(self, stream: queue.Queue) -> None:
        with self._lock:
            self._streams.discard(stream)

    def built(self) -> None:
        self._publish(("reload", "{}"), error=None)

    def failed(self, message: str) -> None:
        self._publish(_error_event(message), error=message)

    def close(self) -> None:
        self._publish(None, error=self.error)

    def _publish(self, event, error: str | None) -> None:
        with self._lock:
            self.error = error
            for stream in self._streams:
                stream.put(event)


def _error_event(message: str) -> tuple[str, str]:
    return "build-error", json.dumps({"message": message})


def with_script(page: bytes) -> bytes:
    """The page with the live-reload script before ``</head>`` (else ``</body>``, else at the end)."""
    lower = page.lower()
    at = lower.find(b"</head>")
    if at < 0:
        at = lower.rfind(b"</body>")
    return page + SCRIPT_TAG if at < 0 else page[:at] + SCRIPT_TAG + page[at:]


class LiveHandler(SiteHandler):
    """The site's files, HTML pages with the live-reload script, the script and the event stream."""

    hub: Hub  # set on the subclass made for each server

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == EVENTS_PATH:
            return self._events()
        if path == SCRIPT_PATH:
            return self._send(200, "text/javascript; charset=utf-8", SCRIPT)
        return super().do_GET()

    def do_HEAD(self):
        if self.path.split("?", 1)[0] == SCRIPT_PATH:
            return self._send(200, "text/javascript; charset=utf-8", SCRIPT)
        return super().do_HEAD()

    def send_head(self):
        page = self._html_file()
        if page is None:
            return super().send_head()  # every other file, and every refusal, as SiteHandler does it
        self._send(200, "text/html; charset=utf-8", with_script(page.read_bytes()))
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            return self._send(404, "text/html; charset=utf-8", with_script(page.read_bytes()))
        return super().send_error(code, message, explain)

    def _html_file(self) -> Path | None:
        """The HTML file the request names, when it is one inside the output folder."""
        try:
            local = Path(self.translate_path(self.path)).resolve()
        except (UnicodeDecodeError, ValueError, OSError):
            return None
        root = Path(self.directory).resolve()
        if not local.is_relative_to(root):
            return None
        if local.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return None  # SiteHandler redirects to the slash form
            local = local / "index.html"
        return local if local.suffix == ".html" and local.is_file() else None

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        stream = self.hub.subscribe()
        try:
            self._write(b"retry: 500\n\n")
            while True:
                try:
                    event = stream.get(timeout=KEEPALIVE)
                except queue.Empty:
                    self._write(b": still here\n\n")
                    continue
                if event is None:
                    break
                self._write(f"event: {event[0]}\ndata: {event[1]}\n\n".encode())
        except (BrokenPipeError, ConnectionResetError, ValueError):
            pass  # the page went away
        finally:
            self.hub.unsubscribe(stream)
            self.close_connection = True

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()


def make_live_server(directory: Path, hub: Hub, host: str, port: int) -> http.server.ThreadingHTTPServer:
    return make_server(directory, host, port, type("BoundLiveHandler", (LiveHandler,), {"hub": hub}))


class LiveSite:
    """One serve session: the config as of the last build, the builder and its hub."""

    def __init__(self, args, hub: Hub, base_url: str):
        self.args, self.hub, self.base_url = args, hub, base_url
        self.builder = self.config = None  # set by the first build

    def build(self, tell=lambda line: None, page_first: PageFirst | None = None):
        """One build into the output folder, the same pipeline ``build`` runs; gives it built.
        Raises what the build raises."""
        config = load_config(self.args.config).with_overrides(base_url=self.base_url, theme=self.args.theme)
        if self.builder is None:
            self.builder = make_builder(config, remember=True)
        self.builder.timings = Timings()
        built = build(config, BuildRequest(self.args.seeds, self.args.out), self.builder, tell, page_first)
        self.config = config
        return built

    def rebuild(self, superseded=lambda: False, quiet_if_unchanged: bool = False) -> None:
        """A build after a change: the pages reload as soon as they are served, or show why the
        build failed (a broken link found after the reload too)."""
        start = time.perf_counter()

        def shown() -> None:
            print(f"page shown in {time.perf_counter() - start:.2f} s", file=sys.stderr, flush=True)
            self.hub.built()
        try:
            built = self.build(page_first=PageFirst(shown, superseded))
        except Exception as exc:  # any failure is shown in the page; the server keeps going
            message = str(exc) if _expected(exc) else f"{type(exc).__name__}: {exc}"
            print(f"error: {message}", file=sys.stderr, flush=True)
            self.hub.failed(message)
            return
        if not built.written:  # the site already is this build: the last good one, after an error, say
            if not quiet_if_unchanged:
                shown()
            return
        stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds, _ in self.builder.timings.stages)
        print(f"rebuilt in {time.perf_counter() - start:.2f} s ({stages}): {built.report.counts}",
              file=sys.stderr, flush=True)

    def flush(self, pause=lambda: False) -> None:
        """Write what the builder's store held back, until ``pause()`` says a change waits."""
        if self.builder is not None and self.builder.store is not None:
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
    failure: list[BaseException] = []
    watcher = threading.Thread(target=_watch_changes, args=(site, stop, batches, failure), name="watcher",
                               daemon=True)
    watcher.start()
    waiting = lambda: not batches.empty()  # noqa: E731
    while not stop.is_set():
        try:
            batch = batches.get(timeout=WATCH_TICK / 1000)
        except queue.Empty:
            if failure:
                raise failure[0]
            continue
        while not batches.empty():  # every change saved meanwhile goes into this one build
            batches.get()
        site.rebuild(superseded=waiting, quiet_if_unchanged=batch is READY)
        if batch is READY:
            ready()
        site.flush(pause=waiting)


READY = None  # the watcher's first word: it is in place


def _watch_changes(site: LiveSite, stop: threading.Event, batches: queue.Queue, failure: list) -> None:
    """The watcher thread: READY once watchfiles is set up, then each batch of changes that
    matters (not the output folder's, not the cache's)."""
    import watchfiles

    watching = False
    try:
        for changes in watchfiles.watch(*site.watched(), stop_event=stop, step=WATCH_STEP, debounce=WATCH_DEBOUNCE,
                                        poll_delay_ms=WATCH_POLL, rust_timeout=WATCH_TICK, yield_on_timeout=True,
                                        raise_interrupt=False):
            if not watching:
                watching = True
                batches.put(READY)
            elif any(not site.ignored(path) for _, path in changes):
                batches.put(changes)
    except BaseException as exc:  # the watched folders went away, say: serve stops with the reason
        failure.append(exc)


def run_serve(args) -> int:
    hub = Hub()
    server = make_live_server(Path(args.out), hub, args.bind, args.port)
    host, port = server.server_address[:2]
    site = LiveSite(args, hub, base_url=f"http://{host}:{port}/")
    try:
        site.build(tell=lambda line: print(line, file=sys.stderr))
        site.flush()
    except BaseException:
        server.server_close()
        raise
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
    return 0
