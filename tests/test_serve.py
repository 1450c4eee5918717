"""`python -m generator serve` as a curator uses it: edit, see the page change and reload; break a
template, see the error in the page while the last good site is still served."""
from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.live import with_script

ROOT = Path(__file__).resolve().parents[1]
WAIT = 60.0  # seconds: a bound on every wait, far above what any step takes
TOPIC = "/topics/sora-in-hollywood/"


def lines_of(stream, into: queue.Queue) -> threading.Thread:
    thread = threading.Thread(target=lambda: [into.put(line) for line in stream], daemon=True)
    thread.start()
    return thread


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


class Served:
    """A running serve on a copy of the project, and what its event stream has said."""

    def __init__(self, project: Path):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=project,
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.output: queue.Queue = queue.Queue()
        lines_of(self.process.stdout, self.output)
        self.said: queue.Queue = queue.Queue()  # serve's own lines: the stages, the folder written
        lines_of(self.process.stderr, self.said)
        line = self.output.get(timeout=WAIT)
        assert line.startswith("serving"), line
        self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        self.events: queue.Queue = queue.Queue()

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()

    def listen(self) -> queue.Queue:
        """Open /__livereload; gives the queue its ``event:`` lines arrive in."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.request("GET", "/__livereload")
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
        events: queue.Queue = queue.Queue()

        def read():
            event = None
            for raw in response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event:
                    events.put((event, line[6:]))
                    event = None
        threading.Thread(target=read, daemon=True).start()
        return events

    def stop(self) -> int | None:
        """SIGTERM, as a service manager or a benchmark stops it; gives the exit status."""
        self.process.terminate()
        try:
            return self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return None


@pytest.fixture
def served(tmp_path):
    for name in ("seeds", "content", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "digest.toml", tmp_path)
    site = Served(tmp_path)
    yield tmp_path, site
    site.stop()


def test_pages_get_the_external_reload_script_only_as_they_are_served(served):
    project, site = served
    status, page = site.get(TOPIC)
    assert status == 200 and b'<script src="/__livereload.js" defer></script></head>' in page
    on_disk = (project / "site" / "topics" / "sora-in-hollywood" / "index.html").read_bytes()
    assert b"livereload" not in on_disk and page == with_script(on_disk)
    status, script = site.get("/__livereload.js")
    assert status == 200 and b"EventSource" in script and b"textContent" in script
    assert b"innerHTML" not in script
    status, missing = site.get("/no/such/page/")
    assert status == 404 and b"/__livereload.js" in missing


def test_an_edit_reloads_and_a_broken_template_shows_its_error_over_the_last_good_site(served):
    project, site = served
    events = site.listen()
    seed = project / "seeds" / "002_e05194bb93bbc408.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("OpenAI wants to be a star", "OpenAI wants to be a rock star"),
                    encoding="utf-8")
    wait_for(lambda: b"rock star" in site.get(TOPIC)[1], "the edit in the served page")
    assert events.get(timeout=WAIT)[0] == "reload"

    template = project / "themes" / "default" / "templates" / "topic.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good + "\n{% if %}\n", encoding="utf-8")
    event, data = events.get(timeout=WAIT)
    assert event == "build-error" and "topic.html" in data and "template error" in data
    status, page = site.get(TOPIC)
    assert status == 200 and b"rock star" in page  # the last good site, still served
    late = site.listen()
    assert late.get(timeout=WAIT)[0] == "build-error"  # a page opened now shows the error too

    template.write_text(good, encoding="utf-8")
    assert events.get(timeout=WAIT)[0] == "reload"


def test_an_edited_sentence_is_served_at_once_as_the_folder_then_holds_it(served):
    project, site = served
    seed = project / "seeds" / "002_e05194bb93bbc408.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace(
        "These discussions are only the latest round", "These talks, says a second source, are only the newest round"),
        encoding="utf-8")
    article = "/articles/openai-wants-to-be-a-star/"
    first = wait_for(lambda: (lambda page: page if b"says a second source" in page else None)(site.get(article)[1]),
                     "the edit in the served article page")
    said = []
    wait_for(lambda: said.append(site.said.get(timeout=WAIT)) or "folder and search index written" in said[-1],
             "the folder written")
    on_disk = (project / "site" / "articles" / "openai-wants-to-be-a-star" / "index.html").read_bytes()
    assert first == with_script(on_disk)  # the first page served with the edit (a preview or not) is the folder's
    assert not any(line.startswith(("no preview", "error")) for line in said)


def search_index_pages(site: Path) -> int:
    """The pages of every shard of the site's search index, added up."""
    total = 0
    for shard in json.loads((site / "pagefind" / "shards.json").read_text())["shards"]:
        entry = json.loads((site / "pagefind" / shard / "pagefind-entry.json").read_text())
        total += sum(language["page_count"] for language in entry["languages"].values())
    return total


def test_serve_build_and_serve_again_each_leave_the_whole_site_with_its_search_index(served):
    project, site = served
    articles = len(list((project / "site" / "articles").glob("*/index.html")))
    assert articles == 5 and search_index_pages(project / "site") == articles
    site.stop()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    built = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert search_index_pages(project / "site") == articles
    again = Served(project)
    try:
        assert search_index_pages(project / "site") == articles
        status, body = again.get("/pagefind/shards.json")
        assert status == 200
        assert again.get(f"/pagefind/{json.loads(body)['shards'][0]}/pagefind-entry.json")[0] == 200
    finally:
        again.stop()


def test_a_broken_internal_link_found_after_the_reload_is_shown_over_the_page(served):
    """serve shows the page first and checks the links after (tests/test_live.py): the page with
    the broken link is served, and the error comes after the reload, in the page as in the terminal."""
    project, site = served
    events = site.listen()
    template = project / "themes" / "default" / "templates" / "about.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% endblock %}", '<a href="/no-such-page/">x</a>{% endblock %}', 1),
                        encoding="utf-8")
    assert events.get(timeout=WAIT)[0] == "reload"
    event, data = events.get(timeout=WAIT)
    assert event == "build-error" and "broken internal link" in data and "/no-such-page/" in data
    assert b"no-such-page" in site.get("/about/")[1]
    assert site.listen().get(timeout=WAIT)[0] == "build-error"  # the reloaded page shows it too
    template.write_text(good, encoding="utf-8")
    assert events.get(timeout=WAIT)[0] == "reload"
    assert b"no-such-page" not in site.get("/about/")[1]


@pytest.mark.browser
def test_search_finds_an_article_on_the_site_as_serve_serves_it(browser, served):
    project, site = served
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{site.port}/search/?q=Benioff")
        hits = page.locator("#search-results li h2 a")
        hits.first.wait_for()
        assert "found for “Benioff”" in page.locator("#search-status").inner_text()
        hits.first.click()
        page.wait_for_url(re.compile(r"/articles/"))
        assert "Benioff" in page.locator("article").inner_text()
    finally:
        context.close()


def test_sigterm_ends_serve_as_ctrl_c_does_and_leaves_no_folder_or_process_behind(served):
    """Stopped right after an edit (its folder step may still run): serve closes the event
    streams, ends its threads and exits with Ctrl-C's status, and the folder is a whole site."""
    project, site = served
    events = site.listen()
    seed = project / "seeds" / "002_e05194bb93bbc408.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("a star", "a film star"), encoding="utf-8")
    assert events.get(timeout=WAIT)[0] == "reload"
    assert site.stop() == 130  # KeyboardInterrupt's status: its finally blocks ran
    assert not [p.name for p in project.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert (project / "site" / ".digest-site").is_file() and (project / "site" / "index.html").is_file()
    assert not processes_naming(project)  # Pagefind, run on a folder of the project, ended too


def processes_naming(folder: Path) -> list[str]:
    """The command lines of running processes that name the folder (Linux's /proc; none elsewhere)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in command:
            found.append(command)
    return found
