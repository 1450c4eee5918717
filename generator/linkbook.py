"""The build's link check, fed page by page as the pages are staged, never holding their bytes.

Takes each staged file's path and content hash (and, for a page, its bytes while in hand), the
base URL and the ``PageLinks`` kept from the last check by (path, content hash); gives the broken
internal links and anchors, the same lines ``check.link_problems`` finds over the whole site.

A page whose (path, hash) was kept is not parsed again; others are parsed from the bytes just
rendered (or read back from the staged file). The verdicts need not be made for every page
either: the last written site had no broken link (a build with one writes nothing), so a page
left exactly as it was can only break when a file it may point to is gone, a page lost an id, or
a new file stands before the one a link found (``check._candidates`` tries two). When none of
these happened, only the changed and new pages are checked; otherwise every page is, as before.
The sitemap is judged again only when its bytes changed or every page is.

The kept links are a ``LinkTable``: every distinct link and id set once, each page a row of
indexes into them, so storing and loading 10,000 pages' links moves a few small arrays rather
than a million tuples, and a page's ``PageLinks`` are made only when a check needs them. A build
appends its new pages' links to the last table (kept rows stay valid; only what it appends is
indexed, so an edit costs its own pages, not the table) and makes the table afresh once it has
doubled.

When a build parses many pages (a clean build: every page), the parsing goes to a helper
process of its own (``_Parser``, a fresh interpreter's fork: it holds no page of the build) once ``PARSE_HERE`` pages were parsed here, so it runs on the other core
while this one renders: the pages' bytes go to it in batches, their ``PageLinks`` come back in
the same order, and at most ``AHEAD`` batches wait, so the bytes held stay bounded. A page's
links are a pure function of its path, bytes and the base URL, so where they were parsed
changes nothing.
"""
from __future__ import annotations

import threading
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Mapping

from .check import PageLinks, broken_links, page_links

PARSE_HERE = 200  # pages a build parses in this process before a helper takes the rest
BATCH = 64  # pages sent to the helper at a time
AHEAD = 8  # batches that may wait for the helper before the build waits for it

PageKey = tuple[str, str]  # (path, content hash)
Row = tuple[int, bytes]  # an id set's index, and the links' indexes as an array("I")


class LinkTable:
    """Pages' ``PageLinks`` by (path, content hash), each distinct link and id set stored once."""

    def __init__(self, links: list | None = None, idsets: list | None = None, fresh: int | None = None):
        self.links = links if links is not None else []  # distinct link tuples, append-only
        self.idsets = idsets if idsets is not None else []
        self.rows: dict[PageKey, Row] = {}
        self.fresh = fresh  # the table's size when last made afresh (None: it is being made now)
        self._index: dict | None = None
        # links and id sets from these on are the ones this table's index holds: a successor
        # indexes only what it appends, not the whole last table (a page's link found there
        # again is appended once more, and ``compacted`` drops the copies in time)
        self._from = (0, 0)

    @classmethod
    def of(cls, pages: Mapping[PageKey, PageLinks]) -> LinkTable:
        table = cls()
        for page_key, found in pages.items():
            table.add(page_key, found)
        table.fresh = len(table.links)
        return table

    def __contains__(self, page_key: PageKey) -> bool:
        return page_key in self.rows

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, page_key: PageKey) -> PageLinks | None:
        row = self.rows.get(page_key)
        return None if row is None else PageLinks(self.idsets[row[0]], tuple(map(self.links.__getitem__, array("I", row[1]))))

    def add(self, page_key: PageKey, found: PageLinks) -> None:
        index = self._make_index()
        for value in found.links:
            if value not in index:
                index[value] = len(self.links)
                self.links.append(value)
        if found.ids not in index:
            index[found.ids] = len(self.idsets)
            self.idsets.append(found.ids)
        self.rows[page_key] = (index[found.ids], array("I", (index[v] for v in found.links)).tobytes())

    def successor(self) -> LinkTable:
        """An empty table over the same links, for the next build's rows (kept ones copied over)."""
        table = LinkTable(self.links, self.idsets, self.fresh if self.links else None)
        table._from = (len(self.links), len(self.idsets))
        return table

    def compacted(self) -> LinkTable:
        """This table, made afresh once appended links have doubled it: stale ones go."""
        if self.fresh is None:
            self.fresh = len(self.links)  # made from nothing in this build: nothing stale
        if len(self.links) <= 2 * max(self.fresh, 1000):
            return self
        return LinkTable.of({page_key: self.get(page_key) for page_key in self.rows})

    def __getstate__(self) -> dict:
        return {"links": self.links, "idsets": self.idsets, "rows": self.rows, "fresh": self.fresh}

    def __setstate__(self, state: dict) -> None:
        self.links, self.idsets, self.rows, self.fresh = state["links"], state["idsets"], state["rows"], state["fresh"]
        self._index, self._from = None, (0, 0)

    def _make_index(self) -> dict:
        """Each link's and id set's index (one dict for both: a link is a tuple, an id set a
        frozenset, so they never collide); made only when a page is added."""
        if self._index is None:
            links, idsets = self._from
            self._index = {self.links[n]: n for n in range(links, len(self.links))}
            self._index.update((self.idsets[n], n) for n in range(idsets, len(self.idsets)))
        return self._index


class _Pages(Mapping):
    """The staged pages' ``PageLinks`` by path, made from the table when first asked for."""

    def __init__(self, table: LinkTable):
        self.table = table
        self.keys_by_path: dict[str, PageKey] = {}
        self._made: dict[str, PageLinks] = {}

    def __getitem__(self, path: str) -> PageLinks:
        found = self._made.get(path)
        if found is None:
            found = self._made[path] = self.table.get(self.keys_by_path[path])
        return found

    def __contains__(self, path) -> bool:
        return path in self.keys_by_path

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_by_path)

    def __len__(self) -> int:
        return len(self.keys_by_path)


class LinkBook:
    def __init__(self, base_url: str, kept: LinkTable | Mapping[PageKey, PageLinks],
                 previous: Mapping[str, str] | None = None):
        """``kept``: the last check's pages (a ``LinkTable``, or their ``PageLinks`` by key);
        ``previous``: the files the last written site's link check saw, with their content
        hashes (None: unknown, so every page is checked)."""
        self.base_url = base_url
        self.kept = kept if isinstance(kept, LinkTable) else LinkTable.of(kept)
        self.previous = previous
        self.seen = self.kept.successor()  # this build's pages, for the next check
        self._pages = _Pages(self.seen)
        self.paths: set[str] = set()
        self.changed: set[str] = set()  # new paths and paths whose bytes differ from the last site's
        self.sitemap: bytes | None = None
        self.parsed = 0
        self.checked = 0  # pages judged by the last ``problems()``
        self._resolved: dict = {}
        self._parser: _Parser | None = None  # the helper process parsing pages, once started
        self._batch: list[tuple[PageKey, bytes]] = []  # pages for the helper, not sent yet
        self._sent: deque = deque()  # (page keys, their future), in the order sent

    def add(self, path: str, digest: str, content: bytes | None, read: Callable[[], bytes],
            links: PageLinks | None = None) -> None:
        """One staged file; ``read`` gives its bytes when ``content`` is None and they are needed;
        ``links``: its links, parsed already (by the process that rendered it: render/split.py)."""
        self.paths.add(path)
        if self.previous is None or self.previous.get(path) != digest:
            self.changed.add(path)
        if path == "sitemap.xml":
            self.sitemap = content if content is not None else read()
        if not path.endswith(".html"):
            return
        page_key = (path, digest)
        row = self.kept.rows.get(page_key)
        if row is None:
            if links is not None:
                self.seen.add(page_key, links)
            else:
                self._parse(page_key, content if content is not None else read())
            self.parsed += 1
        else:
            self.seen.rows[page_key] = row
        self._pages.keys_by_path[path] = page_key

    @property
    def pages(self) -> _Pages:
        """Each staged page's ``PageLinks`` by path (those the helper parses, once it has)."""
        self.settle()
        return self._pages

    def _parse(self, page_key: PageKey, content: bytes) -> None:
        """One page's links, parsed here or, once many pages were, by the helper process."""
        if self._parser is None and self.parsed >= PARSE_HERE and may_start_helper():
            self._parser = _Parser.start()
        if self._parser is None:
            self.seen.add(page_key, page_links(page_key[0], content, self.base_url, self._resolved))
            return
        self._batch.append((page_key, content))
        if len(self._batch) >= BATCH:
            self._send()

    def _send(self) -> None:
        keys = [page_key for page_key, _ in self._batch]
        self._sent.append((keys, self._parser.parse(self.base_url, self._batch)))
        self._batch = []
        while len(self._sent) > AHEAD:
            self._take(*self._sent.popleft())

    def _take(self, keys: list[PageKey], future) -> None:
        for page_key, found in zip(keys, future.result(), strict=True):
            self.seen.add(page_key, found)

    def settle(self) -> None:
        """Every page sent to the helper parsed and added; the helper ended."""
        if self._parser is None:
            return
        try:
            if self._batch:
                self._send()
            while self._sent:
                self._take(*self._sent.popleft())
        finally:
            self._parser.close()
            self._parser, self._batch = None, []
            self._sent.clear()

    def problems(self) -> list[str]:
        """The broken links of the site staged, one line each, in ``link_problems``' order."""
        self.settle()
        everything = self._all_needed()
        checked = self.pages if everything else {p: self.pages[p] for p in sorted(self.changed) if p in self.pages}
        self.checked = len(checked)
        # an unchanged sitemap was whole in the last site, and no file it may name is gone
        sitemap = self.sitemap if everything or "sitemap.xml" in self.changed else None
        return broken_links(self.paths, self.pages, sitemap, self.base_url, checked)

    def checked_all(self) -> bool:
        self.settle()
        return self._all_needed()

    def close(self) -> None:
        """Drop every page's links once judged and stored (``seen`` too): the build goes on to the
        search index, which should not run beside them. Ends the helper, if any."""
        if self._parser is not None:
            self._parser.close()
            self._parser = None
        self.kept, self.seen, self._resolved = LinkTable(), LinkTable(), {}
        self._pages = _Pages(self.seen)

    def _all_needed(self) -> bool:
        if self.previous is None:
            return True
        if any(path not in self.paths for path in self.previous):
            return True  # a file is gone: a kept page may point to it
        for path in self.changed:
            if f"{path}/index.html" in self.paths:
                return True  # a new file tried before an old one (``_candidates``' order)
            if path in self.previous and path.endswith(".html"):
                before = self.kept.get((path, self.previous[path]))
                if before is None or not before.ids <= self.pages[path].ids:
                    return True  # a page lost an id (or its old ids are unknown)
        return False



class _Parser:
    """A helper process that parses pages' links (``check.page_links``), batch by batch. Started
    from a fork server, never forked from the build: a fork shares the build's pages only until
    either process writes to them, and the build goes on rendering, so a forked copy came to hold
    some 220 MiB at 10,000 articles; this one holds the parser alone. It ends with the build
    however the build ends (``parallel.py``'s two ties)."""

    def __init__(self, pool, lifeline, held):
        self.pool, self.lifeline, self.held = pool, lifeline, held

    @classmethod
    def start(cls) -> _Parser | None:
        """A helper, or None where one core is all there is (parsing here costs the same)."""
        from concurrent.futures import ProcessPoolExecutor

        from . import parallel

        if parallel.usable_cores() < 2:
            return None
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        lifeline, held = context.Pipe(duplex=False)  # nothing is sent: only its end matters
        pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start_helper,
                                   initargs=(lifeline, held))
        return cls(pool, lifeline, held)

    def parse(self, base_url: str, pages: list[tuple[PageKey, bytes]]):
        return self.pool.submit(_parse_pages, base_url, pages)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.lifeline.close()
        self.held.close()


def may_start_helper() -> bool:
    """Whether a helper may be started here: a fork server's process imports the main module
    again, which is harmless when it was run by name (``python -m generator``: its work is under
    ``if __name__ == "__main__"``) but runs a script given by path over again where the script
    has no such guard; so a build run from a script parses its pages itself."""
    import sys

    return getattr(sys.modules.get("__main__"), "__spec__", None) is not None


_RESOLVED: dict = {}  # in the helper: each base URL's link resolutions, shared by its pages


def _start_helper(lifeline, held) -> None:
    from . import parallel

    held.close()
    parallel._die_with_parent()
    threading.Thread(target=parallel._end_at_eof, args=(lifeline,), name="lifeline", daemon=True).start()


def _parse_pages(base_url: str, pages: list[tuple[PageKey, bytes]]) -> list[PageLinks]:
    resolved = _RESOLVED.setdefault(base_url, {})
    return [page_links(page_key[0], content, base_url, resolved) for page_key, content in pages]
