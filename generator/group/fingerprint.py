"""What the grouping compares: per-article fingerprints, corpus weights, and pairwise scores.

Takes cleaned ``Article`` records (their words read as tokens.py reads them); gives a frozen
``Fingerprint`` per article, a ``Vocabulary`` of document frequencies over the whole corpus (a name every article shares, like "OpenAI" in an
OpenAI digest, is weak evidence; "Bloomberg" in two of thirty articles is strong), and
``compare`` for a pair, which answers with the scores and the evidence behind them:

- ``containment``: share of the shorter text's word 5-shingles found in the other (syndication);
- ``words``: TF-IDF cosine of content words (same language: rewrites keep the vocabulary);
- ``names``: IDF-weighted cosine of the language-neutral tokens, names and numbers;
- ``word_alignment`` / ``name_alignment``: a monotone sentence alignment in the spirit of Gale
  and Church — a rewrite or a translation retells the same facts in the same order, where two
  different stories on one topic share names scattered in no order. Each sentence pair scores
  the weighted share of rare tokens they have in common; dynamic programming finds the best
  order-preserving matching; the sum is normalised by the geometric mean of sentence counts.
- ``headline`` / ``event`` (event.py): evidence read as sets, in no order — how much of each
  headline the other article tells, and the weighted overlap of their rare names, numbers and
  quotes. A retelling from another angle keeps these while its sentences no longer align.
  Their rarity and weights count copy groups, not copies (``Vocabulary.stories``).
"""
from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from array import array
from struct import Struct
from itertools import accumulate, compress
from zlib import crc32  # Python's hash() is salted per process: shingles must compare the same in every build

from ..model import Article
from .copies import copy_groups, repeats
from .alignment import Sentences, alignment
from .event import QUOTE_MARK, Evidence, covered, numbers_of, quote_keys, rare, shared_figures, weighed
from .grid import level
from .tokens import COMMON_CAPITALS, WORD, content_words, fold, names, names_after, numbers, word_token  # noqa: F401

_first_hash = Struct(array("I").typecode).unpack_from  # a packed line's first shingle hash, native as the array's
SENTENCE = re.compile(r"(?<=[.!?…])[\"”»’]?\s+(?=[\"“«]?[A-ZÀ-ÖØ-Þ0-9])|\n+")
FIRST_WORD = re.compile(r"\s*\S*")  # what ``str.split`` takes for a sentence's first word
SHINGLE = 5
TEMPLATE_MIN = 3  # a line shape in this many articles, with other names or numbers, is a template
MIN_EVIDENCE = 2  # sentences of evidence an article needs to be joined by its text
COPY_CONTAINMENT = 0.5  # shingle containment of a near-verbatim copy (stories.py uses it)
BACKGROUND_MIN = 4  # a line in this many articles, more than the article's own lines, is background
MAX_SENTENCES = 200  # alignment is quadratic in sentences; longer articles are cut for it
NEAR_VERBATIM = 1.0  # share of a sentence's shingles the other article holds: a copied line


@dataclass(frozen=True)
class Sentence:
    """One sentence's evidence. ``exact`` and ``template`` key the sentence as folded text, the
    second with its names and numbers blanked: a line many articles share is background (a stock
    quote, a topic's background sentence), a line shape many share with other names or numbers is
    a template (a byline, a reading-time line, a dateline, the rows of a daily "live map").
    Neither is evidence that two articles tell one story."""

    exact: int
    template: int
    # Compact, since a corpus holds hundreds of thousands of sentences (a frozenset of ints costs
    # some 60 bytes an element, these 4 and 8): the shingles as sorted unsigned 32-bit hashes
    # packed in bytes (``hashes`` unpacks them), the tokens as sorted tuples of interned strings.
    shingles: bytes  # word 5-shingles inside the sentence
    words: tuple[str, ...]  # content words, names and numbers
    neutral: tuple[str, ...]  # names and numbers only: the same in every language

    @property
    def hashes(self) -> array:
        found = array("I")
        found.frombytes(self.shingles)
        return found


@dataclass(frozen=True)
class Fingerprint:
    language: str
    title_names: frozenset[str]
    sentences: tuple[Sentence, ...]
    headline: frozenset[str] = frozenset()  # the title's content words, names and numbers
    quotes: frozenset[str] = frozenset()  # word 4-shingles of its quoted passages (event.py)
    # Names also written capitalised inside a sentence: a word capitalised only where a sentence
    # or a heading starts ("Click", "Grow") is a common word, not an event's name.
    proper: frozenset[str] = frozenset()

    @property
    def neutral(self) -> frozenset[str]:
        return self.title_names.union(*(s.neutral for s in self.sentences))

    @property
    def tokens(self) -> frozenset[str]:
        return self.neutral.union(self.headline, self.quotes, *(s.words for s in self.sentences))


@dataclass(frozen=True)
class PairScores:
    same_language: bool
    containment: float
    words: float
    names: float
    word_alignment: float
    name_alignment: float
    shared: tuple[str, ...]  # the rarest shared names and numbers: evidence for `explain`
    headline: float = 1.0  # the smaller share of either headline the other tells (same language)
    event: float = 0.0  # weighted overlap of rare names, numbers and quotes
    quotes: int = 0  # quoted 4-word spans the two share
    copied: int = 0  # lines both hold verbatim, set aside before the rewrite scores
    figures: float = 1.0  # share of the smaller side's numbers the other holds (1.0: too few to tell)


def split_sentences(article: Article) -> list[str]:
    """The article's sentences as the fingerprint reads them, the first ``MAX_SENTENCES``."""
    text = "\n".join(b.text for b in article.blocks if b.kind != "link")
    return [s for s in SENTENCE.split(text) if s and s.strip()][:MAX_SENTENCES]


def fingerprint(article: Article) -> Fingerprint:
    texts = split_sentences(article)
    made, proper = [], set()
    for text in texts:
        sentence, later = _sentence(text)
        made.append(sentence)
        proper |= later
    title = article.title or ""
    headline = frozenset(content_words(title)) | names(title) | numbers(title)
    text = "\n".join(b.text for b in article.blocks if b.kind != "link")
    quotes = quote_keys(text, lambda t: [fold(w) for w in WORD.findall(t)])
    return Fingerprint(article.language, frozenset(names(title)), tuple(made), headline, quotes, frozenset(proper))


def _sentence(text: str) -> tuple[Sentence, set[str]]:
    """The sentence's evidence, and the names it writes capitalised after its first word."""
    words = WORD.findall(text)
    tokens, shape, content = zip(*map(word_token, words)) if words else ((), (), ())
    found, later = names_after(text, FIRST_WORD.match(text).end())
    neutral = found | numbers(text)
    joined = " ".join(tokens)
    data = joined.encode("utf-8")
    return Sentence(
        exact=crc32(data),
        # The line's shape: names and numbers blanked ("By X X, the X X"; "0 min read").
        template=crc32(" ".join(shape).encode("utf-8")),
        shingles=array("I", sorted(_shingles(tokens, joined, data))).tobytes(),
        words=tuple(sorted(neutral.union(compress(tokens, content)))),  # interned by tokens.py
        neutral=tuple(sorted(neutral))), later


def _shingles(tokens: list[str], joined: str, data: bytes) -> set[int]:
    """The crc32 of each run of ``SHINGLE`` tokens joined by spaces, cut from the sentence's
    joined bytes (``data``) rather than joined again for each run: the same bytes, so the same
    hashes."""
    if len(tokens) < SHINGLE:
        return set()
    lengths = map(len, tokens) if len(data) == len(joined) else (len(t.encode("utf-8")) for t in tokens)
    starts = [0, *accumulate(length + 1 for length in lengths)]  # each token's start, and one past the end
    view = memoryview(data)
    return {crc32(view[starts[i]:starts[i + SHINGLE] - 1]) for i in range(len(tokens) - SHINGLE + 1)}


class Vocabulary:
    """What the corpus says each piece of evidence is worth: which sentences are background or
    template lines (see ``Sentence``), the document frequencies of the tokens in the rest, for
    IDF weights (read on a bounded grid: grid.py), and the copy groups (copies.py: ``rank`` orders their
    leaders, as in candidates.py) with how many of them hold each name, number and quote
    (``stories``): the event evidence and the candidate index judge rarity by stories."""

    def __init__(self, prints: list[Fingerprint], rank: list | None = None):
        self.size = len(prints)
        self.exact = Counter(k for p in prints for k in {s.exact for s in p.sentences})
        self.template = Counter(k for p in prints for k in {s.template for s in p.sentences})
        self.words: Counter = Counter()
        self.neutral: Counter = Counter()
        self._kept_by_id: dict[int, tuple[Fingerprint, tuple[Sentence, ...]]] = {}
        for p in prints:
            kept = self.kept(p)
            self.words.update(p.headline.union(*(s.words for s in kept)))
            self.neutral.update(self._held(p))
        # How common a name, number or quote is as news counts copy groups, not copies: a wire
        # story 30 outlets ran holds its names 30 times, yet they are as rare as any story's.
        self.group = copy_groups([self.shared_lines(p) for p in prints], [len(self.kept(p)) for p in prints],
                                 rank if rank is not None else range(len(prints)))
        self.groups = len(set(self.group))
        self._repeats = repeats(self.group, lambda i: self._held(prints[i]))
        # Every pair asks for the same tokens' weights again: work each out once per build.
        self._idf: dict[str, float] = {}
        self._story_idf: dict[str, float] = {}
        self._weighted: dict[int, tuple[Fingerprint, Weighted]] = {}
        # each token's (level of ``df``, ``story_level``) for the weights keys (pair_cache.py),
        # asked only once every count is final (carried.py rekeys last)
        self.levels: dict[str, tuple[int, int]] = {}

    def kept(self, p: Fingerprint) -> tuple[Sentence, ...]:
        """The sentences of ``p`` that are evidence: not background, not a template line."""
        # Keyed by id(): the entry keeps the fingerprint alive, so the id cannot be reused.
        entry = self._kept_by_id.get(id(p))
        if entry is None:
            typical = statistics.median_low(self.exact[t.exact] for t in p.sentences) if p.sentences else 0
            entry = self._kept_by_id[id(p)] = (p, tuple(s for s in p.sentences if not self._common(s, typical)))
        return entry[1]

    def mask(self, p: Fingerprint) -> bytes:
        """Which sentences ``kept`` keeps, one byte each: part of what a pair's scores depend on."""
        kept = {id(s) for s in self.kept(p)}
        return bytes(id(s) in kept for s in p.sentences)

    def _common(self, s: Sentence, typical: int) -> bool:
        template, exact = self.template[s.template], self.exact[s.exact]
        if template >= TEMPLATE_MIN and template >= 2 * exact:
            return True  # the same line with other names or numbers in many articles
        # Shared by more articles than the article's own lines typically are: a syndicated story's
        # lines are all shared by its copies, a stock line by many articles that share nothing else.
        return exact >= BACKGROUND_MIN and exact > 2 * typical

    def df(self, token: str) -> int:
        """The document frequency ``idf`` reads: over names and numbers, else over words."""
        return self.neutral.get(token) or self.words.get(token, 0)

    def idf(self, token: str) -> float:
        """From the counts' levels (grid.py): most edits and added files leave a weight as it was."""
        weight = self._idf.get(token)
        if weight is None:
            weight = self._idf[token] = math.log((level(self.size) + 1) / (level(self.df(token)) + 0.5))
        return weight

    def shared_lines(self, p: Fingerprint) -> set[int]:
        """The keys of its evidence lines another article holds too (copies.py, candidates.py)."""
        return {s.exact for s in self.kept(p) if self.exact[s.exact] >= 2}

    def _held(self, p: Fingerprint) -> frozenset[str]:
        """The names, numbers and quotes ``neutral`` counts for ``p``."""
        return p.title_names.union(p.quotes, *(s.neutral for s in self.kept(p)))

    def stories(self, token: str) -> int:
        """How many copy groups (stories) hold the name, number or quote."""
        return self.neutral.get(token, 0) - self._repeats.get(token, 0)

    def story_level(self, token: str) -> int:
        return level(self.stories(token))  # ``stories`` as the event evidence reads it (grid.py)

    def story_idf(self, token: str) -> float:
        """The inverse frequency of a name, number or quote over stories (``story_level``)."""
        weight = self._story_idf.get(token)
        if weight is None:
            weight = self._story_idf[token] = math.log((level(self.groups) + 1) / (self.story_level(token) + 0.5))
        return weight

    def forget(self, print_: Fingerprint) -> None:
        """Let go of the fingerprint's weights: no pair left needs them (``weighted`` would work
        them out again, the same)."""
        self._weighted.pop(id(print_), None)

    def weighted(self, print_: Fingerprint) -> Weighted:
        """The fingerprint's weights under this corpus, worked out on its first pair only."""
        entry = self._weighted.get(id(print_))
        if entry is None:
            entry = self._weighted[id(print_)] = (print_, Weighted(self.kept(print_), print_.title_names, self))
        return entry[1]


class Weighted:
    """A fingerprint's evidence sentences as corpus-weighted vectors, each worked out on first use
    and then kept for the build, instead of once per pair. ``event`` and ``headline`` are asked
    with the fingerprint the weights are of (the only one they are ever asked with)."""

    def __init__(self, kept: tuple[Sentence, ...], title_names: frozenset[str], vocab: Vocabulary):
        self.kept, self._title, self._vocab = kept, title_names, vocab
        self._event: Evidence | None = None
        self._headline: tuple[tuple[str, float], ...] | None = None

    def without(self, exact: set[int]) -> Weighted:
        return Weighted(tuple(s for s in self.kept if s.exact not in exact), self._title, self._vocab)

    def copied_from(self, common: frozenset[int]) -> set[int]:
        """Its lines the other article holds nearly verbatim: most of their shingles are among
        ``common``, the shingles the two hold both (a line's hashes are distinct, so the ones
        the other holds are the ones in ``common``)."""
        found = set()
        for s in self.kept:
            packed = s.shingles
            # every shingle of a copied line is in ``common``, its first one too: a line whose
            # first is not is passed over before its hashes are unpacked
            if not packed or (NEAR_VERBATIM == 1.0 and _first_hash(packed, 0)[0] not in common):
                continue
            mine = s.hashes
            if len(common.intersection(mine)) >= NEAR_VERBATIM * len(mine):
                found.add(s.exact)
        return found

    @cached_property
    def told(self) -> frozenset[str]:
        """Every token its evidence lines tell: what another headline may be found in."""
        return self.neutral.union(*(s.words for s in self.kept))

    @cached_property
    def shingles(self) -> frozenset[int]:
        return frozenset().union(*(s.hashes for s in self.kept))

    @cached_property
    def neutral(self) -> frozenset[str]:
        return self._title.union(*(s.neutral for s in self.kept))

    @cached_property
    def numbers(self) -> frozenset[str]:
        return numbers_of(self.neutral)

    @cached_property
    def neutral_idf(self) -> dict[str, float]:
        idf = self._vocab.idf
        return {t: idf(t) for t in self.neutral}

    @cached_property
    def tfidf(self) -> dict[str, float]:
        counts = Counter(w for s in self.kept for w in s.words if not w.startswith("#"))
        return {t: (1 + math.log(c)) * self._vocab.idf(t) for t, c in counts.items()}

    @cached_property
    def tfidf_norm(self) -> float:  # sum of squares
        return math.fsum(v * v for v in self.tfidf.values())

    @cached_property
    def neutral_norm(self) -> float:  # sum of squared IDF weights of the names and numbers
        return math.fsum(w ** 2 for w in self.neutral_idf.values())

    @cached_property
    def sentence_words(self) -> Sentences:
        return Sentences.of((s.words for s in self.kept), self._vocab.idf)

    @cached_property
    def sentence_neutral(self) -> Sentences:
        return Sentences.of((s.neutral for s in self.kept), self._vocab.idf)

    def event(self, p: Fingerprint) -> Evidence:
        """Its names (written as names inside a sentence), numbers and quotes rare among the
        corpus' stories, with their weights: copies of one wire story hold its names once
        between them."""
        if self._event is None:
            vocab = self._vocab
            tokens = {t for t in self.neutral if t.startswith("#") or t in p.proper} | p.quotes
            self._event = Evidence.of(rare(tokens, vocab.story_level, level(vocab.groups)), vocab.story_idf)
        return self._event

    def headline(self, p: Fingerprint) -> tuple[tuple[str, float], ...]:
        """Its headline's tokens with their weights, for ``covered``."""
        if self._headline is None:
            self._headline = weighed(p.headline, self._vocab.idf)
        return self._headline


def containment(a: Fingerprint, b: Fingerprint, vocab: Vocabulary) -> float:
    """``compare(a, b, vocab).containment`` alone, for a pair of one language: what a pair too
    far apart in time to be a rewrite is judged by (stories.relate), at a fraction of the cost."""
    wa, wb = vocab.weighted(a), vocab.weighted(b)
    if min(len(wa.kept), len(wb.kept)) < MIN_EVIDENCE:
        return 0.0
    return _containment(wa.shingles & wb.shingles, wa.shingles, wb.shingles)


def compare(a: Fingerprint, b: Fingerprint, vocab: Vocabulary) -> PairScores:
    """A pair's scores over its evidence sentences. A pair with too little evidence on one side
    (an article that is all template or background lines) scores nothing."""
    same = a.language == b.language
    wa, wb = vocab.weighted(a), vocab.weighted(b)
    if min(len(wa.kept), len(wb.kept)) < MIN_EVIDENCE:
        return PairScores(same, 0.0, 0.0, 0.0, 0.0, 0.0, ())
    weight = wa.neutral_idf
    shared = sorted(wa.neutral & wb.neutral, key=lambda t: (-weight[t], t))
    common = wa.shingles & wb.shingles if same else frozenset()
    containment = _containment(common, wa.shingles, wb.shingles) if same else 0.0
    headline, copied = 1.0, 0
    if same:
        told_a, told_b, title_a, title_b = wa.told, wb.told, a.headline, b.headline
        headline = min(covered(wa.headline(a), lambda t: t in told_b or t in title_b),
                       covered(wb.headline(b), lambda t: t in told_a or t in title_a))
    event, event_shared = wa.event(a).overlap(wb.event(b))
    if same and containment < COPY_CONTAINMENT and common:
        # Lines both hold (nearly) verbatim are a copied paragraph (a follow-up repeats its
        # background, a press release its "about us" block); whether the rest retells the same
        # news is what makes a rewrite. No shingle in common: no such line.
        verbatim = wa.copied_from(common) | wb.copied_from(common)
        copied = len(verbatim)
        if verbatim:
            wa, wb = wa.without(verbatim), wb.without(verbatim)
    return PairScores(
        same_language=same,
        containment=containment,
        words=_tfidf_cosine(wa, wb) if same else 0.0,
        names=_weighted_cosine(shared, weight, wa, wb),
        word_alignment=alignment(wa.sentence_words, wb.sentence_words) if same else 0.0,
        name_alignment=0.0 if same else alignment(wa.sentence_neutral, wb.sentence_neutral),
        shared=tuple(t.lstrip("#") for t in shared[:8]),
        headline=headline,
        event=event,
        quotes=sum(t.startswith(QUOTE_MARK) for t in event_shared),
        copied=copied,
        figures=shared_figures(wa.numbers, wb.numbers),
    )


def _containment(common: frozenset, a: frozenset, b: frozenset) -> float:
    """Shared shingles (``common``) over the geometric mean of the two sets: a copy trimmed or
    given a lead-in still scores high; a follow-up that repeats three lines of a story does not."""
    if not a or not b:
        return 0.0
    return len(common) / math.sqrt(len(a) * len(b))


def _weighted_cosine(shared: list[str], weight: dict[str, float], a: Weighted, b: Weighted) -> float:
    den = math.sqrt(a.neutral_norm * b.neutral_norm)
    return math.fsum(weight[t] ** 2 for t in shared) / den if den else 0.0


def _tfidf_cosine(a: Weighted, b: Weighted) -> float:
    small, large = (a.tfidf, b.tfidf) if len(a.tfidf) <= len(b.tfidf) else (b.tfidf, a.tfidf)
    # The products are summed by ``fsum``, exact in any order: the shared keys as a set will do.
    dot = math.fsum(small[t] * large[t] for t in small.keys() & large.keys())
    den = math.sqrt(a.tfidf_norm * b.tfidf_norm)
    return dot / den if den else 0.0
