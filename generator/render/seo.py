"""What search engines and link previews read: page metadata, JSON-LD, sitemap.xml, robots.txt.

Takes display values (titles, summaries, locations) and ``Urls``; gives ``PageMeta`` records for
the base template's ``<head>``, JSON-LD as markup that cannot close its ``<script>`` element,
and the bytes of ``sitemap.xml`` and ``robots.txt``. Pure: nothing here reads or writes files.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from markupsafe import Markup

from ..model import PartialDate
from .urls import Urls
from .views import CopyView

DESCRIPTION_MAX = 300
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


@dataclass(frozen=True)
class FeedLink:
    mime: str
    label: str  # the format: "JSON Feed", "RSS", "Atom"
    title: str  # what the feed is, with its format
    href: str  # root-relative


@dataclass(frozen=True)
class Alternate:
    """A ``<link rel="alternate" hreflang>``: the same story in another language."""

    language: str
    href: str  # absolute


@dataclass(frozen=True)
class PageMeta:
    """The ``<head>`` of one page."""

    title: str  # full <title>: "Page — Site" (the home page: the site title alone)
    heading: str  # the page's own name
    description: str
    canonical: str  # absolute
    og_type: str  # "website" or "article"
    feeds: tuple[FeedLink, ...]
    json_ld: Markup | None = None
    alternates: tuple[Alternate, ...] = ()
    published: str | None = None  # article:published_time, as precise as known
    robots: str | None = None  # "noindex" for pages search engines should not list


def page_meta(heading: str, site_title: str, description: str, relative: str, urls: Urls,
              feeds: tuple[FeedLink, ...], og_type: str = "website", **extra) -> PageMeta:
    title = heading if heading == site_title else f"{heading} — {site_title}"
    return PageMeta(title, heading, short_description(description), urls.absolute(relative),
                    og_type, feeds, **extra)


def hreflang_alternates(current: CopyView, copies: Iterable[CopyView], urls: Urls) -> tuple[Alternate, ...]:
    """One alternate per language the story is available in (the page itself for its own), or
    none for a story in one language. ``copies`` come primary first, which wins a language."""
    by_language: dict[str, CopyView] = {}
    for copy in copies:
        by_language.setdefault(copy.language, copy)
    by_language[current.language] = current
    if len(by_language) < 2:
        return ()
    return tuple(Alternate(lang, urls.absolute(c.relative)) for lang, c in sorted(by_language.items()))


def short_description(text: str) -> str:
    """One line of at most ``DESCRIPTION_MAX`` characters, cut at a word."""
    text = " ".join((text or "").split())
    if len(text) <= DESCRIPTION_MAX:
        return text
    cut = text[:DESCRIPTION_MAX - 1].rsplit(" ", 1)[0]
    return cut + "…"


def without_markup_characters(json_text: str) -> str:
    """The same JSON with ``<``, ``>`` and ``&`` written as ``\\u`` escapes: equal data, but no
    markup (``</script>``, ``<img``...) can be found in the text."""
    return json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def script_safe_json(data: object) -> Markup:
    """JSON that stays data inside ``<script>``: it cannot close the element."""
    return Markup(without_markup_characters(json.dumps(data, ensure_ascii=False, sort_keys=True)))


def article_json_ld(copy: CopyView, canonical: str, site_title: str) -> Markup:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": copy.title,
        "description": short_description(copy.summary),
        "inLanguage": copy.language,
        "mainEntityOfPage": canonical,
        "url": canonical,
        "isPartOf": {"@type": "WebSite", "name": site_title},
    }
    if copy.author_known:
        data["author"] = {"@type": "Person", "name": copy.author}
    if copy.outlet_known:
        data["publisher"] = {"@type": "Organization", "name": copy.outlet}
    if copy.date:
        data["datePublished"] = copy.date.iso
    if copy.original_url:
        data["isBasedOn"] = copy.original_url
    return script_safe_json(data)


def topic_json_ld(name: str, description: str, canonical: str, site_title: str,
                  stories: Iterable[tuple[str, str]]) -> Markup:
    """A ``CollectionPage`` listing the topic's stories as (headline, absolute URL), in order."""
    parts = [{"@type": "ListItem", "position": n, "url": url, "name": headline}
             for n, (headline, url) in enumerate(stories, 1)]
    return script_safe_json({
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": short_description(description),
        "url": canonical,
        "isPartOf": {"@type": "WebSite", "name": site_title},
        "mainEntity": {"@type": "ItemList", "numberOfItems": len(parts), "itemListElement": parts},
    })


def website_json_ld(site_title: str, description: str, home: str, search: str) -> Markup:
    """The home page's ``WebSite``, with the search page as its ``SearchAction``."""
    return script_safe_json({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site_title,
        "description": short_description(description),
        "url": home,
        "potentialAction": {"@type": "SearchAction", "target": f"{search}?q={{query}}",
                            "query-input": "required name=query"},
    })


class SitemapEntry(NamedTuple):  # a tuple: the sitemap lists every page, ten thousand of them
    relative: str
    lastmod: PartialDate | None


def sitemap_xml(entries: Iterable[SitemapEntry], urls: Urls) -> bytes:
    """A sitemap of the given pages; ``lastmod`` in W3C form, as precise as the date is known."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    dates: dict[PartialDate, str] = {}  # each date's element, made once: many pages share one
    for relative, date in sorted(entries, key=itemgetter(0)):
        lastmod = ""
        if date:
            lastmod = dates.get(date)
            if lastmod is None:
                lastmod = dates[date] = f"<lastmod>{date.iso}</lastmod>"
        lines.append(f"  <url><loc>{xml_text(urls.absolute(relative))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def xml_text(text: str) -> str:
    """``&``, ``<`` and ``>`` escaped, as ``xml.sax.saxutils.escape`` does (which imports
    ``urllib.request`` and the ``email`` package with it)."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return text


def robots_txt(urls: Urls) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(SITEMAP)}\n".encode("utf-8")


def newest(dates: Iterable[PartialDate | None]) -> PartialDate | None:
    known = [d for d in dates if d]
    return max(known, key=lambda d: d.sort_key) if known else None


# The security headers the site is built to work under (no inline code, nothing from elsewhere).
# netlify.toml repeats them for Netlify's own config; a test keeps the two the same.
HEADERS = "_headers"
SECURITY_HEADERS = (
    ("Content-Security-Policy",
     "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
     "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
     "frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    ("X-Frame-Options", "DENY"),
)


def headers_file() -> bytes:
    """A ``_headers`` file (Netlify, Cloudflare Pages) applying the security headers site-wide.

    Its paths are relative to the published folder, whatever the base URL."""
    lines = ["/*"] + [f"  {name}: {value}" for name, value in SECURITY_HEADERS]
    lines += ["/feed.json", "  Content-Type: application/feed+json; charset=utf-8"]
    return ("\n".join(lines) + "\n").encode("utf-8")
