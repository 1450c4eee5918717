"""Characters no page or feed can carry, removed from whatever a source gave.

Takes strings (or a whole ``RawArticle``); gives them without C0 controls other than tab, newline
and carriage return, DEL, C1 controls, lone surrogates (a JSON ``\\ud800`` escape gives one) and
U+FFFE/U+FFFF. XML 1.0 refuses them (lxml raises, so one title could stop the feeds), UTF-8 cannot
encode a lone surrogate (so one could stop every page), and none is ever text a reader should see.
Vertical tab and form feed become spaces; the rest are dropped.
"""
from __future__ import annotations

import re
from dataclasses import fields, replace

from ..model import Block, RawArticle

UNCARRIABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
SPACE_LIKE = re.compile(r"[\x0b\x0c]")


def carriable_text(text: str) -> str:
    return UNCARRIABLE.sub("", SPACE_LIKE.sub(" ", text)) if text else text


def carriable(raw: RawArticle) -> RawArticle:
    """The raw article with every string made safe to write into HTML, XML and UTF-8."""
    changes = {f.name: carriable_text(getattr(raw, f.name)) for f in fields(raw)
               if isinstance(getattr(raw, f.name), str)}
    blocks = tuple(Block(b.kind, carriable_text(b.text), carriable_text(b.html),
                         carriable_text(b.href) if b.href else b.href, carriable_text(b.cls))
                   for b in raw.blocks)
    return replace(raw, blocks=blocks, **changes)
