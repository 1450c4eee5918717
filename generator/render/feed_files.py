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
    carry = {}
    for spec, chosen in feeds:
        keys = tuple(digests[s.id] for s in chosen)
        updated = newest(s.date for s in chosen)
        hashes = {}
        for name, _, _ in FORMATS:
            path = spec.prefix + name
            make = partial(_make, name, spec, chosen, keys, updated, last.get(spec.prefix), memo, item, config, base)
            files[path] = memo.made_file(path, (name, spec, keys, config, base), make)
            hashes[name] = digest_of(files[path])
        carry[spec.prefix] = (repr(updated), keys, hashes)
    memo.carry[CARRY] = carry
    return files


def _make(name: str, spec: FeedSpec, chosen: list[Story], keys: tuple[str, ...], updated: PartialDate | None,
          last: tuple | None, memo, item: Callable[[Story], FeedItem], config: SiteConfig, base: Urls) -> bytes:
    """One feed file: the last build's with the changed items made anew where that file is still
    in the old site, else rendered whole."""
    old = _old_fragments(name, spec, updated, last, memo)
    if old is None:
        return render_feed(name, spec, tuple(map(item, chosen)), config, base)
    head, tail = feed_head(name, spec, config, base, updated)
    fragments = [old.get(k) or item_fragment(name, spec, item(s), config, base, updated) for s, k in zip(chosen, keys)]
    return join_feed(name, head, fragments, tail)


def _old_fragments(name: str, spec: FeedSpec, updated: PartialDate | None, last: tuple | None,
                   memo) -> dict[str, bytes] | None:
    """The last build's fragment of each item of this feed file, by item digest. An undated Atom
    entry shows the feed's time: when that changed, no Atom fragment is taken."""
    if last is None or name not in last[2] or (name == "atom.xml" and last[0] != repr(updated)):
        return None
    data = memo.old_bytes(spec.prefix + name, last[2][name])
    parts = split_feed(name, data) if data is not None else None
    if parts is None or len(parts[1]) != len(last[1]):
        return None
    return dict(zip(last[1], parts[1]))


def item_digest(story: Story, story_key: str, config: SiteConfig, urls: Urls, note: FeedNote | None) -> str:
    """What ``feeds.feed_item`` makes a story's item from, besides the code and the config (both
    in the memo's salt): the story, its topic's title, its copies' addresses and its note."""
    title = config.topic(story.topic).title if story.topic else ""
    pages = tuple(urls.absolute(urls.article_page(c.article)) for c in story.copies)
    return digest("feed item", story_key, repr(title), repr(pages), repr(note), urls.base_url)
