"""Page memo: a page is rendered again exactly when something its templates read has changed."""
from __future__ import annotations

from dataclasses import dataclass

import jinja2
import pytest
from markupsafe import Markup

from generator.cache import file_hash
from generator.memo import Encoder, PageMemo, Unhashable, template_reads
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


def render_twice(tmp_path, first: dict, second: dict) -> PageMemo:
    before = PageMemo("salt", {}, {}, tmp_path)
    content = before.render(env(), "page.html", first)
    (tmp_path / "old.html").write_bytes(content)
    after = PageMemo("salt", before.pages, {file_hash(content): "old.html"}, tmp_path)
    assert after.render(env(), "page.html", second) == env().get_template("page.html").render(second).encode()
    return after


def test_a_page_is_reused_when_only_values_it_does_not_read_changed(tmp_path):
    after = render_twice(tmp_path, context(), context(body="other body", stories=(1, 2, 3)))
    assert (after.rendered, after.reused) == (0, 1)


@pytest.mark.parametrize("changed", [{"title": "B"}, {"topic_title": "U"}])
def test_a_page_is_rendered_when_a_value_it_reads_changed(tmp_path, changed):
    after = render_twice(tmp_path, context(), context(**changed))
    assert (after.rendered, after.reused) == (1, 0)


def test_a_changed_old_file_is_never_handed_back(tmp_path):
    before = PageMemo("salt", {}, {}, tmp_path)
    content = before.render(env(), "page.html", context())
    (tmp_path / "old.html").write_bytes(b"edited by hand")
    after = PageMemo("salt", before.pages, {file_hash(content): "old.html"}, tmp_path)
    assert after.render(env(), "page.html", context()) == content and after.rendered == 1


def test_value_texts_are_stable_and_tell_types_apart():
    value = ("a", 1, 2.5, None, True, Markup("<b>x</b>"), Item("t", "b"), frozenset({"x", "y"}))
    assert Encoder().text(value) == Encoder().text(value)
    texts = [Encoder().text(v) for v in (1, 1.0, True, "1", Markup("1"), (1,), [1], frozenset({1}))]
    assert len(set(texts)) == len(texts)
    assert Encoder().text(Item("a", "b")) != Encoder().text(Item("a", "c"))
    assert Encoder().text(("a,b",)) != Encoder().text(("a", "b"))
    with pytest.raises(Unhashable):
        Encoder().text(object())


def render_site_pages(tmp_path, memo: PageMemo, pages: dict[str, tuple[str, dict]]) -> dict[str, str]:
    """Render each page through the memo and leave it in ``tmp_path``; gives each page's hash."""
    hashes = {}
    for name, (template, values) in pages.items():
        content = memo.render(env(), template, values)
        assert content == env().get_template(template).render(values).encode()
        (tmp_path / name).write_bytes(content)
        hashes[name] = file_hash(content)
    return hashes


def site_pages(topic: Topic, titles: dict[str, str]) -> dict[str, tuple[str, dict]]:
    """One page per item and a listing, all sharing one topic object, as the render stage does."""
    pages = {f"{slug}.html": ("page.html", {"item": Item(title, "body"), "topic": topic}) for slug, title in titles.items()}
    return {**pages, "listing.html": ("listing.html", {"topic": topic})}


@pytest.mark.parametrize("change, expected", [
    (lambda topic, titles: (topic, {**titles, "b": "B2"}), ["b.html"]),
    (lambda topic, titles: (Topic(topic.title, (1, 2, 4)), titles), ["listing.html"]),
    (lambda topic, titles: (Topic("U", topic.stories), titles), ["a.html", "b.html", "c.html"]),
    (lambda topic, titles: (Topic(topic.title, topic.stories), titles), []),  # equal values, new objects
])
def test_a_changed_value_renders_again_exactly_the_pages_that_read_it(tmp_path, change, expected):
    topic, titles = Topic("T", tuple(range(1, 4))), {"a": "A", "b": "B", "c": "C"}
    first = PageMemo("salt", {}, {}, tmp_path)
    old = render_site_pages(tmp_path, first, site_pages(topic, titles))
    second = PageMemo("salt", first.pages, {digest: name for name, digest in old.items()}, tmp_path)
    rendered = []
    for name, (template, values) in site_pages(*change(topic, titles)).items():
        before = second.rendered
        assert second.render(env(), template, values) == env().get_template(template).render(values).encode()
        rendered += [name] if second.rendered > before else []
    assert rendered == expected and second.reused == 4 - len(expected)


def test_a_shared_value_is_written_once_per_build_as_a_short_digest():
    encoder = Encoder()
    stories = tuple(Item(f"title {n}", "x" * 1000) for n in range(100))
    text = encoder.text(Topic("T", stories))
    assert len(text) < 100 and encoder.text(Topic("T", stories)) == text  # equal values, equal text
    assert encoder.text(Topic("T", stories[:-1] + (Item("title 99", "y"),))) != text
