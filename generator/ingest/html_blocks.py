"""Turn an HTML fragment or page body into the block model (paragraphs, headings, quotes, lists).

Takes HTML text and the page's URL (to resolve relative links); gives a tuple of ``Block``.
Markup that is never article text (scripts, styles, forms, navigation, images, SVG) is dropped
here; embeds (iframes, video) become plain links. Deciding which remaining blocks are boilerplate
is the cleaner's job: each block carries the class/id tokens of its ancestors as evidence.
``with_markup_evidence`` gives the same evidence to blocks cut from an extractor's output (which
drops every attribute), by finding each block's element in the page's own tree by its text.
A table row whose cells hold only inline text (a data table: standings, prices, results) becomes
one block of kind "row", its cells joined by " | ", so that a table is judged row by row, as read.
Markup of more than ``limits.MAX_HTML_ELEMENTS`` elements raises ``limits.LimitExceeded``.
"""
from __future__ import annotations

import html as htmllib
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from .. import limits
from ..clean.carriable import carriable_text

DROP = {
    "script", "style", "noscript", "template", "form", "button", "input", "select", "textarea",
    "svg", "canvas", "nav", "aside", "footer", "img", "picture", "source", "figcaption", "label",
    "head", "title", "meta", "link", "map", "dialog", "menu", "math", "track", "param",
}
EMBEDS = {"iframe", "video", "audio", "embed", "object"}
VOID_EMBEDS = {"embed"}
HEADINGS = {"h1": "h1", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
LEAVES = {"p", "li", "blockquote", "pre", "dt", "dd", "td", "th", "caption", *HEADINGS}
CONTAINERS_OF_BLOCKS = {"blockquote", "li", "dd", "td", "th"}
BLOCKISH = LEAVES | {"div", "section", "article", "main", "ul", "ol", "dl", "table", "tbody", "thead",
                     "tr", "figure", "header", "body", "html", "hr", "br_block", "center", "details",
                     "summary", "address", "fieldset"} | EMBEDS
INLINE_KEEP = {"a", "em", "strong", "i", "b", "code", "q", "sub", "sup", "abbr", "cite", "mark", "s"}
SPACE = re.compile(r"\s+")
CELL_SEPARATOR = " | "


def html_to_blocks(markup: str, base_url: str | None = None) -> tuple:
    from ..model import Block  # local import keeps this module importable on its own

    root = _parse(markup)
    if root is None:
        return ()
    limits.check_html_elements(sum(1 for _ in root.iter()))
    blocks: list[Block] = []
    _walk(root, "", base_url, blocks, Block)
    return tuple(b for b in blocks if b.text or b.href)


# Elements whose text a block cut from extracted output can match; the nearest few ancestors'
# tokens are carried (a page's outermost classes say nothing about one block).
INDEXED = LEAVES | {"div", "span", "section", "header", "article"}
EVIDENCE_DEPTH = 5
CHROME = {"aside", "footer", "nav", "form", "menu", "dialog"}
LINK_DENSE = 0.5


def with_markup_evidence(blocks: tuple, tree) -> tuple:
    """Blocks whose ``cls`` is empty get the class/id/role tokens of the page element holding the
    same text, and of its nearest ancestors, plus ``in-<tag>`` for a chrome ancestor (aside, footer,
    nav, form…) and ``link-dense`` when the element's parent is mostly link text. One pass over the
    tree builds a normalised-text index; a block whose text is in no element keeps no evidence."""
    from dataclasses import replace

    wanted = {_key(b.text) for b in blocks if not b.cls and b.text}
    if not wanted:
        return blocks
    index: dict = {}
    for el in tree.iter():
        tag = _tag(el)
        if tag == "tr":  # a row block's text is its cells' text, joined as ``_walk`` joins them
            key = _key(CELL_SEPARATOR.join(SPACE.sub(" ", c.text_content()).strip() for c in el
                                           if _tag(c) in ("td", "th") and c.text_content().strip()))
            if key in wanted and key not in index:
                index[key] = el
        elif tag in LEAVES or tag in INDEXED and not any(_tag(c) in BLOCKISH for c in el):
            # a wrapper's text is its blocks' text: matching it would only cost a walk of its subtree
            key = _key(el.text_content()) if len(wanted) > len(index) else ""
            if key in wanted and key not in index:
                index[key] = el
    return tuple(replace(b, cls=_evidence(index[_key(b.text)])) if not b.cls and _key(b.text) in index
                 else b for b in blocks)


def _key(text: str) -> str:
    return SPACE.sub(" ", text).strip().casefold()


def _evidence(el) -> str:
    tokens, chrome = [], []
    for depth, node in enumerate((el, *el.iterancestors())):
        tag = _tag(node)
        if tag in ("body", "html"):
            break
        if depth < EVIDENCE_DEPTH:
            tokens.append(_tokens(node))
        if tag in CHROME:
            chrome.append(f"in-{tag}")
    parent = el.getparent()
    if parent is not None and _tag(parent) not in ("body", "html"):
        text = len(_key(parent.text_content()))
        linked = sum(len(_key(a.text_content())) for a in parent.iter("a"))
        if text and linked / text >= LINK_DENSE:
            chrome.append("link-dense")
    return " ".join(t for t in (*tokens, *sorted(set(chrome))) if t)


def _parse(markup: str):
    markup = carriable_text(markup)  # lxml cannot parse lone surrogates or NUL
    if not markup or not markup.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        try:
            return lxml.html.document_fromstring(markup)
        except (etree.ParserError, ValueError):
            return None


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _tokens(el) -> str:
    return " ".join(filter(None, (el.get("class", ""), el.get("id", ""), el.get("role", ""),
                                  el.get("aria-label", ""), el.get("data-ad-unit") and "ad")))


def _walk(el, cls: str, base: str | None, out: list, Block) -> None:
    tag = _tag(el)
    if not tag or tag in DROP or el.get("hidden") is not None or _hidden_style(el):
        return
    cls = f"{cls} {_tokens(el)}".strip()
    if tag in EMBEDS:
        href = _safe_url(el.get("src") or el.get("data") or _first_source(el), base)
        if href:
            label = el.get("title") or _host_label(href)
            out.append(Block("link", label, "", href, cls))
        if tag in VOID_EMBEDS:
            # <embed> has no content, but HTML parsers may nest the following elements in it.
            for child in el:
                _walk(child, cls, base, out, Block)
        return
    if tag == "tr" and _data_row(el):
        cells = [_inline(c, base, top=True) for c in el if _tag(c) in ("td", "th")]
        cells = [(t, m) for t, m in cells if t]
        if cells:
            out.append(Block("row", CELL_SEPARATOR.join(t for t, _ in cells),
                             CELL_SEPARATOR.join(m for _, m in cells), None, cls))
        return
    if tag in LEAVES and not (tag in CONTAINERS_OF_BLOCKS and _has_block_child(el)):
        kind = HEADINGS.get(tag) or ("quote" if tag == "blockquote" else "li" if tag == "li" else "p")
        text, markup = _inline(el, base, top=True)
        out.append(Block(kind, text, markup, None, cls))
        return
    pending: list[tuple[str, str]] = []
    if el.text:
        pending.append((el.text, htmllib.escape(el.text, quote=False)))
    for child in el:
        ctag = _tag(child)
        if ctag in BLOCKISH or ctag in DROP or ctag == "br" and _double_br(child):
            _flush(pending, cls, out, Block)
            _walk(child, cls, base, out, Block)
        elif ctag:
            text, markup = _inline(child, base)
            pending.append((text, markup))
        if child.tail:
            pending.append((child.tail, htmllib.escape(child.tail, quote=False)))
    _flush(pending, cls, out, Block)


def _flush(pending: list, cls: str, out: list, Block) -> None:
    text = SPACE.sub(" ", "".join(t for t, _ in pending)).strip()
    markup = SPACE.sub(" ", "".join(m for _, m in pending)).strip()
    pending.clear()
    if text:
        out.append(Block("p", text, markup, None, cls))


def _inline(el, base: str | None, top: bool = False) -> tuple[str, str]:
    """Text and kept inline markup of an element (links and emphasis only)."""
    tag = _tag(el)
    if not tag or tag in DROP or tag in EMBEDS:
        return "", ""
    texts, parts = [], []
    if el.text:
        texts.append(el.text)
        parts.append(htmllib.escape(el.text, quote=False))
    for child in el:
        if _tag(child) == "br":
            texts.append(" ")
            parts.append(" ")
        else:
            t, m = _inline(child, base)
            texts.append(t)
            parts.append(m)
        if child.tail:
            texts.append(child.tail)
            parts.append(htmllib.escape(child.tail, quote=False))
    text = "".join(texts)
    inner = "".join(parts)
    if top:
        return SPACE.sub(" ", text).strip(), SPACE.sub(" ", inner).strip()
    if tag == "a":
        href = _safe_url(el.get("href"), base)
        if href and text.strip():
            return text, f'<a href="{htmllib.escape(href)}">{inner}</a>'
        return text, inner
    if tag in INLINE_KEEP and text.strip():
        name = {"b": "strong", "i": "em"}.get(tag, tag)
        if name in ("em", "strong", "code"):
            return text, f"<{name}>{inner}</{name}>"
    return text, inner


def _safe_url(url: str | None, base: str | None) -> str | None:
    """Only http(s) URLs leave here; relative ones are resolved against the page's URL."""
    if not url:
        return None
    url = url.strip()
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
    except ValueError:  # "http://[bad": no URL a link could follow
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _first_source(el) -> str | None:
    for child in el.iter("source"):
        if child.get("src"):
            return child.get("src")
    return None


def _host_label(href: str) -> str:
    host = urlsplit(href).netloc.lower().removeprefix("www.")
    return f"Embedded media on {host}"


def _data_row(el) -> bool:
    """A row of cells that hold no blocks of their own (a layout table's cells hold paragraphs)."""
    cells = [c for c in el if _tag(c) in ("td", "th")]
    return bool(cells) and not any(_has_block_child(c) for c in cells)


def _has_block_child(el) -> bool:
    return any(_tag(c) in BLOCKISH for c in el.iterdescendants())


def _double_br(el) -> bool:
    nxt = el.getnext()
    return nxt is not None and _tag(nxt) == "br" and not (el.tail or "").strip()


def _hidden_style(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style
