"""Put back the parts of an article body that the extractor left out because the page split it.

Takes the blocks cut from the extractor's output and the page's own tree; gives the blocks with the
missing parts inserted in page order. Many pages cut one article body into several containers of
the same element and class (``<div class="body__container">`` between ad slots, one per "chunk");
an extractor that scores containers may take the first and drop the rest. Evidence, not wording:
a container is a part of the body when it has exactly the tag and class of the containers that
hold most of the extracted paragraphs, sits inside the same article (or the nearest common
section), was not extracted at all, and holds prose (paragraphs with sentence ends). Its blocks
then go through the classifier like every other block.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .html_blocks import CHROME, html_to_blocks

SPACE = re.compile(r"\s+")
PARAGRAPHS = ("p", "li", "blockquote", "h2", "h3", "h4")
MIN_SHARED = 2  # extracted paragraphs that must share one container signature
MIN_PROSE_WORDS = 25  # a recovered container must hold this much prose
SENTENCE_END = re.compile(r"[.!?…。！？\"”»’)]\s*$")
SCOPES = ("article", "main")
SCOPE_DEPTH = 3  # without an <article>/<main>, how far up the common section is looked for


def _key(text: str) -> str:
    return SPACE.sub(" ", text).strip().casefold()


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _signature(el) -> tuple[str, str] | None:
    cls = " ".join((el.get("class") or "").split())
    return (_tag(el), cls) if cls else None


def restore_split_body(blocks: tuple, tree, url: str | None) -> tuple:
    """``blocks`` with the page's unextracted containers of the body's own signature put back."""
    from lxml import html as lxml_html

    wanted = {_key(b.text) for b in blocks if b.text}
    # lxml hands out one Python proxy per element while something holds it: holding them all keeps
    # identities (and the positions below) stable for the whole pass.
    elements = list(tree.iter())
    order = {id(el): i for i, el in enumerate(elements)}
    matched = [el for el in tree.iter(*PARAGRAPHS) if _key(el.text_content()) in wanted]
    containers = Counter(_signature(el.getparent()) for el in matched if el.getparent() is not None)
    containers.pop(None, None)
    if not containers:
        return blocks
    signature, count = max(containers.items(), key=lambda kv: (kv[1], kv[0]))
    if count < MIN_SHARED:
        return blocks
    holders = [el.getparent() for el in matched if _signature(el.getparent()) == signature]
    scope = _scope(holders[0])
    extracted = {id(h) for h in holders}
    place = {_key(el.text_content()): order[id(el)] for el in reversed(matched)}
    result = list(_carry(blocks, place))
    for candidate in scope.iter(signature[0]):
        if id(candidate) in extracted or _signature(candidate) != signature or _in_chrome(candidate, scope):
            continue
        if any(_key(p.text_content()) in wanted for p in candidate.iter(*PARAGRAPHS)):
            continue  # partly extracted: the extractor chose what to keep of it
        # Class evidence is left to ``with_markup_evidence``, which reads the whole page (ancestors,
        # chrome, link-dense lists) as it does for the extracted blocks.
        found = [replace(b, cls="") for b in html_to_blocks(lxml_html.tostring(candidate, encoding="unicode",
                                                                               with_tail=False), url)
                 if b.kind != "link" and _key(b.text) not in wanted]
        if sum(len(b.text.split()) for b in found if SENTENCE_END.search(b.text)) < MIN_PROSE_WORDS:
            continue
        at = order[id(candidate)]
        cut = next((i for i, (pos, _) in enumerate(result) if pos > at), len(result))
        result[cut:cut] = [(at, b) for b in found]
        wanted.update(_key(b.text) for b in found)
    return tuple(b for _, b in result)


def _carry(blocks: tuple, place: dict):
    """Each block with the page position of the last block at or before it that the page shows."""
    last = -1
    for block in blocks:
        last = place.get(_key(block.text), last)
        yield last, block


def _scope(holder):
    """The article holding the body's containers, or a section a few levels above them."""
    for ancestor in holder.iterancestors():
        if _tag(ancestor) in SCOPES:
            return ancestor
    node = holder
    for _ in range(SCOPE_DEPTH):
        if node.getparent() is None or _tag(node.getparent()) in ("body", "html"):
            break
        node = node.getparent()
    return node


def _in_chrome(el, scope) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is scope:
            return False
        if _tag(ancestor) in CHROME:
            return True
    return False
