"""The preview server with a build's pages in memory (live_handler.py, overlay.py): it answers
from the overlay before the folder, the overlay's removed pages are 404s, and the overlay opens
no way out of the site nor around the Host check."""
from __future__ import annotations

import http.client
import threading

import pytest

from generator.live import Hub, make_live_server, with_script
from generator.overlay import Overlay
from test_server_security import SECRET, TRAVERSALS, foreign_hosts, status_of, with_host

ON_DISK = b"<!doctype html><head></head><p>the folder's home page</p>"
IN_MEMORY = b"<!doctype html><head></head><p>the new home page</p>"
MISSING = b"<!doctype html><p>no such page</p>"


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "site"
    (root / "old").mkdir(parents=True)
    (root / "index.html").write_bytes(ON_DISK)
    (root / "404.html").write_bytes(MISSING)
    (root / "old" / "index.html").write_bytes(b"<p>a page the build removed</p>")
    (root / "kept.txt").write_bytes(b"unchanged")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    hub = Hub()
    server = make_live_server(root, hub, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server, hub
    finally:
        hub.close()
        server.shutdown()
        server.server_close()
        thread.join()


def fetch(server, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def an_overlay() -> Overlay:
    return Overlay({"index.html": IN_MEMORY, "new/index.html": b"<head></head><p>a new page</p>",
                    "style.css": b"body { color: red }"}, frozenset({"old/index.html"}))


def test_the_overlay_answers_before_the_folder_and_the_folder_again_once_it_is_gone(served):
    server, hub = served
    hub.show(an_overlay())
    status, headers, body = fetch(server, "/")
    assert (status, body) == (200, with_script(IN_MEMORY)) and headers["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in headers  # the site's headers, as for a file
    assert fetch(server, "/index.html")[2] == with_script(IN_MEMORY)
    assert fetch(server, "/new/?q=1")[0] == 200
    status, headers, _ = fetch(server, "/new?q=1")
    assert status == 301 and headers["Location"] == "/new/?q=1"  # a folder only the overlay has
    status, headers, body = fetch(server, "/style.css")
    assert (status, body) == (200, b"body { color: red }") and headers["Content-Type"] == "text/css"
    assert fetch(server, "/style.css", "HEAD")[::2] == (200, b"")
    status, _, body = fetch(server, "/old/")
    assert status == 404 and body == with_script(MISSING)  # removed by the build, though on disk still
    assert fetch(server, "/kept.txt")[::2] == (200, b"unchanged")  # what the build did not change: the folder's

    hub.show(None)
    assert fetch(server, "/")[2] == with_script(ON_DISK)
    assert fetch(server, "/new/")[0] == 404 and fetch(server, "/old/")[0] == 200


def test_an_overlay_404_page_is_the_one_sent(served):
    server, hub = served
    hub.show(Overlay({"404.html": b"<head></head><p>the new 404</p>"}, frozenset()))
    status, _, body = fetch(server, "/no/such/page")
    assert status == 404 and b"the new 404" in body


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_site_is_served_with_an_overlay_either(served, path):
    server, hub = served
    hub.show(an_overlay())
    status, _, body = fetch(server, path)
    assert SECRET not in body
    assert status in (400, 404), (path, status)


def test_an_overlay_page_is_misdirected_for_another_host(served):
    server, hub = served
    hub.show(an_overlay())
    for host in foreign_hosts(server.server_address[1]):
        answer = with_host(server, "/", host)
        assert status_of(answer) == 421 and IN_MEMORY not in answer, host


def test_a_preview_is_served_over_every_build_until_one_holding_its_change_is_shown(served):
    server, hub = served
    assert hub.preview(2, {"index.html": b"<head></head><p>preview of change 2</p>"})
    assert fetch(server, "/")[2] == with_script(b"<head></head><p>preview of change 2</p>")
    hub.show(an_overlay())  # a build that started before change 2: its home page is older than the preview
    assert fetch(server, "/")[2] == with_script(b"<head></head><p>preview of change 2</p>")
    assert fetch(server, "/new/")[0] == 200 and fetch(server, "/old/")[0] == 404  # the build's other files
    hub.cover(2)  # a build holding change 2 is shown: its pages, not the preview
    assert fetch(server, "/")[2] == with_script(IN_MEMORY)
    assert not hub.preview(1, {"index.html": b"<p>too late</p>"})  # an older change's preview comes too late
    assert fetch(server, "/")[2] == with_script(IN_MEMORY)
    hub.show(None)
    assert hub.overlay is None and fetch(server, "/")[2] == with_script(ON_DISK)


def test_a_preview_of_a_page_the_build_removed_serves_it_again(served):
    server, hub = served
    hub.show(an_overlay())
    hub.preview(1, {"old/index.html": b"<head></head><p>edited again</p>"})
    assert fetch(server, "/old/")[::2] == (200, with_script(b"<head></head><p>edited again</p>"))
