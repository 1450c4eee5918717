"""What a regrouping can reuse from the last one: fingerprints and pair scores.

Takes articles and a ``Vocabulary``; gives the same fingerprints and ``PairScores`` that
``fingerprint`` and ``compare`` would, reusing earlier results when nothing they depend on changed:

- a fingerprint depends only on its article's language, title and text, so it is kept under a
  hash of those;
- a pair's scores depend on both fingerprints and on the corpus weights of their tokens, that
  is on the corpus size and its number of copy groups, each token's document frequencies over
  articles and over copy groups (the event evidence's), each read on a bounded grid (grid.py),
  and which of its sentences count as evidence; each article gets a *weights key* (its
  fingerprint's key, the levels of the sizes and of its tokens' frequencies, its sentence mask)
  and a pair is kept under both.

It carries the topic profiles' word stems too (a pure function of word and language), and each
story's facet results and stem counts (topic_cache.py).

Editing one file changes the frequencies of the words it gained or lost, and adding or removing
one the corpus size; a pair is scored again only where a level moved: for a count of f, about 1
in f/48 of the times it moves by one (grid.py), so each count that moves gives new weights to
fewer than 64 articles on average (a sentence's few words: a few dozen), not to every holder of
a common word or to the whole corpus. A file added or removed moves the counts of all its
tokens, some hundreds, so it still re-keys some thousands on average at 10,000 articles. Every entry is keyed by all its value
depends on, so a regrouping with the cache gives exactly what one without it gives.
"""
from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field

from ..model import Article
from .fingerprint import Fingerprint, PairScores, Vocabulary, compare, fingerprint
from .event import RARE_FLOOR, RARE_SHARE
from .grid import level
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


def weights_key(printed: Printed, vocab: Vocabulary) -> str:
    """What the article's side of a pair's scores depends on besides its fingerprint: the levels
    (grid.py) of the corpus size and its number of copy groups and of its
    tokens' frequencies over articles and over copy groups, and its sentence mask. A count moving
    within its cell leaves the key, and so the scores, as they were."""
    frequencies = array("q", weight_levels(printed.tokens, vocab))
    scale = f"{level(vocab.size)} {level(vocab.groups)}".encode()
    return _digest(printed.name.encode(), scale, frequencies.tobytes(), vocab.mask(printed.fingerprint))


def weight_levels(tokens, vocab: Vocabulary) -> list[int]:
    """The levels of the tokens' frequencies the weights read (``Vocabulary.idf``, ``story_idf``
    and the event evidence's rarity), in token order: the frequencies the keys are made of (a
    story level above the rarity cap as -1: see below)."""
    known = vocab.levels  # each token's two levels, worked out once per grouping, not once per holder
    # The story level is read only by the event evidence, for the tokens it finds rare (event.rare:
    # at most ``cap``); one above that is read as not rare, whatever its level, so it is keyed
    # as one value (-1): a common name's story count crossing a level above the cap re-keys no
    # holder.
    cap = max(RARE_FLOOR, RARE_SHARE * level(vocab.groups))
    found = []
    for t in tokens:
        levels = known.get(t)
        if levels is None:
            story = vocab.story_level(t)
            levels = known[t] = (level(vocab.df(t)), story if story <= cap else -1)
        found.append(levels)
    return [pair[0] for pair in found] + [pair[1] for pair in found]


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
    far: int = 0  # pairs judged by their containment alone (stories.far_apart): not scored, not kept
    carried: object = None  # what the last grouping's candidate search left (carried.py)
    stories: object = None  # its components and stories (reuse.py)
    scored_elsewhere: dict = field(default_factory=dict, repr=False)  # pair → scores the workers made
    from_pieces: bool = False  # loaded from a pieces file (state.py), its maps read on use
    stale: int = 0  # scores made since the maps were last laid out: as many old ones are no longer used
    origins: dict = field(default_factory=dict, repr=False)  # this build's articles' origins by id (``article_keys``)
    origin_keys: dict = field(default_factory=dict, repr=False)  # origin -> its article's ``article_key``

    def article_keys(self, articles: list[Article]) -> list[str]:
        """Each article's ``article_key``, carried from the last grouping under the article's
        origin (``origins``: by id, with the article, as the clean stage names what made it:
        its file's cache key, its place, the blocks its furniture left: render_carry.py), so
        after an edit only the new and changed articles' texts are hashed."""
        last, origins, found, names = self.origin_keys, self.origins, {}, []
        for a in articles:
            origin = origins.get(id(a))
            if origin is not None and origin[0] is a:
                name = found[origin[1]] = last.get(origin[1]) or article_key(a)
            else:
                name = article_key(a)
            names.append(name)
        self.origin_keys = found
        return names

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
        self.topics.article_keys = {id(a): (a, n) for a, n in zip(articles, names)}  # for topic_cache.story_key
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
        keys: dict[int, str] = {}

        def key_of(i: int) -> str:
            if i not in keys:
                keys[i] = weights_key(printed[i], vocab)
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
                          carried=carried, stories=self.stories, origin_keys=self.origin_keys)


class LevelWatch:
    """The weight levels (``weight_levels``) of tokens as they were before an edit moved their
    counts (carried.py notes each token before its first move): the holders of a token whose
    count moved within its cell keep their weights keys, and need no new ones."""

    def __init__(self, vocab: Vocabulary):
        self._vocab, self._before = vocab, {}

    def _levels(self, token: str) -> tuple[int, int]:
        return level(self._vocab.df(token)), self._vocab.story_level(token)

    def note(self, tokens) -> None:
        before = self._before
        for t in tokens:
            if t not in before:
                before[t] = self._levels(t)

    def moved(self, tokens) -> set[str]:
        """Those of the tokens whose levels moved (or that were not noted: they may have)."""
        before = self._before
        return {t for t in tokens if before.get(t) != self._levels(t)}
