"""How close a story is to what a topic is about, in words that do not have to be the facets'.

Takes the corpus' stories, each topic's seed text (its title, description, facet terms and the
cleaned text of the curator's example files) and the stories the strict facet rule confirms; gives
each story's cosine similarity to each topic's profile and the topic's self-calibrated bars.

Words are lower-cased, stop words dropped and reduced to their stem in the story's language
(Snowball), so "filmmaking" and "filmmakers" are one word. A story is a TF-IDF vector (IDF over
the corpus' stories, log term frequency, title ×3 and lead ×2 as for facets). A topic's profile
is Rocchio's: its seed vector plus the centroid of its confirmed members. The bars come from the
members themselves: each member's similarity to the profile built without it (leave-one-out);
the (lower) median is what a typical member reaches, the minimum what the farthest one does.
The median rather than a lower quartile: a story that misses a facet is admitted only when it
is as close as the middle member, which keeps a neighbouring subject (the same industry, another
product) out on small corpora where the quartile sits near the minimum.
A topic with fewer than ``MIN_MEMBERS`` members of its own borrows the bars of all topics'
members pooled (each member's leave-one-out similarity to its own topic: cosines of unit vectors
under one IDF, so they compare across topics); a curator's new or narrow topic is then held to
what a typical member of any topic reaches. With fewer than that many members in all, there are
no bars, and topics.py does not relax its rule.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ..model import Story
from .topic_vectors import Corpus, TermTable

MIN_MEMBERS = 5  # fewer confirmed members than this: too few to say what a typical one looks like
LEAD_CHARS = 600
WORD = re.compile(r"[^\W\d_]{3,}")
STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "de": "german", "it": "italian",
            "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian",
            "fi": "finnish", "ru": "russian", "tr": "turkish", "ro": "romanian", "hu": "hungarian"}
STOP_LANGS = {"en": "english", "fr": "french", "es": "spanish", "de": "german", "it": "italian",
              "pt": "portuguese", "nl": "dutch"}

Vector = dict[str, float]


@lru_cache(maxsize=32)
def _stemmer(language: str):
    name = STEMMERS.get(language)
    return snowballstemmer.stemmer(name) if name else None


# Every stem worked out, by language: Snowball in pure Python is most of the cost of reading a
# corpus' words, and the grouping cache carries this table from one build to the next.
_STEMS: dict[str, dict[str, str]] = {}


def stem(word: str, language: str) -> str:
    """A lower-case word's stem in a language (the word itself where no stemmer is known)."""
    known = _STEMS.setdefault(language, {})
    found = known.get(word)
    if found is None:
        stemmer = _stemmer(language)
        found = known[word] = stemmer.stemWord(word) if stemmer else word
    return found


def known_stems() -> dict[str, dict[str, str]]:
    """The stems worked out so far (a copy), for ``learn_stems`` in a later build."""
    return {language: dict(table) for language, table in sorted(_STEMS.items())}


def learn_stems(stems: dict[str, dict[str, str]]) -> None:
    """Take stems an earlier build worked out: each is what ``stem`` would give again."""
    for language, table in stems.items():
        _STEMS.setdefault(language, {}).update(table)


@lru_cache(maxsize=32)
def _stop_words(language: str) -> frozenset[str]:
    from stop_words import get_stop_words

    names = {STOP_LANGS[language]} if language in STOP_LANGS else set()
    words = set()
    for name in sorted(names | {"english"}):  # quotes and names in English turn up everywhere
        words |= {w.casefold() for w in get_stop_words(name)}
    return frozenset(words)


def words(text: str, language: str) -> list[str]:
    stops, known = _stop_words(language), _STEMS.setdefault(language, {})
    return [known.get(w) or stem(w, language) for w in WORD.findall(text.casefold()) if w not in stops]


def story_counts(story: Story) -> dict[str, int]:
    """A story's stems and their weighted counts over its copies (title ×3, lead ×2, rest ×1).
    Each zone's words are counted first (in C), so each distinct word is looked up once."""
    raw: dict[str, Counter] = {}
    for copy in story.copies:
        article = copy.article
        text, found = article.text, raw.setdefault(article.language or "en", Counter())
        for zone, weight in ((article.title, 3), (text[:LEAD_CHARS], 2), (text[LEAD_CHARS:], 1)):
            zone_words = WORD.findall(zone.casefold())
            for _ in range(weight):  # Counter.update counts in C: the weight as repeated counts
                found.update(zone_words)
    counts: dict[str, int] = {}
    total = counts.get
    for language, found in raw.items():
        stops, known = _stop_words(language), _STEMS.setdefault(language, {})
        for word, count in found.items():
            if word not in stops:
                root = known.get(word) or stem(word, language)
                counts[root] = total(root, 0) + count
    return counts


def _vector(counts: Counter, idf: dict[str, float]) -> Vector:
    vector = {w: (1 + math.log(c)) * idf[w] for w, c in sorted(counts.items()) if w in idf and c > 0}
    return _normalised(vector)


def _normalised(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {w: v / norm for w, v in vector.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _added(*vectors: Vector) -> Vector:
    total: dict[str, float] = {}
    for vector in vectors:
        for w, v in vector.items():
            total[w] = total.get(w, 0.0) + v
    return total


class _LeaveOneOut:
    """A member's cosine to the profile made without it, ``seed + (centroid - v) / (k - 1)``,
    from dot products over the member's own words: expanding the profile's norm needs only
    ``v·seed``, ``v·centroid`` and ``v·v`` beside three sums made once, so each member costs its
    length, not the vocabulary's (which made the bars quadratic in the corpus)."""

    def __init__(self, seed: Vector, centroid: Vector, k: int):
        self.seed, self.centroid, self.size = seed, centroid, k - 1
        self.seed_seed = sum(v * v for v in seed.values())
        self.seed_centroid = cosine(seed, centroid)
        self.centroid_centroid = sum(v * v for v in centroid.values())

    def similarity(self, vector: Vector) -> float:
        with_seed, with_centroid = cosine(vector, self.seed), cosine(vector, self.centroid)
        own = sum(v * v for v in vector.values())
        if not self.size:  # the only member: the profile is the seed alone
            norm = self.seed_seed
            return with_seed / math.sqrt(norm) if norm > 0 else 0.0
        size = self.size
        dot = with_seed + (with_centroid - own) / size
        norm = (self.seed_seed + 2 * (self.seed_centroid - with_seed) / size
                + (self.centroid_centroid - 2 * with_centroid + own) / (size * size))
        return dot / math.sqrt(norm) if norm > 1e-12 else 0.0


@dataclass(frozen=True)
class Bars:
    """What a topic's confirmed members reach: the median and the minimum of their leave-one-out
    similarities, and how many there are."""

    members: int
    typical: float
    lowest: float
    pooled: bool = False  # calibrated on all topics' members: the topic has too few of its own


@dataclass(frozen=True)
class Profiles:
    """Each story's similarity to each topic (by slug, then story index) and each topic's bars
    (None when it has too few members to calibrate)."""

    similarity: dict[str, list[float]]
    bars: dict[str, Bars | None]


def build_profiles(stories: list[Story], seeds: dict[str, list[tuple[str, str]]],
                   members: dict[str, list[int]], table: TermTable | None = None) -> Profiles:
    """``seeds``: per topic slug, (text, language) pieces; ``members``: per slug, the indexes of
    the stories the strict facet rule confirms; ``table``: the stories' stem counts
    (``story_counts``, as topic_cache.py keeps them), counted here when not given. The vectors,
    profiles and leave-one-out cosines are worked out over arrays (topic_vectors.py): the numbers
    of the dictionary form above, ``_vector``, ``cosine`` and ``_LeaveOneOut``."""
    table = table if table is not None else TermTable.of([story_counts(s) for s in stories])
    corpus = Corpus(table, len(stories))
    similarity, bars, own = {}, {}, {}
    for slug in sorted(seeds):
        seed_counts: Counter = Counter()
        for text, language in seeds[slug]:
            seed_counts.update(words(text, language))
        mine = sorted(members.get(slug, ()))
        similarity[slug] = found = corpus.similarities(corpus.seed(seed_counts), mine).tolist()
        own[slug] = sorted(found[i] for i in mine)
    pooled = sorted(s for sims in own.values() for s in sims)
    for slug, sims in own.items():
        bars[slug] = (_bars(sims) if len(sims) >= MIN_MEMBERS
                      else _bars(pooled, pooled=True) if len(pooled) >= MIN_MEMBERS else None)
    return Profiles(similarity, bars)


def _bars(sims: list[float], pooled: bool = False) -> Bars:
    return Bars(len(sims), sims[(len(sims) - 1) // 2], sims[0], pooled)
