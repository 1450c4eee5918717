"""What a regrouping can reuse from the last one: fingerprints and pair scores.

Takes articles and a ``Vocabulary``; gives the same fingerprints and ``PairScores`` that
``fingerprint`` and ``compare`` would, reusing earlier results when nothing they depend on changed:

- a fingerprint depends only on its article's language, title and text, so it is kept under a
  hash of those;
- a pair's scores depend on both fingerprints and on the corpus weights of their tokens, that
  is on the corpus size and its number of copy groups, each token's document frequencies over
  articles and over copy groups (the event evidence's), and which of its sentences count as
  evidence; each article gets a *weights key* (its fingerprint's key, the sizes, its tokens'
  frequencies, its sentence mask) and a pair is kept under both.

It carries the topic profiles' word stems too (a pure function of word and language), and each
story's facet results (topics.py: a pure function of the topics and the story's copies' texts).

Editing one file changes the frequencies of the words it gained or lost, so only the pairs of
articles holding one of those words are scored again. Every entry is keyed by all its value
depends on, so a regrouping with the cache gives exactly what one without it gives.
"""
from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field

from ..model import Article
from .fingerprint import Fingerprint, PairScores, Vocabulary, compare, fingerprint


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def article_key(article: Article) -> str:
    """A hash of what ``fingerprint`` reads from an article."""
    texts = [b.text for b in article.blocks if b.kind != "link"]
    return _digest(article.language.encode(), article.title.encode(), "\x00".join(texts).encode())


@dataclass(frozen=True)
class Printed:
    """An article's fingerprint, the hash of what it was made from, and its tokens in order."""

    name: str
    fingerprint: Fingerprint
    tokens: tuple[str, ...]  # every token whose document frequency its scores read

    @classmethod
    def of(cls, name: str, article: Article) -> Printed:
        made = fingerprint(article)
        return cls(name, made, tuple(sorted(made.tokens)))


@dataclass
class GroupCache:
    prints: dict[str, Printed] = field(default_factory=dict)
    scores: dict[tuple[str, str], PairScores] = field(default_factory=dict)
    stems: dict[str, dict[str, str]] = field(default_factory=dict)  # topic_profile's, by language
    facets: dict[str, tuple] = field(default_factory=dict)  # topics.py's facet results, by facet_key
    used: set = field(default_factory=set)  # the keys this grouping asked for
    hits: int = 0
    misses: int = 0

    def fingerprints(self, articles: list[Article]) -> list[Printed]:
        found = []
        for article in articles:
            name = article_key(article)
            self.used.add(name)
            if name not in self.prints:
                self.prints[name] = Printed.of(name, article)
            found.append(self.prints[name])
        return found

    def scorer(self, printed: list[Printed], vocab: Vocabulary):
        """``score(i, j)``: ``compare`` of the i-th and j-th fingerprints, reused when it can be.
        ``score.lacking(pairs)`` says which pairs it would have to compare, and
        ``score.scored(pairs, found)`` hands it their scores worked out elsewhere (in parallel,
        parallel_scores.py): a pair is still counted a miss when it is asked for."""
        size = f"{vocab.size} {vocab.groups}".encode()
        keys: dict[int, str] = {}
        fresh: dict[tuple[str, str], PairScores] = {}

        def weights_key(i: int) -> str:
            if i not in keys:
                tokens = printed[i].tokens
                words, neutral = vocab.words.get, vocab.neutral.get  # 0 if absent, as a Counter says
                frequencies = array("q", [words(t, 0) for t in tokens])
                frequencies.extend([neutral(t, 0) for t in tokens])
                frequencies.extend([vocab.stories(t) for t in tokens])  # the event evidence's
                keys[i] = _digest(printed[i].name.encode(), size, frequencies.tobytes(),
                                  vocab.mask(printed[i].fingerprint))
            return keys[i]

        def score(i: int, j: int) -> PairScores:
            pair = (weights_key(i), weights_key(j))
            self.used.add(pair)
            found = self.scores.get(pair)
            if found is None:
                self.misses += 1
                found = fresh.pop(pair, None)
                if found is None:
                    found = compare(printed[i].fingerprint, printed[j].fingerprint, vocab)
                self.scores[pair] = found
            else:
                self.hits += 1
            return found

        def lacking(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
            return [(i, j) for i, j in pairs if (weights_key(i), weights_key(j)) not in self.scores]

        def scored(pairs: list[tuple[int, int]], found: list[PairScores]) -> None:
            fresh.update(((weights_key(i), weights_key(j)), s) for (i, j), s in zip(pairs, found))

        score.lacking, score.scored = lacking, scored
        return score

    def kept(self) -> GroupCache:
        """Only the entries this grouping used: what the next one may need."""
        return GroupCache({n: e for n, e in self.prints.items() if n in self.used},
                          {p: s for p, s in self.scores.items() if p in self.used}, self.stems, self.facets)
