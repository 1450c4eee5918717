"""Pages skipped a group at a time: one comparison for all the pages one thing makes.

Takes the page memo (``generator.memo.PageMemo``: what the last build carried, the old output
folder) and, for each *unit* (a story's article pages, a page of a topic's timeline, a week's
edition, the home page), a key of everything its pages are made from and a function that makes
them; gives the unit's ``Page`` records: the last build's (each a ``memo.Kept``, handed on
unread) when the key is the one the last build made them under and the old folder still holds
them, else made now. So an unchanged story costs one key and one dict lookup, never the keying
of each page it shows.

A unit's key is ``digest(salt, templates, parts)`` (``digests.digest``): the memo's salt (the code version and every
config field the render reads), the sources of every template the unit's template reaches, and
``parts``, the digests of what its pages show (story views by ``digests.view_digest``, which
covers a story's articles, slugs, titles and note). Whoever calls ``pages`` must name in
``parts`` every input of ``make`` that neither the salt nor the templates cover: that is the
contract that keeps incremental and clean builds byte-identical. A template that names another
through a variable, or that cannot be read, gives no key (its pages are made every build).

What each unit made (its key, and each page's location, hash, date and sitemap flag) is carried
to the next build under ``CARRY``: a few short strings per page.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import jinja2

from ..cache import key
from ..memo import Kept, digest_of, template_reads
from .digests import digest
from ..model import PartialDate
from .urls import output_file

CARRY = "units"
PARENT_SHARE = 3  # split.py: the build's own process renders one topic story in this many


class Units:
    """This build's units: ``pages(key, make)`` for each. Without a memo every unit is made."""

    def __init__(self, memo=None, env: jinja2.Environment | None = None):
        self.memo, self.env = memo, env
        last = memo.carried.get(CARRY) if memo is not None else None
        self.last = last if isinstance(last, dict) else {}
        self.made: dict[str, tuple] = {}
        if memo is not None:
            memo.carry[CARRY] = self.made
        self._templates: dict[tuple[str, ...], str | None] = {}
        self._dates: dict[tuple, PartialDate] = {}  # one record per date the kept pages show
        # which pages this process renders (split.py): None all, "child" most article units,
        # "parent" all the others and the rest of the article units (``takes``)
        self.role: str | None = None

    def takes(self, n: int) -> bool:
        """Whether this process renders a topic's ``n``-th story's article pages: with a helper
        (split.py), one story in ``PARENT_SHARE`` stays here, beside the pages only this process makes."""
        if self.role is None:
            return True
        return (n % PARENT_SHARE == 0) == (self.role == "parent")

    def key(self, templates: tuple[str, ...], *parts: str) -> str | None:
        """The key of a unit rendered with ``templates``; None without a memo, or when one of the
        templates' reach cannot be known."""
        if self.memo is None:
            return None
        found = self._templates.get(templates, "")
        if found == "":
            found = self._templates[templates] = self._sources(templates)
        return None if found is None else digest(found, *parts)

    def _sources(self, templates: tuple[str, ...]) -> str | None:
        sources = []
        for name in templates:
            paths, source = template_reads(self.env, name, self.memo)
            if paths is None:
                return None
            sources.append(source)
        return key(self.memo.salt, *templates, *sources)

    def reads(self, template: str) -> frozenset | None:
        """The context paths ``template`` and those it reaches read (None: any)."""
        return template_reads(self.env, template, self.memo)[0] if self.env is not None else None

    def pages(self, unit_key: str | None, make: Callable[[], Iterable]) -> Iterator:
        if unit_key is None:
            made = list(make())
            if self.memo is not None:
                self.memo.rendered += len(made)
            yield from made
            return
        kept = self._kept(self.last.get(unit_key))
        if kept is None:
            made = list(make())
            self.memo.rendered += len(made)
            self.made[unit_key] = tuple((p.relative, _digest_of(p.content), _plain(p.lastmod), p.in_sitemap)
                                        for p in made)
            yield from made
            return
        self.made[unit_key] = self.last[unit_key]
        self.memo.reused += len(kept)
        yield from kept

    def _kept(self, entry: tuple | None) -> list | None:
        """The last build's pages of a unit, if the old folder still holds each one."""
        from .pages import Page  # pages.py builds on this module

        if entry is None:
            return None
        pages = []
        trust, dates = self.memo.trust, self._dates
        for relative, digest, date, in_sitemap in entry:
            path = output_file(relative)
            if trust is not None and trust(path, digest):
                content = Kept(path, digest)
            else:
                content = self.memo.old_bytes(path, digest)
                if content is None:
                    return None
            if date is not None:
                found = dates.get(date)
                if found is None:
                    found = dates[date] = PartialDate(*date)
                date = found
            pages.append(Page(relative, content, date, in_sitemap))
        return pages


def _plain(date: PartialDate | None) -> tuple | None:
    """A page's date as the carry keeps it: a tuple pickles in a third of a record's bytes."""
    return None if date is None else (date.year, date.month, date.day)


def _digest_of(content) -> str:
    return digest_of(content)
