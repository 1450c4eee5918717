"""Markdown files, with or without YAML front matter (the curator's own items, or Markdown scrapes).

Front matter gives title, date, author, publisher, url and language; Hugo/Jekyll shortcodes are
template calls, not text, and are removed; the rest is rendered with markdown-it-py and goes
through the HTML block model.
"""
from __future__ import annotations

import re

from functools import lru_cache

import yaml

from .. import limits
from ..clean.dates import parse_date
from ..model import RawArticle
from .document import Document, Unreadable
from .html_blocks import html_to_blocks

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# A shortcode ends before the next one opens: the search from an opener stops there, so a file
# of unclosed openers costs one pass, not one pass per opener.
SHORTCODE = re.compile(r"\{\{[<%](?:(?!\{\{).)*?[%>]\}\}|\{%(?:(?!\{%).)*?%\}", re.S)
SIGNALS = (
    re.compile(r"^#{1,6} \S", re.M),
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
    re.compile(r"\*\*[^*\n]+\*\*"),
    re.compile(r"^> \S", re.M),
    re.compile(r"^!\[[^\]]*\]\(", re.M),
    re.compile(r"^(\*|-|\d+\.) \S", re.M),
)


@lru_cache(maxsize=1)
def _markdown():
    """The CommonMark renderer, made when the first Markdown file is read (an edit to another
    form never loads it)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True})


class MarkdownReader:
    name = "markdown"

    def accepts(self, doc: Document) -> bool:
        if FRONT_MATTER.match(doc.text.lstrip("\ufeff")):
            return True
        sample = doc.text[:20000]
        return sum(1 for signal in SIGNALS if signal.search(sample)) >= 2

    def read(self, doc: Document) -> list[RawArticle]:
        text = doc.text.lstrip("\ufeff")
        meta: dict = {}
        match = FRONT_MATTER.match(text)
        if match:
            try:
                loaded = yaml.safe_load(match.group(1))
            except yaml.YAMLError as exc:
                raise Unreadable(f"front matter is not valid YAML: {str(exc).splitlines()[0]}") from None
            meta = loaded if isinstance(loaded, dict) else {}
            text = text[match.end():]
        if meta.get("draft") is True:
            raise Unreadable("marked draft: true in its front matter")
        limits.check_markdown_size(len(text))  # markdown-it costs microseconds a character
        body = SHORTCODE.sub("", text)
        url = _s(meta.get("url") or meta.get("link") or meta.get("canonical"))
        return [RawArticle(
            source=doc.source, item=None, form="markdown",
            blocks=html_to_blocks(_markdown().render(body), url or None),
            title=_s(meta.get("title")) or None,
            date=parse_date(_s(meta.get("date") or meta.get("published"))),
            author=_author(meta.get("author") or meta.get("authors")),
            publisher=_s(meta.get("publisher") or meta.get("site_name") or meta.get("source")) or None,
            url=url or None,
            language=_s(meta.get("lang") or meta.get("language")).split("-")[0].lower() or None,
            summary=_s(meta.get("summary") or meta.get("description")) or None,
        )]


def _s(value) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _author(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _s(value) or None
