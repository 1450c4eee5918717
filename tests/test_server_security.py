"""The preview server, running for real on 127.0.0.1: it serves the site folder and nothing else,
whatever the request says, only to requests that name it, always with a status line and headers,
and keeps answering through malformed requests and many clients."""
from __future__ import annotations

import http.client
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.cli import parser
from generator.live import EVENTS_PATH, SCRIPT_PATH, Hub, make_live_server
from generator.server import SiteHandler, host_allowed, make_server

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


def running(srv, hub: Hub | None = None):
    """Serve ``srv`` in a thread until the test is done, then stop it (and its event streams)."""
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        if hub is not None:
            hub.close()
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def server(site):
    """One real server for the module: the tests only read from it."""
    yield from running(make_server(site, port=0))


@pytest.fixture(scope="module")
def live_server(site):
    """The server ``serve`` runs: the same files plus the live-reload script and event stream."""
    hub = Hub()
    yield from running(make_live_server(site, hub, "127.0.0.1", 0), hub)


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
    status, body = request(server, "/")
    assert status == 200 and body.startswith(INDEX)  # the live server adds its script


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
        assert status in (400, 404, 421), (path, status)  # 421: http.client names port 80 for the URL


def status_of(answer: bytes) -> int | None:
    """The status of an answer, which must start with a status line and headers; None if empty."""
    if not answer:
        return None
    head, blank, _ = answer.partition(b"\r\n\r\n")
    status_line, *headers = head.split(b"\r\n")
    assert status_line.startswith(b"HTTP/1.") and blank, answer[:80]  # never a bare body
    assert any(h.lower().startswith(b"content-security-policy:") for h in headers), head
    return int(status_line.split(b" ", 2)[1])


@pytest.mark.parametrize("data, status", [
    (b"\x00\x01\x02garbage\r\n\r\n", 400),  # no version: http.server sends a bare body
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\n" + b"X-Filler: y\r\n" * 500 + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: " + b"h" * 70_000 + b"\r\n\r\n", 431),
    (b"GET / HTTP/9.9\r\n\r\n", 505),
    (b"GET /\xff\xfe/../secret.txt HTTP/1.0\r\n\r\n", 404),
    (b"GET /%00 HTTP/1.0\r\n\r\n", 404),
    (b"GET /\x00/secret.txt HTTP/1.0\r\n\r\n", 404),
    (b"GET /%zz%g HTTP/1.0\r\n\r\n", 404),
    (b"GET /%ff%fe HTTP/1.0\r\n\r\n", 400),
    (b"GET HTTP/1.0\r\n\r\n", 404),  # two words: an HTTP/0.9 request for the path "HTTP/1.0"
    (b"GET / HTTP/0.9\r\n\r\n", 200),
    (b"GET /\r\n\r\n", 200),
    (b"GET\r\n\r\n", 400),
    (b"GET / HTTP/1.x\r\n\r\n", 400),
    (b"GET / FTP/1.0\r\n\r\n", 400),
    (b"GET / HTTP/1.0 extra\r\n\r\n", 400),
    (b"\r\n\r\n", None),
    (b"", None),
])
@pytest.mark.parametrize("which", ["server", "live_server"])
def test_malformed_requests_are_refused_and_the_server_lives_on(request, which, data, status, capsys):
    server = request.getfixturevalue(which)
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


# --- the Host a request names ------------------------------------------------------------------------

def with_host(server, path: str, host: bytes | None, method: str = "GET", version: str = "HTTP/1.1") -> bytes:
    """A request with exactly this Host header (or none), as a browser on another site could send."""
    header = b"" if host is None else b"Host: " + host + b"\r\n"
    return raw(server, f"{method} {path} {version}\r\n".encode() + header + b"Connection: close\r\n\r\n")


def foreign_hosts(port: int) -> list[bytes]:
    """Names a rebinding page (or a mistyped proxy) sends: not this server's address and port."""
    return [name.encode() for name in (
        "rebind.example", f"rebind.example:{port}", f"127.0.0.1.rebind.example:{port}", f"localhost.:{port}",
        "127.0.0.1", "localhost", f"127.0.0.1:{port + 1}", f"localhost:{port - 1}", f"127.0.0.2:{port}",
        f"10.0.0.7:{port}", f"user@127.0.0.1:{port}", f"127.0.0.1:{port}/x", f"127.0.0.1:{port} x", "",
        f"[::2]:{port}", f"0x7f.0.0.1:{port}", f"пример.example:{port}")]


@pytest.mark.parametrize("which, path", [
    ("server", "/"), ("server", "/sub/"), ("server", "/missing.html"), ("server", "/../secret.txt"),
    ("live_server", "/"), ("live_server", EVENTS_PATH), ("live_server", SCRIPT_PATH),
    ("live_server", "/missing.html"),
])
def test_a_request_naming_another_host_is_misdirected(request, which, path):
    server = request.getfixturevalue(which)
    for host in foreign_hosts(server.server_address[1]):
        for method in ("GET", "HEAD"):
            answer = with_host(server, path, host, method)
            assert status_of(answer) == 421, (host, method, answer[:80])
            assert INDEX not in answer and SECRET not in answer and b"retry:" not in answer
    still_serves(server)


@pytest.mark.parametrize("which", ["server", "live_server"])
def test_the_names_of_its_own_address_are_served(request, which):
    server = request.getfixturevalue(which)
    port = server.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        answer = with_host(server, "/", host.encode())
        assert status_of(answer) == 200 and INDEX in answer, host
    assert status_of(with_host(server, "/", None, version="HTTP/1.0")) == 200  # no browser omits it
    assert status_of(with_host(server, "/", None)) == 400  # HTTP/1.1 requires it


def test_two_host_headers_are_refused(server):
    port = server.server_address[1]
    answer = raw(server, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: rebind.example\r\n\r\n".encode())
    assert status_of(answer) == 400 and INDEX not in answer


def test_the_event_stream_opens_for_its_own_host(live_server):
    with socket.create_connection(live_server.server_address[:2], timeout=10) as sock:
        sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost:{live_server.server_address[1]}\r\n\r\n".encode())
        answer = b""
        while b"retry:" not in answer:
            chunk = sock.recv(4096)
            assert chunk, answer
            answer += chunk
    assert status_of(answer) == 200 and b"text/event-stream" in answer


@pytest.mark.parametrize("bound, value, allowed", [
    (("0.0.0.0", 8000), "192.168.1.20:8000", True),  # bound to every interface: any address literal
    (("0.0.0.0", 8000), "localhost:8000", True),
    (("0.0.0.0", 8000), "[fe80::1]:8000", True),
    (("0.0.0.0", 8000), "laptop.lan:8000", False),  # a name could be anyone's: a rebinding page's
    (("0.0.0.0", 8000), "192.168.1.20:8001", False),
    (("192.168.1.20", 8000), "192.168.1.20:8000", True),
    (("192.168.1.20", 8000), "127.0.0.1:8000", False),
    (("192.168.1.20", 8000), "localhost:8000", False),
    (("127.0.0.1", 80), "localhost", True),  # no port: 80
    (("127.0.0.1", 80), "localhost:80", True),
    (("127.0.0.1", 8000), "localhost", False),
    (("127.0.0.1", 8000), "localhost:08000", True),
    (("127.0.0.1", 8000), "localhost:", False),
    (("127.0.0.1", 8000), "localhost:99999999", False),
])
def test_which_host_values_name_a_bound_address(bound, value, allowed):
    assert host_allowed(value, bound) is allowed


# --- paths no file system can name --------------------------------------------------------------------

@pytest.mark.parametrize("which", ["server", "live_server"])
@pytest.mark.parametrize("path", [
    "/" + "a" * 256, "/" + "a" * 300 + ".html", "/" + "a" * 300 + "/", "/sub/" + "é" * 128 + "/index.html",
    "/" + "%41" * 400, "/" + "/".join(["b" * 200] * 30), "/" + "/".join(["c" * 200] * 30) + "/",
])
def test_a_path_no_file_system_can_name_is_a_404_with_headers(request, which, path, capsys):
    server = request.getfixturevalue(which)
    answer = with_host(server, path, f"127.0.0.1:{server.server_address[1]}".encode())
    assert status_of(answer) == 404, answer[:80]
    assert NOT_FOUND in answer
    still_serves(server)
    assert "Traceback" not in capsys.readouterr().err
