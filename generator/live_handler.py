"""The preview server's live layer: the reload script, the event stream, the pages in memory.

Takes the output folder and a ``Hub`` (what the builds tell the server); gives the handler
``live.py`` serves with. ``LiveHandler`` (a ``server.SiteHandler``: same files, same path checks,
same Host gate) adds ``<script src="/__livereload.js" defer>`` before ``</head>`` of every HTML
page as it sends it; the files on disk, which are what ships, never hold it, and since the
site's policy forbids inline scripts the script is an external file from the same origin.
``/__livereload.js`` is that script (``data/livereload.js``), ``/__livereload`` a stream of
server-sent events: ``reload`` after a good build, ``build-error`` with the message after a
failed one (a page opened while the last build is failed gets it at once).

Before the folder, the handler asks the hub's ``overlay`` (``overlay.py``): the files a build
made that the folder does not hold yet, and the paths it removed, with the previews of edits
no shown build holds yet on top (``Hub.preview``, ``Hub.cover``). It is looked up by the
request's normalised path segments (``server.request_parts``), a dictionary key, never a file
system path, so nothing outside the build's own files can be named through it.
"""
from __future__ import annotations

import http.server
import json
import queue
import threading
from pathlib import Path

from .cache import PACKAGE
from .overlay import Overlay
from .server import SiteHandler, make_server, names_folder, request_parts

SCRIPT_PATH = "/__livereload.js"
EVENTS_PATH = "/__livereload"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()
SCRIPT = (PACKAGE / "data" / "livereload.js").read_bytes()
KEEPALIVE = 15.0  # seconds between comments on an idle stream, so dead clients are noticed


class Hub:
    """The open event streams, and whether the last build failed (and why)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._streams: set[queue.Queue] = set()
        self.error: str | None = None
        # the pages a build made that the output folder does not hold yet (overlay.py), with the
        # previews of edits no build has shown yet on top (live_preview.py): one reference,
        # replaced whole, so a request sees one build's files (and previews) or the next's
        self.overlay: Overlay | None = None
        self._built: Overlay | None = None
        self._previews: dict[str, tuple[int, bytes]] = {}  # path -> (the change's number, bytes)
        self._covered = 0  # the newest change a shown build holds
        self._view = threading.Lock()

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

    def show(self, overlay: Overlay | None) -> None:
        """Serve ``overlay`` in front of the output folder from now on (None: the folder alone),
        under the previews no build has covered yet."""
        with self._view:
            self._built = overlay
            self._combine()

    def preview(self, change: int, pages: dict[str, bytes]) -> bool:
        """Serve ``pages`` (change number ``change``'s preview) before everything else, until a
        build that holds that change is shown (``cover``); False if one already was."""
        with self._view:
            if change <= self._covered or not pages:
                return False
            self._previews.update((path, (change, body)) for path, body in pages.items())
            self._combine()
        return True

    def cover(self, change: int) -> None:
        """A build that holds every change up to number ``change`` is shown: their previews go."""
        with self._view:
            self._covered = max(self._covered, change)
            self._previews = {p: v for p, v in self._previews.items() if v[0] > self._covered}
            self._combine()

    def _combine(self) -> None:
        built = self._built
        if not self._previews:
            self.overlay = built
            return
        files = dict(built.files) if built is not None else {}
        files.update((path, body) for path, (_, body) in self._previews.items())
        gone = (built.gone if built is not None else frozenset()) - self._previews.keys()
        self.overlay = Overlay(files, frozenset(gone))

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
        overlay = self.hub.overlay
        if overlay is not None and self._from_overlay(overlay):
            return None
        page = self._html_file()
        if page is None:
            return super().send_head()  # every other file, and every refusal, as SiteHandler does it
        self._send(200, "text/html; charset=utf-8", with_script(page.read_bytes()))
        return None

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            overlay = self.hub.overlay
            page = Path(self.directory) / "404.html"
            body = overlay.files.get("404.html") if overlay is not None else None
            if body is None and page.is_file():
                body = page.read_bytes()
            if body is not None:
                return self._send(404, "text/html; charset=utf-8", with_script(body))
        return super().send_error(code, message, explain)

    def _from_overlay(self, overlay: Overlay) -> bool:
        """Answer from the build's pages in memory when the request names one of them (or one
        it removed); False: the folder answers."""
        try:
            parts, folder = request_parts(self.path), names_folder(self.path)
        except UnicodeDecodeError:
            return False  # SiteHandler answers 400
        if parts is None:
            return False
        inside = "/".join(parts)
        name = f"{inside}/index.html" if inside and folder else inside or "index.html"
        if name not in overlay.files and not folder and f"{name}/index.html" in overlay.files:
            return self._redirect_to_folder()  # a new page's folder, which the disk has not yet
        body = overlay.files.get(name)
        if body is not None:
            if name.endswith(".html"):
                self._send(200, "text/html; charset=utf-8", with_script(body))
            else:
                self._send(200, self.guess_type(name), body)
            return True
        if name in overlay.gone:
            self.send_error(404, "Not found")
            return True
        return False

    def _redirect_to_folder(self) -> bool:
        path, query = (self.path.split("?", 1) + [""])[:2]
        self.send_response(301)
        self.send_header("Location", path + "/" + (f"?{query}" if query else ""))
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

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
