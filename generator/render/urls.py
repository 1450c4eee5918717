"""Slugs, output paths and links: where every page lives and how other pages point to it.

Takes the config and the published articles; gives ``Urls``, which answers three questions for
any page given by its output-relative location (``""`` for the home page, ``"articles/<slug>/"``
for a folder page, ``"feed.json"`` for a file): the link to use inside the site (``link``), the
absolute URL for feeds, canonicals and the sitemap (``absolute``), and the file it is written to
(``output_file``). Slugs come only from python-slugify, so they hold ``[a-z0-9-]`` and can never
climb out of the output folder; at most 80 characters; never a name Windows reserves for a
device (``con``, ``nul``, ``com1``…), which no folder there can have.
"""
from __future__ import annotations

import marshal
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from slugify import slugify

from ..cache import file_hash
from ..config import SiteConfig
from ..model import Article

FALLBACK_SLUG = "article"
SLUG_MAX_LENGTH = 80
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                             *(f"lpt{i}" for i in range(10))})

HOME = ""
ABOUT = "about/"
ARCHIVE = "archive/"
SEARCH = "search/"
NOT_FOUND = "404.html"
ARTICLES = "articles/"
TOPICS = "topics/"
EDITIONS = "editions/"


def slug_of(title: str) -> str:
    """A safe folder name for a title: lower-case ASCII words joined by hyphens, never empty."""
    slug = slugify(title or "", max_length=SLUG_MAX_LENGTH, word_boundary=True)
    if not slug.strip(".-"):
        return FALLBACK_SLUG
    return f"{slug}-{FALLBACK_SLUG}" if slug in WINDOWS_DEVICES else slug


def carried_slugs(articles: Iterable[Article], known: dict[str, str],
                  last: tuple[str, dict] | None) -> tuple[dict[tuple[str, str], str], tuple[str, dict]]:
    """``assign_slugs``, and what to hand the next build as ``last``: the assignment with a
    digest of each key's title, given back as it was when those are the same (one pass over
    the articles, no sorting)."""
    articles = list(articles)
    titles: dict[tuple[str, str], str] = {}
    for article in articles:
        titles.setdefault(article.key, article.title)  # of one key, the first (the sort is stable)
    digest = file_hash(marshal.dumps(tuple(titles.items()), 0))  # the order too: a mismatch only costs time
    if last is not None and last[0] == digest:
        return dict(last[1]), last
    slugs = assign_slugs(articles, known)
    return slugs, (digest, slugs)


def assign_slugs(articles: Iterable[Article], known: dict[str, str] | None = None) -> dict[tuple[str, str], str]:
    """One unique slug per article key, given in (source, item) order so builds agree.

    A slug already taken gets ``-2``, ``-3``...; the order, not the input order, decides who wins.
    ``known``: ``slug_of`` by title, from the last build (it is pure, and slugify is slow); the
    titles slugged now are added to it.
    """
    known = {} if known is None else known
    taken: set[str] = set()
    slugs: dict[tuple[str, str], str] = {}
    for article in sorted(articles, key=lambda a: a.key):
        if article.key in slugs:
            continue
        base = known.get(article.title)
        if base is None:
            base = known[article.title] = slug_of(article.title)
        slugs[article.key] = _first_free(base, taken)
        taken.add(slugs[article.key])
    return slugs


def _first_free(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def output_file(relative: str) -> str:
    """The file a location is written to: folders (and the home page) hold an ``index.html``."""
    return relative + "index.html" if relative == HOME or relative.endswith("/") else relative


def topic_page(slug: str) -> str:
    return f"{TOPICS}{slug}/"


@dataclass(frozen=True)
class Urls:
    """Links and absolute URLs for one build, with the article slugs already fixed."""

    base_url: str  # absolute, ends with "/"
    base_path: str  # "/" or "/digest/"
    slugs: dict[tuple[str, str], str] = field(default_factory=dict, compare=False)

    @classmethod
    def for_site(cls, config: SiteConfig, articles: Iterable[Article], known: dict[str, str] | None = None) -> "Urls":
        return cls(config.base_url, config.base_path, assign_slugs(articles, known))

    def link(self, relative: str) -> str:
        """A root-relative link for use inside the site's own pages."""
        return self.base_path + relative

    def absolute(self, relative: str) -> str:
        """An absolute URL, for feeds, canonicals, the sitemap and OpenGraph."""
        return self.base_url + relative

    def absolutize(self, href: str) -> str:
        """Turn a root-relative link (``/digest/x/``) into an absolute URL; leave others alone."""
        return urljoin(self.base_url, href) if href.startswith("/") and not href.startswith("//") else href

    def article_page(self, article: Article) -> str:
        return f"{ARTICLES}{self.slugs[article.key]}/"
