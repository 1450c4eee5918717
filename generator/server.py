"""The preview server: the output folder over HTTP on 127.0.0.1 (``live.py`` runs ``serve``).

Takes the output folder; serves until shut down. The handler serves files from the output
folder only: paths are decoded, normalised and resolved (symlinks included) and anything that
lands outside the folder is a 404; malformed requests get a 400 and never a traceback. A client
that goes silent is dropped after ``SiteHandler.timeout`` seconds, so idle connections cannot
pin the server's threads, and the log escapes control characters a request may carry, so a
request cannot write escape sequences to the terminal. Every
response carries the site's security headers (``render.seo.SECURITY_HEADERS``).
"""
from __future__ import annotations

import http.server
import os
import posixpath
import re
import sys
import urllib.parse
from functools import partial
from pathlib import Path

from .render.seo import SECURITY_HEADERS
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from one folder; nothing outside it, whatever the path says."""

    server_version = "digest-preview"
    sys_version = ""
    timeout = 15  # seconds a connection may stay silent, mid-request or between requests

    def translate_path(self, path: str) -> str:
        root = Path(self.directory).resolve()
        path = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0], errors="strict")
        if "\x00" in path or "\\" in path:
            return str(root / "\x00invalid")
        parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".", "..")]
        target = root.joinpath(*parts)
        try:
            resolved = target.resolve()
        except (OSError, RuntimeError):
            return str(root / "\x00invalid")
        if resolved != root and not resolved.is_relative_to(root):
            return str(root / "\x00invalid")
        return str(resolved) + ("/" if path.endswith("/") else "")

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


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 makes a burst of clients wait seconds


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000,
                handler_class: type = SiteHandler) -> http.server.ThreadingHTTPServer:
    return PreviewServer((host, port), partial(handler_class, directory=str(directory)))
