"""The pages a reader and a crawler meet beyond the articles themselves: the archive, search,
hreflang alternates, neighbours in a topic, social tags and JSON-LD, unique descriptions."""
from __future__ import annotations

import json
import re

import pytest

from generator.model import Copy, PartialDate, Story
from generator.render import render_site
from render_helpers import article, is_email, sample_stories, site_config, visible_text

PERRY = "articles/tyler-perry-puts-800-million-studio-expansion-on-hold/index.html"
PERRY_FR = "articles/tyler-perry-met-en-pause-lagrandissement-de-son-studio/index.html"
AGENCIES = "articles/agencies-pull-clients-from-sora/index.html"
BASE = "https://altman-sora-digest.netlify.app/"


@pytest.fixture(scope="module")
def files():
    return render_site(site_config(), sample_stories() + [year_only_story()])


def year_only_story() -> Story:
    note = article("year-only.md", "A Sora retrospective dated only by its year", date=PartialDate(2025),
                   author=None, summary="A look back at a year of Sora in the studios.")
    return Story("s-year", (Copy(note, "original"),), topic="sora-in-hollywood")


def head_values(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page.split("</head>", 1)[0])


def json_ld(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


def test_archive_lists_every_story_by_month_year_only_after_its_months_undated_last(files):
    text = visible_text(files["archive/index.html"])
    headings = re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', files["archive/index.html"].decode())
    assert headings == [("m-2025-10", "October 2025"), ("y-2025", "2025 (month not stated)"),
                        ("m-2024-05", "May 2024"), ("m-2024-02", "February 2024"), ("undated", "Date unknown")]
    for title in ("Agencies pull clients from Sora", "A Sora retrospective", "Tyler Perry puts",
                  "Why GPT-4o has everyone", "An undated note"):
        assert text.count(title) == 1, title  # each story once, by its primary
    assert "Tyler Perry met en pause" not in text
    assert 'href="#m-2024-05"' in files["archive/index.html"].decode()  # the month index


def test_translations_carry_hreflang_alternates_both_ways(files):
    for path in (PERRY, PERRY_FR):
        alternates = head_values(files[path].decode(), r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">')
        assert alternates == [("en", BASE + PERRY[:-len("index.html")]), ("fr", BASE + PERRY_FR[:-len("index.html")])]
    assert '<article class="article" lang="fr"' in files[PERRY_FR].decode()
    assert "hreflang" not in files[AGENCIES].decode().split("</head>")[0]  # one language, none


def test_article_links_to_the_newer_and_older_story_of_its_topic(files):
    page = files[PERRY].decode()  # Sora in Hollywood: agencies (2025-10), year-only (2025), perry, undated
    assert re.search(r'<a href="/articles/a-sora-retrospective-dated-only-by-its-year/" rel="prev">', page)
    assert re.search(r'<a href="/articles/an-undated-note-about-sora-and-studios/" rel="next">', page)
    text = visible_text(files[PERRY])
    assert "← Newer story" in text and "Older story →" in text
    assert "A Sora retrospective" not in text  # neighbours by date and outlet, never by headline
    first = files[AGENCIES].decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first


def test_every_page_has_a_unique_title_and_description(files):
    pages = {p: c.decode() for p, c in files.items() if p.endswith(".html")}
    descriptions = [head_values(c, r'<meta name="description" content="([^"]*)">')[0] for c in pages.values()]
    assert len(set(descriptions)) == len(descriptions)
    assert all(descriptions)


def test_social_tags_and_article_date(files):
    page = files[PERRY].decode()
    for name in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert head_values(page, rf'<meta property="{name}" content="([^"]+)">'), name
    for name in ("twitter:card", "twitter:title", "twitter:description"):
        assert head_values(page, rf'<meta name="{name}" content="([^"]+)">'), name
    assert '<meta property="article:published_time" content="2024-02-23">' in page
    assert "article:published_time" not in files[PERRY_FR].decode()  # its date is only inherited


def test_json_ld_news_article_collection_page_and_website(files):
    article_ld = json_ld(files[PERRY].decode())
    assert article_ld["@type"] == "NewsArticle" and article_ld["datePublished"] == "2024-02-23"
    topic_ld = json_ld(files["topics/sora-in-hollywood/index.html"].decode())
    assert topic_ld["@type"] == "CollectionPage"
    items = topic_ld["mainEntity"]["itemListElement"]
    assert [i["position"] for i in items] == [1, 2, 3, 4]
    assert items[0]["url"] == BASE + "articles/agencies-pull-clients-from-sora/"
    home_ld = json_ld(files["index.html"].decode())
    assert home_ld["@type"] == "WebSite"
    assert home_ld["potentialAction"]["target"] == BASE + "search/?q={query}"


def test_search_page_is_not_indexed_and_loads_only_its_own_script(files):
    page = files["search/index.html"].decode()
    assert '<meta name="robots" content="noindex">' in page
    assert '<script type="module" src="/static/search.js"></script>' in page
    assert 'data-pagefind="/pagefind/pagefind.js"' in page and 'data-base="/"' in page
    assert 'id="site-search-q"' not in page  # its own search form replaces the header's
    assert "search/" not in files["sitemap.xml"].decode()
    assert '<meta name="robots" content="noindex">' in files["404.html"].decode()


def test_every_page_has_a_search_box_in_its_header(files):
    for path, content in files.items():
        if path.endswith(".html") and path != "search/index.html" and not is_email(path):
            assert '<form class="site-search" role="search" action="/search/" method="get">' in content.decode(), path


def test_empty_topic_has_no_json_ld_and_no_script_at_all():
    files = render_site(site_config(), [])
    for path in ("topics/altman-and-her/index.html", "index.html", "archive/index.html"):
        assert "<script" not in files[path].decode(), path


def test_a_story_with_many_copies_lists_a_bounded_number_on_each_page():
    # a wire story forty outlets ran: every copy has its page, but no page names all the others
    copies = [Copy(article(f"wire-{n:02d}.txt", f"Sora reaches the studios, as told by outlet {n}",
                           publisher=f"Outlet {n:02d}", date=PartialDate(2025, 10, 2)),
                   "original" if n == 0 else "syndicated") for n in range(40)]
    files = render_site(site_config(), [Story("s-wire", tuple(copies), topic="sora-in-hollywood")])
    pages = [p for p in files if p.startswith("articles/sora-reaches-the-studios")]
    assert len(pages) == 40
    named = [visible_text(files[p]).count("Outlet ") for p in pages]
    assert max(named) < 20
    assert all("And 27 more copies of this story." in visible_text(files[p]) for p in pages)
    assert "and 27 more" in visible_text(files["topics/sora-in-hollywood/index.html"])
    feed = json.loads(files["feed.json"])
    assert len(feed["items"][0]["_digest"]["coverage"]) == 39  # the feed still lists every copy


def many_stories(count: int) -> list[Story]:
    return [Story(f"s-many-{n:03d}", (Copy(article(f"many-{n:03d}.txt", f"Sora story number {n}",
                                                   date=PartialDate(2024, 1 + n % 12, 1 + n % 28)), "original"),),
                  topic="sora-in-hollywood") for n in range(count)]


def test_a_long_topic_and_the_archive_are_split_into_linked_pages_of_bounded_size():
    from generator.render.paging import STORIES_PER_PAGE
    from render_helpers import broken_links

    count = 2 * STORIES_PER_PAGE + 30
    files = render_site(site_config(), many_stories(count))
    for first in ("topics/sora-in-hollywood/", "archive/"):
        pages = [first + "index.html", first + "page/2/index.html", first + "page/3/index.html"]
        assert all(p in files for p in pages) and first + "page/4/index.html" not in files
        listed = [visible_text(files[p]).count("Sora story number") for p in pages]
        assert max(listed) <= STORIES_PER_PAGE and sum(listed) == count
        assert 'rel="next"' in files[pages[0]].decode() and 'rel="prev"' in files[pages[2]].decode()
        titles = {re.search(r"<title>(.*?)</title>", files[p].decode()).group(1) for p in pages}
        assert len(titles) == 3  # every page its own title
    assert not broken_links(files, BASE)
    assert "archive/page/2/" in files["sitemap.xml"].decode()


def test_a_short_topic_stays_one_page(files):
    assert "topics/sora-in-hollywood/page/2/index.html" not in files
    assert 'class="pager"' not in files["topics/sora-in-hollywood/index.html"].decode()
