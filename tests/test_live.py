"""serve's order after an edit: the changed pages are served from memory first, then the folder
and its search index follow in a thread of their own, and the folder they leave is the one
``build`` makes (live.py, page_first.py, overlay.py)."""
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


OLD_ARTICLE, NEW_ARTICLE = "/articles/openai-wants-to-be-a-star/", "/articles/openai-wants-to-be-a-rock-star/"


class Seen(queue.Queue):
    """An event stream that, the moment the build publishes ``reload`` (in the build's own thread,
    before it goes on), asks the server for the topic page, the article pages the edit renames,
    the search index's page list and its shards' entries, and reads the output folder."""

    def __init__(self, port: int, site: Path):
        super().__init__()
        self.port, self.site, self.at_reload = port, site, []

    def put(self, item, block=True, timeout=None):
        if item is not None and item[0] == "reload":
            paths = (TOPIC, OLD_ARTICLE, NEW_ARTICLE, NEW_ARTICLE.rstrip("/"), "/pagefind/pages.tsv",
                     "/pagefind/shards.json")
            look = {path: get(self.port, path) for path in paths}
            names = json.loads(look["/pagefind/shards.json"][1])["shards"]
            look["entries"] = {get(self.port, f"/pagefind/{name}/pagefind-entry.json")[0] for name in names}
            look["folder"] = read_tree(self.site)
            self.at_reload.append(look)
        super().put(item, block, timeout)


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return response.status, (response.getheader("Location", "").encode() if response.status == 301 else body)
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
        site.close()
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
def test_an_edit_is_served_from_memory_before_the_folder_changes_and_ends_as_a_clean_build(live):
    project, site, hub, port = live
    seen = hub.subscribe(Seen(port, project / "site"))
    before = read_tree(project / "site")
    shards_before = get(port, "/pagefind/shards.json")
    edit(project / "seeds" / SEED, "OpenAI wants to be a star", "OpenAI wants to be a rock star")
    site.rebuild()

    assert seen.get_nowait()[0] == "reload"  # one reload...
    at_reload = seen.at_reload[0]
    assert at_reload["folder"] == before  # ...while the folder still held the last build, byte for byte
    status, page = at_reload[TOPIC]
    assert status == 200 and b"rock star" in page  # the new pages were served from memory
    assert at_reload[NEW_ARTICLE][0] == 200 and b"rock star" in at_reload[NEW_ARTICLE][1]
    assert at_reload[NEW_ARTICLE.rstrip("/")] == (301, NEW_ARTICLE.encode())  # a folder the disk has not yet
    assert at_reload[OLD_ARTICLE][0] == 404  # the page the edit renamed is gone, though its file is still there
    assert "articles/openai-wants-to-be-a-star/index.html" in at_reload["folder"]
    # the last search index, whole
    assert at_reload["/pagefind/pages.tsv"] == (200, before["pagefind/pages.tsv"])
    assert at_reload["/pagefind/shards.json"] == shards_before and at_reload["entries"] == {200}

    site.settle()  # the folder and the search index, in their thread
    assert seen.empty() and hub.error is None and hub.overlay is None  # no error; the folder serves it all
    after = read_tree(project / "site")
    assert after["pagefind/pages.tsv"] != before["pagefind/pages.tsv"]  # the edited article indexed again
    assert get(port, "/pagefind/pages.tsv") == (200, after["pagefind/pages.tsv"])
    assert get(port, OLD_ARTICLE)[0] == 404 and b"rock star" in get(port, NEW_ARTICLE)[1]
    assert after == clean_build(project, site.base_url)


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
    assert b"no-such-page" in get(port, "/about/")[1]  # the page with it is served, as the message says
    late = hub.subscribe()
    assert late.get_nowait()[0] == "build-error"  # a page opened (or reloaded) now shows it too
    site.settle()
    assert b"no-such-page" not in (project / "site" / "about" / "index.html").read_bytes()  # not written

    template.write_text(good, encoding="utf-8")
    site.rebuild()
    assert events.get_nowait()[0] == "reload" and hub.error is None
    assert b"no-such-page" not in get(port, "/about/")[1]
    site.settle()
    assert events.empty() and hub.overlay is None
    assert read_tree(project / "site") == clean_build(project, site.base_url)  # pagefind_bin is a dependency


@needs_pagefind
def test_a_newer_change_waiting_leaves_the_folder_to_the_next_build(live):
    project, site, hub, port = live
    events = hub.subscribe()
    before = read_tree(project / "site")
    edit(project / "seeds" / SEED, "OpenAI wants to be a star", "OpenAI wants to be a pop star")
    site.rebuild(superseded=lambda: True)
    assert events.get_nowait()[0] == "reload"
    assert b"pop star" in get(port, TOPIC)[1]
    site.settle()
    assert read_tree(project / "site") == before  # nothing written: a change waits
    edit(project / "seeds" / SEED, "pop star", "jazz star")
    site.rebuild()
    assert events.get_nowait()[0] == "reload"
    assert b"jazz star" in get(port, TOPIC)[1] and b"pop star" not in get(port, TOPIC)[1]
    site.settle()
    assert read_tree(project / "site") == clean_build(project, site.base_url)


class Pages:
    """serve's side of ``PageFirst``: what ``show`` was given, and how often the page was shown."""

    def __init__(self):
        self.overlays, self.shown = [], 0

    def page_first(self, budget=None) -> pipeline.PageFirst:
        return pipeline.PageFirst(self.overlays.append, self.count, budget=budget)

    def count(self) -> None:
        self.shown += 1


@needs_pagefind
def test_a_newer_build_cancels_the_last_ones_folder_and_its_pages_hold_both_changes(live):
    """Two edits, the first build's folder step cancelled by the second build: the folder stays
    as it was, the second overlay holds both edits, and its own step leaves a clean build."""
    from generator.page_first import Cancel

    project, site, hub, port = live
    config = load_config(project / "digest.toml").with_overrides(base_url=site.base_url)
    request = pipeline.BuildRequest(project / "seeds", project / "site")
    before = read_tree(project / "site")
    pages = Pages()
    edit(project / "seeds" / SEED, "OpenAI wants to be a star", "OpenAI wants to be a rock star")
    first = pipeline.build(config, request, site.builder, page_first=pages.page_first())
    about = project / "content" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n\nA line added to the about page.\n", encoding="utf-8")
    cancel = Cancel()
    cancel.cancel()  # the second build starts: the first one's folder must not be swapped in
    config = load_config(project / "digest.toml").with_overrides(base_url=site.base_url)  # the about page is in it
    second = pipeline.build(config, request, site.builder, page_first=pages.page_first())
    assert first.later(cancel) is False and read_tree(project / "site") == before
    assert pages.shown == 2 and pages.overlays[-1] is not None
    changed = pages.overlays[-1].files
    assert b"rock star" in changed[NEW_ARTICLE.strip("/") + "/index.html"]  # the first edit, which the folder lacks
    assert b"A line added to the about page." in changed["about/index.html"]  # and the second
    assert second.later(Cancel()) is True and pages.overlays[-1] is None
    assert read_tree(project / "site") == clean_build(project, site.base_url)


@needs_pagefind
def test_an_edit_that_changes_more_than_the_overlay_holds_is_swapped_in_and_ends_as_a_clean_build(live):
    project, site, hub, port = live
    config = load_config(project / "digest.toml").with_overrides(base_url=site.base_url)
    pages = Pages()
    edit(project / "seeds" / SEED, "OpenAI wants to be a star", "OpenAI wants to be a rock star")
    built = pipeline.build(config, pipeline.BuildRequest(project / "seeds", project / "site"), site.builder,
                           page_first=pages.page_first(budget=0))
    assert built.later is None and pages.shown == 1 and pages.overlays == [None]  # no overlay: the folder
    assert b"rock star" in (project / "site" / "topics" / "sora-in-hollywood" / "index.html").read_bytes()
    assert read_tree(project / "site") == clean_build(project, site.base_url)
