"""The site in a real browser (Chromium via Playwright), served with the headers it ships with.

A reader goes home → topic → article → another copy of the story → back; searches for a word
from an article and opens the hit; and never meets a console error, a failed request or a
Content-Security-Policy violation. Full-page screenshots at 375 px and 1280 px, light and dark,
go to test-artifacts/screenshots/ for a person to look at.
"""
from __future__ import annotations

import json
import re

import pytest

from site_tools import ARTIFACTS, playwright_api, serve

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "screenshots"
# Records CSP violations as the page sees them (the init script is injected by the browser, not
# by the page, so the policy does not apply to it).
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


class Watched:
    """A page plus everything that went wrong on it: console errors, page errors, failed requests."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(WATCH_CSP)
        page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("requestfailed", self._failed)

    def _failed(self, request) -> None:
        # A request the browser cancels because the reader navigated on (an icon still loading
        # when a link is followed) is not a failure a reader meets; anything else is.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"request failed: {request.url} {request.failure}")

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__csp || []")

    def assert_clean(self) -> None:
        assert self.problems == []
        assert self.csp_violations() == []


@pytest.fixture()
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = Watched(context.new_page())
    yield page
    context.close()


def h1(page) -> str:
    return page.locator("h1").first.inner_text()


def test_reader_goes_home_topic_article_other_copy_and_back(watched, served):
    page = watched.page
    page.goto(served.url())
    assert h1(page) == "The Altman & Sora Digest"
    watched.assert_clean()

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Sora in Hollywood").click()
    page.wait_for_url(served.url("topics/sora-in-hollywood/"))
    assert h1(page) == "Sora in Hollywood"

    page.locator(".timeline .story-title a").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    article_url, title = page.url, h1(page)
    assert page.locator("article[data-pagefind-body] .article-body p").count() > 0
    assert page.locator("link[rel=alternate][hreflang=fr]").count() == 1

    other = page.locator(".copies a[hreflang=fr]").first
    other.click()
    page.wait_for_url(lambda url: url != article_url and "/articles/" in url)
    assert page.locator("article").get_attribute("lang") == "fr"
    assert page.locator(".badge", has_text="Machine translation").count() == 1

    page.go_back()
    page.wait_for_url(article_url)
    assert h1(page) == title
    watched.assert_clean()


def test_article_links_to_neighbours_in_its_topic(watched, served):
    page = watched.page
    page.goto(served.url("topics/altman-and-her/"))
    titles = page.locator(".timeline .story-title a").all_inner_texts()
    assert len(titles) == 2
    page.get_by_role("link", name=titles[0]).click()
    page.get_by_role("navigation", name="More in Altman and Her").get_by_role("link").click()
    assert h1(page) == titles[1]
    assert page.locator("a[rel=prev]").count() == 1 and page.locator("a[rel=next]").count() == 0
    watched.assert_clean()


def test_search_from_the_header_finds_an_article_and_opens_it(watched, served):
    page = watched.page
    page.goto(served.url("articles/sam-altmans-lawyers-probably-wish-this-video-clip-of-him-raving-about-her-didnt/"))
    page.get_by_role("searchbox", name="Search the articles").fill("Benioff")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Benioff"))
    hits = page.locator("#search-results li h2 a")
    hits.first.wait_for()
    assert "found for “Benioff”" in page.locator("#search-status").inner_text()
    assert page.locator("#search-results mark", has_text=re.compile("Benioff", re.I)).count() >= 1
    hits.first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert "Benioff" in page.locator("article").inner_text()
    watched.assert_clean()


def test_search_works_when_the_site_lives_under_a_sub_path(watched, tmp_path):
    site_gen = serve(tmp_path / "root", sub_path="digest/")
    site = next(site_gen)
    page = watched.page
    page.goto(site.url("archive/"))
    page.get_by_role("searchbox", name="Search the articles").fill("Benioff")
    page.keyboard.press("Enter")
    page.locator("#search-results li h2 a").first.click()
    page.wait_for_url(re.compile(r"/digest/articles/"))
    assert "Benioff" in page.locator("article").inner_text()
    watched.assert_clean()
    site_gen.close()


def test_search_as_you_type_and_a_word_no_article_holds(watched, served):
    page = watched.page
    page.goto(served.url("search/"))
    box = page.get_by_role("searchbox", name="Words to find in the articles")
    box.fill("Johansson")
    page.locator("#search-results li").first.wait_for()
    assert page.locator("#search-results li").count() >= 1
    box.fill("zzxqvw")
    playwright_api().expect(page.locator("#search-status")).to_have_text(re.compile("^Nothing found"))
    assert page.locator("#search-results li").count() == 0
    watched.assert_clean()


@pytest.mark.parametrize("relative", ["archive/", "about/", "no-such-page/"])
def test_other_pages_load_cleanly(watched, served, relative):
    page = watched.page
    response = page.goto(served.url(relative))
    assert response.status == (404 if relative == "no-such-page/" else 200)
    assert page.locator("main h1").count() == 1
    if relative == "no-such-page/":  # the page's own 404 is expected; its assets must still load
        expected = {f"HTTP 404: {served.url(relative)}",
                    "console error: Failed to load resource: the server responded with a status of 404 (Not Found)"}
        watched.problems = [p for p in watched.problems if p not in expected]
    watched.assert_clean()


def test_security_headers_are_served(served, watched):
    response = watched.page.goto(served.url())
    assert "script-src 'self' 'wasm-unsafe-eval'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(watched, served):
    page = watched.page
    page.goto(served.url("topics/altman-and-her/"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_layout_never_scrolls_sideways_at_320_px(browser, served):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for relative in ("", "topics/sora-in-hollywood/", "archive/", "search/?q=Sora",
                     "articles/openai-veut-etre-une-star/"):
        page.goto(served.url(relative))
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, relative
    context.close()


SHOT_PAGES = {"home": "", "topic": "topics/sora-in-hollywood/",
              "article": "articles/openai-veut-etre-une-star/", "archive": "archive/",
              "search": "search/?q=Sora"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots(browser, served_theme, width, scheme):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    theme = "newsletter" if "newsletter" in str(served_theme.folder) else "default"
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    for name, relative in SHOT_PAGES.items():
        page.goto(served_theme.url(relative))
        if name == "search":
            page.locator("#search-results li").first.wait_for()
        path = SCREENSHOTS / f"{theme}-{name}-{width}-{scheme}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
    context.close()


SHARD_QUERIES = ["Sora", "OpenAI", "Altman", "video", "Hollywood studios", "Johansson", "zzxqvw"]


def search_hits(page, base_url: str, query: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The search page's status line and its hits (link, title, excerpt) for one query."""
    page.goto(f"{base_url}search/?q={query}")
    playwright_api().expect(page.locator("#search-status")).to_have_text(re.compile("found for"))
    hits = page.locator("#search-results li").evaluate_all(
        "items => items.map(li => [li.querySelector('h2 a').getAttribute('href'), "
        "li.querySelector('h2 a').textContent, li.querySelector('.search-excerpt').textContent])")
    return page.locator("#search-status").inner_text(), [tuple(hit) for hit in hits]


def test_search_finds_the_same_from_one_index_as_from_shards(watched, served, tmp_path):
    from generator.search import index_site, pagefind_executable
    from generator.server import make_server
    import shutil
    import threading

    results = {}
    for name, per_shard in (("one", 10**6), ("shards", 1)):
        site = tmp_path / name
        shutil.copytree(served.folder, site, ignore=shutil.ignore_patterns("pagefind"))
        index_site(site, language="en", executable=pagefind_executable(), per_shard=per_shard)
        shards = len(json.loads((site / "pagefind" / "shards.json").read_text())["shards"])
        assert shards == 1 if name == "one" else shards >= 3
        server = make_server(site, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            results[name] = {query: search_hits(watched.page, base, query) for query in SHARD_QUERIES}
        finally:
            server.shutdown()
            server.server_close()
    assert sum(len(hits) for _, hits in results["one"].values()) >= 10
    for query in SHARD_QUERIES:
        (status_one, one), (status_shards, shards) = results["one"][query], results["shards"][query]
        assert status_one == status_shards
        # The same hits with the same excerpts; their order follows Pagefind's per-bundle scores.
        assert sorted(one) == sorted(shards), query
    watched.assert_clean()
