"""Page memo: a page is rendered again exactly when something its templates read has changed."""
from __future__ import annotations

from dataclasses import dataclass

import jinja2
import pytest
from markupsafe import Markup

from generator.cache import file_hash
from generator.model import PartialDate
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


# Keys from what the template reads, however deep, and from what a deferred value is made of.


@dataclass(frozen=True)
class When:
    iso: str
    text: str


@dataclass(frozen=True)
class Copy:
    title: str
    summary: str
    date: When | None


@dataclass(frozen=True)
class Story:
    primary: Copy
    others: tuple


DEEP = {"story.html": "{{ story.primary.title }} {% if story.primary.date %}{{ story.primary.date.text }}{% endif %}"
                      " {{ story.others[0].title }}"}


def rendered_again(tmp_path, template: str, first: dict, second: dict, templates: dict) -> bool:
    environment = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
    before = PageMemo("salt", {}, {}, tmp_path)
    content = before.render(environment, template, first)
    (tmp_path / "old.html").write_bytes(content)
    after = PageMemo("salt", before.pages, {file_hash(content): "old.html"}, tmp_path)
    from generator.render.deferred import made
    expected = environment.get_template(template).render(made(second)).encode()
    assert after.render(environment, template, second) == expected
    return after.rendered == 1


def deep_story(date=When("2024-05-01", "1 May 2024"), summary="s", other="Other") -> dict:
    return {"story": Story(Copy("T", summary, date), (Copy(other, "x", None),))}


@pytest.mark.parametrize("second, again", [
    (deep_story(), False),
    (deep_story(summary="a summary no template shows"), False),
    (deep_story(date=When("2024-05-01", "May 2024")), True),  # a field three records deep
    (deep_story(date=None), True),  # a chain that now stops at None
    (deep_story(other="Another"), True),  # read through an item lookup
])
def test_a_field_deep_inside_a_story_renders_the_page_again_only_if_the_template_reads_it(tmp_path, second, again):
    assert rendered_again(tmp_path, "story.html", deep_story(), second, DEEP) is again


def heading(title: str, site: str) -> str:
    calls.append(title)
    return f"{title} — {site}"


calls: list[str] = []
HEAD = {"head.html": "<title>{{ head }}</title>{{ copy.title }}"}


def test_a_deferred_value_is_keyed_by_its_inputs_and_made_only_for_a_page_rendered(tmp_path):
    from generator.render.deferred import Deferred

    def page(title: str, site: str = "Site") -> dict:
        return {"head": Deferred(heading, (title, site)), "copy": Copy(title, "", None)}
    calls.clear()
    assert rendered_again(tmp_path, "head.html", page("A"), page("A"), HEAD) is False
    assert calls == ["A", "A"]  # the first build and the expected text: never the memo's reuse
    calls.clear()
    assert rendered_again(tmp_path, "head.html", page("A"), page("A", site="Other site"), HEAD) is True


def test_a_deferred_lambda_cannot_be_named_so_its_page_is_always_rendered(tmp_path):
    from generator.render.deferred import Deferred

    def page() -> dict:
        return {"head": Deferred(lambda: "x", ()), "copy": Copy("A", "", None)}
    assert rendered_again(tmp_path, "head.html", page(), page(), HEAD) is True


def test_records_of_plain_fields_and_of_nested_ones_give_texts_that_tell_values_apart():
    texts = {Encoder().text(v) for v in (When("a", "b"), When("a", "c"), When("ab", ""), Copy("a", "b", None),
                                         Copy("a", "b", When("a", "b")), Copy("a", "b", When("a", "c")))}
    assert len(texts) == 6


def test_a_field_holding_a_record_and_one_holding_that_records_text_as_a_string_differ():
    encoder = Encoder()
    inner = When("2024", "2024")
    assert encoder.text(Copy("a", "b", inner)) != encoder.text(Copy("a", "b", encoder.text(inner)))


def test_a_feed_whose_items_did_not_change_is_handed_back_and_one_whose_items_did_is_made_again(tmp_path):
    from dataclasses import replace

    from generator.memo import Kept
    from generator.render import render_site
    from render_helpers import sample_stories

    config = site_config()
    first, first_files = _rendered_into(tmp_path, config)
    stories = sample_stories()
    her = stories[0]  # the one story of the topic "altman-and-her"
    stories[0] = replace(her, copies=(replace(her.copies[0], article=replace(her.primary.article, summary="New.")),
                                      *her.copies[1:]))
    second_files: dict = {}
    second = PageMemo("salt", first.pages, {file_hash(c): p for p, c in first_files.items()}, tmp_path,
                      trust=lambda source, digest: True)
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

    from generator.memo import Kept
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
    second = PageMemo("salt", first.pages, {file_hash(c): p for p, c in first_files.items()}, tmp_path,
                      carried=first.carry)
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
    memo = PageMemo("salt", {}, {}, folder)
    render_site(config, sample_stories(), memo=memo, sink=files.__setitem__)
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)
    return memo, files
