"""The render's memo: what a template reads, and a made file handed back exactly when its inputs are the same."""
from __future__ import annotations

from dataclasses import dataclass

import jinja2
import pytest

from generator.cache import file_hash
from generator.model import PartialDate
from generator.memo import Kept, PageMemo, template_reads
from generator.render.theme import environment, theme_layers
from render_helpers import site_config


@dataclass(frozen=True)
class Item:
    title: str
    body: str


@dataclass(frozen=True)
class Topic:
    title: str
    stories: tuple


TEMPLATES = {
    "page.html": '{% extends "base.html" %}{% block main %}{{ item.title }}{% endblock %}',
    "base.html": "<title>{{ topic.title }}</title>{% block main %}{% endblock %}",
    "listing.html": "{% for s in topic.stories %}{{ s }}{% endfor %}",
    "dynamic.html": "{% include name %}",
}


def env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True)


def context(title="A", body="body", topic_title="T", stories=(1, 2)) -> dict:
    return {"item": Item(title, body), "topic": Topic(topic_title, stories)}


def test_an_article_page_reads_its_topic_title_and_link_not_every_story():
    config = site_config()
    paths, _ = template_reads(environment(config, theme_layers(config)), "article.html")
    assert {("topic", "link"), ("topic", "title"), ("copy", "title"), ("page", "title"), ("body",)} <= paths
    assert ("topic",) not in paths and ("topic", "stories") not in paths


def test_reads_follow_extends_and_a_template_named_by_a_variable_reads_everything():
    paths, _ = template_reads(env(), "page.html")
    assert paths >= {("item", "title"), ("topic", "title")} and ("item", "body") not in paths
    assert template_reads(env(), "listing.html")[0] >= {("topic", "stories")}
    assert template_reads(env(), "dynamic.html")[0] is None


def made_twice(tmp_path, first: tuple, second: tuple, edit=None) -> tuple[PageMemo, object, list]:
    """A file made through one memo and left in ``tmp_path``, then asked for again through the
    next build's memo with ``second`` as its parts: that memo, what it gave, what was made."""
    calls = []

    def make(text: bytes):
        return lambda: calls.append(text) or text
    before = PageMemo("salt", {}, tmp_path)
    content = before.made_file("feed.json", first, make(b"first"))
    (tmp_path / "feed.json").write_bytes(edit or content)
    after = PageMemo("salt", before.pages, tmp_path)
    return after, after.made_file("feed.json", second, make(b"second")), calls


def test_a_made_file_is_handed_back_when_its_parts_are_the_same(tmp_path):
    _, content, calls = made_twice(tmp_path, ("a", "b"), ("a", "b"))
    assert content == b"first" and calls == [b"first"]


@pytest.mark.parametrize("second", [("a", "c"), ("ab",), ("a", "b", "")])
def test_a_made_file_is_made_again_when_a_part_differs(tmp_path, second):
    _, content, calls = made_twice(tmp_path, ("a", "b"), second)
    assert content == b"second" and calls == [b"first", b"second"]


def test_a_changed_old_file_is_never_handed_back(tmp_path):
    _, content, _ = made_twice(tmp_path, ("a",), ("a",), edit=b"edited by hand")
    assert content == b"second"


def test_an_old_file_the_write_stage_vouches_for_is_handed_on_unread(tmp_path):
    before = PageMemo("salt", {}, tmp_path)
    before.made_file("feed.json", ("a",), lambda: b"x")
    after = PageMemo("salt", before.pages, tmp_path, trust=lambda path, digest: path == "feed.json")
    assert isinstance(after.made_file("feed.json", ("a",), lambda: b"y"), Kept)


def test_what_a_template_reads_is_carried_and_a_changed_source_is_parsed_again(tmp_path, monkeypatch):
    from generator import memo as memo_module

    first = PageMemo("salt", {}, tmp_path)
    expected = template_reads(env(), "page.html", first)
    parsed = []
    real = memo_module._facts
    monkeypatch.setattr(memo_module, "_FACTS", {})  # a new process: nothing parsed yet
    monkeypatch.setattr(memo_module, "_facts", lambda e, name, source: parsed.append(name) or real(e, name, source))
    second = PageMemo("salt", {}, tmp_path, carried=first.carry)
    assert template_reads(env(), "page.html", second) == expected and parsed == []
    changed = jinja2.Environment(loader=jinja2.DictLoader({**TEMPLATES, "page.html": "{{ item.body }}"}))
    paths, _ = template_reads(changed, "page.html", PageMemo("salt", {}, tmp_path, carried=second.carry))
    assert parsed == ["page.html"] and paths == {("item", "body")}


def test_a_feed_whose_items_did_not_change_is_handed_back_and_one_whose_items_did_is_made_again(tmp_path):
    from dataclasses import replace

    from generator.render import render_site
    from render_helpers import sample_stories

    config = site_config()
    first, first_files = _rendered_into(tmp_path, config)
    stories = sample_stories()
    her = stories[0]  # the one story of the topic "altman-and-her"
    stories[0] = replace(her, copies=(replace(her.copies[0], article=replace(her.primary.article, summary="New.")),
                                      *her.copies[1:]))
    second_files: dict = {}
    second = PageMemo("salt", first.pages, tmp_path, trust=lambda source, digest: True)
    render_site(config, stories, memo=second, sink=second_files.__setitem__)
    kept = {path for path, content in second_files.items() if isinstance(content, Kept)}
    feeds = {path for path in second_files if path.endswith(("feed.json", "rss.xml", "atom.xml"))}
    assert feeds & kept == {"topics/sora-in-hollywood/feed.json", "topics/sora-in-hollywood/rss.xml",
                            "topics/sora-in-hollywood/atom.xml"}
    assert {p: c for p, c in second_files.items() if p not in kept} == \
        {p: c for p, c in render_site(config, stories).items() if p not in kept}


@pytest.mark.parametrize("change, not_made", [
    ({"title": "Tyler Perry’s studio: the expansion waits"}, {"s-her", "s-agencies", "s-undated"}),
    # the newest story now: the feeds' time moves, which an undated Atom entry shows as its own
    # (a feed with more new items than old is rendered whole: here the topic's)
    ({"date": PartialDate(2026, 1, 5)}, {"s-her"}),
])
def test_a_changed_feed_is_the_last_one_with_only_the_changed_item_made_again(tmp_path, monkeypatch, change, not_made):
    from dataclasses import replace

    from generator.render import feed_files, render_site
    from render_helpers import sample_stories

    config = site_config()
    first, first_files = _rendered_into(tmp_path, config)
    stories = sample_stories()
    perry = next(n for n, s in enumerate(stories) if s.id == "s-perry")
    story = stories[perry]
    stories[perry] = replace(story, copies=(replace(story.copies[0], article=replace(story.primary.article, **change)),
                                            *story.copies[1:]))
    clean = render_site(config, stories)
    made = []
    real = feed_files.feed_item
    monkeypatch.setattr(feed_files, "feed_item", lambda story, *rest: made.append(story.id) or real(story, *rest))
    second_files: dict = {}
    second = PageMemo("salt", first.pages, tmp_path, carried=first.carry)
    render_site(config, stories, memo=second, sink=second_files.__setitem__)
    feeds = [p for p in clean if p.endswith(("feed.json", "rss.xml", "atom.xml"))]
    changed = [p for p in feeds if not isinstance(second_files[p], Kept) and second_files[p] != first_files[p]]
    assert "feed.json" in changed and "atom.xml" in changed  # the site's feeds hold every story
    assert all(second_files[p] == clean[p] for p in changed)
    assert "s-perry" in made and not set(made) & not_made  # the others were the last build's


def _rendered_into(folder, config):
    """The sample stories rendered with a fresh memo, every file written into ``folder`` (the
    last build's site): the memo and the files."""
    from generator.render import render_site
    from render_helpers import sample_stories

    files: dict = {}
    memo = PageMemo("salt", {}, folder)
    render_site(config, sample_stories(), memo=memo, sink=files.__setitem__)
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)
    return memo, files
