"""The built site against outside checkers: the Nu HTML Checker, axe-core, feedparser and `check`.

Every page of the seeds build validates with zero errors in vnu (the W3C's Nu HTML Checker);
every page type has no serious or critical axe-core violation, in light and in dark; the feeds
parse cleanly; ``python -m generator check`` passes on the build and fails, with a list, on a
site with a broken link planted in it.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from render_helpers import is_email
from site_tools import AXE, ROOT, VNU, java, require

AXE_PAGES = {"home": "", "topic": "topics/sora-in-hollywood/", "article": "articles/openai-wants-to-be-a-star/",
             "translation": "articles/openai-veut-etre-une-star/", "archive": "archive/",
             "search": "search/?q=Sora", "about": "about/", "not found": "404.html",
             "edition": "editions/2024-W21/", "editions": "editions/"}
SERIOUS = {"serious", "critical"}


def html_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


@pytest.mark.quality
def test_nu_html_checker_finds_no_error_on_any_page_of_either_theme(served, served_newsletter):
    require(VNU, "vnu-jar (npm ci)")
    require(java(), "Java")
    pages = html_files(served.folder) + html_files(served_newsletter.folder)
    result = subprocess.run([java(), "-jar", str(VNU), "--errors-only", "--format", "json",
                             *map(str, pages)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages] == []
    assert len(pages) >= 24


@pytest.mark.quality
@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_page_type(browser, served_theme, scheme):
    require(AXE, "axe-core (npm ci)")
    # axe is injected as a script: only this context bypasses the CSP, and only to run axe.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for name, relative in AXE_PAGES.items():
        page.goto(served_theme.url(relative))
        if name == "search":
            page.locator("#search-results li").first.wait_for()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                   for v in result["violations"] if v["impact"] in SERIOUS]
        if serious:
            found[name] = serious
    context.close()
    assert found == {}


PAGE_BUDGET = 50 * 1024


def page_weight(site: Path, page: Path) -> int:
    """Bytes a first visit loads before images: the HTML, its stylesheets and its scripts."""
    html = page.read_text()
    assets = re.findall(r'<link rel="stylesheet" href="/([^"]+)"|<script[^>]* src="/([^"]+)"', html)
    return len(html.encode()) + sum((site / (css or js)).stat().st_size for css, js in assets)


def test_every_page_weighs_under_50_kb_with_its_css_and_js(served, served_newsletter):
    for site in (served.folder, served_newsletter.folder):
        pages = (p.relative_to(site).as_posix() for p in html_files(site))
        weights = {p: page_weight(site, site / p) for p in pages if not is_email(p)}  # an email has no assets
        assert {p: w for p, w in weights.items() if w > PAGE_BUDGET} == {}
        assert min(weights.values()) > 5000  # the stylesheet was found and counted


def test_feeds_parse_cleanly_and_follow_the_rules(served):
    feeds = sorted(p for p in served.folder.rglob("*") if p.name in ("rss.xml", "atom.xml"))
    assert len(feeds) == 6
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries
        text = path.read_text()
        assert 'rel="self"' in text
        if path.name == "rss.xml":
            assert text.count('<guid isPermaLink="false">') == len(parsed.entries)


def run_check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_check_passes_on_the_build(served):
    result = run_check(served.folder)
    assert result.returncode == 0, result.stderr
    assert "0 problem(s)" in result.stdout


def test_check_lists_every_broken_link_anchor_and_asset(served, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(served.folder, site)
    about = site / "about" / "index.html"
    about.write_text(about.read_text().replace(
        "</main>", '<p><a href="/no-such-page/">gone</a> <a href="/archive/#m-1999-01">old</a> '
                   '<img src="/static/missing.png" alt="x"></p></main>'))
    (site / "static" / "style.css").unlink()
    result = run_check(site)
    assert result.returncode == 1
    problems = result.stderr
    assert "about/index.html: <a> '/no-such-page/': no such file in the site" in problems
    assert "no element with id 'm-1999-01' in archive/index.html" in problems
    assert "<img> '/static/missing.png': no such file" in problems
    assert problems.count("'/static/style.css': no such file") >= 10  # every page names it
    assert "problem(s)" in problems


def test_link_check_resolves_each_link_against_its_own_page():
    # Relative links are resolved per folder and fragments per page: "#top" on one page must
    # not borrow an id from the folder's index page, nor "b.html" from another folder.
    from generator.check import link_problems

    files = {"index.html": b'<html><body><a href="#top">x</a> <a href="a/">a</a> <a href="b.html">b</a></body></html>',
             "a/index.html": b'<html><body id="top"><a href="#top">x</a> <a href="b.html#nope">b</a>'
                             b' <a href="../">up</a></body></html>',
             "a/b.html": b'<html><body><a href="#missing">m</a> <a href="">self</a></body></html>'}
    assert sorted(link_problems(files, "https://x.example/")) == [
        "a/b.html: <a> '#missing': no element with id 'missing' in a/b.html",
        "a/index.html: <a> 'b.html#nope': no element with id 'nope' in a/b.html",
        "index.html: <a> '#top': no element with id 'top' in index.html",
        "index.html: <a> 'b.html': no such file in the site",
    ]


def test_check_reports_invalid_html_and_broken_feed_rules(served, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(served.folder, site)
    archive = site / "archive" / "index.html"
    archive.write_text(archive.read_text().replace("<h1>Archive</h1>", "<h1>Archive</h2><h1>Twice</h1>"))
    rss = site / "rss.xml"
    rss.write_text(rss.read_text().replace('<guid isPermaLink="false">', "<guid>", 1))
    feed = json.loads((site / "feed.json").read_text())
    del feed["items"][0]["id"]
    (site / "feed.json").write_text(json.dumps(feed))
    problems = run_check(site).stderr
    assert re.search(r"archive/index\.html:\d+:\d+: End tag \(h2\) seen too early", problems)
    assert "2 <h1> elements, want exactly one" in problems
    assert "rss.xml: <guid> 'urn:uuid:" in problems and 'isPermaLink="false"' in problems
    assert "feed.json: item 1 has no string id" in problems
