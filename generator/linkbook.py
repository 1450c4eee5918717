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
"""
from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping

from .check import PageLinks, broken_links, page_links

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
        self.pages = _Pages(self.seen)
        self.paths: set[str] = set()
        self.changed: set[str] = set()  # new paths and paths whose bytes differ from the last site's
        self.sitemap: bytes | None = None
        self.parsed = 0
        self.checked = 0  # pages judged by the last ``problems()``
        self._resolved: dict = {}

    def add(self, path: str, digest: str, content: bytes | None, read: Callable[[], bytes]) -> None:
        """One staged file; ``read`` gives its bytes when ``content`` is None and they are needed."""
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
            self.seen.add(page_key, page_links(path, content if content is not None else read(), self.base_url,
                                               self._resolved))
            self.parsed += 1
        else:
            self.seen.rows[page_key] = row
        self.pages.keys_by_path[path] = page_key

    def problems(self) -> list[str]:
        """The broken links of the site staged, one line each, in ``link_problems``' order."""
        everything = self._all_needed()
        checked = self.pages if everything else {p: self.pages[p] for p in sorted(self.changed) if p in self.pages}
        self.checked = len(checked)
        # an unchanged sitemap was whole in the last site, and no file it may name is gone
        sitemap = self.sitemap if everything or "sitemap.xml" in self.changed else None
        return broken_links(self.paths, self.pages, sitemap, self.base_url, checked)

    def checked_all(self) -> bool:
        return self._all_needed()

    def close(self) -> None:
        """Drop every page's links once judged and stored (``seen`` too): the build goes on to the
        search index, which should not run beside them."""
        self.kept, self.seen, self._resolved = LinkTable(), LinkTable(), {}
        self.pages = _Pages(self.seen)

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

