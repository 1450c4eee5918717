"""The HTML pages: what each template is given, and the page it renders.

Takes a ``PageContext`` (config, urls, Jinja environment, the site-wide navigation) and the
published stories as ``StoryView`` records; gives ``Page`` records (location, bytes, newest date
shown) for the home page, each topic (a timeline, in pages: paging.py), each article (every copy
of every story, with its other copies and its neighbours in the topic), the archive by month (in
pages), search, About, 404, and the weekly editions with their listing (edition.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

import jinja2
from markupsafe import Markup

from ..config import SiteConfig, Topic
from ..model import PartialDate, Story
from . import seo
from .deferred import Deferred, made
from .feeds import feed_links
from .listing import Listing, Views
from .paging import Pager, paginate
from .text import markdown_html, markdown_with_title
from .theme import render_template
from .units import Units
from .urls import ABOUT, ARCHIVE, EDITIONS, HOME, NOT_FOUND, SEARCH, Urls, topic_page
from .views import MAX_LISTED, ArchiveEntry, CopyView, StoryView, archive_groups

HOME_STORIES_PER_TOPIC = 5
STYLESHEET = "static/style.css"
ICON = "static/icon.png"
SEARCH_SCRIPT = "static/search.js"
PAGEFIND_SCRIPT = "pagefind/pagefind.js"
NOINDEX = "noindex"


@dataclass(frozen=True)
class Page:
    relative: str  # "", "about/", "articles/<slug>/", "404.html"
    content: bytes  # or a memo.Kept: the previous build's bytes, handed on unread
    lastmod: PartialDate | None = None
    in_sitemap: bool = True


@dataclass(frozen=True)
class NavLink:
    slug: str
    title: str
    link: str


@dataclass(frozen=True)
class SiteView:
    """What every page's layout shows: the site's name, navigation and feeds."""

    title: str
    description: str
    language: str
    home: str
    about: str
    archive: str
    search: str
    editions: str
    stylesheet: str
    icon: str
    search_script: str
    pagefind: str  # the search index's script, written by the build's search step
    topics: tuple[NavLink, ...]
    feeds: tuple[seo.FeedLink, ...]


@dataclass(frozen=True)
class TopicView:
    slug: str
    title: str
    description: str
    link: str
    intro: Markup
    stories: Listing  # its views, made when read (listing.py)
    feeds: tuple[seo.FeedLink, ...]


# What of a ``TopicView`` the config alone gives (the memo's salt covers it): an article page
# whose templates read only these of its topic does not depend on the topic's other stories.
TOPIC_HEADER = frozenset({"slug", "title", "description", "link", "intro", "feeds"})


@dataclass(frozen=True)
class PageContext:
    config: SiteConfig
    urls: Urls
    env: jinja2.Environment
    site: SiteView
    memo: object | None = None  # a generator.memo.PageMemo, for incremental builds
    base: Urls | None = None  # ``urls`` without the slugs: what a page's <head> needs of them
    units: Units = field(default_factory=Units)  # pages reused a unit at a time (units.py)

    @classmethod
    def build(cls, config: SiteConfig, urls: Urls, env: jinja2.Environment, memo=None) -> "PageContext":
        site = SiteView(
            title=config.title, description=config.description, language=config.language,
            home=urls.link(HOME), about=urls.link(ABOUT), archive=urls.link(ARCHIVE),
            search=urls.link(SEARCH), editions=urls.link(EDITIONS), stylesheet=urls.link(STYLESHEET), icon=urls.link(ICON),
            search_script=urls.link(SEARCH_SCRIPT), pagefind=urls.link(PAGEFIND_SCRIPT),
            topics=tuple(NavLink(t.slug, t.title, urls.link(topic_page(t.slug))) for t in config.topics),
            feeds=feed_links("", config.title, urls),
        )
        return cls(config, urls, env, site, memo, Urls(urls.base_url, urls.base_path), Units(memo, env))

    def render(self, template: str, page: seo.PageMeta, current_topic: str | None = None, **values) -> bytes:
        context = {"site": self.site, "page": page, "current_topic": current_topic, **values}
        return render_template(self.env, template, made(context))

    def unit(self, templates: tuple[str, ...], parts: Callable[[], tuple[str, ...]],
             make: Callable[[], list[Page]]) -> Iterator[Page]:
        """The pages ``make`` gives, reused as a whole when ``parts`` (the digests of all they show
        beyond the config and the templates: units.py) are the last build's."""
        unit_key = self.units.key(templates, *parts()) if self.units.memo is not None else None
        return self.units.pages(unit_key, make)

    def meta(self, heading: str, description: str, relative: str, feeds=(), **extra) -> seo.PageMeta:
        return seo.page_meta(heading, self.site.title, description or self.site.description, relative,
                             self.urls, (*self.site.feeds, *feeds), **extra)


def topic_view(ctx: PageContext, topic: Topic, stories: Listing) -> TopicView:
    relative = topic_page(topic.slug)
    return TopicView(
        slug=topic.slug, title=topic.title, description=topic.description,
        link=ctx.urls.link(relative), intro=markdown_html(topic.intro_markdown), stories=stories,
        feeds=feed_links(relative, topic.title, ctx.urls),
    )


def every_story(topics: tuple[TopicView, ...]) -> tuple[str, ...]:
    """The key parts of a page that may show any story of any topic: each topic's views' digests."""
    return tuple(f"{t.slug}:{','.join(t.stories.digests)}" for t in topics)


def render_home(ctx: PageContext, topics: tuple[TopicView, ...]) -> Iterator[Page]:
    return ctx.unit(("index.html",), lambda: ("home", *every_story(topics)), lambda: [_home(ctx, topics)])


def _home(ctx: PageContext, topics: tuple[TopicView, ...]) -> Page:
    json_ld = None  # a WebSite whose SearchAction is worth stating once there is something to find
    if any(t.stories for t in topics):
        json_ld = seo.website_json_ld(ctx.site.title, ctx.config.description, ctx.urls.absolute(HOME),
                                      ctx.urls.absolute(SEARCH))
    meta = ctx.meta(ctx.site.title, ctx.config.description, HOME, json_ld=json_ld)
    content = ctx.render("index.html", meta, intro=markdown_html(ctx.config.intro_markdown),
                         topics=topics, per_topic=HOME_STORIES_PER_TOPIC)
    return Page(HOME, content, seo.newest(t.stories.newest() for t in topics))


def render_topic_pages(ctx: PageContext, topic: TopicView) -> Iterator[Page]:
    """The topic's timeline, newest first, ``STORIES_PER_PAGE`` stories a page."""
    first = topic_page(topic.slug)
    for chunk, relative, pager in paginate(topic.stories, first, ctx.urls.link):
        part = replace(topic, stories=chunk)
        yield from ctx.unit(("topic.html",), partial(_chunk_parts, "topic", relative, pager, chunk),
                            partial(_topic_page, ctx, part, relative, pager))


def _chunk_parts(kind: str, relative: str, pager: Pager | None, chunk: Listing) -> tuple[str, ...]:
    return (kind, relative, repr(pager), *chunk.digests)


def _topic_page(ctx: PageContext, topic: TopicView, relative: str, pager: Pager | None) -> list[Page]:
    description = topic.description or f"Every story on {topic.title} in {ctx.site.title}, newest first."
    heading = topic.title
    if pager:
        heading, description = f"{topic.title}, {pager.label}", f"{description} ({pager.label.capitalize()}.)"
    json_ld = None  # a CollectionPage of nothing says nothing
    if topic.stories:
        json_ld = seo.topic_json_ld(heading, description, ctx.urls.absolute(relative), ctx.site.title,
                                    ((s.primary.title, ctx.urls.absolute(s.primary.relative)) for s in topic.stories))
    meta = ctx.meta(heading, description, relative, topic.feeds, json_ld=json_ld)
    content = ctx.render("topic.html", meta, current_topic=topic.slug, topic=topic, pager=pager)
    return [Page(relative, content, topic.stories.newest())]


def render_article_page(ctx: PageContext, story: StoryView, copy: CopyView, body: Markup | Deferred,
                        topic: TopicView, newer: StoryView | None, older: StoryView | None) -> Page:
    # The <head> is made only if the page is rendered (memo.py keys it by what it is made from).
    meta = Deferred(article_meta, (ctx.site, ctx.base, story, copy, topic.feeds))
    others = tuple(c for c in story.copies if c.relative != copy.relative)
    content = ctx.render("article.html", meta, current_topic=topic.slug, copy=copy, body=body, topic=topic,
                         others=others[:MAX_LISTED], more_copies=max(0, len(others) - MAX_LISTED),
                         newer=newer, older=older, note=story.note)
    return Page(copy.relative, content, copy.date.value if copy.date else None)


def article_meta(site: SiteView, urls: Urls, story: StoryView, copy: CopyView,
                 topic_feeds: tuple[seo.FeedLink, ...]) -> seo.PageMeta:
    """An article page's <head>: its canonical URL, JSON-LD, alternates in other languages."""
    canonical = urls.absolute(copy.relative)
    return seo.page_meta(copy.page_title, site.title, copy.description or site.description, copy.relative, urls,
                         (*site.feeds, *topic_feeds), og_type="article",
                         json_ld=seo.article_json_ld(copy, canonical, site.title),
                         alternates=seo.hreflang_alternates(copy, story.copies, urls),
                         published=copy.date.iso if copy.date and not copy.date.inherited else None)


def render_topic_articles(ctx: PageContext, topic: TopicView, bodies) -> Iterator[Page]:
    """Every copy of every story in the topic; each links to the stories before and after its own.
    ``bodies``: a ``views.Bodies`` (each body made only if its page is rendered) or a mapping.
    A story's pages are one unit: its view and its neighbours' (and the whole topic's, if the
    templates read more of the topic than its header)."""
    stories = topic.stories
    # through the memo, a body is made only if its page is rendered; else made once, for the feeds too
    body = bodies.page if ctx.memo is not None and hasattr(bodies, "page") else bodies.__getitem__
    reads = ctx.units.reads("article.html") if ctx.memo is not None else frozenset()
    whole = reads is None or any(p[0] == "topic" and (len(p) == 1 or p[1] not in TOPIC_HEADER) for p in reads)

    def parts(n: int) -> tuple[str, ...]:
        around = (topic.slug, stories.digest_at(n - 1), stories.digest_at(n), stories.digest_at(n + 1))
        return ("article", *around, *(every_story((topic,)) if whole else ()))

    def make(n: int) -> list[Page]:
        story = stories[n]
        newer = stories[n - 1] if n > 0 else None
        older = stories[n + 1] if n + 1 < len(stories) else None
        return [render_article_page(ctx, story, copy, body(copy.key), topic, newer, older) for copy in story.copies]

    takes = ctx.units.takes
    for n in range(len(stories)):
        if takes(n):
            yield from ctx.unit(("article.html",), partial(parts, n), partial(make, n))


def render_archive(ctx: PageContext, topics: tuple[TopicView, ...], order: Sequence[Story]) -> Iterator[Page]:
    """Every story once, newest first, by month, ``STORIES_PER_PAGE`` stories a page. ``order``:
    the topics' stories newest first (``views.newest_first``, the order ``archive_order`` gives)."""
    topic_of = {id(s): t for t in topics for s in t.stories.stories}
    for chunk, relative, pager in paginate(order, ARCHIVE, ctx.urls.link):
        yield from ctx.unit(("archive.html",), partial(_archive_parts, topic_of, relative, pager, chunk),
                            partial(_archive_page, ctx, topic_of, relative, pager, chunk))


def _archive_parts(topic_of: dict, relative: str, pager: Pager | None, chunk) -> tuple[str, ...]:
    return ("archive", relative, repr(pager),
            *(f"{topic_of[id(s)].slug}:{topic_of[id(s)].stories.views.digests[id(s)]}" for s in chunk))


def _archive_page(ctx: PageContext, topic_of: dict, relative: str, pager: Pager | None, chunk) -> list[Page]:
    entries = [ArchiveEntry(topic_of[id(s)].stories.views.of(s), topic_of[id(s)].title, topic_of[id(s)].link)
               for s in chunk]
    heading = f"Archive, {pager.label}" if pager else "Archive"
    description = f"Every story in {ctx.site.title}, month by month, newest first."
    meta = ctx.meta(heading, f"{description} ({pager.label.capitalize()}.)" if pager else description, relative)
    content = ctx.render("archive.html", meta, groups=archive_groups(entries), pager=pager)
    return [Page(relative, content, seo.newest(s.date for s in chunk))]


def render_search(ctx: PageContext) -> Iterator[Page]:
    meta = partial(ctx.meta, "Search", f"Search the articles of {ctx.site.title}.", SEARCH, robots=NOINDEX)
    return ctx.unit(("search.html",), lambda: ("search",),
                    lambda: [Page(SEARCH, ctx.render("search.html", meta()), in_sitemap=False)])


def render_about(ctx: PageContext) -> Iterator[Page]:
    return ctx.unit(("about.html",), lambda: ("about",), lambda: [_about(ctx)])


def _about(ctx: PageContext) -> Page:
    heading, body = markdown_with_title(ctx.config.about_markdown)
    title = heading.striptags() if heading else "About"
    meta = ctx.meta(title, f"About {ctx.site.title}: {ctx.config.description}", ABOUT)
    return Page(ABOUT, ctx.render("about.html", meta, heading=heading or title, body=body))


def render_404(ctx: PageContext, topics: tuple[TopicView, ...]) -> Iterator[Page]:
    def make() -> list[Page]:
        meta = ctx.meta("Page not found", "There is no page at this address.", NOT_FOUND, robots=NOINDEX)
        return [Page(NOT_FOUND, ctx.render("404.html", meta, topics=topics), in_sitemap=False)]
    return ctx.unit(("404.html",), lambda: ("404", *every_story(topics)), make)


def render_pages(ctx: PageContext, stories_by_topic: Mapping[str, Sequence[Story]], views: Views,
                 bodies, published: Sequence[Story]) -> Iterator[Page]:
    """Every HTML page of the site, one at a time (so a caller that writes each as it comes holds
    one page's bytes, not the site's); ``bodies`` holds each article's sanitized body by its key;
    ``stories_by_topic``: each topic's stories, newest first, whose views ``views`` makes;
    ``published``: all of them, newest first."""
    topics = tuple(topic_view(ctx, t, views.listing(stories_by_topic.get(t.slug, ()))) for t in ctx.config.topics)
    role = ctx.units.role  # split.py: a helper process renders the article pages, this one the rest
    if role != "child":
        yield from render_home(ctx, topics)
        yield from render_archive(ctx, topics, published)
        yield from (*render_search(ctx), *render_about(ctx), *render_404(ctx, topics))
    for topic in topics:
        if role != "child":
            yield from render_topic_pages(ctx, topic)
        yield from render_topic_articles(ctx, topic, bodies)  # split: each process its share
    if role == "child":
        return
    from .edition import render_editions  # it builds on this module's records

    yield from render_editions(ctx, topics)
