"""Plain text: page scrapes (one block per line) and single-line blobs (one block per line too;
the cleaner rebuilds the blob's sentences and paragraphs). The fallback reader: it accepts any
text the others do not claim."""
from __future__ import annotations

from ..model import Block, RawArticle
from .document import Document, Unreadable


class PlainTextReader:
    name = "text"

    def accepts(self, doc: Document) -> bool:
        return True

    def read(self, doc: Document) -> list[RawArticle]:
        lines = [line.strip() for line in doc.text.lstrip("\ufeff").split("\n")]
        blocks = tuple(Block("p", line, "") for line in lines if line)
        if not any(ch.isalpha() for b in blocks for ch in b.text[:200]):
            raise Unreadable("no text in it")
        return [RawArticle(source=doc.source, item=None, form="text", blocks=blocks)]
