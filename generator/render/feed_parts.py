"""A feed file as its head, one fragment per item and its tail, so an edit remakes one item.

Takes a feed file's bytes as ``feeds.render_feed`` writes them (JSON Feed, RSS or Atom) and gives
its parts; gives a feed's head alone (rendered with no items, its own time given) and one item's
fragment alone (rendered as the only item of a feed of that time, then cut out); and joins parts
back into the file, noting where each fragment stands in it (``spans``), so the next build
takes an unchanged item's bytes from the file by those offsets without cutting it again.
``join(head, fragments of the items, tail)`` is byte for byte what
``render_feed`` makes of all the items at once (tests/test_render_feed_parts.py), so a site feed
after an edit is the last build's fragments with the changed item's made anew, and the other
items' bodies are never sanitized again.

The cuts are unambiguous: inside an item every ``<`` of its text is escaped in RSS and Atom, and
JSON Feed writes a newline inside a string as ``\\n``, so the lines that open and close an item
(``  <entry>``, ``    <item>``, an item's braces four spaces in) occur nowhere else.
"""
from __future__ import annotations

from array import array
from collections.abc import Sequence

from ..config import SiteConfig
from ..model import PartialDate
from .feeds import FeedItem, FeedSpec, render_feed
from .urls import Urls

# Per format: what ends the head of an empty feed (and is left off it), what goes before the
# first item, between two, after the last, and the tail.
_JSON_EMPTY, _JSON_OPEN, _JSON_CLOSE = b'[]\n}\n', b'[\n', b'\n  ]\n}\n'
_JSON_BETWEEN = b"\n    },\n    {\n"
_XML = {"atom.xml": (b"  <entry>\n", b"  </entry>\n", b"</feed>\n"),
        "rss.xml": (b"    <item>\n", b"    </item>\n", b"  </channel>\n</rss>\n")}


def split_feed(name: str, content: bytes) -> tuple[bytes, list[bytes], bytes] | None:
    """(head, fragments, tail) of a feed file, or None if it is not in the form this module makes."""
    if name == "feed.json":
        return _split_json(content)
    opening, closing, tail = _XML[name]
    if not content.endswith(tail):
        return None
    body = content[:-len(tail)]
    start = body.find(opening)
    if start < 0:
        return body, [], tail
    head, rest = body[:start], body[start:]
    fragments = [part + closing for part in rest.split(closing)[:-1]]
    if b"".join(fragments) != rest or not all(f.startswith(opening) for f in fragments):
        return None
    return head, fragments, tail


def _split_json(content: bytes) -> tuple[bytes, list[bytes], bytes] | None:
    marker = b'\n  "items": '
    at = content.rfind(marker)
    if at < 0:
        return None
    head, rest = content[:at + len(marker)], content[at + len(marker):]
    if rest == _JSON_EMPTY:
        return head, [], b""
    if not (rest.startswith(_JSON_OPEN) and rest.endswith(_JSON_CLOSE)):
        return None
    items = rest[len(_JSON_OPEN):-len(_JSON_CLOSE)]
    parts = items.split(_JSON_BETWEEN)
    fragments = [(b"" if n == 0 else b"    {\n") + part + (b"" if n == len(parts) - 1 else b"\n    }")
                 for n, part in enumerate(parts)]
    return head, fragments, b""


def join_feed(name: str, head: bytes, fragments: Sequence[bytes], tail: bytes) -> bytes:
    if name != "feed.json":
        return head + b"".join(fragments) + tail
    if not fragments:
        return head + _JSON_EMPTY
    return head + _JSON_OPEN + b",\n".join(fragments) + _JSON_CLOSE


def spans(name: str, head: bytes, fragments: Sequence[bytes]) -> array:
    """Where each fragment stands in the file ``join_feed`` makes of them: (start, end) pairs,
    flat, so the next build can take an unchanged item's bytes from this file unsplit."""
    found = array("Q")
    at = len(head) + (len(_JSON_OPEN) if name == "feed.json" and fragments else 0)
    between = 2 if name == "feed.json" else 0  # JSON Feed's ",\n" between two items
    for fragment in fragments:
        found.append(at)
        at += len(fragment)
        found.append(at)
        at += between
    return found


def fragments_at(content: bytes, where: array) -> list[memoryview]:
    """The fragments of a file at the ``spans`` it was made with, as views of its bytes."""
    view = memoryview(content)
    return [view[where[n]:where[n + 1]] for n in range(0, len(where), 2)]


def feed_head(name: str, spec: FeedSpec, config: SiteConfig, urls: Urls,
              updated: PartialDate | None) -> tuple[bytes, bytes]:
    """(head, tail) of the feed whose newest item is dated ``updated``."""
    found = split_feed(name, render_feed(name, spec, (), config, urls, updated, dated=True))
    if found is None or found[1]:
        raise ValueError(f"{name}: an empty feed not in the form feed_parts.py knows")
    return found[0], found[2]


def item_fragment(name: str, spec: FeedSpec, item: FeedItem, config: SiteConfig, urls: Urls,
                  updated: PartialDate | None) -> bytes:
    """One item as it stands in a feed whose newest item is dated ``updated`` (an undated Atom
    entry takes the feed's time as its own)."""
    found = split_feed(name, render_feed(name, spec, (item,), config, urls, updated, dated=True))
    if found is None or len(found[1]) != 1:
        raise ValueError(f"{name}: an item not in the form feed_parts.py knows")
    return found[1][0]
