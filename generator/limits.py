"""What one seed file may cost the build: its size, its items, the text handed to the cleaner, time.

Takes nothing at import; gives the limits (README, "Security", lists them with their reasons),
``LimitExceeded`` (its message is the file's one-line rejection reason), the checks the readers
and the cleaner call, and the per-file time budget.

The size limits bound the work of every single step, so that no step can take long on its own;
the time budget is the backstop for the sum. It is a deadline set when a file's reading starts
(``time_budget``) and checked between stages and inside the cleaner's loops (``check_time``).
It is cooperative, on purpose: ``signal.alarm`` works only in the main thread of the main
interpreter (a build run by a server's worker thread would lose it) and cannot interrupt C code
anyway (lxml, the regex engine), and a process per file would cost a Python start-up and the
language models per file. The deadline lives in a ``ContextVar``, so each thread has its own.
"""
from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from .model import RawArticle, Rejection

MAX_FILE_BYTES = 8 * 1024 * 1024  # a larger seed is not one article; bounds each file's memory
MAX_ITEMS_PER_FILE = 500  # feed items or posts read from one file; grouping compares every pair
MAX_ARTICLE_CHARS = 200_000  # text handed to the cleaner per article (~30,000 words)
MAX_ARTICLE_BLOCKS = 3_000  # paragraphs, lines or list items per article
MAX_HTML_ELEMENTS = 30_000  # elements of one HTML page or fragment, before extraction
MAX_MARKDOWN_CHARS = 1_000_000  # a Markdown body before rendering (5x the text it may give)
FILE_SECONDS = 60.0  # wall-clock budget for reading and cleaning one file: a backstop
ERROR_DETAIL_CHARS = 160  # how much of an unexpected exception's message a rejection line shows

T = TypeVar("T")
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("seed_file_deadline", default=None)


class LimitExceeded(ValueError):
    """A seed file (or an item in it) is over a limit; the message is the rejection reason."""


def check_file_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise LimitExceeded(f"file too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")


FILE_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
              stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder", stat.S_IFLNK: "a symbolic link"}


def read_regular_file(path: str | os.PathLike) -> bytes:
    """A regular file's bytes, never more than ``MAX_FILE_BYTES``; ``LimitExceeded`` for anything
    else (a FIFO, a device, a socket, a link, a file over the limit) without reading it.

    The file is opened without blocking and without following a link, and checked on the open
    descriptor: a FIFO would block ``open`` and ``read`` forever, a device never ends, and a name
    checked before opening may be swapped for one of those between the check and the open.
    """
    _check_regular(os.lstat(path))  # a socket cannot even be opened: say what it is first
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        status = os.fstat(fd)
        _check_regular(status)
        check_file_size(status.st_size)
        chunks, left = [], MAX_FILE_BYTES + 1  # one byte over: the file may be growing
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    check_file_size(len(data))
    return data


def _check_regular(status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise LimitExceeded(f"not a regular file ({FILE_KINDS.get(stat.S_IFMT(status.st_mode), 'special')})")


def first_items(items: Sequence[T], source: str) -> tuple[Sequence[T], list[Rejection]]:
    """The items a file may give, and a line naming what is left unread when it holds more."""
    if len(items) <= MAX_ITEMS_PER_FILE:
        return items, []
    left = len(items) - MAX_ITEMS_PER_FILE
    return items[:MAX_ITEMS_PER_FILE], [Rejection(source, (
        f"{left:,} of its {len(items):,} items not read: the limit is {MAX_ITEMS_PER_FILE:,} items per file"))]


def check_html_elements(count: int) -> None:
    if count > MAX_HTML_ELEMENTS:
        raise LimitExceeded(f"HTML too complex ({count:,} elements; the limit is {MAX_HTML_ELEMENTS:,})")


def check_markdown_size(chars: int) -> None:
    if chars > MAX_MARKDOWN_CHARS:
        raise LimitExceeded(f"Markdown too long ({chars:,} characters; the limit is {MAX_MARKDOWN_CHARS:,})")


def article_over_limit(raw: RawArticle) -> str | None:
    """Why a raw article is too big to clean, or None: its blocks, or all its text together."""
    if len(raw.blocks) > MAX_ARTICLE_BLOCKS:
        return f"too many blocks ({len(raw.blocks):,}; the limit is {MAX_ARTICLE_BLOCKS:,} per article)"
    chars = sum(len(b.text) for b in raw.blocks) + sum(len(value) for value in (
        raw.title, raw.author, raw.publisher, raw.url, raw.summary, raw.item, raw.language) if value)
    if chars > MAX_ARTICLE_CHARS:
        return f"article text too long ({chars:,} characters; the limit is {MAX_ARTICLE_CHARS:,})"
    return None


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Give the code inside (one file's reading and cleaning) ``seconds``, by default FILE_SECONDS."""
    limit = FILE_SECONDS if seconds is None else seconds
    token = _DEADLINE.set((time.monotonic() + limit, limit))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_time(stage: str) -> None:
    """Raise ``LimitExceeded`` if the current file has used up its time; free outside a budget."""
    budget = _DEADLINE.get()
    if budget is not None and time.monotonic() > budget[0]:
        raise LimitExceeded(f"took longer than {budget[1]:g} s (the limit per file), while {stage}")


def timed(items: Sequence[T], stage: str = "reading items") -> Iterator[T]:
    """The items, one by one, checking the file's time budget before each."""
    for item in items:
        check_time(stage)
        yield item


def internal_error(stage: str, exc: BaseException) -> str:
    """The rejection reason for a bug met while reading or cleaning one file."""
    detail = " ".join(str(exc).split())
    if len(detail) > ERROR_DETAIL_CHARS:
        detail = detail[:ERROR_DETAIL_CHARS] + "…"
    return f"internal error while {stage}: {type(exc).__name__}" + (f": {detail}" if detail else "")
