"""The feeds as a feed reader and the scorer read them: JSON Feed contract, RSS and Atom validity."""
from __future__ import annotations

import json
import re

import feedparser
import pytest

from generator.render import render_site
from generator.render.feeds import feed_id
from render_helpers import file_for, sample_stories, site_config

SITE = "https://altman-sora-digest.netlify.app/"


@pytest.fixture(scope="module")
def files():
    return render_site(site_config(), sample_stories())


@pytest.fixture(scope="module")
def feed(files):
    return json.loads(files["feed.json"])


def test_json_feed_top_level(feed):
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["home_page_url"] == SITE
    assert feed["feed_url"] == SITE + "feed.json"
    assert feed["language"] == "en"


def test_one_item_per_published_story_newest_first(feed):
    stories = [item["_digest"]["story"] for item in feed["items"]]
    assert stories == ["s-agencies", "s-her", "s-perry", "s-undated"]


def test_item_follows_the_contract(feed, files):
    item = next(i for i in feed["items"] if i["_digest"]["story"] == "s-perry")
    assert item["id"] == feed_id("s-perry") and item["id"].startswith("urn:uuid:")
    assert item["url"] == SITE + "articles/tyler-perry-puts-800-million-studio-expansion-on-hold/"
    assert item["title"] == "Tyler Perry puts $800 million studio expansion on hold"
    assert "<em>one word</em>" in item["content_html"]
    assert item["summary"] == "A short summary of the article."
    assert item["date_published"] == "2024-02-23T00:00:00Z"
    assert item["authors"] == [{"name": "Marcus Hale"}]
    assert item["language"] == "en"
    assert item["tags"] == ["Sora in Hollywood"]
    assert item["_digest"] == {
        "topic": "sora-in-hollywood", "story": "s-perry", "source": "wp-posts-page-2.json",
        "item": "https://peachtreeledger.example/perry/",
        "title": "Tyler Perry puts $800 million studio expansion on hold", "date": "2024-02-23",
        "author": "Marcus Hale", "publisher": "Peachtree Ledger", "language": "en", "relation": "original",
        "coverage": [{
            "source": "perry-studio-fr.txt", "item": None,
            "url": SITE + "articles/tyler-perry-met-en-pause-lagrandissement-de-son-studio/",
            "title": "Tyler Perry met en pause l’agrandissement de son studio",
            "date": None,  # the copy states none; the inherited date is not its own
            "author": None, "publisher": "Le Fil Numérique", "language": "fr", "relation": "translation",
        }],
    }


def test_unknown_dates_and_authors_are_left_out(feed):
    item = next(i for i in feed["items"] if i["_digest"]["story"] == "s-undated")
    assert "date_published" not in item and "authors" not in item
    assert item["_digest"]["date"] is None and item["_digest"]["author"] is None


def test_every_feed_url_lands_on_an_article_page(feed, files):
    urls = [i["url"] for i in feed["items"]] + [c["url"] for i in feed["items"] for c in i["_digest"]["coverage"]]
    for url in urls:
        target = file_for(url, SITE)
        assert target in files and target.startswith("articles/"), url
        assert b"<article" in files[target]


def test_item_ids_do_not_depend_on_the_base_url():
    moved = json.loads(render_site(site_config("https://example.org/digest/"), sample_stories())["feed.json"])
    here = json.loads(render_site(site_config(), sample_stories())["feed.json"])
    assert [i["id"] for i in moved["items"]] == [i["id"] for i in here["items"]]
    assert moved["items"][0]["url"].startswith("https://example.org/digest/articles/")


PREFIXES = ["", "topics/altman-and-her/", "topics/sora-in-hollywood/"]


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_xml_feeds_parse_without_errors(files, prefix, name):
    parsed = feedparser.parse(files[prefix + name])
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries
    assert all(e.id.startswith("urn:uuid:") for e in parsed.entries)
    assert all(e.link.startswith(SITE + "articles/") for e in parsed.entries)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_json_feeds_have_what_json_feed_1_1_requires(files, prefix):
    feed = json.loads(files[prefix + "feed.json"])  # feedparser 6.0 cannot read JSON Feed
    assert {"version", "title", "home_page_url", "feed_url", "items"} <= feed.keys()
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["content_html"] and item["url"].startswith(SITE)
        date = item.get("date_published")
        assert date is None or re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", date)


def test_rss_has_guid_self_link_summary_and_full_content(files):
    rss = files["rss.xml"].decode()
    assert f'<guid isPermaLink="false">{feed_id("s-perry")}</guid>' in rss
    assert f'<atom:link href="{SITE}rss.xml" rel="self" type="application/rss+xml"/>' in rss
    assert f"<link>{SITE}</link>" in rss
    assert "<content:encoded>" in rss and "<description>A short summary" in rss
    assert "<lastBuildDate>Wed, 01 Oct 2025 00:00:00 +0000</lastBuildDate>" in rss


def test_atom_has_self_link_and_an_updated_date_on_every_entry(files):
    atom = files["atom.xml"].decode()
    assert f'<link href="{SITE}atom.xml" rel="self" type="application/atom+xml"/>' in atom
    assert atom.count("<entry>") == atom.count("<updated>") - 1 == 4
    assert "<updated>2025-10-01T00:00:00+00:00</updated>" in atom.split("<entry>")[0]


def test_topic_feeds_hold_only_their_topic(files):
    her = json.loads(files["topics/altman-and-her/feed.json"])
    assert [i["_digest"]["story"] for i in her["items"]] == ["s-her"]
    assert her["feed_url"] == SITE + "topics/altman-and-her/feed.json"
    assert her["home_page_url"] == SITE + "topics/altman-and-her/"


def test_feed_content_has_only_absolute_links(files):
    for name in ("feed.json", "rss.xml", "atom.xml"):
        text = files[name].decode().replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")
        assert not re.search(r'href=(\\?")/', text), name


def test_empty_site_still_gives_valid_feeds_with_a_fixed_date():
    files = render_site(site_config(), [])
    assert json.loads(files["feed.json"])["items"] == []
    assert "<lastBuildDate>Thu, 01 Jan 1970 00:00:00 +0000</lastBuildDate>" in files["rss.xml"].decode()
    assert feedparser.parse(files["atom.xml"]).bozo == 0
