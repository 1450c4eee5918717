"""Hostile titles and markup from a seed never come out of any output file as live markup."""
from __future__ import annotations

import re

import pytest

from generator.model import Block
from generator.render import render_site
from generator.render.text import body_html
from render_helpers import HOSTILE_TITLE, article_pages, hostile_story, sample_stories, site_config

LIVE_MARKUP = ("<script", "onerror=", "onload=", "javascript:", "<img", "<svg", "<iframe")


@pytest.fixture(scope="module")
def files():
    return render_site(site_config(), sample_stories() + [hostile_story()])


def test_no_output_file_holds_live_hostile_markup(files):
    for path, content in files.items():
        if path.endswith(".png"):
            continue  # an image, not text
        text = content.decode("utf-8").lower()
        if path.endswith(".html"):
            # JSON-LD is data, and escaped; the search page loads the theme's own script file.
            text = text.replace('<script type="application/ld+json">', "")
            text = text.replace('<script type="module" src="/static/search.js"></script>', "")
        for needle in LIVE_MARKUP:
            assert needle not in text, (path, needle)


def test_hostile_title_is_shown_as_text(files):
    page = next(c for p, c in article_pages(files).items() if "script" in p).decode()
    assert "<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert HOSTILE_TITLE not in page


def test_json_ld_cannot_close_its_script_element(files):
    page = next(c for p, c in article_pages(files).items() if "script" in p).decode()
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in json_ld and ">" not in json_ld
    assert "\\u003c/script\\u003e" in json_ld


def test_article_body_keeps_text_and_drops_hostile_parts(files):
    page = next(c for p, c in article_pages(files).items() if "script" in p).decode()
    body = re.search(r"<article\b.*?</article>", page, re.S).group(0)
    assert "Before" in body and "after" in body and ">a link</a>" in body


def test_relative_links_resolve_against_the_source_or_are_dropped():
    blocks = (Block("p", "x", 'See <a href="/story/2">this</a> and <a href="#note">that</a>.'),)
    with_source = str(body_html(blocks, "https://news.example/a/b"))
    assert 'href="https://news.example/story/2"' in with_source
    assert 'href="https://news.example/a/b#note"' in with_source
    without = str(body_html(blocks, None))
    assert "href" not in without and ">this</a>" in without


def test_body_allows_only_the_listed_tags():
    blocks = (Block("p", "x", '<span class="c" style="color:red"><b>bold</b> <strong id="s">strong</strong>'
                              ' <font color="red">font</font> <em onclick="x()">em</em></span>'),)
    html = str(body_html(blocks))
    assert html == "<p>bold <strong>strong</strong> font <em>em</em></p>"


def test_original_link_is_only_ever_http():
    stories = sample_stories()
    files = render_site(site_config(), stories)
    for path, content in article_pages(files).items():
        for href in re.findall(rb'href="([^"]+)" rel="noopener', content):
            assert href.startswith((b"https://", b"http://")), (path, href)
