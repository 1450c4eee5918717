"""Long listings cut into pages, so no page grows with the corpus.

Takes a listing (a topic's stories, the archive's) and the location of its first page; gives
each page's slice, location and ``Pager`` (its number, how many pages, links to the pages before
and after). The first page keeps the listing's own location; the others are ``<first>page/N/``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, TypeVar

STORIES_PER_PAGE = 100  # stories one topic or archive page lists

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    number: int
    count: int
    newer: str | None  # root-relative link of the page before (newer stories), if any
    older: str | None  # and of the page after

    @property
    def label(self) -> str:
        return f"page {self.number} of {self.count}"


def page_location(first: str, number: int) -> str:
    return first if number == 1 else f"{first}page/{number}/"


def paginate(items: Sequence[T], first: str, link, size: int = STORIES_PER_PAGE) -> list[tuple[Sequence[T], str, Pager | None]]:
    """(slice, location, pager) for each page; one page and no pager when everything fits.
    ``link`` turns a location into the link a page shows."""
    count = max(1, -(-len(items) // size))
    if count == 1:
        return [(items, first, None)]
    pages = []
    for number in range(1, count + 1):
        newer = link(page_location(first, number - 1)) if number > 1 else None
        older = link(page_location(first, number + 1)) if number < count else None
        pages.append((items[(number - 1) * size:number * size], page_location(first, number),
                      Pager(number, count, newer, older)))
    return pages
