"""The site's and each topic's feeds, in JSON Feed 1.1, RSS 2.0 and Atom 1.0, from one item model.

Takes published stories (newest first), their sanitized bodies and ``Urls``; gives
``{"<prefix>feed.json" | "rss.xml" | "atom.xml": bytes}``. Every format is written from the same
``FeedItem`` records, so they cannot disagree. Item ids are ``urn:uuid`` values derived from the
story id alone (never the slug, date or base URL); the feeds' own timestamps come from the newest
item, so the same inputs always give the same bytes. Links in content are made absolute. A story
with a curator's note (notes.py) has it before the body in every format's content, marked off by
a rule, and in JSON Feed also as ``_digest.note`` (its file and markup), so a program can tell the
two apart.
"""
from __future__ import annotations

import html

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator
from markupsafe import Markup

from ..config import SiteConfig
from ..model import Copy, PartialDate, Story
from .seo import FeedLink, newest, without_markup_characters
from .text import absolute_links
from .urls import Urls, topic_page

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
FORMATS = (  # file name, MIME type, label
    ("feed.json", "application/feed+json", "JSON Feed"),
    ("rss.xml", "application/rss+xml", "RSS"),
    ("atom.xml", "application/atom+xml", "Atom"),
)


@dataclass(frozen=True)
class Coverage:
    """One copy of a story as the feeds describe it: the primary, or a ``_digest.coverage`` entry."""

    source: str
    item: str | None
    url: str
    title: str
    date: str | None  # the copy's own date, never one inherited from its story
    author: str | None
    publisher: str | None
    language: str
    relation: str


@dataclass(frozen=True)
class FeedItem:
    """One story as every feed format shows it: its primary article plus the other coverage."""

    id: str
    story: str
    topic: str
    topic_title: str
    primary: Coverage
    content_html: str
    summary: str
    date: PartialDate | None  # the story's date: when it was published, as far as known
    coverage: tuple[Coverage, ...]
    note: "FeedNote | None" = None


@dataclass(frozen=True)
class FeedNote:
    """The curator's note on a story: the file that names it, and its sanitized markup."""

    file: str
    html: str


NOTE_LABEL = "Curator’s note"


@dataclass(frozen=True)
class FeedSpec:
    """Which feed: the whole site's (``prefix`` "") or one topic's (``topics/<slug>/``)."""

    title: str
    description: str
    home: str  # location of the page the feed belongs to
    prefix: str  # where the three files go
    key: str  # names the feed in its Atom id


def feed_id(story_id: str) -> str:
    """The item id: from the story id alone, so a new slug, date or base URL never changes it."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "digest-story:" + story_id))


def site_feed_spec(config: SiteConfig) -> FeedSpec:
    return FeedSpec(config.title, config.description, "", "", config.title)


def topic_feed_spec(config: SiteConfig, topic_slug: str) -> FeedSpec:
    """A topic's feeds live in its page's folder: ``topics/<slug>/feed.json`` and so on."""
    topic = config.topic(topic_slug)
    folder = topic_page(topic.slug)
    return FeedSpec(f"{topic.title} — {config.title}", topic.description, folder, folder,
                    f"{config.title}/{topic.slug}")


def feed_links(prefix: str, label: str, urls: Urls) -> tuple[FeedLink, ...]:
    """The ``<link rel="alternate">`` entries for the three feeds in a folder."""
    return tuple(FeedLink(mime, name, f"{label} ({name})", urls.link(prefix + file))
                 for file, mime, name in FORMATS)


def feed_items(stories: Iterable[Story], config: SiteConfig, urls: Urls,
               bodies: Mapping[tuple[str, str], Markup], notes: Mapping[str, FeedNote] | None = None) -> list[FeedItem]:
    """One item per story; ``notes``: the curator's note of each story that has one, by story id."""
    notes = notes or {}
    return [feed_item(story, config, urls, bodies, notes.get(story.id)) for story in stories]


def feed_item(story: Story, config: SiteConfig, urls: Urls,
              bodies: Mapping[tuple[str, str], Markup], note: FeedNote | None = None) -> FeedItem:
    primary = story.primary.article
    body = absolute_links(str(bodies[primary.key]), urls.absolutize)
    if note:
        body = f"<p><strong>{NOTE_LABEL}</strong></p>\n{note.html}\n<hr>\n{body}"
    return FeedItem(
        id=feed_id(story.id),
        story=story.id,
        topic=story.topic or "",
        topic_title=config.topic(story.topic).title if story.topic else "",
        primary=coverage(story.primary, urls),
        content_html=body,
        summary=primary.summary,
        date=story.date,
        coverage=tuple(coverage(c, urls) for c in story.others),
        note=note,
    )


def coverage(copy: Copy, urls: Urls) -> Coverage:
    article = copy.article
    return Coverage(
        source=article.source, item=article.item, url=urls.absolute(urls.article_page(article)),
        title=article.title, date=article.date.iso if article.date else None,
        author=article.author, publisher=article.publisher, language=article.language,
        relation=copy.relation,
    )


def render_feed(name: str, spec: FeedSpec, items: tuple[FeedItem, ...], config: SiteConfig, urls: Urls,
                updated: PartialDate | None = None, dated: bool = False) -> bytes:
    """One file of a feed: ``name`` is one of ``FORMATS``' file names. Reads of ``urls`` only its
    base (``absolute``): the items hold their own links. ``dated``: the feed's own time is
    ``updated`` (that of its newest item), not worked out from ``items`` (feed_parts.py renders
    a feed's head and its items apart)."""
    if not dated:
        updated = newest(item.date for item in items)
    if name == "feed.json":
        return json_feed(spec, items, config, urls)
    feed = _feedgen(spec, items, config, urls, name, updated)
    return feed.rss_str(pretty=True) if name == "rss.xml" else feed.atom_str(pretty=True)


# JSON Feed


def json_feed(spec: FeedSpec, items: list[FeedItem], config: SiteConfig, urls: Urls) -> bytes:
    feed = {
        "version": JSON_FEED_VERSION,
        "title": spec.title,
        "home_page_url": urls.absolute(spec.home),
        "feed_url": urls.absolute(spec.prefix + "feed.json"),
        "description": spec.description,
        "language": config.language,
        **({"authors": [{"name": config.author}]} if config.author else {}),
        "items": [_json_item(item) for item in items],
    }
    return without_markup_characters(json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(item: FeedItem) -> dict:
    primary = item.primary
    entry = {"id": item.id, "url": primary.url, "title": primary.title, "content_html": item.content_html}
    if item.summary:
        entry["summary"] = item.summary
    if item.date:
        entry["date_published"] = item.date.rfc3339()
    if primary.author:
        entry["authors"] = [{"name": primary.author}]
    entry["language"] = primary.language
    entry["tags"] = [item.topic_title]
    entry["_digest"] = {
        "topic": item.topic,
        "story": item.story,
        **_coverage_fields(primary, with_url=False),
        "coverage": [_coverage_fields(c) for c in item.coverage],
        **({"note": {"file": item.note.file, "html": item.note.html}} if item.note else {}),
    }
    return entry


def _coverage_fields(copy: Coverage, with_url: bool = True) -> dict:
    fields = {"source": copy.source, "item": copy.item, "url": copy.url, "title": copy.title,
              "date": copy.date, "author": copy.author, "publisher": copy.publisher,
              "language": copy.language, "relation": copy.relation}
    if not with_url:
        del fields["url"]  # the item's own "url" says it
    return fields


# RSS and Atom


def _timestamp(date: PartialDate | None) -> datetime:
    return datetime.fromisoformat(date.rfc3339().replace("Z", "+00:00")) if date else EPOCH


def _feedgen(spec: FeedSpec, items: list[FeedItem], config: SiteConfig, urls: Urls,
             name: str, newest_date: PartialDate | None) -> FeedGenerator:
    """A feedgen feed with every timestamp set from the items (``newest_date`` is the newest
    item's), never from the clock."""
    updated = _timestamp(newest_date)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id("urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "digest-feed:" + spec.key)))
    fg.title(spec.title)
    fg.subtitle(spec.description or spec.title)  # also RSS <description>, which is required
    fg.link(href=urls.absolute(spec.prefix + name), rel="self",
            type="application/rss+xml" if name == "rss.xml" else "application/atom+xml")
    fg.link(href=urls.absolute(spec.home), rel="alternate", type="text/html")  # last: RSS <link>
    fg.language(config.language)
    fg.author({"name": config.author or config.title})
    fg.generator("digest-generator")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for item in items:
        _add_entry(fg, item, updated)
    return fg


def _add_entry(fg: FeedGenerator, item: FeedItem, feed_updated: datetime) -> None:
    primary = item.primary
    entry = fg.add_entry(order="append")
    entry.guid(item.id, permalink=False)
    entry.title(primary.title)
    entry.link(href=primary.url, rel="alternate", type="text/html")
    if item.summary:
        # The summary is plain text. Atom says so (a text <summary>); RSS readers unescape
        # <description> once and render it as HTML, so RSS gets it HTML-escaped: a summary
        # reading "<img onerror=…>" stays words. description() also sets Atom's content,
        # which content() below replaces.
        entry.summary(item.summary, type="text")
        entry.description(html.escape(item.summary, quote=False))
    entry.content(item.content_html, type="html")
    entry.category(term=item.topic, label=item.topic_title)
    if primary.author:
        entry.author({"name": primary.author})
        entry.dc.dc_creator(primary.author)
    if item.date:
        entry.published(_timestamp(item.date))
    entry.updated(_timestamp(item.date) if item.date else feed_updated)
