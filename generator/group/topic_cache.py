"""What topic assignment keeps from one build to the next (``GroupCache.topics``): each story's
stem counts and its facet results, under a hash of exactly what they are made from.

Takes stories (and the topics); gives their ``TermTable`` (topic_vectors.py) and their facet
results (topics.py), counting and scoring only the stories whose copies' titles, texts or
languages changed since the last build: after one edit, the one or two stories it touched. A
story's counts read nothing else (``story_counts``), its facet results nothing but the topics
besides. What depends on the whole corpus (the IDF, the profiles, the bars, every similarity) is
worked out again from all the counts, over arrays, which is cheap: so a build with this cache
gives the bits a build without one does, whatever came before.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..model import Story
from .pieces import read_whole, renewed
from .topic_profile import story_counts
from .topic_vectors import TermTable, encode

SPARE_STEMS = 4096  # stems no kept story uses, beyond as many as are used, before ids are renumbered


def story_key(story: Story, known: dict | None = None) -> bytes:
    """A hash of what ``story_counts`` and the facet rule read of a story: each copy's title,
    text and language, in order. Each copy's ``article_key`` hashes exactly those (its blocks'
    texts joined apart, and no text holds the NUL that joins them: clean/carriable.py drops
    it), and the grouping has just worked it out for every article (``known``: by the
    article's id, with the article): so the text of every story is not hashed again."""
    from .pair_cache import article_key  # pair_cache imports this module

    known = known or {}
    h = hashlib.blake2b(digest_size=16)
    for copy in story.copies:
        found = known.get(id(copy.article))
        h.update((found[1] if found is not None and found[0] is copy.article else article_key(copy.article)).encode())
    return h.digest()


def topics_key(topics) -> bytes:
    """A hash of the topics as configured (their facets, terms, weights...)."""
    return hashlib.blake2b(repr(tuple(topics)).encode(), digest_size=16).digest()


@dataclass
class TopicCache:
    """The last build's per-story results; each build leaves only its own stories' here."""

    stems: dict[str, int] = field(default_factory=dict)  # stem → id in ``terms``, never reused meanwhile
    terms: dict[bytes, tuple[bytes, bytes]] = field(default_factory=dict)  # story key → ``encode``d counts
    facets: dict[bytes, tuple] = field(default_factory=dict)  # topics key + story key → FacetResults
    used_stems: int = 0  # how many stems the kept stories used when that was last counted
    # this grouping's articles' ``article_key``s by id (with the article), for ``story_key``:
    # set by the grouping (GroupCache.printed), let go after it, never stored
    article_keys: dict = field(default_factory=dict, repr=False, compare=False)

    def table(self, stories: list[Story], keys: list[bytes]) -> TermTable:
        """The stories' stem counts, counted only for stories not seen last build."""
        found: dict[bytes, tuple[bytes, bytes]] = {}
        last = read_whole(self.terms)  # a pieces file's (group/state.py): read in a few queries
        for story, name in zip(stories, keys):
            if name not in found:
                found[name] = last.get(name) or encode(story_counts(story), self.stems)
        self.terms = renewed(self.terms, found, last)
        self._renumber()
        return TermTable.join([found[name] for name in keys], self.stems)

    def facet_results(self, stories: list[Story], keys: list[bytes], topics,
                      score: Callable[[Story], tuple]) -> list[tuple]:
        """Each story's ``score(story)`` (its facet results on every topic), from the last build
        where neither the story nor the topics changed."""
        salt = topics_key(topics)
        names = [salt + name for name in keys]
        found: dict[bytes, tuple] = {}
        last = read_whole(self.facets)
        for story, name in zip(stories, names):
            if name not in found:
                found[name] = last.get(name) or score(story)
        self.facets = renewed(self.facets, found, last)
        return [found[name] for name in names]

    def _renumber(self) -> None:
        """Edits leave stems no story uses any more: when they outnumber the used ones, the used
        ones get new ids from 0 (the results never depend on the ids' values)."""
        if len(self.stems) <= 2 * self.used_stems + SPARE_STEMS:
            return
        used = np.unique(np.frombuffer(b"".join(ids for ids, _ in self.terms.values()), dtype=np.int32))
        self.used_stems = len(used)
        if len(self.stems) <= 2 * len(used) + SPARE_STEMS:
            return
        new = np.full(len(self.stems), -1, dtype=np.int32)
        new[used] = np.arange(len(used), dtype=np.int32)
        self.stems = {w: int(new[i]) for w, i in self.stems.items() if new[i] >= 0}
        self.terms = {name: (new[np.frombuffer(ids, dtype=np.int32)].tobytes(), counts)
                      for name, (ids, counts) in self.terms.items()}
