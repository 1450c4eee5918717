"""Every story's TF-IDF vector and its cosine to a topic's profile, over arrays (numpy).

Takes a ``TermTable`` (each story's stem counts, in the order of the stems' text, over one
vocabulary of stem ids) and a topic's seed counts and members; gives each story's similarity to
the topic: the cosine to the profile for a story outside it, the cosine to the profile built
without it for a member (topic_profile.py says what the profile and the bars are).

The numbers are the ones the dictionary form in topic_profile.py gives, to the last bit: each
sum runs over the same terms in the same order (a story's words in their text order, a
centroid's in the order its members first name them), and ``np.bincount`` with weights adds
sequentially in input order, as Python's ``sum`` does. Nothing depends on the ids' values, which
differ with the history of the vocabulary (topic_cache.py keeps it from build to build), so a
build with a cache gives the bits a build without one does.
"""
from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Callable

import numpy as np

LOOKUP_LIMIT = 1 << 16  # counts up to this get a table of their logarithms; larger ones are rare


@dataclass(frozen=True)
class TermTable:
    """Every story's stem counts end to end: story i's are ``lengths[i]`` entries of ``ids`` and
    ``counts``, in the order of the stems' text; ``stems`` gives a stem's id (ids only index)."""

    ids: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray
    stems: dict[str, int]

    @classmethod
    def of(cls, counts: list[dict[str, int]], stems: dict[str, int] | None = None) -> TermTable:
        stems = {} if stems is None else stems
        parts = [encode(c, stems) for c in counts]
        return cls.join(parts, stems)

    @classmethod
    def join(cls, parts: list[tuple[bytes, bytes]], stems: dict[str, int]) -> TermTable:
        ids = np.frombuffer(b"".join(p[0] for p in parts), dtype=np.int32)
        counts = np.frombuffer(b"".join(p[1] for p in parts), dtype=np.int32)
        lengths = np.fromiter((len(p[0]) // 4 for p in parts), dtype=np.intp, count=len(parts))
        return cls(ids, counts, lengths, stems)


def encode(counts: dict[str, int], stems: dict[str, int]) -> tuple[bytes, bytes]:
    """A story's counts as (ids, counts) int32 bytes in the order of the stems' text; a stem new
    to ``stems`` gets the next id."""
    keys = sorted(counts)
    for w in keys:
        if w not in stems:
            stems[w] = len(stems)
    return array("i", map(stems.__getitem__, keys)).tobytes(), array("i", map(counts.__getitem__, keys)).tobytes()


def _mapped(values: np.ndarray, f: Callable[[int], float]) -> np.ndarray:
    """``f`` of every value, computed once per distinct value with Python's ``math`` (so the
    floats are the dictionary form's)."""
    if not len(values):
        return np.zeros(0)
    top = int(values.max())
    if top < LOOKUP_LIMIT:
        return np.array([f(x) if x else 0.0 for x in range(top + 1)])[values]
    distinct, where = np.unique(values, return_inverse=True)
    return np.array([f(int(x)) if x else 0.0 for x in distinct])[where]


def _sum(values: np.ndarray) -> float:
    return sum(values.tolist())  # Python's own sum, in the array's order


@dataclass(frozen=True)
class Seed:
    """A topic's seed vector: its stems' ids in their text order, their weights, and dense."""

    ids: np.ndarray
    values: np.ndarray
    dense: np.ndarray


class Corpus:
    """The stories' unit TF-IDF vectors (log term frequency, IDF over the stories)."""

    def __init__(self, table: TermTable, n: int):
        self.n, self.size, self.stems = n, len(table.stems), table.stems
        self.ids = table.ids.astype(np.intp)
        self.lengths = table.lengths
        self.story_of = np.repeat(np.arange(n), table.lengths)
        self.df = np.bincount(self.ids, minlength=self.size)
        self.idf = _mapped(self.df, lambda d: math.log((1 + n) / (1 + d)) + 1)
        weights = _mapped(table.counts, lambda c: 1 + math.log(c)) * self.idf[self.ids]
        norms = np.sqrt(self._per_story(weights * weights))
        self.values = weights / norms[self.story_of] if len(weights) else weights
        self.own = self._per_story(self.values * self.values)

    def _per_story(self, terms: np.ndarray) -> np.ndarray:
        """Each story's sum of its entries' terms, added in entry order."""
        return np.bincount(self.story_of, weights=terms, minlength=self.n)

    def seed(self, counts: Counter) -> Seed:
        """The unit vector of seed counts, over the words some story has (the IDF's)."""
        vector = {}
        for w, c in sorted(counts.items()):
            i = self.stems.get(w)
            if c > 0 and i is not None and self.df[i] > 0:
                vector[i] = (1 + math.log(c)) * float(self.idf[i])
        norm = math.sqrt(sum(v * v for v in vector.values()))
        ids = np.fromiter(vector, dtype=np.intp, count=len(vector))
        values = np.array([v / norm for v in vector.values()]) if norm else np.zeros(0)
        ids = ids if norm else ids[:0]
        dense = np.zeros(self.size)
        dense[ids] = values
        return Seed(ids, values, dense)

    def similarities(self, seed: Seed, members: list[int]) -> np.ndarray:
        """Each story's similarity to the topic of ``seed`` and these (sorted) members."""
        member = np.zeros(self.n, dtype=bool)
        member[members] = True
        taken = member[self.story_of]
        member_ids = self.ids[taken]
        centroid = np.bincount(member_ids, weights=self.values[taken], minlength=self.size)
        positions = np.arange(len(member_ids))
        first = np.full(self.size, len(member_ids))
        np.minimum.at(first, member_ids, positions)
        order = member_ids[first[member_ids] == positions]  # the centroid's words as its members first name them
        k = len(members)
        full, full_order = self._profile(seed, centroid, order, k)
        result = self._per_story(self.values * full[self.ids])
        self._longer_than(full, full_order, ~member, result)
        if k:
            result[members] = self._left_out(seed, centroid, order, k, taken)[members]
        return result

    def _profile(self, seed: Seed, centroid: np.ndarray, order: np.ndarray, k: int):
        """The unit profile ``seed + centroid / k`` (dense) and its words in the dictionary form's
        order: the seed's, then the centroid's others."""
        raw = seed.dense + centroid / k if k else seed.dense
        in_seed = np.zeros(self.size, dtype=bool)
        in_seed[seed.ids] = True
        full_order = np.concatenate([seed.ids, order[~in_seed[order]]]) if k else seed.ids
        picked = raw[full_order]
        norm = math.sqrt(_sum(picked * picked))
        return (raw / norm if norm else np.zeros(self.size)), (full_order if norm else full_order[:0])

    def _longer_than(self, full: np.ndarray, full_order: np.ndarray, outside: np.ndarray, result: np.ndarray) -> None:
        """A cosine runs over the shorter vector's words: for a story with more words than the
        profile, over the profile's, whose order differs from the story's. Those few (a profile
        of a seed and a handful of short members) are summed again in the profile's order."""
        longer = np.flatnonzero(outside & (self.lengths > len(full_order)))
        if not len(longer) or not len(full_order):  # an empty profile: every cosine is 0 already
            return
        position = np.full(self.size, -1)
        position[full_order] = np.arange(len(full_order))
        starts = np.concatenate([[0], np.cumsum(self.lengths)])
        for i in longer.tolist():
            ids, values = self.ids[starts[i]:starts[i + 1]], self.values[starts[i]:starts[i + 1]]
            at = position[ids]
            shared = np.flatnonzero(at >= 0)
            shared = shared[np.argsort(at[shared])]
            result[i] = _sum(full[ids[shared]] * values[shared])

    def _left_out(self, seed: Seed, centroid: np.ndarray, order: np.ndarray, k: int, taken: np.ndarray) -> np.ndarray:
        """Each member's cosine to the profile made without it, ``seed + (centroid - v) / (k - 1)``,
        as ``topic_profile._LeaveOneOut`` works it out (``taken``: the members' entries; the
        figures of other stories mean nothing)."""
        stories, ids, values = self.story_of[taken], self.ids[taken], self.values[taken]
        with_seed = np.bincount(stories, weights=values * seed.dense[ids], minlength=self.n)
        with_centroid = np.bincount(stories, weights=values * centroid[ids], minlength=self.n)
        seed_seed = _sum(seed.values * seed.values)
        size = k - 1
        if not size:
            return with_seed / math.sqrt(seed_seed) if seed_seed > 0 else np.zeros(self.n)
        if len(seed.ids) > len(order):  # the cosine runs over the shorter of the two
            seed_centroid = _sum(centroid[order] * seed.dense[order])
        else:
            seed_centroid = _sum(seed.values * centroid[seed.ids])
        ordered = centroid[order]
        centroid_centroid = _sum(ordered * ordered)
        own = self.own
        dot = with_seed + (with_centroid - own) / size
        norm = (seed_seed + 2 * (seed_centroid - with_seed) / size
                + (centroid_centroid - 2 * with_centroid + own) / (size * size))
        fine = norm > 1e-12
        return np.divide(dot, np.sqrt(np.where(fine, norm, 1.0)), out=np.zeros(self.n), where=fine)
