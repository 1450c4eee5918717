"""``python -m generator add``: pages from a local HTTP server, saved as they came, and every refusal.

The server is ``http.server`` in a thread, started by the test and ended with it. It is also the
``http_proxy`` the command goes through (urllib honours the variable), so a page can be asked for
at a host name of the test's choosing (``harbour-gazette.test``) and the outlet named from it.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.cli import main
from generator.fetch import seed_name
from generator.limits import MAX_FILE_BYTES

HOST = "http://harbour-gazette.test"
STORY = f"{HOST}/2025/night-trams"
LAST_MODIFIED = "Tue, 04 Mar 2025 09:30:00 GMT"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Night trams return to the river line</title></head>
<body><header><nav><a href="/">Home</a> <a href="/city">City</a></nav></header>
<article><h1>Night trams return to the river line</h1>
<p>The city council voted on Monday to run trams through the night on the river line from next
spring, ending a twelve-year gap in late services between the old docks and the university.</p>
<p>Drivers will work in shorter shifts, and the depot at the eastern terminus will stay open until
four in the morning so that the last trams can be cleaned and checked before the first buses leave.</p>
<p>Shop owners along the quays said the change would bring custom back to streets that empty after
the theatres close; residents near the depot asked for quieter brakes on the late cars.</p>
<p>The mayor said the service would be reviewed after one year, once the council knows how many
people ride the trams after midnight and whether the extra cost is covered by fares.</p>
</article><footer><p><a href="/about">About us</a></p></footer></body></html>
"""

CHUNKS = [b"Ferry timetables change in May.\n", "Les horaires changent en mai.\n".encode(), b"\n" * 3]


class Site(BaseHTTPRequestHandler):
    """Routes by path; the absolute URI a proxied request carries is read for its path alone."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = urlsplit(self.path).path
        self.server.seen.append(path)
        if path == "/2025/night-trams":
            return self.reply(PAGE.encode(), "text/html; charset=utf-8", {"Last-Modified": LAST_MODIFIED})
        if path == "/moved":
            return self.redirect(STORY)
        if path.startswith("/hop/"):
            return self.redirect(f"/hop/{int(path.rsplit('/', 1)[1]) + 1}")
        if path == "/to-ftp":
            return self.redirect("ftp://harbour-gazette.test/file.txt")
        if path == "/slow":
            self.server.release.wait(30)
            return self.reply(b"late", "text/plain")
        if path == "/image":
            return self.reply(b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        if path == "/declared-large":
            return self.reply(b"", "text/plain", {"Content-Length": str(MAX_FILE_BYTES + 1)})
        if path == "/streamed-large":
            return self.stream(MAX_FILE_BYTES + 1)
        if path == "/truncated":
            return self.reply(b"the first words of a page", "text/plain", {"Content-Length": "5000"})
        if path == "/chunked":
            body = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in CHUNKS) + b"0\r\n\r\n"
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                             b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body)
            return None
        if path == "/not-http":
            self.wfile.write(b"hello there\r\n\r\n")
            return None
        self.send_error(404)

    def reply(self, body: bytes, kind: str, headers: dict | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        headers = headers or {}
        self.send_header("Content-Length", headers.pop("Content-Length", str(len(body))))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream(self, size: int) -> None:
        """A body with no Content-Length (HTTP/1.0: it ends when the connection closes)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        line = b"a line of plain text, repeated until the page is too large\n"
        sent = 0
        while sent < size:
            self.wfile.write(line)
            sent += len(line)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # the client hung up on a page it refused: expected here


@pytest.fixture
def server(monkeypatch):
    httpd = Server(("127.0.0.1", 0), Site)
    httpd.seen, httpd.release = [], threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    proxy = f"http://127.0.0.1:{httpd.server_address[1]}"
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, proxy)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def digest(tmp_path) -> Path:
    folder = tmp_path / "digest"
    assert main(["init", str(folder)]) == 0
    return folder


def add(capsys, seeds: Path, *args: str) -> tuple[int, str, str]:
    status = main(["add", "--seeds", str(seeds), *args])
    out, err = capsys.readouterr()
    return status, out, err


def everything_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_an_added_page_is_saved_as_it_came_and_its_build_shows_the_original_url_and_outlet(server, digest, capsys):
    status, out, err = add(capsys, digest / "seeds", STORY)
    assert status == 0, err
    saved = [p for p in (digest / "seeds").iterdir() if p.suffix == ".html"]
    assert len(saved) == 1 and saved[0].read_bytes() == PAGE.encode()
    record = json.loads(Path(str(saved[0]) + ".provenance.json").read_text())
    assert record["requested"] == STORY and record["url"] == STORY
    assert record["content_type"].startswith("text/html") and record["last_modified"] == LAST_MODIFIED
    assert record["fetched"].endswith("+00:00")

    built = subprocess.run([sys.executable, "-m", "generator", "build", "--strict"], cwd=digest,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr  # strict: neither the record nor the README is a seed
    feed = json.loads((digest / "site" / "feed.json").read_text())
    [item] = feed["items"]
    assert item["_digest"]["source"] == saved[0].name
    assert item["_digest"]["publisher"] == "Harbour Gazette"  # from the domain it came from
    assert item["_digest"]["date"] == "2025-03-04"  # Last-Modified: the page gives no date itself
    page = (digest / "site" / urlsplit(item["url"]).path.lstrip("/") / "index.html").read_text()
    assert f'href="{STORY}"' in page and "at Harbour Gazette" in page


def test_a_page_sent_in_chunks_is_saved_whole(server, digest, capsys):
    status, out, err = add(capsys, digest / "seeds", f"{HOST}/chunked")
    assert status == 0, err
    [saved] = [p for p in (digest / "seeds").iterdir() if p.suffix == ".txt"]
    assert saved.read_bytes() == b"".join(CHUNKS)


def test_a_url_already_added_is_not_fetched_again_nor_one_that_redirects_to_it(server, digest, capsys):
    seeds = digest / "seeds"
    assert add(capsys, seeds, STORY)[0] == 0
    before = everything_in(seeds)
    status, out, _ = add(capsys, seeds, STORY + "#comments")
    assert status == 0 and out.startswith("already added")
    assert server.seen.count("/2025/night-trams") == 1
    status, out, _ = add(capsys, seeds, f"{HOST}/moved")
    assert status == 0 and "already added" in out
    assert everything_in(seeds) == before


def test_urls_come_from_a_list_file_with_comments(server, digest, capsys, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# links for this week\n\n{STORY}\n   # a note\n{HOST}/moved\n")
    status, out, err = add(capsys, digest / "seeds", "--from", str(listing))
    assert status == 0, err
    assert len(out.splitlines()) == 2 and "already added" in out.splitlines()[1]
    assert server.seen == ["/2025/night-trams", "/moved", "/2025/night-trams"]


def test_a_missing_list_file_is_one_line_naming_it(digest, capsys, tmp_path):
    status, _, err = add(capsys, digest / "seeds", "--from", str(tmp_path / "nope.txt"))
    assert status == 1 and err.count("\n") == 1 and "nope.txt" in err


REFUSED = [
    ("/slow", "timed out"),
    ("/declared-large", "too large"),
    ("/streamed-large", "too large"),
    ("/image", "content type 'image/png' refused"),
    ("/hop/1", "too many redirects"),
    ("/to-ftp", "scheme 'ftp' refused"),
    ("/missing", "HTTP 404"),
    ("/truncated", "closed before the page's end"),
    ("/not-http", "bad response"),
]


@pytest.mark.parametrize("path, reason", REFUSED, ids=[r[0].strip("/") for r in REFUSED])
def test_a_refused_page_is_one_line_naming_the_url_and_reason_and_adds_nothing(server, digest, capsys, path, reason):
    seeds = digest / "seeds"
    before = everything_in(seeds)
    # a short timeout only where the server holds back: elsewhere a loaded machine must not time out
    status, out, err = add(capsys, seeds, *(("--timeout", "0.5") if path == "/slow" else ()), HOST + path)
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {HOST}{path}: ") and reason in err
    assert everything_in(seeds) == before  # no partial file, no temporary left


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://harbour-gazette.test/a.txt", "javascript:alert(1)",
                                 "harbour-gazette.test/no-scheme", "http:///no-host"])
def test_a_url_that_is_not_http_is_refused_before_any_request(server, digest, capsys, url):
    before = everything_in(digest / "seeds")
    status, _, err = add(capsys, digest / "seeds", url)
    assert status == 1 and err.count("\n") == 1 and url in err
    assert server.seen == [] and everything_in(digest / "seeds") == before


def test_one_refusal_does_not_stop_the_other_urls(server, digest, capsys):
    status, out, err = add(capsys, digest / "seeds", f"{HOST}/image", STORY)
    assert status == 1 and "/image" in err and out.startswith("added")


@pytest.mark.parametrize("url", [
    "http://harbour-gazette.test/../../etc/passwd",
    "http://harbour-gazette.test/%2e%2e%2f%2e%2e%2fetc",
    "https://gazette.example/" + "ü" * 300 + "?q=/../x",
    "http://harbour-gazette.test/",
])
def test_a_seed_name_is_one_plain_file_name_however_odd_the_url(url):
    name = seed_name(url, "text/html; charset=utf-8")
    assert "/" not in name and "\\" not in name and not name.startswith(".") and ".." not in name
    assert name.endswith(".html") and len(name) <= 80
    assert seed_name(url + "x", "text/html") != name  # the hash tells two URLs apart
