"""The preview server, running for real on 127.0.0.1: it serves the site folder and nothing else,
whatever the request says, and keeps answering through malformed requests and many clients."""
from __future__ import annotations

import http.client
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.cli import parser
from generator.server import SiteHandler, make_server

SECRET = b"SECRET-OUTSIDE-THE-SITE"
INDEX = b"<!doctype html><p>home page</p>"
NOT_FOUND = b"<!doctype html><p>no such page</p>"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("preview")
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "404.html").write_bytes(NOT_FOUND)
    (root / "sub" / "index.html").write_bytes(b"<p>sub page</p>")
    (root / "a b.html").write_bytes(b"<p>spaced</p>")
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "key.txt").write_bytes(SECRET)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (root / "link-to-folder").symlink_to(outside, target_is_directory=True)
    (root / "link-to-file.txt").symlink_to(tmp_path / "secret.txt")
    (root / "inside-link.html").symlink_to(root / "sub" / "index.html")
    return root


@pytest.fixture(scope="module")
def server(site):
    """One real server for the module: the tests only read from it."""
    srv = make_server(site, port=0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


def request(server, path: str, method: str = "GET") -> tuple[int, bytes]:
    """Send the path exactly as given (http.client does not normalise it)."""
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def raw(server, data: bytes) -> bytes:
    """Send raw bytes; what the server answers before it closes the connection."""
    with socket.create_connection(server.server_address[:2], timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def still_serves(server) -> None:
    assert request(server, "/") == (200, INDEX)


def test_binds_loopback_by_default(site):
    assert parser().parse_args(["serve"]).bind == "127.0.0.1"
    srv = make_server(site, port=0)
    try:
        assert srv.server_address[0] == "127.0.0.1"
    finally:
        srv.server_close()


def test_serves_the_site(server):
    assert request(server, "/") == (200, INDEX)
    assert request(server, "/sub/") == (200, b"<p>sub page</p>")
    assert request(server, "/a%20b.html") == (200, b"<p>spaced</p>")
    assert request(server, "/inside-link.html") == (200, b"<p>sub page</p>")
    assert request(server, "/", "HEAD") == (200, b"")
    assert request(server, "/missing.html") == (404, NOT_FOUND)


TRAVERSALS = [
    "/../secret.txt", "/../../secret.txt", "/sub/../../secret.txt", "/..%2fsecret.txt",
    "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/%2E%2E%2Fsecret.txt", "/.%2e/secret.txt",
    "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/..%252fsecret.txt",
    "/..\\secret.txt", "/%5c..%5csecret.txt", "/sub\\..\\..\\secret.txt", "/..%5c..%5csecret.txt",
    "//secret.txt", "/%2fsecret.txt", "/%00/../secret.txt", "/index.html%00../secret.txt",
    "/%c0%ae%c0%ae/secret.txt", "/link-to-file.txt", "/link-to-folder/key.txt",
    "/link-to-folder/", "/link-to-folder", "/sub/../link-to-folder/key.txt",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_site_folder_is_served(server, path):
    status, body = request(server, path)
    assert SECRET not in body
    assert status in (400, 404), (path, status)


def test_absolute_paths_stay_inside_the_site(server, site):
    outside = site.parent
    for path in (f"/{outside}/secret.txt", f"{outside}/secret.txt", "/etc/passwd",
                 f"http://127.0.0.1{outside}/secret.txt", "file:///etc/passwd"):
        status, body = request(server, path)
        assert SECRET not in body and b"root:" not in body
        assert status in (400, 404), (path, status)


def status_of(answer: bytes) -> int | None:
    """The status of an answer: its status line, or an HTTP/0.9 bare error page's code."""
    if answer.startswith(b"HTTP/1."):
        return int(answer.split(b" ", 2)[1])
    if answer == NOT_FOUND:
        return 404
    code = answer.split(b"Error code: ", 1)[1][:3] if b"Error code: " in answer else b""
    return int(code) if code.isdigit() else None


@pytest.mark.parametrize("data, status", [
    (b"\x00\x01\x02garbage\r\n\r\n", 400),  # no version: an HTTP/0.9 bare error page
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\n" + b"X-Filler: y\r\n" * 500 + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: " + b"h" * 70_000 + b"\r\n\r\n", 431),
    (b"GET / HTTP/9.9\r\n\r\n", 505),
    (b"GET /\xff\xfe/../secret.txt HTTP/1.0\r\n\r\n", 404),
    (b"GET /%00 HTTP/1.0\r\n\r\n", 404),
    (b"GET /\x00/secret.txt HTTP/1.0\r\n\r\n", 404),
    (b"GET /%zz%g HTTP/1.0\r\n\r\n", 404),
    (b"GET /%ff%fe HTTP/1.0\r\n\r\n", 400),
    (b"GET HTTP/1.0\r\n\r\n", 404),
    (b"\r\n\r\n", None),
    (b"", None),
])
def test_malformed_requests_are_refused_and_the_server_lives_on(server, data, status, capsys):
    answer = raw(server, data)
    assert SECRET not in answer
    assert status_of(answer) == status, answer[:80]
    still_serves(server)
    assert "Traceback" not in capsys.readouterr().err


def test_the_log_never_passes_control_characters_to_the_terminal(server, capsys):
    raw(server, b"GET /\x1b]0;owned\x07\x1b[2J HTTP/1.0\r\n\r\n")
    raw(server, b"\x1b[31mred\r\n\r\n")
    still_serves(server)
    err = capsys.readouterr().err
    assert "\\x1b" in err
    assert not any(ord(ch) < 32 and ch != "\n" for ch in err)


@pytest.mark.parametrize("method", ["POST", "OPTIONS", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "BREW"])
def test_only_get_and_head_are_served(server, method, capsys):
    status, body = request(server, "/", method)
    assert status == 501 and INDEX not in body
    still_serves(server)
    assert "Traceback" not in capsys.readouterr().err


def test_many_concurrent_clients_are_all_served(server):
    paths = ["/", "/sub/", "/missing.html", "/../secret.txt"]
    expected = {"/": (200, INDEX), "/sub/": (200, b"<p>sub page</p>"), "/missing.html": (404, NOT_FOUND),
                "/../secret.txt": (404, NOT_FOUND)}

    def client(number: int) -> list[bool]:
        return [request(server, paths[(number + i) % 4]) == expected[paths[(number + i) % 4]]
                for i in range(20)]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = [ok for oks in pool.map(client, range(50)) for ok in oks]
    assert len(results) == 1000 and all(results)
    assert time.monotonic() - started < 120
    still_serves(server)


def test_a_silent_client_is_dropped_by_default():
    assert SiteHandler.timeout is not None and 0 < SiteHandler.timeout <= 60


def test_a_silent_client_is_dropped_and_others_are_served_meanwhile(server, monkeypatch):
    monkeypatch.setattr(SiteHandler, "timeout", 0.5)
    idle = [socket.create_connection(server.server_address[:2], timeout=10) for _ in range(20)]
    try:
        still_serves(server)
        started = time.monotonic()
        for sock in idle:
            assert sock.recv(1) == b""  # closed by the server, not by our own timeout
        assert time.monotonic() - started < 8
    finally:
        for sock in idle:
            sock.close()
    still_serves(server)


def test_slow_header_trickle_is_dropped(server, monkeypatch):
    monkeypatch.setattr(SiteHandler, "timeout", 0.5)
    with socket.create_connection(server.server_address[:2], timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n")
        time.sleep(1.0)
        assert sock.recv(1) == b""
    still_serves(server)
