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
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from .check import PageLinks, broken_links, page_links

PageKey = tuple[str, str]  # (path, content hash)


class LinkBook:
    def __init__(self, base_url: str, kept: Mapping[PageKey, PageLinks],
                 previous: Mapping[str, str] | None = None):
        """``previous``: the files the last written site's link check saw, with their content
        hashes (None: unknown, so every page is checked)."""
        self.base_url = base_url
        self.kept = kept
        self.previous = previous
        self.pages: dict[str, PageLinks] = {}
        self.seen: dict[PageKey, PageLinks] = {}  # this build's pages, for the next check
        self.paths: set[str] = set()
        self.changed: set[str] = set()  # new paths and paths whose bytes differ from the last site's
        self.sitemap: bytes | None = None
        self.parsed = 0
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
        found = self.kept.get((path, digest))
        if found is None:
            found = page_links(path, content if content is not None else read(), self.base_url, self._resolved)
            self.parsed += 1
        self.pages[path] = self.seen[(path, digest)] = found

    def problems(self) -> list[str]:
        """The broken links of the site staged, one line each, in ``link_problems``' order."""
        checked = self.pages if self._all_needed() else {p: self.pages[p] for p in self.changed if p in self.pages}
        return broken_links(self.paths, self.pages, self.sitemap, self.base_url, checked)

    def checked_all(self) -> bool:
        return self._all_needed()

    def close(self) -> None:
        """Drop every page's links once judged and stored (``seen`` too): the build goes on to the
        search index, which should not run beside them."""
        self.kept, self.pages, self.seen, self._resolved = {}, {}, {}, {}

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

