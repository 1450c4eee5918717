"""The rendered site as a reader meets it: pages, titles, article bodies, links, determinism."""
from __future__ import annotations

import json
import re

import pytest

from generator.render import render_site
from render_helpers import (article_pages, broken_links, is_email, sample_stories, site_config, visible_text)

BOILERPLATE = ("Share", "Subscribe", "Sign up", "Newsletter", "Advertisement", "Comments",
               "About the author", "Read more", "Related", "All rights reserved", "Listen")


@pytest.fixture(scope="module")
def files():
    return render_site(site_config(), sample_stories())


def title_of(html: bytes) -> str:
    return re.search(r"<title>(.*?)</title>", html.decode(), re.S).group(1)


def test_every_page_of_the_site_is_rendered(files):
    for path in ("index.html", "about/index.html", "404.html", "topics/altman-and-her/index.html",
                 "topics/sora-in-hollywood/index.html", "sitemap.xml", "robots.txt", "static/style.css",
                 "feed.json", "rss.xml", "atom.xml", "topics/altman-and-her/feed.json"):
        assert path in files, path
    assert len(article_pages(files)) == 6  # every copy of every on-topic story


def test_off_topic_story_is_not_published(files):
    assert not any(b"Spain win the final" in content for content in files.values())


def test_page_titles_are_unique_and_name_the_site(files):
    titles = [title_of(c) for p, c in files.items() if p.endswith(".html")]
    assert len(titles) == len(set(titles))
    assert all("The Altman &amp; Sora Digest" in t for t in titles)


def test_article_page_holds_the_body_in_one_article_element(files):
    page = files["articles/tyler-perry-puts-800-million-studio-expansion-on-hold/index.html"].decode()
    regions = re.findall(r"<article\b.*?</article>", page, re.S)
    assert len(regions) == 1
    body = regions[0]
    assert "<h1>Tyler Perry puts $800 million studio expansion on hold</h1>" in body
    assert "<em>one word</em>" in body
    assert "<ul>\n<li>First point</li>\n<li>Second point</li>\n</ul>" in body
    assert "<blockquote><p>It feels like AI from the movies.</p></blockquote>" in body
    assert 'href="https://example.com/demo" rel="noopener noreferrer nofollow"' in body


def test_article_page_states_what_is_known_and_what_is_not(files):
    fr = visible_text(files["articles/tyler-perry-met-en-pause-lagrandissement-de-son-studio/index.html"])
    assert "Unknown author" in fr
    assert "Le Fil Numérique" in fr
    assert "French" in fr
    assert "Machine translation" in fr
    assert "Published 23 February 2024 (from its story)" in fr
    assert "Peachtree Ledger" in fr  # the story's other copy
    agencies = visible_text(files["articles/agencies-pull-clients-from-sora/index.html"])
    assert "Unknown outlet" in agencies and "Published October 2025" in agencies
    assert "Originally published by Variety" in agencies
    undated = visible_text(files["articles/an-undated-note-about-sora-and-studios/index.html"])
    assert "Date unknown" in undated


def test_article_page_links_to_its_original_topic_and_other_copies(files):
    page = files["articles/why-gpt-4o-has-everyone-talking-about-the-film-her-again-2/index.html"].decode()
    assert '<a href="https://reelsignal.example/her/" hreflang="en" rel="noopener noreferrer nofollow">' in page
    assert 'href="/topics/altman-and-her/"' in page
    assert 'href="/articles/why-gpt-4o-has-everyone-talking-about-the-film-her-again/"' in page


def test_article_pages_carry_no_boilerplate_phrases_or_date_labels(files):
    for path, content in article_pages(files).items():
        text = visible_text(content)
        for phrase in BOILERPLATE:
            assert phrase.lower() not in text.lower(), (path, phrase)
        assert not re.search(r"\bDate\s*:?\s*\d", text), path


def test_dates_are_human_and_machine_readable(files):
    page = files["topics/sora-in-hollywood/index.html"].decode()
    assert '<time datetime="2025-10">October 2025</time>' in page
    assert '<time datetime="2024-02-23">23 February 2024</time>' in page


def test_topic_timeline_is_newest_first_with_undated_last(files):
    page = visible_text(files["topics/sora-in-hollywood/index.html"])
    order = [page.index(t) for t in ("Agencies pull clients", "Tyler Perry puts", "An undated note")]
    assert order == sorted(order)
    assert "Also covered by" in page and "translation" in page


def test_about_page_uses_the_markdown_heading_once(files):
    page = files["about/index.html"].decode()
    assert page.count("About this digest") == 4  # <title>, og:title, twitter:title, <h1>
    assert "<h1>About this digest</h1>" in page
    assert title_of(files["about/index.html"].replace(b"&amp;", b"&")).startswith("About this digest — ")


def test_every_page_has_the_head_a_reader_and_crawler_need(files):
    for path, content in files.items():
        if not path.endswith(".html") or is_email(path):
            continue
        page = content.decode()
        assert page.startswith("<!doctype html>\n<html lang=\"en\">")
        for needle in ('<meta name="description"', '<link rel="canonical" href="https://',
                       'property="og:title"', 'property="og:type"', 'property="og:url"',
                       'property="og:description"', 'type="application/feed+json"',
                       'type="application/rss+xml"', 'type="application/atom+xml"',
                       '<main id="main"', 'href="#main"'):
            assert needle in page, (path, needle)


def test_pages_have_no_inline_code_or_styles(files):
    structured = 0
    for path, content in files.items():
        if path.endswith(".html") and not is_email(path):  # an email's styles are inline: all mail keeps
            page = content.decode()
            assert "<style" not in page and " style=" not in page, path
            for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S):
                if "src=" in attributes:
                    assert body == "", path  # an external script holds nothing of its own
                else:  # the only inline script is structured data: it parses as JSON, so runs nothing
                    assert attributes == ' type="application/ld+json"', path
                    assert isinstance(json.loads(body), dict), path
                    structured += 1
            assert page.count("<script") == len(re.findall(r"<script\b[^>]*>.*?</script>", page, re.S)), path
    assert structured > 0  # the pages do carry their structured data, and it was checked


def test_topic_pages_list_their_own_feeds(files):
    page = files["topics/altman-and-her/index.html"].decode()
    assert 'href="/topics/altman-and-her/feed.json"' in page


@pytest.mark.parametrize("base_url", [None, "https://example.org/digest/"])
def test_every_internal_link_resolves(base_url):
    config = site_config(base_url)
    files = render_site(config, sample_stories())
    assert broken_links(files, config.base_url) == []
    if base_url:
        index = files["index.html"].decode()
        assert 'href="/digest/static/style.css"' in index and 'href="/topics/' not in index


def test_two_renders_give_identical_bytes():
    assert render_site(site_config(), sample_stories()) == render_site(site_config(), sample_stories())
    assert render_site(site_config(), sample_stories()) == render_site(site_config(), sample_stories()[::-1])


def test_sitemap_and_robots(files):
    sitemap = files["sitemap.xml"].decode()
    assert "<loc>https://altman-sora-digest.netlify.app/</loc><lastmod>2025-10</lastmod>" in sitemap
    assert "404" not in sitemap
    # home, archive, about, topics, articles, the editions page and the two weeks dated to the day
    assert sitemap.count("<url>") == 1 + 1 + 1 + 2 + 6 + 1 + 2
    assert "/email.html" not in sitemap  # the email is the edition's page again, for mail tools
    assert "/search/" not in sitemap  # a page of results is not a page to list
    assert "Sitemap: https://altman-sora-digest.netlify.app/sitemap.xml" in files["robots.txt"].decode()
