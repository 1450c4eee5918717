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
story's facet results and stem counts (topic_cache.py).

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
from .topic_cache import TopicCache


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def article_key(article: Article) -> str:
    """A hash of what ``fingerprint`` reads from an article (its language, title and blocks)."""
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


def weights_key(printed: Printed, vocab: Vocabulary, size: bytes) -> str:
    """What the article's side of a pair's scores depends on besides its fingerprint: ``size``
    (the corpus size and its number of copy groups), its tokens' frequencies, its sentence mask."""
    tokens = printed.tokens
    words, neutral = vocab.words.get, vocab.neutral.get  # 0 if absent, as a Counter says
    frequencies = array("q", [words(t, 0) for t in tokens])
    frequencies.extend([neutral(t, 0) for t in tokens])
    frequencies.extend([vocab.stories(t) for t in tokens])  # the event evidence's
    return _digest(printed.name.encode(), size, frequencies.tobytes(), vocab.mask(printed.fingerprint))


class Printeds:
    """The i-th article's ``Printed`` as ``[i]``, from the cache (or made now and put there)."""

    def __init__(self, cache: GroupCache, articles: list[Article], names: list[str]):
        self._cache, self._articles, self.names = cache, articles, names
        self._found: dict[int, Printed] = {}

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, i: int) -> Printed:
        found = self._found.get(i)
        if found is None:
            name, prints = self.names[i], self._cache.prints
            found = prints.get(name)
            if found is None:
                found = prints[name] = Printed.of(name, self._articles[i])
            self._found[i] = found
        return found

    def preload(self, indices) -> None:
        """Reads the fingerprints of these articles in a few queries (pieces.PieceMap)."""
        preload = getattr(self._cache.prints, "preload", None)
        wanted = [i for i in indices if i not in self._found]
        if preload:
            preload([self.names[i] for i in wanted])
        for i in wanted:
            self[i]


class Fingerprints:
    """The i-th article's ``Fingerprint`` as ``[i]``, through ``Printeds``."""

    def __init__(self, printed: Printeds):
        self._printed = printed

    def __len__(self) -> int:
        return len(self._printed)

    def __getitem__(self, i: int) -> Fingerprint:
        return self._printed[i].fingerprint


@dataclass
class GroupCache:
    prints: dict[str, Printed] = field(default_factory=dict)
    scores: dict[tuple[str, str], PairScores] = field(default_factory=dict)
    stems: dict[str, dict[str, str]] = field(default_factory=dict)  # topic_profile's, by language
    topics: TopicCache = field(default_factory=TopicCache)  # topics.py's per-story results
    used: set = field(default_factory=set)  # the keys this grouping asked for
    hits: int = 0
    misses: int = 0
    carried: object = None  # what the last grouping's candidate search left (carried.py)
    stories: object = None  # its components and stories (reuse.py)
    scored_elsewhere: dict = field(default_factory=dict, repr=False)  # pair → scores the workers made
    from_pieces: bool = False  # loaded from a pieces file (state.py), its maps read on use
    stale: int = 0  # scores made since the maps were last laid out: as many old ones are no longer used

    def lacking(self, pairs: list[tuple[str, str]]) -> list[int]:
        """The indexes of the pairs (by weights keys) this cache holds no scores for."""
        return [at for at, pair in enumerate(pairs) if pair not in self.scores]

    def prefill(self, pairs: list[tuple[str, str]], found: list[PairScores]) -> None:
        """Scores worked out elsewhere (parallel_scores.py), handed to ``score`` when it is asked
        for them: they count as scored there, as if ``compare`` had run."""
        self.scored_elsewhere.update(zip(pairs, found))

    def fingerprints(self, articles: list[Article]) -> list[Printed]:
        printed = self.printed(articles, [article_key(a) for a in articles])
        return [printed[i] for i in range(len(articles))]

    def printed(self, articles: list[Article], names: list[str]) -> Printeds:
        """The articles' fingerprints (``names``: their ``article_key``s), each looked up or made
        only when asked for: after an edit, the grouping asks for the few it touches."""
        self.used.update(names)
        return Printeds(self, articles, names)

    def score(self, pair: tuple[str, str], a: Fingerprint, b: Fingerprint, vocab: Vocabulary) -> PairScores:
        """``compare(a, b, vocab)``, reused when the pair's weights keys (``weights_key``) were seen."""
        self.used.add(pair)
        found = self.scores.get(pair)
        if found is None:
            self.misses += 1
            found = self.scored_elsewhere.pop(pair, None)
            self.scores[pair] = found = compare(a, b, vocab) if found is None else found
        else:
            self.hits += 1
        return found

    def scorer(self, printed: list[Printed], vocab: Vocabulary):
        """``score(i, j)``: ``compare`` of the i-th and j-th fingerprints, reused when it can be."""
        size = f"{vocab.size} {vocab.groups}".encode()
        keys: dict[int, str] = {}

        def key_of(i: int) -> str:
            if i not in keys:
                keys[i] = weights_key(printed[i], vocab, size)
            return keys[i]

        def score(i: int, j: int) -> PairScores:
            return self.score((key_of(i), key_of(j)), printed[i].fingerprint, printed[j].fingerprint, vocab)

        return score

    def kept(self) -> GroupCache:
        """Only the entries this grouping used: what the next one may need."""
        used = self.used
        carried = self.carried
        if carried is not None:  # the pairs it carried unscored are used too
            wkeys = carried.wkeys
            used = used | {(wkeys[i], wkeys[j]) for i, j in carried.relations}
        return GroupCache({n: e for n, e in self.prints.items() if n in used},
                          {p: s for p, s in self.scores.items() if p in used}, self.stems, self.topics,
                          carried=carried, stories=self.stories)
