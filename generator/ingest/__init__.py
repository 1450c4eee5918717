"""Read every file in the seeds folder into raw articles, sniffing each file's form from its content.

Takes a folder; gives ``RawArticle`` records (one per article: a file may hold several) and
``Rejection`` records (one line per file that yields nothing). The readers are registered in
``READERS``, tried in order; the first whose ``accepts`` says yes reads the file. A new input
form is one new module with a reader class, added to this table.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from ..model import RawArticle, Rejection
from .decode import NotText, decode
from .feeds import FeedReader, JsonFeedReader
from .html_page import HtmlPageReader
from .markdown_doc import MarkdownReader
from .plain_text import PlainTextReader
from .wordpress import WordPressReader
from .document import Document, Unreadable

MAX_FILE_BYTES = 8 * 1024 * 1024  # a larger seed is almost certainly not one article


class Reader(Protocol):
    name: str

    def accepts(self, doc: Document) -> bool: ...

    def read(self, doc: Document) -> list[RawArticle]: ...


READERS: tuple[Reader, ...] = (
    JsonFeedReader(),
    WordPressReader(),
    FeedReader(),
    HtmlPageReader(),
    MarkdownReader(),
    PlainTextReader(),
)


def seed_files(folder: Path) -> list[Path]:
    """Every regular file under the folder, in a stable order; hidden files and links are skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not name.startswith(".") and path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def read_file(path: Path, source: str) -> tuple[list[RawArticle], list[Rejection]]:
    """Read one seed file: its articles, or the one line saying why it has none."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [], [Rejection(source, f"file too large ({size} bytes; the limit is {MAX_FILE_BYTES})")]
        text = decode(path.read_bytes())
    except NotText as exc:
        return [], [Rejection(source, str(exc))]
    except OSError as exc:
        return [], [Rejection(source, f"cannot read file: {exc.strerror or exc}")]
    return read_document(Document(source, text))


def read_document(doc: Document) -> tuple[list[RawArticle], list[Rejection]]:
    reader = next(r for r in READERS if r.accepts(doc))
    try:
        articles = reader.read(doc)
    except Unreadable as exc:
        return [], [Rejection(doc.source, str(exc))]
    except RecursionError:
        return [], [Rejection(doc.source, f"{reader.name}: structure nested too deeply")]
    if not articles:
        return [], [Rejection(doc.source, f"{reader.name}: no article in it")]
    return articles, []


def read_seeds(folder: Path) -> tuple[list[RawArticle], list[Rejection]]:
    articles: list[RawArticle] = []
    rejections: list[Rejection] = []
    for path in seed_files(folder):
        source = path.relative_to(folder).as_posix()
        found, rejected = read_file(path, source)
        articles.extend(found)
        rejections.extend(rejected)
    return articles, rejections


__all__ = ["READERS", "Document", "read_seeds", "read_file", "read_document", "seed_files"]
