"""The render in two processes: every story's article pages in a forked helper, the rest here.

Takes the page context and what ``render_pages`` renders from, and the build's ``Stager`` (how a
page is staged and its links taken, in either process: ``incremental.py``); gives, once this
process has made its own pages, the helper's pages' sitemap entries, its units' carry and its
staged files absorbed here, as if this process had made them.

A clean build at 10,000 articles renders some 9,400 article pages (with their link parsing,
most of the render); the home page, topics, archive, editions and feeds are the rest. So when
there are many article pages to make (no carried units: a clean build, or no memo at all) and
the process may fork (two cores, no other thread: ``parallel.can_fork``), and ``DIGEST_RENDER_SPLIT=1``
asks for it (it costs memory: see ``SWITCH``), a forked copy renders
the article units and stages their files into the same staging folder (its own part file, other
paths), while this one renders the rest. Each unit is a pure function of what both processes
hold at the fork, so the files are the same bytes as one process makes; only the order in which
they are staged differs, which nothing depends on. Both collectors are frozen at the fork, so
neither walks (and so writes to) the objects made before it, and their pages stay shared; it ends by ``os._exit``
(nothing of this process's is flushed twice) and dies with the build (``parallel.py``).
"""
from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import tempfile
from collections.abc import Callable
from typing import Protocol

from ..cache import file_hash
from .theme import RenderError
from .urls import output_file

SPLIT_MIN = 400  # published stories: fewer article pages than this are not worth a second process
# Off unless asked for: the helper touches every story it renders, so the pages holding them are
# copied (reference counts are writes) and the build's peak over both processes rose from about
# 600 to 720-870 MiB at 10,000 articles, for a clean render of 19-23.5 s against 24.4 s there.
SWITCH = "DIGEST_RENDER_SPLIT"  # "1": split a clean build's render when it is worth it


class Stager(Protocol):
    """How the build stages pages: ``sink`` here; in the helper ``begin``, ``sink`` of each page,
    then ``end``'s picklable record of it, which ``adopt`` takes back here."""

    sink: Callable[[str, object], None]

    def begin(self) -> None: ...

    def end(self) -> object: ...

    def adopt(self, found: object) -> None: ...


class Staged:
    """The build's ``Stager``: each file put in ``staging`` (write.py), each page's links taken
    by ``book`` (linkbook.py); in the helper, each made page's links parsed there, and what it
    staged handed back whole."""

    def __init__(self, staging, book):
        self.staging, self.book = staging, book
        self._mark = None
        self._pages: list[tuple] = []  # the helper's: (path, digest, links or None)
        self._resolved: dict = {}

    def sink(self, path: str, content) -> None:
        from ..memo import Kept

        staging, book = self.staging, self.book
        if self._mark is not None:  # the helper
            if isinstance(content, Kept):
                staging.keep(path, content.source, content.digest)
                self._pages.append((path, content.digest, None))
            else:
                self._pages.append((path, staging.put(path, content), self._links(path, content)))
        elif isinstance(content, Kept):
            staging.keep(path, content.source, content.digest)
            book.add(path, content.digest, None, lambda: staging.read(path))
        else:
            book.add(path, staging.put(path, content), content, lambda: content)

    def _links(self, path: str, content: bytes):
        """A made page's links unless the last check kept them (the build takes those there)."""
        from ..check import page_links

        if not path.endswith(".html") or (path, file_hash(content)) in self.book.kept:
            return None
        return page_links(path, content, self.book.base_url, self._resolved)

    def begin(self) -> None:
        self.staging.as_helper()
        self._mark = self.staging.mark()

    def end(self) -> object:
        return {"staging": self.staging.since(self._mark), "pages": self._pages}

    def adopt(self, found: object) -> None:
        staging, book = self.staging, self.book
        staging.absorb(found["staging"])
        for path, digest, links in found["pages"]:
            book.add(path, digest, None, lambda path=path: staging.read(path), links)


class Helper:
    """The forked process rendering the article units, and its result once it has sent it."""

    def __init__(self, pid: int, reader: int):
        self.pid, self.reader = pid, reader

    def join(self, ctx, stager: Stager) -> list[tuple]:
        """The helper's pages as ``(relative, lastmod, in_sitemap)``, its staging and units taken
        in; raises what the helper raised. The helper has ended before its result is read: what
        it copied of this process's pages is given back first, so the two are never held at once
        (read from a pipe while it lived, they were the build's peak: 870 MiB at 10,000)."""
        try:
            _, status = os.waitpid(self.pid, 0)
            gc.unfreeze()
            os.lseek(self.reader, 0, os.SEEK_SET)
            data = _read_all(self.reader)
        finally:
            os.close(self.reader)
        if not data:
            raise RenderError(f"the article pages' process ended without a result (status {status})")
        kind, found = pickle.loads(data)
        if kind == "error":
            raise found
        stager.adopt(found["staged"])
        ctx.units.made.update(found["units"])
        if ctx.memo is not None:
            ctx.memo.rendered += found["rendered"]
            ctx.memo.reused += found["reused"]
        return found["pages"]

    def stop(self) -> None:
        """End the helper now (this process failed first)."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        gc.unfreeze()
        try:
            os.close(self.reader)
        except OSError:
            pass


def worth_splitting(ctx, published: int) -> bool:
    from .. import parallel

    if os.environ.get(SWITCH) != "1":
        return False
    if published < SPLIT_MIN or parallel.usable_cores() < 2 or not parallel.can_fork():
        return False
    return ctx.memo is None or len(ctx.units.last) < published // 2  # most units are to be made


def start(ctx, render: Callable[[], object], stager: Stager) -> Helper:
    """Fork a helper that renders the article units (``render()`` walks them: ``ctx.units.role``
    says which are whose) and sends what it made; this process goes on with the rest."""
    # the result goes to an unnamed file both processes share, not a pipe, so that the helper
    # can write it all and end before this process reads it
    reader = writer = _unnamed_file()
    # Both processes' collectors leave the objects made so far alone until the helper is done: a
    # collection writes to every object it walks, and a page either process writes to is copied
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid:
        ctx.units.role = "parent"
        return Helper(pid, reader)
    _run(ctx, render, stager, writer)  # never returns


def _unnamed_file() -> int:
    """A temporary file's descriptor, with no name (or its name removed at once)."""
    try:
        return os.open(tempfile.gettempdir(), os.O_TMPFILE | os.O_RDWR, 0o600)
    except (AttributeError, OSError):  # no O_TMPFILE here, or not on this file system
        handle, name = tempfile.mkstemp()
        os.unlink(name)
        return handle


def _run(ctx, render, stager: Stager, writer: int) -> None:
    from .. import parallel

    code = 0
    try:
        parallel._die_with_parent()
        ctx.units.role = "child"
        memo = ctx.memo
        rendered, reused = (memo.rendered, memo.reused) if memo is not None else (0, 0)
        stager.begin()
        pages = []
        for page in render():
            stager.sink(output_file(page.relative), page.content)
            pages.append((page.relative, page.lastmod, page.in_sitemap))
        found = {"pages": pages, "units": ctx.units.made, "staged": stager.end(),
                 "rendered": memo.rendered - rendered if memo is not None else 0,
                 "reused": memo.reused - reused if memo is not None else 0}
        data = pickle.dumps(("ok", found), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # the build raises it, as if it were raised there
        code = 1
        try:
            data = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            data = pickle.dumps(("error", RenderError(f"{type(exc).__name__}: {exc}")))
    try:
        _write_all(writer, data)
    finally:
        os._exit(code)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(struct.pack("<Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)


def _read_all(fd: int) -> bytes:
    head = _read_exactly(fd, 8)
    if len(head) < 8:
        return b""
    return _read_exactly(fd, struct.unpack("<Q", head)[0])


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
