"""Every feed file of the site: the site's and each topic's, in each format.

Takes the config, the published stories (newest first), ``Urls``, their bodies (``views.Bodies``)
and notes, and optionally the page memo with each story's digest; gives ``{path: bytes or
memo.Kept}``. With a memo a feed is keyed by its items' digests (``item_digest``: what an item is
made from), so a feed whose items did not change is handed back from the last build without one
item being made; one that changed is the last build's file with only the changed items made anew
(``feed_parts.py``), which needs no other story's body. Without a memo every item is made once.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from ..config import SiteConfig
from ..model import PartialDate, Story
from .digests import digest
from .feed_parts import feed_head, item_fragment, join_feed, split_feed
from .feeds import FORMATS, FeedItem, FeedNote, FeedSpec, feed_item, render_feed, site_feed_spec, topic_feed_spec
from .seo import newest
from .urls import Urls

CARRY = "feeds"  # the memo's carried entry: per feed, its time, its items' digests and its files' hashes


def all_feeds(config: SiteConfig, published: list[Story], urls: Urls, bodies, notes: Mapping[str, FeedNote],
               memo=None, story_keys: Mapping[str, str] | None = None) -> dict[str, object]:
    base = Urls(urls.base_url, urls.base_path)  # all a feed reads of ``urls`` beside its items
    made: dict[str, FeedItem] = {}

    def item(story: Story) -> FeedItem:
        found = made.get(story.id)
        if found is None:
            found = made[story.id] = feed_item(story, config, urls, bodies, notes.get(story.id))
        return found

    feeds = [(site_feed_spec(config), published)]
    feeds += [(topic_feed_spec(config, t.slug), [s for s in published if s.topic == t.slug]) for t in config.topics]
    files: dict[str, object] = {}
    if memo is None:
        for spec, chosen in feeds:
            for name, _, _ in FORMATS:
                files[spec.prefix + name] = render_feed(name, spec, tuple(map(item, chosen)), config, base)
        return files
    from ..memo import digest_of  # memo.py imports this package

    digests = {s.id: item_digest(s, story_keys[s.id], config, urls, notes.get(s.id)) for s in published}
    last = memo.carried.get(CARRY)
    last = last if isinstance(last, dict) else {}
    carry, pool = {}, {}
    date_of = {id(s): s.date for s in published}  # a story's date is worked out from its copies each time
    for spec, chosen in feeds:
        keys = tuple(digests[s.id] for s in chosen)
        dates = tuple(date_of[id(s)] for s in chosen)
        updated = newest(dates)
        hashes = {}
        for name, _, _ in FORMATS:
            path = spec.prefix + name
            make = partial(_make, _Feed(name, spec, chosen, keys, dates, updated), last.get(spec.prefix), memo,
                           item, config, base, pool)
            files[path] = memo.made_file(path, (name, spec, keys, config, base), make)
            hashes[name] = digest_of(files[path])
        carry[spec.prefix] = (repr(updated), keys, hashes)
    memo.carry[CARRY] = carry
    return files


@dataclass(frozen=True)
class _Feed:
    """One feed file to make: its format, its spec, its stories, their items' digests and their
    dates, and the newest story's date (the feed's own time)."""

    name: str
    spec: FeedSpec
    stories: list[Story]
    keys: tuple[str, ...]
    dates: tuple[PartialDate | None, ...]  # each story's
    updated: PartialDate | None

    def tags(self, updated: PartialDate | None) -> list[tuple]:
        """Each item's fragment's name in a feed of time ``updated``: an undated Atom entry shows
        the feed's time, so its fragment is that time's."""
        atom = self.name == "atom.xml"
        return [(self.name, k, repr(updated) if atom and date is None else "")
                for date, k in zip(self.dates, self.keys)]


def _make(feed: _Feed, last: tuple | None, memo, item: Callable[[Story], FeedItem], config: SiteConfig,
          base: Urls, pool: dict) -> bytes:
    """One feed file, from fragments where most of its items' are known (the last build's file of
    the same feed, or a feed made in this build: the site's holds every topic's items), the other
    items made alone; else rendered whole, and its fragments kept for the feeds made after it."""
    pool.update(_old_fragments(feed, last, memo))
    tags = feed.tags(feed.updated)
    known = [pool.get(tag) for tag in tags]
    if sum(f is None for f in known) * 2 > len(known):
        content = render_feed(feed.name, feed.spec, tuple(map(item, feed.stories)), config, base)
        parts = split_feed(feed.name, content)
        if parts is not None and len(parts[1]) == len(tags):
            pool.update(zip(tags, parts[1]))
        return content
    head, tail = feed_head(feed.name, feed.spec, config, base, feed.updated)
    fragments = [f or item_fragment(feed.name, feed.spec, item(s), config, base, feed.updated)
                 for f, s in zip(known, feed.stories)]
    return join_feed(feed.name, head, fragments, tail)


def _old_fragments(feed: _Feed, last: tuple | None, memo) -> dict[tuple, bytes]:
    """The last build's fragments of this feed file, by name (``_Feed.tags``), if that file is
    still in the old site."""
    if last is None or feed.name not in last[2]:
        return {}
    data = memo.old_bytes(feed.spec.prefix + feed.name, last[2][feed.name])
    parts = split_feed(feed.name, data) if data is not None else None
    if parts is None or len(parts[1]) != len(last[1]):
        return {}
    atom = feed.name == "atom.xml"
    dated = {k for date, k in zip(feed.dates, feed.keys) if date is not None}
    # an old Atom entry's fragment is named by the old feed's time unless its item is dated
    return {(feed.name, k, "" if not atom or k in dated else last[0]): f for k, f in zip(last[1], parts[1])}


def item_digest(story: Story, story_key: str, config: SiteConfig, urls: Urls, note: FeedNote | None) -> str:
    """What ``feeds.feed_item`` makes a story's item from, besides the code and the config (both
    in the memo's salt): the story, its topic's title, its copies' addresses and its note."""
    title = config.topic(story.topic).title if story.topic else ""
    pages = tuple(urls.absolute(urls.article_page(c.article)) for c in story.copies)
    return digest("feed item", story_key, repr(title), repr(pages), repr(note), urls.base_url)
