"""Turn the pipeline's text into safe markup: article bodies, curator Markdown, dates, languages.

Takes ``Block`` tuples, Markdown strings, ``PartialDate`` values and language codes; gives
``markupsafe.Markup`` (already sanitized, safe to drop into a template) or plain strings.
Article bodies go through nh3 with a small allowlist after they are assembled, so whatever the
source held, only the listed tags, ``href`` on links and http(s) URLs come out.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ..model import Block, PartialDate

BODY_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "em", "strong", "code", "a",
             "br", "sub", "sup"}
BODY_ATTRIBUTES = {"a": {"href"}}
WEB_SCHEMES = {"http", "https"}
EXTERNAL_REL = "noopener noreferrer nofollow"

LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "de": "German",
                  "it": "Italian", "pt": "Portuguese"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_HEADING_TAG = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3"}
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def is_web_url(url: str | None) -> bool:
    """True for an absolute http(s) URL: the only kind the site links out to."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[bad" from a source is no link at all
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get((code or "").lower(), code or "Unknown language")


def human_date(date: PartialDate) -> str:
    """``2024``, ``March 2024`` or ``21 May 2024``: as precise as the date is known."""
    if date.month is None:
        return f"{date.year}"
    if date.day is None:
        return f"{MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def markdown_html(source: str) -> Markup:
    """Curator Markdown (CommonMark, raw HTML disabled) as markup."""
    return Markup(_MARKDOWN.render(source or ""))


def markdown_with_title(source: str) -> tuple[Markup | None, Markup]:
    """Split a leading ``# Heading`` off a Markdown text: (heading's inline markup, the rest)."""
    env: dict = {}
    tokens = _MARKDOWN.parse(source or "", env)
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        title = _MARKDOWN.renderer.render(tokens[1:2], _MARKDOWN.options, env)
        rest = _MARKDOWN.renderer.render(tokens[3:], _MARKDOWN.options, env)
        return Markup(title.strip()), Markup(rest)
    return None, markdown_html(source)


def note_html(source: str) -> Markup:
    """A curator's note: CommonMark with raw HTML off, then the body allowlist, and only absolute
    web links (a note is shown in feeds and emails too, where a relative link goes nowhere)."""
    clean = nh3.clean(
        _MARKDOWN.render(source or ""),
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=WEB_SCHEMES,
        link_rel=EXTERNAL_REL,
        attribute_filter=lambda tag, attr, value: _resolve_href(tag, attr, value, None),
    )
    return Markup(_HREFLESS_LINK.sub(r"\1", clean).strip())  # a link whose address was dropped is its words


_HREFLESS_LINK = re.compile(r'<a rel="[^"]*">(.*?)</a>', re.S)


def body_html(blocks: Iterable[Block], source_url: str | None = None) -> Markup:
    """An article body from its blocks, sanitized; relative links resolve against the source URL."""
    raw = "\n".join(_block_markup(blocks))
    base = source_url if is_web_url(source_url) else None
    return Markup(nh3.clean(
        raw,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=WEB_SCHEMES,
        link_rel=EXTERNAL_REL,
        attribute_filter=lambda tag, attr, value: _resolve_href(tag, attr, value, base),
    ))


def _block_markup(blocks: Iterable[Block]) -> Iterable[str]:
    """Each block as HTML, with consecutive list items gathered into one ``<ul>``."""
    in_list = False
    for block in blocks:
        if in_list and block.kind != "li":
            yield "</ul>"
            in_list = False
        if block.kind == "li" and not in_list:
            yield "<ul>"
            in_list = True
        yield _one_block(block)
    if in_list:
        yield "</ul>"


def _one_block(block: Block) -> str:
    inline = block.html or str(escape(block.text))
    if block.kind in _HEADING_TAG:
        tag = _HEADING_TAG[block.kind]
        return f"<{tag}>{inline}</{tag}>"
    if block.kind == "quote":
        return f"<blockquote><p>{inline}</p></blockquote>"
    if block.kind == "li":
        return f"<li>{inline}</li>"
    if block.kind == "link":
        href = escape(block.href or "")
        return f'<p><a href="{href}">{escape(block.text or block.href or "")}</a></p>'
    return f"<p>{inline}</p>"


def _resolve_href(tag: str, attr: str, value: str, base: str | None) -> str | None:
    """Keep absolute web links; resolve relative ones against the source, or drop them."""
    if tag != "a" or attr != "href":
        return value
    if is_web_url(value):
        return value
    try:
        resolved = urljoin(base, value) if base else None
    except ValueError:
        return None
    return resolved if is_web_url(resolved) else None


_ROOT_HREF = re.compile(r'(\s(?:href|src)=")(/[^/"][^"]*|/)(")')


def absolute_links(html: str, absolutize) -> str:
    """Rewrite root-relative ``href``/``src`` values in markup with the given function."""
    return _ROOT_HREF.sub(lambda m: m.group(1) + absolutize(m.group(2)) + m.group(3), html)
