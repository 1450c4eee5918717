"""A monotone sentence alignment of two articles, in the spirit of Gale and Church.

Takes each side's sentences as token sets with one weight per token (``Sentences.of``, worked out
once per article); gives ``alignment``: the best order-preserving matching of one side's
sentences to the other's, each matched pair scoring the weight of the tokens they share over the
smaller sentence's total, summed and normalised by the geometric mean of the sentence counts. A
rewrite or a translation retells the same facts in the same order; two different stories on one
topic share names scattered in no order.

The dynamic programme visits only the cells where two sentences share a token, found from the
tokens the two articles share: most sentence pairs share nothing, and a row without such a cell
leaves the running best unchanged. Cell sums use ``math.fsum``, which is exact whatever the
order of its terms, so the score is the same float however the cells are found.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from typing import Callable, Iterable


@dataclass(frozen=True)
class Sentences:
    """One side of an alignment: how many sentences, each one's total weight, and for each token
    its weight and the sentences it occurs in."""

    count: int
    weights: tuple[float, ...]
    where: dict[str, tuple[float, tuple[int, ...]]]

    @classmethod
    def of(cls, sentences: Iterable[Iterable[str]], weight: Callable[[str], float]) -> Sentences:
        where: dict[str, list[int]] = defaultdict(list)
        sentences = [tuple(sentence) for sentence in sentences]
        for i, sentence in enumerate(sentences):
            for t in sentence:
                where[t].append(i)
        weights = {t: weight(t) for t in where}  # each token's weight asked once, not once a sentence
        totals = tuple(math.fsum(map(weights.__getitem__, sentence)) for sentence in sentences)
        return cls(len(totals), totals, {t: (weights[t], tuple(found)) for t, found in where.items()})


def alignment(a: Sentences, b: Sentences) -> float:
    """Best order-preserving matching of a's sentences to b's, by dynamic programming over rows."""
    if not a.count or not b.count:
        return 0.0
    # (sentence of a, sentence of b) as one int, a's sentence times b's count plus b's: ints
    # hash and sort faster than pairs, in the same order -> weights of the tokens they share
    cells = defaultdict(list)
    where_a, where_b, width = a.where, b.where, b.count
    for t in where_a.keys() & where_b.keys():
        weight, rows = where_a[t]
        columns = where_b[t][1]
        for i in rows:
            base = i * width
            for j in columns:
                cells[base + j].append(weight)
    previous = [0.0] * (b.count + 1)
    best, row = None, -1
    for cell in sorted(cells):
        i, j = divmod(cell, width)
        if i != row:
            if best is not None:
                previous = [0.0, *accumulate(best, max)]
            # Rows never decrease, so where the sentences share nothing the best is the cell
            # above; the running maximum then carries the best to the right.
            best, row, mine = previous[1:], i, a.weights[i]
        smaller = min(mine, b.weights[j])
        if smaller:
            weights = cells[cell]
            shared = weights[0] if len(weights) == 1 else math.fsum(weights)  # fsum of one: itself
            best[j] = max(best[j], previous[j] + shared / smaller)
    if best is not None:
        previous = [0.0, *accumulate(best, max)]
    return previous[-1] / math.sqrt(a.count * b.count)
