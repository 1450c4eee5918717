"""Evidence that two articles report one event, read as sets: no order of sentences needed.

Takes an article's title and text (``headline_tokens``, ``quote_keys``) and, for a pair, the two
sides' token sets with an inverse-document-frequency weight (``coverage``, ``overlap``); gives:

- ``coverage``: the weighted share of one article's headline found anywhere in the other. A
  headline says what the news is; a report of the same event tells it somewhere, in any order.
  The pair's figure is the smaller of the two directions: a story that repeats another's news as
  background (an inquiry into a company recalling its layoffs) covers that headline, but the
  other does not cover its own.
- ``figures``: the share of one side's numbers the other holds: a translation keeps the figures.
- ``overlap``: a weighted set cosine (Ochiai) of the two articles' rare names, numbers and quoted
  words. Outlets retelling one event from other angles keep its names, figures and quotes while
  their sentences no longer align; a name or quote many stories hold weighs little, and one
  held by more than ``RARE_SHARE`` of the corpus' stories is left out as the corpus' subject.
  How common a token is counts stories (copy groups, copies.py), not copies: the names of a wire
  story 30 outlets ran are the event's evidence, not the subject of a corpus of 150 articles.

Quotes are keyed as word 4-shingles of the text between quotation marks, so a quote cut short
or spliced into another sentence still meets its other copies.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Iterable

QUOTE = re.compile(r"[“\"«„]([^”\"»“«„]{12,600})[”\"»“]")
QUOTE_SHINGLE = 4
QUOTE_MARK = "“"  # quote keys start with it: they never meet a name or a word
RARE_SHARE = 0.05  # a token in more than this share of the stories is not rare
RARE_FLOOR = 3  # in a small corpus, a token in this many stories is still rare
MIN_FIGURES = 2  # numbers each side must hold for ``figures`` to say anything


def quote_keys(text: str, words: Callable[[str], list[str]]) -> frozenset[str]:
    """The word 4-shingles of every quoted passage in ``text``; ``words`` folds a text to words."""
    keys = set()
    for match in QUOTE.finditer(text):
        folded = words(match.group(1))
        keys.update(QUOTE_MARK + " ".join(folded[i:i + QUOTE_SHINGLE])
                    for i in range(len(folded) - QUOTE_SHINGLE + 1))
    return frozenset(keys)


def coverage(headline: Iterable[str], other: frozenset[str], weight: Callable[[str], float]) -> float:
    """Weighted share of the headline's tokens that ``other`` holds (1.0 for an empty headline:
    no evidence either way)."""
    return covered(weighed(headline, weight), other.__contains__)


def weighed(headline: Iterable[str], weight: Callable[[str], float]) -> tuple[tuple[str, float], ...]:
    """The headline's tokens in order with their weights: one side of ``covered``, worked out once
    per article rather than once per pair."""
    return tuple((token, weight(token)) for token in sorted(headline))


def covered(headline: tuple[tuple[str, float], ...], holds: Callable[[str], bool]) -> float:
    """``coverage`` of a ``weighed`` headline by what ``holds`` says the other article tells."""
    total = covered = 0.0
    for token, w in headline:  # summed in token order: the same float whoever asks
        total += w
        covered += w if holds(token) else 0.0
    return covered / total if total else 1.0


def rare(tokens: Iterable[str], frequency: Callable[[str], int], size: int) -> frozenset[str]:
    """The tokens held by at most ``RARE_SHARE`` of ``size`` stories (``frequency``: stories holding one)."""
    cap = max(RARE_FLOOR, RARE_SHARE * size)
    return frozenset(t for t in tokens if frequency(t) <= cap)


def overlap(a: frozenset[str], b: frozenset[str], weight: Callable[[str], float]) -> tuple[float, tuple[str, ...]]:
    """Weighted set cosine of ``a`` and ``b``, and the shared tokens, heaviest first."""
    score, shared = Evidence.of(a, weight).overlap(Evidence.of(b, weight))
    return score, tuple(sorted(shared, key=lambda t: (-weight(t), t)))


@dataclass(frozen=True)
class Evidence:
    """One side of ``overlap``: its tokens, each one's weight and their total, worked out once per
    article rather than once per pair."""

    weights: dict[str, float]
    total: float

    @classmethod
    def of(cls, tokens: Iterable[str], weight: Callable[[str], float]) -> Evidence:
        weights = {t: weight(t) for t in tokens}
        return cls(weights, math.fsum(weights.values()))

    def overlap(self, other: Evidence) -> tuple[float, frozenset[str]]:
        """The weighted set cosine and the shared tokens (in no order: ``fsum`` is exact, so the
        score is the same float whatever order it adds them in)."""
        if not self.weights or not other.weights:
            return 0.0, frozenset()
        shared = frozenset(self.weights.keys() & other.weights.keys())
        if not (self.total and other.total):
            return 0.0, shared
        mine = self.weights
        return math.fsum(mine[t] for t in shared) / math.sqrt(self.total * other.total), shared


def figures(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the numbers ("#…" tokens) of the side holding fewer that the other holds; 1.0
    when either holds fewer than ``MIN_FIGURES`` (too few to tell)."""
    return shared_figures(numbers_of(a), numbers_of(b))


def numbers_of(tokens: Iterable[str]) -> frozenset[str]:
    """The numbers among the tokens: one side of ``shared_figures``."""
    return frozenset(t for t in tokens if t.startswith("#"))


def shared_figures(na: frozenset[str], nb: frozenset[str]) -> float:
    """``figures`` of the two sides' numbers (``numbers_of``)."""
    if min(len(na), len(nb)) < MIN_FIGURES:
        return 1.0
    return len(na & nb) / min(len(na), len(nb))
