"""A feed file cut into its head, items and tail, and joined back: the same bytes as one render."""
from __future__ import annotations

import pytest

from generator.model import Block, Copy, PartialDate, Story
from generator.render import published_stories
from generator.render.feed_parts import feed_head, item_fragment, join_feed, split_feed
from generator.render.feeds import FORMATS, feed_items, newest, render_feed, site_feed_spec
from generator.render.urls import Urls
from generator.render.views import Bodies
from render_helpers import HOSTILE_HTML, HOSTILE_TITLE, article, sample_stories, site_config

NAMES = [name for name, _, _ in FORMATS]


def awkward_stories() -> list[Story]:
    """Items whose text looks like the lines that cut a feed: braces four spaces in, closing
    tags at the start of a line, newlines in strings, markup in titles."""
    tricky = (Block("p", 'Line one\n    },\n    {\n  </entry>\n    </item>\n', ""),
              Block("p", "x", HOSTILE_HTML))
    odd = article("odd.txt", HOSTILE_TITLE + "\n    }", date=PartialDate(2023, 1, 2), blocks=tricky,
                  summary="  <entry>\n</feed>\n")
    plain = article("plain.md", "Ein Titel über Dächer", language="de", date=None, author=None)
    return [Story("s-odd", (Copy(odd, "original"),), topic="sora-in-hollywood"),
            Story("s-plain", (Copy(plain, "original"),), topic="sora-in-hollywood")]


@pytest.fixture(scope="module")
def setting():
    config = site_config()
    stories = published_stories(config, sample_stories() + awkward_stories())
    urls = Urls.for_site(config, (c.article for s in stories for c in s.copies))
    items = tuple(feed_items(stories, config, urls, Bodies(stories)))
    return config, Urls(urls.base_url, urls.base_path), items


@pytest.mark.parametrize("name", NAMES)
def test_a_feed_split_and_joined_is_the_same_bytes(setting, name):
    config, base, items = setting
    content = render_feed(name, site_feed_spec(config), items, config, base)
    head, fragments, tail = split_feed(name, content)
    assert len(fragments) == len(items)
    assert join_feed(name, head, fragments, tail) == content


@pytest.mark.parametrize("name", NAMES)
def test_a_feed_made_of_items_rendered_one_by_one_is_the_feed(setting, name):
    config, base, items = setting
    spec = site_feed_spec(config)
    updated = newest(i.date for i in items)
    head, tail = feed_head(name, spec, config, base, updated)
    fragments = [item_fragment(name, spec, item, config, base, updated) for item in items]
    assert join_feed(name, head, fragments, tail) == render_feed(name, spec, items, config, base)


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_feed_splits_into_head_and_tail(setting, name):
    config, base, _ = setting
    content = render_feed(name, site_feed_spec(config), (), config, base)
    head, fragments, tail = split_feed(name, content)
    assert fragments == [] and join_feed(name, head, [], tail) == content


@pytest.mark.parametrize("name", NAMES)
def test_a_file_in_another_form_is_not_cut(name):
    assert split_feed(name, b"<html>not a feed</html>\n") is None
