"""Slugs and URLs: stable, unique, safe, and right under a sub-path."""
from __future__ import annotations

from generator.render.urls import Urls, assign_slugs, output_file, slug_of
from render_helpers import article, site_config


def test_slug_is_safe_and_never_empty():
    assert slug_of("Sam Altman sums up GPT-4o launch in one word: her") == \
        "sam-altman-sums-up-gpt-4o-launch-in-one-word-her"
    for hostile in ("", "...", "..", "/", "../../etc/passwd", "\\..\\", "\x00"):
        slug = slug_of(hostile)
        assert slug and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") and slug not in (".", "..")
    assert len(slug_of("word " * 100)) <= 80


def test_colliding_slugs_are_numbered_in_source_order_whatever_the_input_order():
    a = article("a.txt", "Same title")
    b = article("b.txt", "Same title")
    c = article("c.txt", "Same title 2")
    d = article("d.txt", "Same title")
    expected = {a.key: "same-title", b.key: "same-title-2", c.key: "same-title-2-2", d.key: "same-title-3"}
    assert assign_slugs([a, b, c, d]) == expected
    assert assign_slugs([d, c, b, a]) == expected


def test_items_of_one_file_get_their_own_slugs():
    first = article("feed.rss", "Title", item="https://x.example/1")
    second = article("feed.rss", "Title", item="https://x.example/2")
    assert assign_slugs([second, first]) == {first.key: "title", second.key: "title-2"}


def test_pages_are_folders():
    assert output_file("") == "index.html"
    assert output_file("articles/x/") == "articles/x/index.html"
    assert output_file("feed.json") == "feed.json"


def test_links_follow_the_base_url():
    one = article("a.txt", "A title")
    root = Urls.for_site(site_config(), [one])
    sub = Urls.for_site(site_config("https://example.org/digest"), [one])
    assert root.link(root.article_page(one)) == "/articles/a-title/"
    assert sub.link(sub.article_page(one)) == "/digest/articles/a-title/"
    assert sub.absolute("feed.json") == "https://example.org/digest/feed.json"
    assert sub.absolutize("/digest/articles/a-title/") == "https://example.org/digest/articles/a-title/"
    assert sub.absolutize("https://other.example/") == "https://other.example/"
    assert sub.absolutize("//other.example/x") == "//other.example/x"
