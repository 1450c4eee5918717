"""Syndication feeds: RSS 0.9x, 1.0 (RDF) and 2.0 and Atom (read with feedparser) and JSON Feed.
One article per item. A file is a feed when its root element is one (``sniff``), whatever its
DOCTYPE, comments or processing instructions.

Each item keeps its guid/id (else its link) as the article's ``item`` key; the feed's own title
is the publisher of its items; full content is preferred to the summary. At most
``limits.MAX_ITEMS_PER_FILE`` items are read; a line names the rest.
"""
from __future__ import annotations

import re

from .. import limits
from ..clean.dates import parse_date
from ..model import RawArticle, Rejection
from .document import Document, Unreadable
from .html_blocks import html_to_blocks
from .text_of import html_text

RDF_CHANNEL = re.compile(r"<(?:\w+:)?(?:channel|item)[\s>]")


class FeedReader:
    name = "feed"

    def accepts(self, doc: Document) -> bool:
        found = doc.markup
        return found.is_feed or (found.is_rdf and bool(RDF_CHANNEL.search(doc.text[:65536])))

    def read(self, doc: Document) -> list[RawArticle | Rejection]:
        # feedparser treats a short string starting with "http" as a URL to fetch; ours always
        # starts with "<" (see accepts: a root element), so it only parses the text it is given.
        import feedparser  # here: it takes a while to load, and most files read are no feed

        parsed = feedparser.parse(doc.text, sanitize_html=False, resolve_relative_uris=True)
        if not parsed.entries:
            reason = getattr(parsed, "bozo_exception", None)
            raise Unreadable(f"feed has no items{f' ({reason})' if reason else ''}")
        channel = parsed.feed
        publisher = html_text(channel.get("title")) or None
        language = _lang(channel.get("language") or _xml_lang(parsed))
        entries, over = limits.first_items(parsed.entries, doc.source)
        return [_entry(doc.source, e, publisher, language) for e in limits.timed(entries)] + over


def _xml_lang(parsed) -> str | None:
    detail = parsed.feed.get("title_detail") or {}
    return detail.get("language")


def _lang(value: str | None) -> str | None:
    return value.replace("_", "-").split("-")[0].lower() if value else None


EMAIL_FORM = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")  # RSS 2.0: "email (Name)"
EMAIL = re.compile(r"\S+@\S+")


def _author(entry) -> str | None:
    """The author's name. RSS writes "pat@example.org (Pat Lune)", which feedparser's
    author_detail splits wrongly for some addresses, so the raw string is read here."""
    raw = html_text(entry.get("author") or "")
    match = EMAIL_FORM.match(raw)
    name = match.group("name") if match else EMAIL.sub("", raw)
    return name.strip(" ()") or None


def _entry(source: str, entry, publisher: str | None, language: str | None) -> RawArticle:
    content = ""
    for part in entry.get("content") or []:
        if len(part.get("value", "")) > len(content):
            content = part.get("value", "")
    summary_html = entry.get("summary", "")
    link = entry.get("link")
    item = entry.get("id") or link or html_text(entry.get("title"))
    return RawArticle(
        source=source,
        item=item,
        form="feed",
        blocks=html_to_blocks(content or summary_html, link),
        title=html_text(entry.get("title")) or None,
        date=parse_date(entry.get("published") or entry.get("updated") or entry.get("created")),
        author=_author(entry),
        publisher=publisher,
        url=link,
        language=_lang(entry.get("language")) or language,
        summary=html_text(summary_html) or None,
    )


class JsonFeedReader:
    name = "jsonfeed"

    def accepts(self, doc: Document) -> bool:
        if not doc.looks_like_json or "jsonfeed.org/version" not in doc.head:
            return False
        try:
            data = doc.json
        except Unreadable:
            return False
        return isinstance(data, dict) and str(data.get("version", "")).startswith("https://jsonfeed.org/version/")

    def read(self, doc: Document) -> list[RawArticle | Rejection]:
        data = doc.json
        items = data.get("items")
        if not isinstance(items, list):
            raise Unreadable("JSON Feed has no items list")
        publisher = _str(data.get("title")) or None
        language = _lang(_str(data.get("language")))
        items, over = limits.first_items(items, doc.source)
        found = [_json_item(doc.source, i, publisher, language) for i in limits.timed(items) if isinstance(i, dict)]
        return [a for a in found if a is not None] + over


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _json_item(source: str, item: dict, publisher: str | None, language: str | None) -> RawArticle | None:
    url = _str(item.get("url")) or None
    body = _str(item.get("content_html"))
    if not body and _str(item.get("content_text")):
        body = "".join(f"<p>{_escape(p)}</p>" for p in _str(item.get("content_text")).split("\n\n"))
    authors = item.get("authors") if isinstance(item.get("authors"), list) else [item.get("author")]
    names = [_str(a.get("name")) for a in authors if isinstance(a, dict) and _str(a.get("name"))]
    return RawArticle(
        source=source,
        item=_str(str(item.get("id", ""))) or url,
        form="jsonfeed",
        blocks=html_to_blocks(body, url),
        title=html_text(_str(item.get("title"))) or None,
        date=parse_date(_str(item.get("date_published"))),
        author=names[0] if names else None,
        publisher=publisher,
        url=url,
        language=_lang(_str(item.get("language"))) or language,
        summary=html_text(_str(item.get("summary"))) or None,
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
