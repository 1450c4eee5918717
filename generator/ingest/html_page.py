"""Full HTML pages: body from trafilatura, metadata from JSON-LD, then OpenGraph/``article:*``
meta, then ``<meta name=author>``, ``<html lang>`` and ``<title>``.

trafilatura (the best-scoring published extractor) finds the main content; its output then
goes through our block model and cleaner like every other form, since it still keeps some of
the boilerplate. Its own date and metadata guesses are not used: they include the file date.
A page of more than ``limits.MAX_HTML_ELEMENTS`` elements is refused before extraction, whose
cost grows with the element count.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from .. import limits
from ..clean.dates import parse_date
from ..clean.metadata import fold, registrable_label
from ..model import Block, RawArticle
from .document import Document, Unreadable
from .html_blocks import html_to_blocks, with_markup_evidence
from .split_body import restore_split_body
from .text_of import html_text

ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "webpage",
                 "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle", "report"}


class HtmlPageReader:
    name = "html"

    def accepts(self, doc: Document) -> bool:
        return doc.markup.is_html  # built as a page, not prose that names a tag (``sniff``)

    def read(self, doc: Document) -> list[RawArticle]:
        try:
            tree = lxml.html.document_fromstring(doc.text)
        except (etree.ParserError, ValueError) as exc:
            raise Unreadable(f"HTML does not parse: {exc}") from None
        limits.check_html_elements(sum(1 for _ in tree.iter()))
        # The address the page was fetched from (``add``) when it states none: the base of its
        # relative links, and what names the outlet in a title's "Headline | Outlet".
        meta = _page_meta(tree, doc.origin.url if doc.origin else None)
        url = meta.get("url")
        content = _main_content(doc.text, tree)
        limits.check_time("extracting the page's content")
        blocks = restore_split_body(html_to_blocks(content, url), tree, url)
        blocks = _restore_embeds(with_markup_evidence(blocks, tree), tree, url)
        bylines = _visible_bylines(tree)
        if bylines and meta.get("title"):
            # The extractor often drops the byline line; put it back between headline and body,
            # where the cleaner reads bylines and dates on every form.
            blocks = (Block("h1", meta["title"]), *(Block("p", line) for line in bylines), *blocks)
        return [RawArticle(
            source=doc.source, item=None, form="html", blocks=blocks,
            title=meta.get("title"), date=parse_date(meta.get("date")), author=meta.get("author"),
            publisher=meta.get("publisher"), url=url, language=meta.get("language"),
            summary=meta.get("description"),
        )]


def _restore_embeds(blocks: tuple, tree, url: str | None) -> tuple:
    """Embeds become plain links on every form; the extractor drops them from pages, so each is
    put back after the extracted paragraph it followed in the page (dropped if that is gone)."""
    texts = [" ".join(b.text.split()) for b in blocks]
    result = list(blocks)
    for embed in reversed(tree.xpath("//body//iframe | //body//video | //body//embed")):
        links = html_to_blocks(lxml.html.tostring(embed, encoding="unicode", with_tail=False), url)
        previous = embed.xpath("preceding::p[normalize-space()][1]")
        if not links or links[0].kind != "link" or not previous:
            continue
        anchor = " ".join(previous[0].text_content().split())
        at = next((i for i, t in enumerate(texts) if t and t == anchor), None)
        if at is not None:
            result.insert(at + 1, links[0])
    return tuple(result)


def load_extractor() -> None:
    """Import trafilatura now (about a second): a build forks its cleaning workers after this,
    so that they share one copy instead of each importing it again."""
    import trafilatura  # noqa: F401


def _main_content(text: str, tree) -> str:
    import trafilatura  # imported here: it takes half a second, and most builds read no HTML page

    extracted = trafilatura.extract(
        text, output_format="html", include_comments=False, include_images=False,
        include_tables=True, include_links=True, deduplicate=False, with_metadata=False,
    )
    if extracted:
        return extracted
    # Too short for trafilatura's thresholds: fall back to the article element, or the body.
    for xpath in ("//article", "//main", "//body"):
        found = tree.xpath(xpath)
        if found:
            return lxml.html.tostring(found[0], encoding="unicode")
    return ""


BYLINE_HINT = ("byline", "author", "meta", "dateline", "posted", "published", "entry-meta", "post-meta")


def _visible_bylines(tree) -> list[str]:
    """Short lines that look like a byline: "By …" text, or elements marked as byline/author."""
    found = []
    for el in tree.xpath("//body//*[self::p or self::div or self::span or self::address or self::li]"):
        text = " ".join(el.text_content().split())
        if not text or len(text) > 160 or text in found:
            continue
        marks = " ".join((el.get("class", ""), el.get("id", ""), el.get("itemprop", ""), el.get("rel", ""))).lower()
        if re.match(r"(?i)^(by|par|por|von|di|posted by|written by)\s+\S", text) or \
                (any(h in marks for h in BYLINE_HINT) and el.xpath(".//time|.//*[@rel='author']")):
            found.append(text)
        if len(found) >= 3:
            break
    return found


def _page_meta(tree, fetched_from: str | None = None) -> dict:
    """Metadata by precedence: JSON-LD first, then OpenGraph/article meta, then plain HTML, then
    the address the page was fetched from."""
    found: dict = {}
    for layer in (_json_ld(tree), _open_graph(tree), _plain_html(tree), {"url": fetched_from}):
        for key, value in layer.items():
            if value and not found.get(key):
                found[key] = value
    if found.get("title"):
        found["title"] = _without_outlet_part(found["title"], found.get("publisher"), found.get("url"))
    return found


def _without_outlet_part(title: str, publisher: str | None, url: str | None) -> str:
    """"Night ferry extended | Harbour Gazette" loses the part that the site name or the URL's
    domain names as the outlet; a title with no such part is kept whole."""
    parts = TITLE_PARTS.split(title)
    if len(parts) < 2:
        return title
    label = registrable_label(urlsplit(url).hostname or "") if url and "://" in url else None
    names = {fold(n) for n in (publisher, label) if n}
    kept = [p for p in parts if fold(p) not in names]
    if not kept or len(kept) == len(parts) or (parts[0] != kept[0] and parts[-1] != kept[-1]):
        return title  # nothing named the outlet, or the outlet's part sits in the middle
    start = title.index(kept[0])
    return title[start:title.rindex(kept[-1]) + len(kept[-1])]


def _json_ld(tree) -> dict:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, RecursionError):
            continue
        for node in _nodes(data):
            types = node.get("@type")
            types = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
            if types & ARTICLE_TYPES:
                entity = node.get("mainEntityOfPage")
                return {
                    "title": _s(node.get("headline")) or _s(node.get("name")),
                    "date": _s(node.get("datePublished")) or _s(node.get("dateCreated")),
                    "author": _name(node.get("author")),
                    "publisher": _name(node.get("publisher")),
                    "url": _s(node.get("url")) or (_s(entity.get("@id")) if isinstance(entity, dict) else _s(entity)),
                    "language": _lang(_s(node.get("inLanguage"))),
                    "description": _s(node.get("description")),
                }
    return {}


def _nodes(data):
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _nodes(data["@graph"])


def _name(value) -> str:
    if isinstance(value, list):
        names = [_name(v) for v in value]
        return ", ".join(n for n in names if n)
    if isinstance(value, dict):
        return _s(value.get("name"))
    return _s(value)


def _open_graph(tree) -> dict:
    def meta(*names: str) -> str:
        for name in names:
            for el in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]'):
                if el.get("content", "").strip():
                    return el.get("content").strip()
        return ""

    author = meta("article:author", "author", "parsely-author", "sailthru.author")
    return {
        "title": meta("og:title", "twitter:title"),
        "date": meta("article:published_time", "og:article:published_time", "datePublished",
                     "pubdate", "publishdate", "date", "dc.date", "DC.date.issued"),
        "author": "" if author.startswith("http") else author,
        "publisher": meta("og:site_name", "application-name"),
        "url": meta("og:url"),
        "language": _lang(meta("og:locale")),
        "description": meta("og:description", "description"),
    }


def _plain_html(tree) -> dict:
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    times = tree.xpath("//article//time/@datetime | //main//time/@datetime") or tree.xpath("//time/@datetime")
    titles = tree.xpath("//title/text()")
    h1s = [html_text(lxml.html.tostring(h, encoding="unicode", with_tail=False)) for h in tree.xpath("//h1")]
    return {
        "url": canonical[0].strip() if canonical else "",
        "date": times[0].strip() if times else "",
        "language": _lang(tree.get("lang") or ""),
        "title": _headline([h for h in h1s if h], html_text(titles[0]) if titles else ""),
    }


TITLE_PARTS = re.compile(r"\s+[|–—·•:-]{1,2}\s+")


def _headline(h1s: list[str], title: str) -> str:
    """The page's headline without structured metadata: the first ``<h1>``, unless that is the
    outlet's name (a logo), which ``<title>`` shows as its other part ("Headline | Outlet"):
    then the ``<h1>`` that agrees with the title's main part, or that part itself."""
    if not h1s:
        return title  # which part of "Ferry news | Harbour Gazette" is the outlet's is not known
    parts = TITLE_PARTS.split(title) if title else []
    main = max(parts, key=len) if len(parts) > 1 else None
    if main is None or not any(_same_words(h1s[0], p) for p in parts if p is not main):
        return h1s[0]
    return next((h for h in h1s if _same_words(h, main)), main)


def _same_words(a: str, b: str) -> bool:
    """Most words of the shorter also in the longer (a ``<title>`` may trim or add a word)."""
    wa, wb = set(re.findall(r"\w+", a.casefold())), set(re.findall(r"\w+", b.casefold()))
    if not wa or not wb:
        return False
    return len(wa & wb) / max(len(wa), len(wb)) >= 0.6


def _s(value) -> str:
    return html_text(value) if isinstance(value, str) else ""


def _lang(value: str) -> str:
    return value.replace("_", "-").split("-")[0].lower() if value else ""
