"""Every feed file of the site: the site's and each topic's, in each format.

Takes the config, the published stories (newest first), ``Urls``, their bodies (``views.Bodies``)
and notes, and optionally the page memo with each story's item digest (what its item is made
from: ``item_digest``); gives ``{path: bytes or memo.Kept}``. With a memo a feed is keyed by its
items' digests, so a feed whose items did not change is handed back from the last build without
one item being made; one that changed is the last build's file with only the changed items made
anew (``feed_parts.py``), which needs no other story's body. The last file's items are taken from
it by the offsets carried beside it (``feed_parts.spans``), so the site's feed, which holds every
story, costs one read and one join of its bytes, not a cut of it. Without a memo every item is
made once.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from ..config import SiteConfig
from ..memo import digest_of
from ..model import PartialDate, Story
from .digests import digest
from .feed_parts import feed_head, fragments_at, item_fragment, join_feed, spans, split_feed
from .feeds import FORMATS, FeedItem, FeedNote, FeedSpec, feed_item, render_feed, site_feed_spec, topic_feed_spec
from .seo import newest
from .urls import Urls

# the memo's carried entry: per feed, its time, its items' digests, and per file its hash and
# where each item stands in it
CARRY = "feeds"


def all_feeds(config: SiteConfig, published: list[Story], urls: Urls, bodies, notes: Mapping[str, FeedNote],
              memo=None, item_keys: Mapping[str, str] | None = None,
              dates: Mapping[int, PartialDate | None] | None = None) -> dict[str, object]:
    """``item_keys``: each story id's item digest (``item_digest``), needed with a memo;
    ``dates``: each story's date by identity, if already worked out."""
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
    last = memo.carried.get(CARRY)
    last = last if isinstance(last, dict) else {}
    carry, pool = {}, {}
    date_of = dates if dates is not None else {id(s): s.date for s in published}
    for spec, chosen in feeds:
        keys = tuple(item_keys[s.id] for s in chosen)
        feed_dates = tuple(date_of[id(s)] for s in chosen)
        updated = newest(feed_dates)
        items = digest("\n".join(keys))  # hex digests: the newline cannot occur in one
        before = last.get(spec.prefix)
        before = before if isinstance(before, tuple) and len(before) == 3 else None
        entry = {}
        for name, _, _ in FORMATS:
            path = spec.prefix + name
            spanned: list = []
            make = partial(_make, _Feed(name, spec, chosen, keys, feed_dates, updated), before, memo,
                           item, config, base, pool, spanned)
            files[path] = content = memo.made_file(path, (name, items), make)
            if spanned:
                entry[name] = (digest_of(content), spanned[0])
            elif before is not None and isinstance(before[2], dict) and isinstance(before[2].get(name), tuple) \
                    and before[2][name][0] == digest_of(content):
                entry[name] = before[2][name]  # the last build's file: its items stand where they stood
        carry[spec.prefix] = (repr(updated), keys, entry)
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
          base: Urls, pool: dict, spanned: list) -> bytes:
    """One feed file, from fragments where most of its items' are known (the last build's file of
    the same feed, or a feed made in this build: the site's holds every topic's items), the other
    items made alone; else rendered whole, and its fragments kept for the feeds made after it.
    Where its items stand in it is put in ``spanned``."""
    pool.update(_old_fragments(feed, last, memo))
    tags = feed.tags(feed.updated)
    known = [pool.get(tag) for tag in tags]
    if sum(f is None for f in known) * 2 > len(known):
        content = render_feed(feed.name, feed.spec, tuple(map(item, feed.stories)), config, base)
        parts = split_feed(feed.name, content)
        if parts is not None and len(parts[1]) == len(tags):
            pool.update(zip(tags, parts[1]))
            spanned.append(spans(feed.name, parts[0], parts[1]))
        return content
    head, tail = feed_head(feed.name, feed.spec, config, base, feed.updated)
    fragments = [f if f is not None else item_fragment(feed.name, feed.spec, item(s), config, base, feed.updated)
                 for f, s in zip(known, feed.stories)]
    pool.update(zip(tags, fragments))
    spanned.append(spans(feed.name, head, fragments))
    return join_feed(feed.name, head, fragments, tail)


def _old_fragments(feed: _Feed, last: tuple | None, memo) -> dict[tuple, memoryview]:
    """The last build's fragments of this feed file, by name (``_Feed.tags``), if that file is
    still in the old site: taken from it where the carry says they stand."""
    entry = last[2].get(feed.name) if last is not None and isinstance(last[2], dict) else None
    if not (isinstance(entry, tuple) and len(entry) == 2):
        return {}
    digest_was, where = entry
    data = memo.old_bytes(feed.spec.prefix + feed.name, digest_was)
    if data is None or len(where) != 2 * len(last[1]) or (where and where[-1] > len(data)):
        return {}
    atom = feed.name == "atom.xml"
    dated = {k for date, k in zip(feed.dates, feed.keys) if date is not None}
    # an old Atom entry's fragment is named by the old feed's time unless its item is dated
    return {(feed.name, k, "" if not atom or k in dated else last[0]): f
            for k, f in zip(last[1], fragments_at(data, where))}


def item_digest(story_key: str, topic_title: str, slugs: list[str], note: FeedNote | None, base_url: str) -> str:
    """What ``feeds.feed_item`` makes a story's item from, besides the code and the config (both
    in the memo's salt): the story (``digests.story_digest``), its topic's title, its copies'
    slugs (their pages' addresses), its note and the absolute links' base."""
    return digest("feed item", story_key, topic_title, "\n".join(slugs), repr(note), base_url)
