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

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST_MAX_NESTING = 200  # well under the ~500 levels at which the Python parser's recursion ends
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
            loaded = _front_matter(match.group(1))
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


def _front_matter(text: str):
    """The front matter's value. libyaml's parser (PyYAML's C one, when PyYAML was built with it)
    reads it in a seventh of the pure-Python parser's time, and both use the same Python
    constructors and resolver, so the value is the same. Anything else is the Python parser's
    to say: an error (whose message the line quotes), and nesting deep enough that Python's
    recursion, not libyaml's own bound (1,000 levels), is what stops it."""
    if _nesting_bound(text) < FAST_MAX_NESTING:
        try:
            return yaml.load(text, Loader=FAST_LOADER)
        except Exception:  # an error of the C parser's own words, or input it takes as bytes
            pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise Unreadable(f"front matter is not valid YAML: {str(exc).splitlines()[0]}") from None


def _nesting_bound(text: str) -> int:
    """At least how deep the YAML can nest: each level opens with a bracket or brace, a sequence's
    dash, an explicit key's "?", or (a block mapping) more indentation."""
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.split("\n")), default=0)
    return sum(text.count(c) for c in "[{-?") + indent + 2


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
