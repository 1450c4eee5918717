"""serve's order after an edit: the page is served first, the search index follows in a second
swap, and the folder it leaves is the one ``build`` makes (live.py, build.PageFirst)."""
from __future__ import annotations

import http.client
import json
import queue
import shutil
import threading
from argparse import Namespace
from pathlib import Path

import pytest

from generator import build as pipeline
from generator.config import load_config
from generator.live import Hub, LiveSite, make_live_server
from generator.search import pagefind_executable
from render_helpers import read_tree

ROOT = Path(__file__).resolve().parents[1]
SEED = "002_e05194bb93bbc408.txt"
TOPIC = "/topics/sora-in-hollywood/"
needs_pagefind = pytest.mark.skipif(pagefind_executable() is None, reason="pagefind_bin is not installed")


class Seen(queue.Queue):
    """An event stream that, the moment the build publishes ``reload`` (in the build's own thread,
    before it goes on), asks the server for the topic page, the search index's page list and its
    shards' entries."""

    def __init__(self, port: int):
        super().__init__()
        self.port, self.at_reload = port, []

    def put(self, item, block=True, timeout=None):
        if item is not None and item[0] == "reload":
            look = {path: get(self.port, path) for path in (TOPIC, "/pagefind/pages.tsv", "/pagefind/shards.json")}
            names = json.loads(look["/pagefind/shards.json"][1])["shards"]
            look["entries"] = {get(self.port, f"/pagefind/{name}/pagefind-entry.json")[0] for name in names}
            self.at_reload.append(look)
        super().put(item, block, timeout)


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def live(tmp_path):
    """A serve session in this process: the preview server on a free port and its LiveSite,
    built once; the server is shut down after the test."""
    for name in ("seeds", "content", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "digest.toml", tmp_path)
    hub = Hub()
    server = make_live_server(tmp_path / "site", hub, "127.0.0.1", 0)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    args = Namespace(config=tmp_path / "digest.toml", seeds=tmp_path / "seeds", out=tmp_path / "site", theme=None)
    site = LiveSite(args, hub, base_url=f"http://127.0.0.1:{port}/")
    try:
        site.build()
        yield tmp_path, site, hub, port
    finally:
        hub.close()
        server.shutdown()
        server.server_close()
        thread.join()


def clean_build(project: Path, base_url: str) -> dict[str, bytes]:
    """What ``build`` makes of the project for the same address: no cache, a new folder."""
    config = load_config(project / "digest.toml").with_overrides(base_url=base_url)
    out = project / "clean-site"
    pipeline.build(config, pipeline.BuildRequest(project / "seeds", out), pipeline.make_builder(config, use_cache=False))
    return read_tree(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@needs_pagefind
def test_an_edit_is_served_before_the_search_index_is_rebuilt_and_ends_as_a_clean_build(live):
    project, site, hub, port = live
    seen = hub.subscribe(Seen(port))
    indexed_before = (project / "site" / "pagefind" / "pages.tsv").read_bytes()
    shards_before = get(port, "/pagefind/shards.json")
    edit(project / "seeds" / SEED, "OpenAI wants to be a star", "OpenAI wants to be a rock star")
    site.rebuild()

    assert seen.get_nowait()[0] == "reload" and seen.empty()  # one reload, and no error after it
    at_reload = seen.at_reload[0]
    status, page = at_reload[TOPIC]
    assert status == 200 and b"rock star" in page  # the new page was served at the reload...
    assert at_reload["/pagefind/pages.tsv"][0] == 404  # ...before the index was rebuilt (it writes this list),
    assert at_reload["/pagefind/shards.json"] == shards_before and at_reload["entries"] == {200}  # the last one whole
    indexed_after = (project / "site" / "pagefind" / "pages.tsv").read_bytes()
    assert indexed_after != indexed_before  # then the edited article was indexed again
    assert get(port, "/pagefind/pages.tsv") == (200, indexed_after)
    assert read_tree(project / "site") == clean_build(project, site.base_url)


def test_a_broken_link_found_after_the_reload_is_reported_and_the_next_good_build_clears_it(live):
    project, site, hub, port = live
    events = hub.subscribe()
    template = project / "themes" / "default" / "templates" / "about.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% endblock %}", '<a href="/no-such-page/">x</a>{% endblock %}', 1),
                        encoding="utf-8")
    site.rebuild()
    assert events.get_nowait()[0] == "reload"
    event, data = events.get_nowait()
    assert event == "build-error" and "broken internal link" in data and "/no-such-page/" in data
    assert "the search index is not updated" in data
    late = hub.subscribe()
    assert late.get_nowait()[0] == "build-error"  # a page opened (or reloaded) now shows it too

    template.write_text(good, encoding="utf-8")
    site.rebuild()
    assert events.get_nowait()[0] == "reload" and hub.error is None
    assert b"no-such-page" not in get(port, "/about/")[1]
    assert read_tree(project / "site") == clean_build(project, site.base_url)  # pagefind_bin is a dependency


@needs_pagefind
def test_a_newer_change_waiting_leaves_the_search_index_to_the_next_build(live):
    project, site, hub, port = live
    events = hub.subscribe()
    edit(project / "seeds" / SEED, "OpenAI wants to be a star", "OpenAI wants to be a pop star")
    site.rebuild(superseded=lambda: True)
    assert events.get_nowait()[0] == "reload"
    assert b"pop star" in get(port, TOPIC)[1]
    assert not (project / "site" / "pagefind" / "pages.tsv").exists()  # not indexed: a change waits
    edit(project / "seeds" / SEED, "pop star", "jazz star")
    site.rebuild()
    assert events.get_nowait()[0] == "reload"
    assert read_tree(project / "site") == clean_build(project, site.base_url)
