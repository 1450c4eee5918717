"""Counts on a bounded resolution: what the corpus weights read of a document frequency.

Takes a count (a corpus size, a number of copy groups, a token's document frequency over
articles or over copy groups); gives the count the weights are worked out from (``level``): the
count itself below ``2**PRECISION``, above that the middle of its cell on a geometric grid, each
cell ``2**(bits - PRECISION)`` wide (a float with ``PRECISION`` significant bits, as Lucene
keeps a field's norm in one byte for the same reason).

Why: an IDF weight read from exact counts moves whenever a count moves by one, so an edit that
adds a common word, or a file added to the corpus (its size is in every weight), gives every
article holding that word (or every article) other weights, and all their pairs are scored again.
On the grid, a count moving by one moves its level only when it crosses into the next cell:

- the level is within ``2**-PRECISION`` (1.6%) of the count, so an IDF weight
  ``log((size + 1) / (df + 0.5))`` read from levels is within
  ``2 * log(1 + 2**-PRECISION)`` (0.031) of the exact one;
- a count ``f`` of ``2**PRECISION`` or more moves its level on a +1 with probability
  ``1 / cell(f)``, between ``2**(PRECISION-1) / f`` and ``2**PRECISION / f`` (f = 1,000: 1 in
  16); below it, always. Either way the articles an edit gives new weights through one count
  number fewer than ``2**PRECISION`` on average (``f`` holders, ``1 / cell(f)`` of the time).

The weights (fingerprint.Vocabulary) and the pair cache's keys (pair_cache.weights_key) both read
levels, so a score kept under a key is the score the levels give: exact, whatever edit led there.
"""
from __future__ import annotations

PRECISION = 6  # significant bits: counts below 64 are exact, cells above are 1/64 to 1/32 of a count


def cell(count: int) -> int:
    """How many counts share this count's level (1 below ``2**PRECISION``)."""
    return 1 << max(0, count.bit_length() - PRECISION)


def level(count: int) -> int:
    """The count the weights read for ``count``: itself below ``2**PRECISION``, else the middle of
    its cell (rounded down): monotone, so a smaller count never reads as a larger one."""
    shift = count.bit_length() - PRECISION
    if shift <= 0:
        return count
    return ((count >> shift) << shift) | (1 << (shift - 1))
