"""Evidence for a file's form, read from its structure rather than from the first tag in it.

Takes a document's text; gives ``Markup``: the root element after the prolog (XML declaration,
processing instructions, comments, DOCTYPE with its internal subset), and how much of the text
is markup. Readers decide from these:

- a feed is a feed when its root element is one (``rss`` of any version, ``feed``, RDF holding a
  ``channel``), whatever DOCTYPE, comments or processing instructions come first;
- a document is HTML when it is built as one: it opens with an HTML DOCTYPE or root element, or
  with markup that fills its lines; or, after a few lines of something else (a saved header), when
  most of it is markup. Prose or Markdown that names ``<html>`` or ``<body>`` in a sentence or a
  code block is neither: its lines are text, and markup is a small share of it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# One prolog item at a time: the XML declaration and other processing instructions, comments,
# and a DOCTYPE whose internal subset ("[ <!ENTITY …> ]") may hold ">" characters.
PROLOG_ITEM = re.compile(
    r"\s*(?:<\?[^>]*\?>|<!--.*?-->|<!doctype\b(?:[^\[>]|\[[^\]]*\])*>)", re.S | re.I)
DOCTYPE = re.compile(r"<!doctype\s+([\w:.-]+)", re.I)
ROOT = re.compile(r"<([A-Za-z][\w.-]*(?::[\w.-]+)?)[\s/>]")
# Comments are matched only up to the next "<" or ">", so that a file of unclosed "<!--" costs
# one pass, not one pass per opener; the same holds for scripts below (``_code_chars``).
TAG = re.compile(r"<(?:[A-Za-z][\w:.-]*(?:\s[^<>]*)?|/[A-Za-z][\w:.-]*\s*|!--[^<>]*--)>")
CODE_OPEN = re.compile(r"<(script|style)\b[^>]*>", re.I)
FENCED = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)  # Markdown code blocks: quoted, not markup
LINE_OPENS_WITH_TAG = re.compile(r"^\s*<[A-Za-z/!]")
HTML_ROOTS = {"html", "head", "body"}
HTML_ELEMENTS = HTML_ROOTS | {
    "meta", "title", "link", "div", "p", "article", "main", "section", "header", "nav", "h1", "h2",
    "h3", "table", "ul", "ol", "script", "style", "span", "a", "img", "figure", "form", "base",
}
FEED_ROOTS = {"rss", "feed"}
SCAN_CHARS = 65536  # the prolog and root are looked for in the first characters only
MARKUP_LINES = 0.5  # a page's non-empty lines mostly open with a tag (or it is one long line)
MARKUP_SHARE = 0.2  # …or tags and code fill a fifth of its characters
CLOSED = 0.5  # markup closes most elements it opens; prose that names a tag does not
LEADING_TEXT_SHARE = 0.5  # text before the first tag: markup must be most of the file


@dataclass(frozen=True)
class Markup:
    doctype: str | None  # the DOCTYPE's root name, lower-cased ("html", "rss")
    root: str | None  # the first element after the prolog, lower-cased, or None when text comes first
    share: float  # characters in tags, scripts and styles, over all characters
    tag_lines: float  # share of non-empty lines that open with a tag
    names_html_root: bool  # an <html>, <head> or <body> tag appears somewhere
    closed: float  # share of the (non-void) element names opened that are closed again
    root_holds_markup: bool  # the root's start tag is followed by another tag, not by words
    after_leading_lines: Markup | None = None  # the same, read past a few lines of text first

    @property
    def is_feed(self) -> bool:
        return self.local_root in FEED_ROOTS or self.doctype in FEED_ROOTS

    @property
    def is_rdf(self) -> bool:
        return self.local_root == "rdf"

    @property
    def local_root(self) -> str | None:
        """The root's name without its namespace prefix ("rdf:RDF" is "rdf", "atom:feed" "feed")."""
        return self.root.rsplit(":", 1)[-1] if self.root else None

    @property
    def is_html(self) -> bool:
        if self.doctype == "html":
            return True
        if self.root in HTML_ROOTS and self.root_holds_markup:
            return True  # "<html lang=en>\n<head>": a document; "<html> is the root…": prose
        if self.root in HTML_ELEMENTS:
            # A fragment page, or prose that opens by naming a tag: that closes nothing it opened.
            return (self.tag_lines >= MARKUP_LINES and self.closed >= CLOSED) or self.share >= MARKUP_SHARE
        if self.root is None and self.names_html_root:
            later = self.after_leading_lines
            return self.share >= LEADING_TEXT_SHARE or bool(later and later.is_html)
        return False


LATER_PAGE = re.compile(r"<!doctype html|<(?:html|head|body)[\s>]", re.I)
LEADING_LINES = 3  # a saved copy may open with a line or two (URL, date) before the page


def markup(text: str, leading: bool = True) -> Markup:
    sample = text[:SCAN_CHARS].lstrip("\ufeff")
    start, doctype = _prolog(sample)
    root = ROOT.match(sample, start)
    measured = FENCED.sub("", sample)
    return Markup(
        doctype=doctype,
        root=root.group(1).lower() if root else None,
        share=_share(measured),
        tag_lines=_tag_lines(measured),
        names_html_root=bool(re.search(r"<(?:html|head|body)[\s>]", measured[:8192], re.I)),
        closed=_closed(measured),
        root_holds_markup=bool(root) and bool(re.match(r"[^<>]*>\s*<[A-Za-z!]", sample[root.end() - 1:])),
        after_leading_lines=_after_leading_lines(sample) if leading and not root else None,
    )


def _after_leading_lines(sample: str) -> Markup | None:
    """The markup of what follows a few short lines of text, when a page starts there."""
    later = LATER_PAGE.search(sample, 0, 2048)
    if not later:
        return None
    before = [line for line in sample[:later.start()].split("\n") if line.strip()]
    if len(before) > LEADING_LINES or sample[:later.start()].rstrip(" \t")[-1:] not in ("\n", ""):
        return None  # the tag is inside a line of prose, or after more than a header's lines
    return markup(sample[later.start():], leading=False)


def _prolog(sample: str) -> tuple[int, str | None]:
    """Where the prolog ends, and the DOCTYPE's root name if there is one."""
    pos, doctype = 0, None
    while match := PROLOG_ITEM.match(sample, pos):
        named = DOCTYPE.match(match.group().strip())
        doctype = named.group(1).lower() if named else doctype
        pos = match.end()
    while pos < len(sample) and sample[pos].isspace():
        pos += 1
    return pos, doctype


def _share(sample: str) -> float:
    if not sample.strip():
        return 0.0
    code, rest = _code_chars(sample)
    return (code + sum(len(m.group()) for m in TAG.finditer(rest))) / len(sample)


def _code_chars(sample: str) -> tuple[int, str]:
    """Characters inside scripts and styles (tags included), and the text without them."""
    kept, code, pos = [], 0, 0
    lowered = sample.lower()
    while opener := CODE_OPEN.search(sample, pos):
        end = lowered.find(f"</{opener.group(1).lower()}", opener.end())
        end = len(sample) if end < 0 else sample.find(">", end) + 1 or len(sample)
        kept.append(sample[pos:opener.start()])
        code += end - opener.start()
        pos = end
    kept.append(sample[pos:])
    return code, "".join(kept)


VOID = {"meta", "link", "img", "br", "hr", "input", "base", "col", "area", "source", "wbr", "embed"}
OPENED = re.compile(r"<([A-Za-z][\w:.-]*)[\s>]")
CLOSES = re.compile(r"</([A-Za-z][\w:.-]*)\s*>")


def _closed(sample: str) -> float:
    opened = {name.lower() for name in OPENED.findall(sample)} - VOID
    if not opened:
        return 0.0
    return len(opened & {name.lower() for name in CLOSES.findall(sample)}) / len(opened)


def _tag_lines(sample: str) -> float:
    lines = [line for line in sample.split("\n") if line.strip()]
    if not lines:
        return 0.0
    return sum(1 for line in lines if LINE_OPENS_WITH_TAG.match(line)) / len(lines)
