"""The render stage: published stories in, every output file of the site out, one at a time.

Takes the ``SiteConfig`` and the grouped ``Story`` records (stories without a configured topic
are off-topic and left out); gives ``{output-relative POSIX path: bytes}``: the home page, one
page per topic and per article copy, the archive, search, About, 404, the site's and each topic's JSON Feed, RSS and
Atom, sitemap.xml, robots.txt and the theme's static files, as a dict or handed to a ``sink`` as
each is made (the build writes each page then: see ``generator.write.Staging``). Nothing is
written here; the only reads are the theme's templates and static files. The same inputs
always give the same bytes.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..config import SiteConfig
from ..model import Story
from ..notes import attach_notes
from ..stage_reads import Corpus, StageReads
from . import seo, split
from .digests import article_digests, story_digest, view_digest
from .feed_files import all_feeds, item_digest
from .feeds import FeedNote
from .pages import PageContext, render_pages
from .text import note_html
from .theme import RenderError, environment, static_files, theme_layers
from .urls import Urls, carried_slugs, output_file
from .listing import Views
from .views import article_bodies, newest_first, story_view, unique_texts

__all__ = ["READS", "RenderError", "render_site", "published_stories"]

# What ``render_site`` reads of the config, through the page contexts or not: the page memo's keys
# are salted with it (``incremental.py``), so a field read outside a template still counts.
READS = StageReads("render", ("path", "title", "description", "base_url", "language", "author", "theme", "topics",
                               "intro_markdown", "about_markdown"), Corpus.STORIES,
                   # a note reaches the output only through story views, feed items and edition
                   # parts, each of which the page memo keys its files by
                   through_output=("notes",))


def published_stories(config: SiteConfig, stories: Iterable[Story]) -> list[Story]:
    """The stories the site shows, newest first: those filed under one of the config's topics."""
    slugs = {t.slug for t in config.topics}
    return newest_first(s for s in stories if s.topic in slugs)


def render_site(config: SiteConfig, stories: list[Story], theme_dirs: Sequence[Path] | None = None,
                memo=None, sink: Callable[[str, object], None] | None = None,
                stager=None) -> dict[str, bytes] | None:
    """Every output file of the site, by output-relative path. Raises ``RenderError``.

    ``theme_dirs``: folders holding themes, searched in order; by default the ``themes/``
    folder beside the config, then the generator's own. ``memo``: a ``generator.memo.PageMemo``
    that hands back a page unchanged since the last build instead of rendering it again.
    ``sink(path, content)``: given each file as it is made, instead of returning them all (so
    no more than one page is held); its content may then be a ``memo.Kept``. ``stager``: the
    build's ``split.Stager`` (its ``sink`` is ``sink``), with which a helper process may render
    the article pages beside this one (split.py).
    """
    if sink is None:
        files: dict[str, bytes] = {}
        render_site(config, stories, theme_dirs, memo, files.__setitem__)
        return dict(sorted(files.items()))
    published = published_stories(config, stories)
    last = memo.carried.get("slugs") if memo is not None else None
    slugs = dict(last) if isinstance(last, dict) else {}  # slug_of by title: pure, and slugify is slow
    before = memo.carried.get("assigned") if memo is not None else None
    before = before if isinstance(before, tuple) and len(before) == 2 else None
    assigned, carry = carried_slugs((c.article for s in published for c in s.copies), slugs, before)
    urls = Urls(config.base_url, config.base_path, assigned)
    if memo is not None:  # kept for the next build: this build's titles only (the last's if they are)
        memo.carry["slugs"] = last if carry is before and isinstance(last, dict) else \
            {c.article.title: slugs[c.article.title] for s in published for c in s.copies}
        memo.carry["assigned"] = carry
    layers = theme_layers(config, theme_dirs)
    ctx = PageContext.build(config, urls, environment(config, layers, getattr(memo, "bytecode", None)), memo)
    bodies = article_bodies(published)
    titles, descriptions = unique_texts(published)
    # its problems are the build report's; no notes, no pass over every copy
    attached = attach_notes(config.notes, published).by_story if config.notes.notes else {}
    notes = {story_id: note_html(note.markdown) for story_id, note in attached.items()}

    dates = {id(s): s.date for s in published}  # worked out from a story's copies each time it is asked
    view_keys, item_keys = {}, {}
    feed_notes = {sid: FeedNote(attached[sid].file, html) for sid, html in notes.items()}  # links absolute already
    if memo is not None:  # what the pages are keyed by: each story's view by a digest (units.py)
        article_keys = article_digests(published, memo)
        slugs = urls.slugs
        for s in published:  # by identity: two stories may share an id
            own = story_digest(s, article_keys)
            view_keys[id(s)] = view_digest(s, own, slugs, titles, descriptions, notes.get(s.id), urls.base_path)
            if s.id not in item_keys:  # the feeds' (feed_files.py): the first story of an id
                item_keys[s.id] = item_digest(own, config.topic(s.topic).title, [slugs[c.article.key] for c in s.copies],
                                              feed_notes.get(s.id), urls.base_url)
    views = Views(lambda story: story_view(story, urls, titles, descriptions, notes.get(story.id)), view_keys, dates)
    by_topic: dict[str, list[Story]] = defaultdict(list)
    for story in published:
        by_topic[story.topic].append(story)
    sitemap = []
    helper = None
    if stager is not None and split.worth_splitting(ctx, len(published)):
        helper = split.start(ctx, lambda: render_pages(ctx, by_topic, views, bodies, published), stager)
    try:
        for page in render_pages(ctx, by_topic, views, bodies, published):
            sink(output_file(page.relative), page.content)
            if page.in_sitemap:
                sitemap.append(seo.SitemapEntry(page.relative, page.lastmod))
    except BaseException:
        if helper is not None:
            helper.stop()
        raise
    if helper is not None:
        ctx.units.role = None
        sitemap += [seo.SitemapEntry(relative, lastmod) for relative, lastmod, listed in helper.join(ctx, stager)
                    if listed]
    # The feeds once the helper has ended: they are the most this process holds at once (every
    # item of a feed), and beside the helper's copy of the pages they were the build's peak
    for path, content in all_feeds(config, published, urls, bodies, feed_notes, memo, item_keys, dates).items():
        sink(path, content)
    sink(seo.SITEMAP, seo.sitemap_xml(sitemap, urls))
    sink(seo.ROBOTS, seo.robots_txt(urls))
    sink(seo.HEADERS, seo.headers_file())
    for path, content in static_files(config, layers).items():
        sink(path, content)
    return None
