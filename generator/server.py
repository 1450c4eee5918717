"""The preview server: the output folder over HTTP on 127.0.0.1 (``live.py`` runs ``serve``).

Takes the output folder; serves until shut down. The handler serves files from the output
folder only: paths are decoded, normalised and resolved (symlinks included) and anything that
lands outside the folder, or that no file system could name (a segment over 255 bytes), is a
404; malformed requests get a 400 and never a traceback. It answers only requests whose ``Host``
names the server itself (its bound address and port; for a loopback address also ``localhost``,
``127.0.0.1`` and ``[::1]`` on that port): any other name is a 421, so a page on another site
that rebinds its own domain name to 127.0.0.1 cannot read the preview or the live-reload error
stream. Every reply has a status line and headers, HTTP/0.9 requests and rejected request lines
included (``http.server`` would answer those with a bare body). A client
that goes silent is dropped after ``SiteHandler.timeout`` seconds, so idle connections cannot
pin the server's threads, and the log escapes control characters a request may carry, so a
request cannot write escape sequences to the terminal. Every
response carries the site's security headers (``render.seo.SECURITY_HEADERS``).
"""
from __future__ import annotations

import http.server
import ipaddress
import os
import posixpath
import re
import sys
import urllib.parse
from functools import partial
from pathlib import Path

from .render.seo import SECURITY_HEADERS

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
HOST_VALUE = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::([0-9]{1,5}))?\Z")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
NAME_MAX = 255  # bytes in one path segment: the limit of every common file system


def host_allowed(value: str, bound: tuple[str, int]) -> bool:
    """Whether a ``Host`` header value names the server bound to ``bound`` (address, port).

    The port must be the bound one (absent means 80). The name must be the bound address; when
    that is a loopback address, any loopback name; when it is the wildcard (0.0.0.0, ::), any IP
    literal or ``localhost``. A domain name is never enough on its own: that is what a DNS
    rebinding page sends, and the browser would let it read what comes back."""
    match = HOST_VALUE.match(value.strip().lower())
    if not match:
        return False
    name, port = match.group(1).strip("[]"), int(match.group(2) or 80)
    address, bound_port = bound[0].lower(), bound[1]
    if port != bound_port:
        return False
    if name == address:
        return True
    bound_ip = _ip(address)
    if bound_ip is not None and bound_ip.is_loopback:
        return name in LOOPBACK_NAMES
    if bound_ip is not None and bound_ip.is_unspecified:
        return name == "localhost" or _ip(name) is not None
    return False


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def url_path(path: str) -> str:
    """A request target's path, without its query and fragment (still %-encoded)."""
    return path.split("?", 1)[0].split("#", 1)[0]


def request_parts(path: str) -> list[str] | None:
    """The segments of the file a request target names inside the served folder: decoded
    (``UnicodeDecodeError`` for bytes that are no UTF-8) and normalised, so no ``..`` is left to
    climb; None for a path no file could have (a NUL, a backslash, a segment too long to exist)."""
    decoded = urllib.parse.unquote(url_path(path), errors="strict")
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [p for p in posixpath.normpath(decoded).split("/") if p not in ("", ".", "..")]
    if any(len(os.fsencode(part)) > NAME_MAX for part in parts):
        return None  # no such file can exist; stat would raise, not say no
    return parts


def names_folder(path: str) -> bool:
    """Whether a request target's decoded path ends with a slash (asks for a folder's index)."""
    return urllib.parse.unquote(url_path(path), errors="strict").endswith("/")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from one folder; nothing outside it, whatever the path says."""

    server_version = "digest-preview"
    sys_version = ""
    timeout = 15  # seconds a connection may stay silent, mid-request or between requests

    def translate_path(self, path: str) -> str:
        root = Path(self.directory).resolve()
        parts = request_parts(path)
        if parts is None:
            return str(root / "\x00invalid")
        target = root.joinpath(*parts)
        try:
            resolved = target.resolve()
            _exists(resolved)  # a path the system refuses to look up (too long, no access) is no file
        except (OSError, RuntimeError):
            return str(root / "\x00invalid")
        if resolved != root and not resolved.is_relative_to(root):
            return str(root / "\x00invalid")
        return str(resolved) + ("/" if names_folder(path) else "")

    def parse_request(self) -> bool:
        """The request line and headers, then the Host check: the one gate every method and path
        (the live-reload script and event stream of ``live.LiveHandler`` too) goes through."""
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1 or (not hosts and self.request_version >= "HTTP/1.1"):
            self.send_error(400, "One Host header required")  # RFC 9112, section 3.2
            return False
        # No Host at all (HTTP/1.0 and older): no browser sends that, so it cannot be a
        # rebinding page; a command-line client may, and is served.
        if hosts and not host_allowed(hosts[0], self.server.server_address[:2]):
            self.send_error(421, "Misdirected request", "This server answers only to its own address.")
            return False
        return True

    def send_response_only(self, code, message=None):
        """Always a status line and headers: ``http.server`` leaves both out when the request said
        (or the parser assumed, for a line it rejects) HTTP/0.9, and the client gets a bare body."""
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"
        super().send_response_only(code, message)

    def send_head(self):
        try:
            if "\x00invalid" in self.translate_path(self.path):
                self.send_error(404, "Not found")
                return None
        except UnicodeDecodeError:
            self.send_error(400, "Bad request path")
            return None
        return super().send_head()

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            page = Path(self.directory) / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        super().send_error(code, message, explain)

    def end_headers(self):
        """Every response carries the headers the site is published with, so a preview shows
        what production blocks (an inline script, a request elsewhere)."""
        for name, value in SECURITY_HEADERS:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):  # quieter than the default: one line per request
        message = CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", format % args)
        sys.stderr.write(f"{self.address_string()} {message}\n")


def _exists(path: Path) -> bool:
    """Whether the path exists; raises for any reason other than "no such file"."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 makes a burst of clients wait seconds


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000,
                handler_class: type = SiteHandler) -> http.server.ThreadingHTTPServer:
    return PreviewServer((host, port), partial(handler_class, directory=str(directory)))
