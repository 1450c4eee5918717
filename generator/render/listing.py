"""A listing of stories whose views are made only when a template reads them.

Takes published ``Story`` records (newest first), each with a digest of its view (what
``views.story_view`` makes it from, ``digests.view_digest``; any string where nothing is reused),
and one function that makes a story's view; gives ``Listing``, a read-only sequence of
``StoryView`` records that makes each view the first time it is read and keeps it. Slices are
listings too, so a page of a topic's timeline costs nothing until it is rendered; the stories and
their digests are at hand without a view being made, for the keys of the pages that show them
(``units.py``). A template sees a sequence of the same views a tuple would hold, so the bytes do
not depend on whether a listing or a tuple was given.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from ..model import PartialDate, Story
from .seo import newest
from .views import StoryView


class Views:
    """Each story's view, made once per build on first use. Stories are told apart by identity,
    not id: two stories may share an id, and each has its own view."""

    def __init__(self, make: Callable[[Story], StoryView], digests: dict[int, str],
                 dates: dict[int, PartialDate | None] | None = None):
        self.make = make
        self.digests = digests  # id(story) -> its view's digest (the stories outlive the build's render)
        self.dates = dates  # id(story) -> its date, if worked out already (a story works it out each time)
        self.made: dict[int, StoryView] = {}

    def date(self, story: Story) -> PartialDate | None:
        return story.date if self.dates is None else self.dates[id(story)]

    def of(self, story: Story) -> StoryView:
        found = self.made.get(id(story))
        if found is None:
            found = self.made[id(story)] = self.make(story)
        return found

    def listing(self, stories: Sequence[Story]) -> Listing:
        return Listing(tuple(stories), self)


class Listing(Sequence):
    """Stories shown as views: ``listing[n]`` and iteration make views, ``stories`` and
    ``digests`` do not."""

    __slots__ = ("stories", "views")

    def __init__(self, stories: tuple[Story, ...], views: Views):
        self.stories, self.views = stories, views

    def __len__(self) -> int:
        return len(self.stories)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Listing(self.stories[index], self.views)
        return self.views.of(self.stories[index])

    def __iter__(self) -> Iterator[StoryView]:
        return map(self.views.of, self.stories)

    def __eq__(self, other) -> bool:
        return isinstance(other, Listing) and other.stories == self.stories

    def __hash__(self) -> int:
        return hash(tuple(s.id for s in self.stories))

    @property
    def digests(self) -> tuple[str, ...]:
        found = self.views.digests
        return tuple(found[id(s)] for s in self.stories)

    def digest_at(self, index: int) -> str:
        """The view digest of the story at ``index``, "-" where there is none (before the first,
        after the last)."""
        if 0 <= index < len(self.stories):
            return self.views.digests[id(self.stories[index])]
        return "-"

    def newest(self) -> PartialDate | None:
        return newest(map(self.views.date, self.stories))
